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
-- few rows a day; percentiles read a bucket's lower bound. PostgreSQL splits each key of
-- `score_days` in 8 shards so that concurrent escalations of one partner do not wait on one row;
-- SQLite has one writer at a time, so here every row is shard 0 (the same schema, fewer rows).
CREATE TABLE score_days (
    partner_id   TEXT NOT NULL,
    day          INTEGER NOT NULL,
    severity     INTEGER NOT NULL,
    shard        INTEGER NOT NULL,
    escalations  INTEGER NOT NULL,
    sla_met      INTEGER NOT NULL,
    sla_breached INTEGER NOT NULL,
    improper     INTEGER NOT NULL,
    disputes     INTEGER NOT NULL,
    disputes_won INTEGER NOT NULL,
    PRIMARY KEY (partner_id, day, severity, shard)
) WITHOUT ROWID;
CREATE TABLE first_contact_days (
    partner_id TEXT NOT NULL,
    day        INTEGER NOT NULL,
    waited     INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (partner_id, day, waited)
) WITHOUT ROWID;

CREATE VIEW request_score_parts AS
SELECT r.id, r.partner_id, r.escalated_at / 86400000000 AS day, r.severity, 0 AS shard,
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

-- The changes that move a request's contribution: out before, in after (each a signed upsert).
CREATE TRIGGER score_days_out BEFORE UPDATE OF partner_id, escalated_at, severity,
    sla_stopped_at, sla_breached_at, first_contact_at ON service_requests
    WHEN old.escalated_at IS NOT NULL AND (old.partner_id IS NOT new.partner_id
        OR old.escalated_at IS NOT new.escalated_at OR old.severity IS NOT new.severity
        OR (old.sla_stopped_at IS NULL) <> (new.sla_stopped_at IS NULL)
        OR (old.sla_breached_at IS NULL) <> (new.sla_breached_at IS NULL)
        OR old.first_contact_at IS NOT new.first_contact_at)
BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, -1, -sla_met, -sla_breached, -improper, -disputes, -disputes_won
        FROM request_scores WHERE id = old.id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
    INSERT INTO first_contact_days
        SELECT partner_id, day, waited, -1 FROM request_scores
        WHERE id = old.id AND waited IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER score_days_in AFTER UPDATE OF partner_id, escalated_at, severity,
    sla_stopped_at, sla_breached_at, first_contact_at ON service_requests
    WHEN new.escalated_at IS NOT NULL AND (old.partner_id IS NOT new.partner_id
        OR old.escalated_at IS NOT new.escalated_at OR old.severity IS NOT new.severity
        OR (old.sla_stopped_at IS NULL) <> (new.sla_stopped_at IS NULL)
        OR (old.sla_breached_at IS NULL) <> (new.sla_breached_at IS NULL)
        OR old.first_contact_at IS NOT new.first_contact_at)
BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, 1, sla_met, sla_breached, improper, disputes, disputes_won
        FROM request_scores WHERE id = new.id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
    INSERT INTO first_contact_days
        SELECT partner_id, day, waited, 1 FROM request_scores
        WHERE id = new.id AND waited IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER score_days_new AFTER INSERT ON service_requests
    WHEN new.escalated_at IS NOT NULL
BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, 1, sla_met, sla_breached, improper, disputes, disputes_won
        FROM request_scores WHERE id = new.id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
    INSERT INTO first_contact_days
        SELECT partner_id, day, waited, 1 FROM request_scores
        WHERE id = new.id AND waited IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- A review moves only its own counts, at the request's key.
CREATE TRIGGER score_days_review_new AFTER INSERT ON escalation_reviews BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, 0, 0, 0, improper, disputes, disputes_won
        FROM request_scores WHERE id = new.request_id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
END;
CREATE TRIGGER score_days_review_out BEFORE UPDATE ON escalation_reviews BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, 0, 0, 0, -improper, -disputes, -disputes_won
        FROM request_scores WHERE id = old.request_id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
END;
CREATE TRIGGER score_days_review_in AFTER UPDATE ON escalation_reviews BEGIN
    INSERT INTO score_days
        SELECT partner_id, day, severity, shard, 0, 0, 0, improper, disputes, disputes_won
        FROM request_scores WHERE id = new.request_id
    ON CONFLICT DO UPDATE SET escalations = escalations + excluded.escalations,
        sla_met = sla_met + excluded.sla_met, sla_breached = sla_breached + excluded.sla_breached,
        improper = improper + excluded.improper, disputes = disputes + excluded.disputes,
        disputes_won = disputes_won + excluded.disputes_won;
END;
