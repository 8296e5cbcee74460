-- Scorecards read daily rollups instead of every escalation: per partner, UTC day (of reaching
-- the operator) and severity, what a request and its review add to a card; and the minutes to
-- first contact as a histogram per partner and day. Triggers keep them, in the writing
-- transaction, on every write path (the sweep's bulk marks too): before a change they take the
-- request's contribution out, after it they put the new one in.
--
-- A request's contribution: one escalation; SLA met if its clock stopped unbreached, breached if
-- marked so (the sweep marks running clocks; the app marks a clock stopped past its target);
-- from its review: improper unless overturned, disputed, dispute won. Minutes to first contact
-- are bucketed (exact below 30, then 5, 15, 60 and 1440 minutes wide) to keep the histogram a
-- few rows a day; percentiles read a bucket's lower bound. Each key of `score_days` is split in
-- 8 shards (by request id) so that concurrent escalations of one busy partner do not all wait
-- on one row (first contacts are not that concurrent: the histogram is not split).
CREATE TABLE score_days (
    partner_id   TEXT NOT NULL,
    day          BIGINT NOT NULL,
    severity     BIGINT NOT NULL,
    shard        BIGINT NOT NULL,
    escalations  BIGINT NOT NULL,
    sla_met      BIGINT NOT NULL,
    sla_breached BIGINT NOT NULL,
    improper     BIGINT NOT NULL,
    disputes     BIGINT NOT NULL,
    disputes_won BIGINT NOT NULL,
    PRIMARY KEY (partner_id, day, severity, shard)
);
CREATE TABLE first_contact_days (
    partner_id TEXT NOT NULL,
    day        BIGINT NOT NULL,
    waited     BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (partner_id, day, waited)
);

CREATE VIEW request_score_parts AS
SELECT r.id, r.partner_id, r.escalated_at / 86400000000 AS day, r.severity, r.id % 8 AS shard,
       CASE WHEN r.sla_stopped_at IS NOT NULL AND r.sla_breached_at IS NULL THEN 1 ELSE 0 END AS sla_met,
       CASE WHEN r.sla_breached_at IS NOT NULL THEN 1 ELSE 0 END AS sla_breached,
       CASE WHEN v.verdict = 'improper' AND (v.outcome IS NULL OR v.outcome <> 'overturned')
            THEN 1 ELSE 0 END AS improper,
       CASE WHEN v.disputed_at IS NOT NULL THEN 1 ELSE 0 END AS disputes,
       CASE WHEN v.outcome = 'overturned' THEN 1 ELSE 0 END AS disputes_won,
       (r.first_contact_at - r.escalated_at) / 60000000 AS m
FROM service_requests r LEFT JOIN escalation_reviews v ON v.request_id = r.id
WHERE r.escalated_at IS NOT NULL;
CREATE VIEW request_scores AS
SELECT id, partner_id, day, severity, shard, sla_met, sla_breached, improper, disputes, disputes_won,
       CASE WHEN m < 30 THEN m WHEN m < 120 THEN m / 5 * 5 WHEN m < 480 THEN m / 15 * 15
            WHEN m < 2880 THEN m / 60 * 60 ELSE m / 1440 * 1440 END AS waited
FROM request_score_parts;

INSERT INTO score_days
    SELECT partner_id, day, severity, shard, COUNT(*), SUM(sla_met), SUM(sla_breached),
           SUM(improper), SUM(disputes), SUM(disputes_won)
    FROM request_scores GROUP BY 1, 2, 3, 4;
INSERT INTO first_contact_days
    SELECT partner_id, day, waited, COUNT(*) FROM request_scores
    WHERE waited IS NOT NULL GROUP BY 1, 2, 3;

-- Adds request `r`'s contribution times `p_sign` (-1 takes it out); `p_whole` 0 moves only
-- what its review adds. PL/pgSQL computes it from the row itself (its plans are cached; the
-- views above are for the backfill and the tests' recount).
CREATE FUNCTION score_days_apply(r service_requests, p_sign BIGINT, p_whole BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_review escalation_reviews%ROWTYPE;
    v_improper BIGINT := 0;
    v_disputes BIGINT := 0;
    v_won BIGINT := 0;
    v_day BIGINT;
    v_minutes BIGINT;
BEGIN
    IF r.escalated_at IS NULL THEN
        RETURN;
    END IF;
    v_day := r.escalated_at / 86400000000;
    SELECT * INTO v_review FROM escalation_reviews WHERE request_id = r.id;
    IF FOUND THEN
        v_improper := CASE WHEN v_review.verdict = 'improper'
            AND (v_review.outcome IS NULL OR v_review.outcome <> 'overturned') THEN 1 ELSE 0 END;
        v_disputes := CASE WHEN v_review.disputed_at IS NOT NULL THEN 1 ELSE 0 END;
        v_won := CASE WHEN v_review.outcome = 'overturned' THEN 1 ELSE 0 END;
    END IF;
    INSERT INTO score_days VALUES (r.partner_id, v_day, r.severity, r.id % 8,
        p_sign * p_whole,
        p_sign * p_whole * CASE WHEN r.sla_stopped_at IS NOT NULL AND r.sla_breached_at IS NULL
                                THEN 1 ELSE 0 END,
        p_sign * p_whole * CASE WHEN r.sla_breached_at IS NOT NULL THEN 1 ELSE 0 END,
        p_sign * v_improper, p_sign * v_disputes, p_sign * v_won)
    ON CONFLICT (partner_id, day, severity, shard) DO UPDATE SET
        escalations = score_days.escalations + excluded.escalations,
        sla_met = score_days.sla_met + excluded.sla_met,
        sla_breached = score_days.sla_breached + excluded.sla_breached,
        improper = score_days.improper + excluded.improper,
        disputes = score_days.disputes + excluded.disputes,
        disputes_won = score_days.disputes_won + excluded.disputes_won;
    IF p_whole = 1 AND r.first_contact_at IS NOT NULL THEN
        v_minutes := (r.first_contact_at - r.escalated_at) / 60000000;
        INSERT INTO first_contact_days VALUES (r.partner_id, v_day,
            CASE WHEN v_minutes < 30 THEN v_minutes
                 WHEN v_minutes < 120 THEN v_minutes / 5 * 5
                 WHEN v_minutes < 480 THEN v_minutes / 15 * 15
                 WHEN v_minutes < 2880 THEN v_minutes / 60 * 60
                 ELSE v_minutes / 1440 * 1440 END,
            p_sign)
        ON CONFLICT (partner_id, day, waited) DO UPDATE SET n = first_contact_days.n + excluded.n;
    END IF;
END
$$;

CREATE FUNCTION score_days_request_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM score_days_apply(OLD, -1, 1);
    RETURN NEW;
END
$$;
CREATE FUNCTION score_days_request_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM score_days_apply(NEW, 1, 1);
    RETURN NULL;
END
$$;
-- A review's triggers read the request's row and, through it, the review as it is before the
-- change (out) and after it (in).
CREATE FUNCTION score_days_review_out() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_request service_requests%ROWTYPE;
BEGIN
    SELECT * INTO v_request FROM service_requests WHERE id = OLD.request_id;
    IF FOUND THEN
        PERFORM score_days_apply(v_request, -1, 0);
    END IF;
    RETURN NEW;
END
$$;
CREATE FUNCTION score_days_review_in() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_request service_requests%ROWTYPE;
BEGIN
    SELECT * INTO v_request FROM service_requests WHERE id = NEW.request_id;
    IF FOUND THEN
        PERFORM score_days_apply(v_request, 1, 0);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER score_days_out BEFORE UPDATE ON service_requests
    FOR EACH ROW WHEN (OLD.escalated_at IS NOT NULL AND (
        OLD.partner_id IS DISTINCT FROM NEW.partner_id
        OR OLD.escalated_at IS DISTINCT FROM NEW.escalated_at
        OR OLD.severity IS DISTINCT FROM NEW.severity
        OR (OLD.sla_stopped_at IS NULL) <> (NEW.sla_stopped_at IS NULL)
        OR (OLD.sla_breached_at IS NULL) <> (NEW.sla_breached_at IS NULL)
        OR OLD.first_contact_at IS DISTINCT FROM NEW.first_contact_at))
    EXECUTE FUNCTION score_days_request_out();
CREATE TRIGGER score_days_in AFTER UPDATE ON service_requests
    FOR EACH ROW WHEN (NEW.escalated_at IS NOT NULL AND (
        OLD.partner_id IS DISTINCT FROM NEW.partner_id
        OR OLD.escalated_at IS DISTINCT FROM NEW.escalated_at
        OR OLD.severity IS DISTINCT FROM NEW.severity
        OR (OLD.sla_stopped_at IS NULL) <> (NEW.sla_stopped_at IS NULL)
        OR (OLD.sla_breached_at IS NULL) <> (NEW.sla_breached_at IS NULL)
        OR OLD.first_contact_at IS DISTINCT FROM NEW.first_contact_at))
    EXECUTE FUNCTION score_days_request_in();
CREATE TRIGGER score_days_new AFTER INSERT ON service_requests
    FOR EACH ROW WHEN (NEW.escalated_at IS NOT NULL)
    EXECUTE FUNCTION score_days_request_in();
CREATE TRIGGER score_days_review_out BEFORE UPDATE ON escalation_reviews
    FOR EACH ROW EXECUTE FUNCTION score_days_review_out();
CREATE TRIGGER score_days_review_in AFTER INSERT OR UPDATE ON escalation_reviews
    FOR EACH ROW EXECUTE FUNCTION score_days_review_in();
