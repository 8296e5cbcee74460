-- Self-help articles the operator writes per service (and topic), in one language each,
-- Markdown with its sanitized HTML kept beside it, and how often readers found them helpful.
CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    service_id      TEXT NOT NULL REFERENCES services (id),
    topic_id        TEXT REFERENCES support_topics (id),
    locale          TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    status          TEXT NOT NULL,
    helpful         INTEGER NOT NULL DEFAULT 0,
    not_helpful     INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    modified_at     INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_service ON articles (service_id, status, locale);
-- Searched like requests: trigrams, so Chinese and Russian substrings match.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body, content = 'articles', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
