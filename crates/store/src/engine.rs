//! The SQL that differs between SQLite and PostgreSQL, in one visible place.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    /// A condition that the row of `target` contains `term` (a substring, any script, any
    /// letter case) in one of its two searched columns. `param` is the placeholder bound to
    /// `search_term_value(term)`.
    pub(crate) fn text_condition(self, target: &Searchable, term: &str, param: &str) -> String {
        let Searchable {
            alias,
            first,
            second,
            fts,
        } = target;
        match self {
            // FTS5's trigram index answers terms of three or more characters; shorter ones
            // (two Chinese characters are a whole word) fall back to a scan of the candidates
            // the other conditions left.
            Engine::Sqlite if term.chars().count() >= 3 => {
                format!("{alias}.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH {param})")
            }
            Engine::Sqlite => format!(
                "(instr(lower({alias}.{first}), {param}) > 0 OR instr(lower({alias}.{second}), {param}) > 0)"
            ),
            // The same expression as the table's trigram index.
            Engine::Postgres => {
                format!("({alias}.{first} || ' ' || {alias}.{second}) ILIKE {param} ESCAPE '\\'")
            }
        }
    }

    /// The value to bind for `text_condition`.
    pub(crate) fn search_term_value(self, term: &str) -> String {
        match self {
            // An FTS5 string: the term as one phrase, quotes doubled.
            Engine::Sqlite if term.chars().count() >= 3 => {
                format!("\"{}\"", term.replace('"', "\"\""))
            }
            Engine::Sqlite => term.to_lowercase(),
            Engine::Postgres => {
                let escaped = term
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            }
        }
    }
}

/// A table searched by full text: its alias in queries, the two columns searched, and the
/// SQLite FTS5 index over them (PostgreSQL: a trigram index on `first || ' ' || second`).
pub(crate) struct Searchable {
    pub alias: &'static str,
    pub first: &'static str,
    pub second: &'static str,
    pub fts: &'static str,
}

pub(crate) const REQUESTS: Searchable = Searchable {
    alias: "r",
    first: "title",
    second: "description",
    fts: "service_requests_fts",
};

pub(crate) const ARTICLES: Searchable = Searchable {
    alias: "a",
    first: "title",
    second: "body",
    fts: "articles_fts",
};
