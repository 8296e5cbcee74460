-- A duplicate merged into another request: closed, pointing at the one worked instead.
ALTER TABLE service_requests ADD COLUMN merged_into BIGINT REFERENCES service_requests (id);
CREATE INDEX service_requests_merged_into ON service_requests (merged_into)
    WHERE merged_into IS NOT NULL;
