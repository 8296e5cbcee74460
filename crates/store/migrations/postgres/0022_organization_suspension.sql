-- The operator suspends a partner: its people can no longer sign in, and their sessions and
-- tokens stop working; its data stays.
ALTER TABLE organizations ADD COLUMN suspended_at BIGINT;
