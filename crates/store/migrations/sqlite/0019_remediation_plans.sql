-- Remediation plans with a partner, and their agreed actions. A partner has at most one open
-- plan (so that nodes proposing at the same moment make one).
CREATE TABLE remediation_plans (
    id                   INTEGER PRIMARY KEY,
    partner_id           TEXT NOT NULL REFERENCES organizations (id),
    status               TEXT NOT NULL CHECK (status IN ('proposed', 'meeting_scheduled', 'agreed',
                                                         'in_progress', 'completed', 'cancelled')),
    basis                TEXT NOT NULL,
    evidence             TEXT NOT NULL,
    meeting_at           INTEGER,
    attendees            TEXT,
    summary              TEXT,
    acknowledged_by      TEXT,
    acknowledged_by_name TEXT,
    acknowledged_at      INTEGER,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    version              INTEGER NOT NULL
);
CREATE UNIQUE INDEX remediation_plans_one_open ON remediation_plans (partner_id)
    WHERE status NOT IN ('completed', 'cancelled');
CREATE INDEX remediation_plans_partner ON remediation_plans (partner_id, created_at);

CREATE TABLE remediation_actions (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES remediation_plans (id),
    text       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    due_date   TEXT,
    done_at    INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX remediation_actions_plan ON remediation_actions (plan_id, id);
