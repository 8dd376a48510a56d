-- Sync (optional, off by default): the device's side of the sync protocol.

-- One row: the key that turns reader pseudonyms into the hashes sent to the server (it never leaves
-- the device; backups carry it, so a restored device keeps the same hashes), the enrolment and how
-- the last push and pull went. The device token itself lives in the secrets store, not here.
CREATE TABLE sync_state (
  id              boolean PRIMARY KEY DEFAULT true CHECK (id),
  device_key      bytea NOT NULL CHECK (length(device_key) = 32),
  server_url      text,
  tenant_id       uuid,
  device_id       uuid,
  pulled_version  integer NOT NULL DEFAULT 0,
  last_push_at    timestamptz,
  last_pull_at    timestamptz,
  last_error      text,
  last_error_at   timestamptz
);
