-- Reminders for the Orleans ADO.NET reminder provider (contract section 4).

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    -- Milliseconds; periods over ~24.8 days arrive as 64-bit values.
    Period       INTEGER NOT NULL,
    -- The signed 32-bit value the provider sends; ring ranges compare it as a signed integer.
    GrainHash    INTEGER NOT NULL,
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS ix_orleans_reminders_ring ON orleans_reminders (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
INSERT INTO orleans_reminders (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime,
    Period = excluded.Period,
    GrainHash = excluded.GrainHash,
    Version = CASE WHEN orleans_reminders.Version >= 2147483647 THEN 0 ELSE orleans_reminders.Version + 1 END
RETURNING Version
'),
('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
'),
('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
'),
('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
'),
('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
'),
('DeleteReminderRowKey', '
DELETE FROM orleans_reminders
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
SELECT changes();
'),
('DeleteReminderRowsKey', '
DELETE FROM orleans_reminders WHERE ServiceId = @ServiceId
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
