-- Counting a customer's or partner's requests by state (the totalCount of every listing) reads
-- only these indexes, never the table.
CREATE INDEX service_requests_customer_state ON service_requests (customer_id, state, partner_id);
CREATE INDEX service_requests_partner_state ON service_requests (partner_id, state);
