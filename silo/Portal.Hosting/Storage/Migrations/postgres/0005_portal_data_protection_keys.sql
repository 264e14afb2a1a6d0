-- The ASP.NET Core Data Protection key ring, shared by every web node so that session cookies and antiforgery
-- tokens survive a redeploy and are accepted by any node. One row per key ring element (a key or a revocation),
-- written once under its friendly name. The xml holds the element as Data Protection wrote it: its secret part
-- is encrypted when Portal:DataProtection:KeyEncryptionKey is configured.

CREATE TABLE IF NOT EXISTS portal_data_protection_keys
(
    friendly_name text        NOT NULL PRIMARY KEY,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL
);
