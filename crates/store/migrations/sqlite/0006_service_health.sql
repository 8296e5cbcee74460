-- Service health: regions of the cloud, where each customer's service runs, and the incidents,
-- advisories and planned maintenance the operator publishes about services.

CREATE TABLE regions (
    id    TEXT PRIMARY KEY,           -- slug, e.g. 'cn-north'
    name  TEXT NOT NULL
);
-- A customer's service without a region is affected only by notices for all regions.
ALTER TABLE managed_services ADD COLUMN region_id TEXT REFERENCES regions (id);

CREATE TABLE service_incidents (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    severity       TEXT NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER,
    -- 1: every customer of the services (in the regions); 0: only incident_customers.
    all_customers  INTEGER NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    modified_at    INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_incidents_starts ON service_incidents (starts_at DESC, id DESC);

-- Title and impact statement, in one or more of en / zh / ru.
CREATE TABLE incident_texts (
    incident_id  INTEGER NOT NULL REFERENCES service_incidents (id),
    locale       TEXT NOT NULL,
    title        TEXT NOT NULL,
    impact       TEXT NOT NULL,
    PRIMARY KEY (incident_id, locale)
);
CREATE TABLE incident_services (
    incident_id  INTEGER NOT NULL REFERENCES service_incidents (id),
    service_id   TEXT NOT NULL REFERENCES services (id),
    PRIMARY KEY (incident_id, service_id)
);
CREATE INDEX incident_services_service ON incident_services (service_id);
-- None listed: every region.
CREATE TABLE incident_regions (
    incident_id  INTEGER NOT NULL REFERENCES service_incidents (id),
    region_id    TEXT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (incident_id, region_id)
);
CREATE TABLE incident_customers (
    incident_id  INTEGER NOT NULL REFERENCES service_incidents (id),
    customer_id  TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (incident_id, customer_id)
);
CREATE INDEX incident_customers_customer ON incident_customers (customer_id);

-- The timeline: each update with its time, the status it announced, and its text per language.
CREATE TABLE incident_updates (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES service_incidents (id),
    at           INTEGER NOT NULL,
    status       TEXT NOT NULL,
    author_id    TEXT REFERENCES users (id),
    author_name  TEXT NOT NULL
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, at);
CREATE TABLE incident_update_texts (
    update_id  INTEGER NOT NULL REFERENCES incident_updates (id),
    locale     TEXT NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (update_id, locale)
);
