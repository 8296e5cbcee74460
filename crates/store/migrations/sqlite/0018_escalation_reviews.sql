-- The operator's verdict on an escalation, the partner's dispute and a lead's decision: one row
-- per reviewed request. `partner_id` is the request's, for the scorecards.
CREATE TABLE escalation_reviews (
    request_id       INTEGER PRIMARY KEY REFERENCES service_requests (id),
    partner_id       TEXT NOT NULL REFERENCES organizations (id),
    verdict          TEXT NOT NULL CHECK (verdict IN ('proper', 'improper')),
    reason           TEXT,
    comment          TEXT,
    reviewed_by      TEXT NOT NULL,
    reviewed_by_name TEXT NOT NULL,
    reviewed_at      INTEGER NOT NULL,
    disputed_by      TEXT,
    disputed_by_name TEXT,
    disputed_at      INTEGER,
    dispute_comment  TEXT,
    outcome          TEXT CHECK (outcome IN ('upheld', 'overturned')),
    decided_by       TEXT,
    decided_by_name  TEXT,
    decided_at       INTEGER,
    decision_comment TEXT,
    version          INTEGER NOT NULL
);
CREATE INDEX escalation_reviews_partner ON escalation_reviews (partner_id, reviewed_at);

-- Scorecards count a partner's escalations by when they reached the operator, from the index
-- alone (what they count is in it).
CREATE INDEX service_requests_escalations ON service_requests
    (partner_id, escalated_at, severity, sla_consumed_us, sla_stopped_at, sla_due_key,
     first_contact_at);
CREATE INDEX escalation_reviews_partner_request ON escalation_reviews (partner_id, request_id);
