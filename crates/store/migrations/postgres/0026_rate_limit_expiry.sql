-- When each counted window ends, so that upkeep can forget counters no window needs any more
-- (one row per key ever limited — every e-mail address tried at sign-in — grew without end).
ALTER TABLE rate_limits ADD COLUMN window_end BIGINT NOT NULL DEFAULT 0;
