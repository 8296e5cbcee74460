-- A partner stopped before submitting a request: solved it in the admin center, found a
-- known incident, or an article helped. Counted per partner and service by the scorecards.
CREATE TABLE deflections (
    id           INTEGER PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES organizations (id),
    customer_id  TEXT NOT NULL REFERENCES organizations (id),
    service_id   TEXT NOT NULL REFERENCES services (id),
    reason       TEXT NOT NULL,
    article_id   INTEGER REFERENCES articles (id),
    incident_id  INTEGER REFERENCES service_incidents (id),
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX deflections_partner ON deflections (partner_id, created_at);
