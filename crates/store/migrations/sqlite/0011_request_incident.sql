-- A request may be linked to the incident that explains it; both sides show the link.
ALTER TABLE service_requests ADD COLUMN incident_id INTEGER REFERENCES service_incidents (id);
CREATE INDEX service_requests_incident ON service_requests (incident_id);
