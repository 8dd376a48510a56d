-- What a district needs: the least data at rest, device-scoped pseudonyms, credentials that end,
-- quotas, and erase. Rows from protocol 1 are reduced to the same least form.

-- Events keep a grade band, a day and an ISBN-13 or work key: no exact grade, no time, no device book id.
ALTER TABLE interactions ADD COLUMN band text CHECK (band IN ('K-2', '3-5', '6-8', '9-12'));
ALTER TABLE interactions ADD COLUMN day date;
ALTER TABLE interactions ADD COLUMN book_key text;
UPDATE interactions SET
  band = CASE WHEN grade BETWEEN -1 AND 2 THEN 'K-2' WHEN grade BETWEEN 3 AND 5 THEN '3-5'
              WHEN grade BETWEEN 6 AND 8 THEN '6-8' WHEN grade BETWEEN 9 AND 13 THEN '9-12' END,
  day = (occurred_at AT TIME ZONE 'UTC')::date,
  book_key = 'isbn:' || isbn13;
-- A device's own book id identifies nothing elsewhere and must not be kept.
DELETE FROM interactions WHERE book_key IS NULL;
DROP INDEX interactions_tenant_occurred_idx;
ALTER TABLE interactions DROP COLUMN book_id, DROP COLUMN isbn13, DROP COLUMN grade,
  DROP COLUMN occurred_at, DROP COLUMN received_at;
ALTER TABLE interactions ALTER COLUMN day SET NOT NULL, ALTER COLUMN book_key SET NOT NULL,
  ADD CHECK (book_key ~ '^(isbn:97[89][0-9]{10}|work:w[0-9a-f]{32})$');
CREATE INDEX interactions_tenant_day_idx ON interactions (tenant_id, day);
CREATE INDEX interactions_tenant_reader_idx ON interactions (tenant_id, reader);

ALTER TABLE evidence ADD COLUMN band text;
UPDATE evidence SET band = CASE WHEN grade BETWEEN -1 AND 2 THEN 'K-2' WHEN grade BETWEEN 3 AND 5 THEN '3-5'
  WHEN grade BETWEEN 6 AND 8 THEN '6-8' WHEN grade BETWEEN 9 AND 13 THEN '9-12' END;
ALTER TABLE evidence DROP COLUMN grade;
DELETE FROM evidence WHERE book_key NOT LIKE 'isbn:%';
DELETE FROM batch_recs WHERE book_key NOT LIKE 'isbn:%';
DELETE FROM item_similarity WHERE book_key NOT LIKE 'isbn:%' OR neighbour NOT LIKE 'isbn:%';
DELETE FROM popular WHERE book_key NOT LIKE 'isbn:%';

-- Enrolment codes: many per tenant, each with an expiry and a number of uses (only hashes are kept).
CREATE TABLE enrol_codes (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  code_hash   text NOT NULL UNIQUE,
  uses        integer NOT NULL CHECK (uses > 0),
  used        integer NOT NULL DEFAULT 0 CHECK (used >= 0),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX enrol_codes_tenant_idx ON enrol_codes (tenant_id);
-- Codes made before had no end: they get a week and 100 uses.
INSERT INTO enrol_codes (id, tenant_id, code_hash, uses, expires_at)
  SELECT md5(random()::text || id::text)::uuid, id, enrol_code_hash, 100, now() + interval '7 days' FROM tenants;
ALTER TABLE tenants DROP COLUMN enrol_code_hash;

-- Per-tenant quotas (NULL: the server's defaults) and the rows stored so far.
ALTER TABLE tenants ADD COLUMN quota_events_per_day integer CHECK (quota_events_per_day > 0);
ALTER TABLE tenants ADD COLUMN quota_stored_rows bigint CHECK (quota_stored_rows > 0);
ALTER TABLE tenants ADD COLUMN stored_rows bigint NOT NULL DEFAULT 0;
UPDATE tenants t SET stored_rows = (SELECT count(*) FROM interactions i WHERE i.tenant_id = t.id)
  + (SELECT count(*) FROM archived_ids a WHERE a.tenant_id = t.id);
CREATE TABLE tenant_usage (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  day        date NOT NULL,
  events     integer NOT NULL,
  PRIMARY KEY (tenant_id, day)
);

-- Devices: revocation, and client-side rotation (the old token works until the new one is first used).
ALTER TABLE devices ADD COLUMN revoked_at timestamptz;
ALTER TABLE devices ADD COLUMN next_token_hash text UNIQUE;

-- A pseudonym belongs to the device that first pushed it; only that device may write, pull or erase it.
CREATE TABLE reader_devices (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  reader     text NOT NULL CHECK (reader ~ '^[0-9a-f]{64}$'),
  device_id  uuid NOT NULL,
  PRIMARY KEY (tenant_id, reader)
);
CREATE INDEX reader_devices_device_idx ON reader_devices (device_id);
INSERT INTO reader_devices (tenant_id, reader, device_id)
  SELECT DISTINCT ON (i.tenant_id, i.reader) i.tenant_id, i.reader, i.device_id
    FROM interactions i JOIN devices d ON d.id = i.device_id ORDER BY i.tenant_id, i.reader, i.seq;

-- Finished nightly runs: instances with a nightly timer skip a run when another instance ran it this period.
CREATE TABLE nightly_runs (
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL DEFAULT now(),
  tenants      integer NOT NULL
);
