-- "Mine" in the console's list: a partner's or customer's own filings, newest first.
CREATE INDEX service_requests_created_by ON service_requests (created_by, created_at);
