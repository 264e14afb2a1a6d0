-- File contents of the portal (never kept in grain state).

CREATE TABLE IF NOT EXISTS portal_files
(
    file_id      uuid        NOT NULL PRIMARY KEY,
    project_id   uuid        NOT NULL,
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    length       bigint      NOT NULL,
    sha256       text        NOT NULL,
    content      bytea       NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_portal_files_project ON portal_files (project_id);
