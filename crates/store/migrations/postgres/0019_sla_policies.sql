-- The operator's SLA policy as its admin wrote it (partnerdesk_domain::sla::PolicySpec as JSON);
-- without a row, the defaults of product.md apply.
CREATE TABLE sla_policies (
    id         TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
