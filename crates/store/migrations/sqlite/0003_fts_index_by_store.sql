-- New requests enter the full-text index from the store, in one statement at the end of the
-- transaction (see `index_new_requests`): a per-row trigger made FTS5 flush and merge one index
-- segment per row during a bulk load. Edits and deletes still go through triggers.
DROP TRIGGER service_requests_fts_insert;
