-- How many requests there are per partner, customer, kind, category, state, tier and whether
-- they reached the operator: the totalCount of a listing filtered only by those is a sum of a
-- few of these rows instead of a count of thousands of requests. Kept by a trigger, so no
-- write path can forget them. `customer_id` is '' for a partner's own requests.
CREATE TABLE request_counts (
    partner_id        TEXT NOT NULL,
    customer_id       TEXT NOT NULL,
    kind              TEXT NOT NULL,
    category          TEXT NOT NULL,
    state             TEXT NOT NULL,
    tier              TEXT NOT NULL,
    reached_operator  BIGINT NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (partner_id, customer_id, kind, category, state, tier, reached_operator)
);
INSERT INTO request_counts
    SELECT partner_id, COALESCE(customer_id, ''), kind, category, state, tier,
           CASE WHEN escalated_at IS NULL THEN 0 ELSE 1 END, COUNT(*)
    FROM service_requests GROUP BY 1, 2, 3, 4, 5, 6, 7;

CREATE FUNCTION request_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE request_counts SET n = n - 1
            WHERE partner_id = OLD.partner_id AND customer_id = COALESCE(OLD.customer_id, '')
              AND kind = OLD.kind AND category = OLD.category AND state = OLD.state
              AND tier = OLD.tier
              AND reached_operator = CASE WHEN OLD.escalated_at IS NULL THEN 0 ELSE 1 END;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO request_counts VALUES (NEW.partner_id, COALESCE(NEW.customer_id, ''), NEW.kind,
            NEW.category, NEW.state, NEW.tier,
            CASE WHEN NEW.escalated_at IS NULL THEN 0 ELSE 1 END, 1)
        ON CONFLICT (partner_id, customer_id, kind, category, state, tier, reached_operator)
        DO UPDATE SET n = request_counts.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER request_counts_insert_delete AFTER INSERT OR DELETE ON service_requests
    FOR EACH ROW EXECUTE FUNCTION request_counts_track();
CREATE TRIGGER request_counts_update AFTER UPDATE ON service_requests
    FOR EACH ROW WHEN (OLD.partner_id IS DISTINCT FROM NEW.partner_id
        OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.kind IS DISTINCT FROM NEW.kind
        OR OLD.category IS DISTINCT FROM NEW.category OR OLD.state IS DISTINCT FROM NEW.state
        OR OLD.tier IS DISTINCT FROM NEW.tier
        OR (OLD.escalated_at IS NULL) IS DISTINCT FROM (NEW.escalated_at IS NULL))
    EXECUTE FUNCTION request_counts_track();
