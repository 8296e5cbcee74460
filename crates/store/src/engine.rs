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

    /// A condition that the request aliased `r` contains `term` (a substring, any script, any
    /// letter case) in its title or description. `param` is the placeholder bound to
    /// `search_term_value(term)`.
    pub(crate) fn request_text_condition(self, term: &str, param: &str) -> String {
        match self {
            // FTS5's trigram index answers terms of three or more characters; shorter ones
            // (two Chinese characters are a whole word) fall back to a scan of the candidates
            // the other conditions left.
            Engine::Sqlite if term.chars().count() >= 3 => format!(
                "r.id IN (SELECT rowid FROM service_requests_fts WHERE service_requests_fts MATCH {param})"
            ),
            Engine::Sqlite => format!(
                "(instr(lower(r.title), {param}) > 0 OR instr(lower(r.description), {param}) > 0)"
            ),
            Engine::Postgres => {
                format!("(r.title || ' ' || r.description) ILIKE {param} ESCAPE '\\'")
            }
        }
    }

    /// The value to bind for `request_text_condition`.
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
