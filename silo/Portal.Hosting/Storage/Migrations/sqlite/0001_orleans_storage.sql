-- Grain state for the Orleans ADO.NET persistence provider (see shared/docs/orleans-adonet-contract.md, section 2).
-- Timestamps are TEXT 'yyyy-MM-dd HH:mm:ss.fff…' (UTC, no offset), the shape Microsoft.Data.Sqlite writes for
-- DateTime parameters, so every timestamp in this database compares correctly as text.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_storage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    Version                INTEGER NOT NULL,
    ModifiedOn             TEXT    NOT NULL,
    -- SQLite treats NULLs as distinct in unique indexes; this column tells "no extension" from any value
    -- (including the empty string) so the identity index below really is unique.
    ExtensionKey           TEXT GENERATED ALWAYS AS
        (CASE WHEN GrainIdExtensionString IS NULL THEN 'n' ELSE 'v' || GrainIdExtensionString END) STORED
);

-- The hashes lead so lookups stay narrow; the natural columns make the identity exact even when hashes collide,
-- and uniqueness turns two concurrent first writes into one insert and one conflict.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_storage_identity
    ON orleans_storage (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, ExtensionKey);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM orleans_storage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
'),
-- One statement: with no known version it may only insert (a present row ends in a no-op conflict); with a known
-- version the row must already exist and the conflict branch updates it only when the version still matches.
('WriteToStorageKey', '
INSERT INTO orleans_storage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
     PayloadBinary, Version, ModifiedOn)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
       @PayloadBinary, 1, strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM orleans_storage
              WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainIdExtensionString IS @GrainIdExtensionString)
ON CONFLICT (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, ExtensionKey) DO UPDATE
SET PayloadBinary = excluded.PayloadBinary,
    Version = CASE WHEN orleans_storage.Version >= 2147483647 THEN 1 ELSE orleans_storage.Version + 1 END,
    ModifiedOn = excluded.ModifiedOn
WHERE orleans_storage.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion
'),
('ClearStorageKey', '
UPDATE orleans_storage
SET PayloadBinary = NULL,
    Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END,
    ModifiedOn = strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version
'),
('DeleteStorageKey', '
DELETE FROM orleans_storage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
