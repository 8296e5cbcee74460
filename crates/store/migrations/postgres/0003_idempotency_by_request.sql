-- An idempotency key now names the request it made (claimed in the create's transaction)
-- instead of keeping a copy of the first response. Keys live 24 hours; none need keeping.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    actor_id    TEXT NOT NULL,
    key         TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    request_id  BIGINT NOT NULL REFERENCES service_requests (id),
    PRIMARY KEY (actor_id, key)
);
