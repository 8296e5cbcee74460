-- partnerdesk core schema (SQLite). Times are unix microseconds (UTC); booleans are 0/1.
-- Kept column-for-column in step with migrations/postgres/0001_core.sql.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,          -- GUID; a customer's is its tenant id
    kind        TEXT NOT NULL CHECK (kind IN ('operator', 'partner', 'customer')),
    name        TEXT NOT NULL,
    domain      TEXT,                      -- a customer's primary domain
    country     TEXT,                      -- ISO 3166-1 alpha-2
    phone       TEXT,
    time_zone   TEXT,
    search_text TEXT NOT NULL,             -- lower-cased name, domain and id, for customer search
    created_at  INTEGER NOT NULL
);
CREATE INDEX organizations_kind ON organizations (kind, name);

CREATE TABLE relationships (
    partner_id      TEXT NOT NULL REFERENCES organizations (id),
    customer_id     TEXT NOT NULL REFERENCES organizations (id),
    delegated_admin INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (partner_id, customer_id)
);
CREATE INDEX relationships_customer ON relationships (customer_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    email         TEXT NOT NULL UNIQUE,    -- lower-cased
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT,                    -- argon2id PHC string; NULL: cannot sign in
    locale        TEXT,
    phone         TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,         -- SHA-256 of the cookie value
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,     -- SHA-256 of the secret
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE services (
    id                 TEXT PRIMARY KEY,   -- slug, e.g. 'office365'
    name               TEXT NOT NULL,
    admin_url_template TEXT NOT NULL,      -- {tenantId} and {domain} are filled in
    created_at         INTEGER NOT NULL
);

CREATE TABLE support_topics (
    id          TEXT PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES services (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('technical', 'billing', 'account'))
);
CREATE INDEX support_topics_service ON support_topics (service_id);

CREATE TABLE managed_services (
    customer_id TEXT NOT NULL REFERENCES organizations (id),
    service_id  TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (customer_id, service_id)
);

CREATE TABLE support_profiles (
    partner_id TEXT PRIMARY KEY REFERENCES organizations (id),
    email      TEXT,
    phone      TEXT,
    website    TEXT,
    hours      TEXT,
    updated_at INTEGER NOT NULL
);

CREATE TABLE service_requests (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT NOT NULL CHECK (kind IN ('customer', 'partner')),
    partner_id            TEXT NOT NULL REFERENCES organizations (id),
    customer_id           TEXT REFERENCES organizations (id),
    service_id            TEXT REFERENCES services (id),
    topic_id              TEXT REFERENCES support_topics (id),
    category              TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL,
    severity              INTEGER NOT NULL,  -- 1 critical, 2 moderate, 3 minimal
    state                 TEXT NOT NULL,
    tier                  TEXT NOT NULL,
    holder_org_id         TEXT NOT NULL REFERENCES organizations (id),
    assigned_to           TEXT REFERENCES users (id),
    escalation_criterion  TEXT,
    troubleshooting       TEXT,
    escalation_incomplete INTEGER NOT NULL DEFAULT 0,
    contact_first_name    TEXT,
    contact_last_name     TEXT,
    contact_email         TEXT,
    contact_phone         TEXT,
    contact_channel       TEXT,
    contact_locale        TEXT,
    contact_time_zone     TEXT,
    country_code          TEXT,
    agent_locale          TEXT NOT NULL,
    created_by            TEXT NOT NULL REFERENCES users (id),
    last_updated_by       TEXT NOT NULL,     -- display name at the time
    created_at            INTEGER NOT NULL,
    modified_at           INTEGER NOT NULL,
    escalated_at          INTEGER,
    resolved_at           INTEGER,
    closed_at             INTEGER,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_requests_partner ON service_requests (partner_id, created_at DESC, id DESC);
CREATE INDEX service_requests_customer ON service_requests (customer_id, created_at DESC, id DESC);
CREATE INDEX service_requests_queue ON service_requests (tier, state, created_at);
CREATE INDEX service_requests_modified ON service_requests (partner_id, modified_at DESC, id DESC);

-- Full-text search over title and description: substring matching in any script (Chinese has
-- no spaces between words), via trigrams.
CREATE VIRTUAL TABLE service_requests_fts USING fts5 (
    title, description, content = 'service_requests', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER service_requests_fts_insert AFTER INSERT ON service_requests BEGIN
    INSERT INTO service_requests_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER service_requests_fts_update AFTER UPDATE OF title, description ON service_requests BEGIN
    INSERT INTO service_requests_fts (service_requests_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO service_requests_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER service_requests_fts_delete AFTER DELETE ON service_requests BEGIN
    INSERT INTO service_requests_fts (service_requests_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;

CREATE TABLE request_notes (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES service_requests (id),
    author_id   TEXT NOT NULL,
    author_name TEXT NOT NULL,
    visibility  TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX request_notes_request ON request_notes (request_id, id);

-- Append-only: every change, with who and when. `org_id` is the organization the object belongs
-- to, so that an export can be scoped.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   TEXT,
    actor_name TEXT NOT NULL,
    org_id     TEXT,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL            -- JSON
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id, id);

CREATE TABLE idempotency_keys (
    actor_id    TEXT NOT NULL,
    key         TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (actor_id, key)
);

CREATE TABLE rate_limits (
    key          TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
);
