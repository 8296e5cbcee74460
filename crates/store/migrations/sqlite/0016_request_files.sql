-- Files attached to service requests. The bytes live in the blob store under `files/<id>`;
-- this row says what they are and whose. A file uploaded with a form that failed to submit is
-- *staged* (no request yet) so that the next submit keeps it; staged files expire.
CREATE TABLE request_files (
    -- Upload order (ids are random).
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    request_id   INTEGER REFERENCES service_requests (id),
    uploaded_by  TEXT NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    comment      TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX request_files_by_request ON request_files (request_id, seq)
    WHERE request_id IS NOT NULL;
CREATE INDEX request_files_staged ON request_files (created_at) WHERE request_id IS NULL;
