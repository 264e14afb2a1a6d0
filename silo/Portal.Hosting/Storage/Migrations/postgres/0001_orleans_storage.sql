-- Grain state for the Orleans ADO.NET persistence provider (see shared/docs/orleans-adonet-contract.md, section 2).
-- Names are unquoted: the provider's fixed SELECT on OrleansQuery is unquoted and so folds to lower case.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_storage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    Version                integer     NOT NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now()
);

-- Unique identity so two concurrent first writes end in one insert and one clean "no row" conflict. The extension
-- holds whole string keys, which can outgrow a btree entry, so it is indexed by its md5; NULLS NOT DISTINCT makes
-- "no extension" one value. The queries still compare the full text, so an md5 clash could only refuse a write.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_storage_identity
    ON orleans_storage (GrainIdHash, GrainTypeHash, ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, md5(GrainIdExtensionString))
    NULLS NOT DISTINCT;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
SELECT PayloadBinary, Version
FROM orleans_storage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),
-- One statement: the update applies only to a known version, the insert only when no version is known; the
-- unique index turns a racing second insert into no row.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_storage
    SET PayloadBinary = @PayloadBinary,
        Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END,
        ModifiedOn = now()
    WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
      AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
    RETURNING Version),
inserted AS (
    INSERT INTO orleans_storage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
         PayloadBinary, Version, ModifiedOn)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
           @PayloadBinary, 1, now()
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted
$q$),
('ClearStorageKey', $q$
UPDATE orleans_storage
SET PayloadBinary = NULL,
    Version = CASE WHEN Version >= 2147483647 THEN 1 ELSE Version + 1 END,
    ModifiedOn = now()
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version
$q$),
('DeleteStorageKey', $q$
DELETE FROM orleans_storage
WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
  AND ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
