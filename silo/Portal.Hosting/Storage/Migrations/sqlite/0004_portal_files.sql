-- File contents of the portal (never kept in grain state). Ids are stored as lower-case 'D' format text.

CREATE TABLE IF NOT EXISTS portal_files
(
    file_id      TEXT    NOT NULL PRIMARY KEY,
    project_id   TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    length       INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    created_at   TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_portal_files_project ON portal_files (project_id);
