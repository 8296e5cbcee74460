-- The first-response SLA clock of a request (see partnerdesk_domain::sla::SlaClock), and what
-- the queue orders by and the sweep looks for. NULL consumed: the request never reached the
-- operator. The two keys are instants in microseconds while the clock runs, and the largest
-- value otherwise, so that "most urgent first" is one index scan on both engines.
ALTER TABLE service_requests ADD COLUMN sla_consumed_us INTEGER;
ALTER TABLE service_requests ADD COLUMN sla_running_since INTEGER;
ALTER TABLE service_requests ADD COLUMN sla_stopped_at INTEGER;
ALTER TABLE service_requests ADD COLUMN sla_due_key INTEGER NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE service_requests ADD COLUMN sla_warn_key INTEGER NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE service_requests ADD COLUMN sla_warned_at INTEGER;
ALTER TABLE service_requests ADD COLUMN sla_breached_at INTEGER;
ALTER TABLE service_requests ADD COLUMN first_contact_at INTEGER;
-- The queue, most urgent first, and its filters answered from the index (a filter that
-- matches little then reads few rows); and its counts, over the open states only.
CREATE INDEX service_requests_sla_due ON service_requests
    (tier, sla_due_key, id, state, severity, category, assigned_to, contact_locale, escalated_at);
CREATE INDEX service_requests_queue_counts ON service_requests
    (tier, state, sla_due_key, severity, category, assigned_to, contact_locale, escalated_at);
CREATE INDEX service_requests_sla_warn ON service_requests (tier, sla_warn_key);

-- Each contact an operator engineer had with the partner; the first stops the clock.
CREATE TABLE request_contacts (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES service_requests (id),
    channel      TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'chat', 'meeting')),
    outcome      TEXT NOT NULL,
    contacted_at INTEGER NOT NULL,
    by_user      TEXT NOT NULL REFERENCES users (id),
    by_name      TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX request_contacts_request ON request_contacts (request_id, contacted_at);
