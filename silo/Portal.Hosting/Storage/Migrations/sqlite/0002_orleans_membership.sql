-- Cluster membership for the Orleans ADO.NET clustering provider (contract section 3).
-- SQLite runs the statements of one command each in its own implicit transaction, so every query below is a
-- single data-changing statement; the version bump that must go with a member insert/update is done by triggers,
-- which run inside that statement.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    DeploymentId TEXT    NOT NULL PRIMARY KEY,
    Version      INTEGER NOT NULL DEFAULT 0,
    Timestamp    TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    DeploymentId TEXT    NOT NULL,
    Address      TEXT    NOT NULL,
    Port         INTEGER NOT NULL,
    Generation   INTEGER NOT NULL,
    SiloName     TEXT    NOT NULL,
    HostName     TEXT    NOT NULL,
    Status       INTEGER NOT NULL,
    ProxyPort    INTEGER NOT NULL DEFAULT 0,
    SuspectTimes TEXT    NULL,
    StartTime    TEXT    NOT NULL,
    IAmAliveTime TEXT    NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Capped below Int32.MaxValue because the provider parses the version as a non-negative Int32.
CREATE TRIGGER IF NOT EXISTS orleans_membership_bump_on_insert
AFTER INSERT ON orleans_membership
BEGIN
    UPDATE orleans_membership_version
    SET Version = min(Version + 1, 2147483646), Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

-- UPDATE OF fires only when Status or SuspectTimes are in the SET list, so heartbeats never bump the version.
CREATE TRIGGER IF NOT EXISTS orleans_membership_bump_on_update
AFTER UPDATE OF Status, SuspectTimes ON orleans_membership
BEGIN
    UPDATE orleans_membership_version
    SET Version = min(Version + 1, 2147483646), Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

-- Deleting a deployment's version row takes its members with it in the same statement.
CREATE TRIGGER IF NOT EXISTS orleans_membership_version_delete_members
AFTER DELETE ON orleans_membership_version
BEGIN
    DELETE FROM orleans_membership WHERE DeploymentId = OLD.DeploymentId;
END;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
INSERT INTO orleans_membership_version (DeploymentId, Version, Timestamp)
VALUES (@DeploymentId, 0, strftime(''%Y-%m-%d %H:%M:%f'', ''now''))
ON CONFLICT (DeploymentId) DO NOTHING;
SELECT changes();
'),
('InsertMembershipKey', '
INSERT INTO orleans_membership
    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
WHERE EXISTS (SELECT 1 FROM orleans_membership_version WHERE DeploymentId = @DeploymentId AND Version = @Version)
ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
SELECT changes();
'),
('UpdateMembershipKey', '
UPDATE orleans_membership
SET Status = @Status,
    SuspectTimes = @SuspectTimes,
    IAmAliveTime = max(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND EXISTS (SELECT 1 FROM orleans_membership_version WHERE DeploymentId = @DeploymentId AND Version = @Version);
SELECT changes();
'),
('UpdateIAmAlivetimeKey', '
UPDATE orleans_membership
SET IAmAliveTime = max(IAmAliveTime, @IAmAliveTime)
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
'),
('MembershipReadRowKey', '
SELECT v.DeploymentId, v.Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
'),
('MembershipReadAllKey', '
SELECT v.DeploymentId, v.Version,
       m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
'),
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM orleans_membership
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
'),
('DeleteMembershipTableEntriesKey', '
DELETE FROM orleans_membership_version WHERE DeploymentId = @DeploymentId
'),
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleans_membership
WHERE DeploymentId = @DeploymentId AND Status = 6
  AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
  AND SuspectTimes IS NULL
'),
('CleanupDefunctSiloEntryKey', '
DELETE FROM orleans_membership
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime
  AND SuspectTimes IS @SuspectTimes
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
