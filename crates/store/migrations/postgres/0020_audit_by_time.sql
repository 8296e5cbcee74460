-- The audit log viewer lists events newest first within a period.
CREATE INDEX audit_events_at ON audit_events (at, id);
