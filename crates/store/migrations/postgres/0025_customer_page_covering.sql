-- A customer's page of requests reads only their ids and versions (the rest comes from the
-- store's cache of requests): an index holding what that page filters on and returns answers it
-- without reading the table.
DROP INDEX service_requests_customer;
CREATE INDEX service_requests_customer ON service_requests
    (customer_id, created_at DESC, id DESC) INCLUDE (partner_id, kind, state, version);
