-- The queue filtered by the partner contact's language reads an index in queue order instead of
-- every open request: the language (the locale's primary subtag) as a column of its own.
ALTER TABLE service_requests ADD COLUMN contact_language TEXT GENERATED ALWAYS AS (
    lower(CASE WHEN instr(contact_locale, '-') > 0
               THEN substr(contact_locale, 1, instr(contact_locale, '-') - 1)
               ELSE contact_locale END)) VIRTUAL;
CREATE INDEX service_requests_queue_language ON service_requests
    (tier, contact_language, sla_due_key, id, state, escalated_at);
