-- The sync server's schema. It has no column for a name, a note or any free text about a reader:
-- readers are 64-hex keyed hashes made on the device, books are a device's book id and/or ISBN-13.

-- A school or class. Devices enrol into it with a code (only its SHA-256 is kept).
CREATE TABLE tenants (
  id               uuid PRIMARY KEY,
  name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  enrol_code_hash  text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- An enrolled device; its bearer token is kept as SHA-256 only.
CREATE TABLE devices (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  token_hash    text NOT NULL UNIQUE,
  name          text CHECK (length(name) <= 80),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz
);
CREATE INDEX devices_tenant_idx ON devices (tenant_id);

-- The hot table: pushed events, idempotent by (tenant, event id). Older than 48 h they move to Parquet.
-- No foreign key to tenants: the tenant id comes from the token's own row, and a per-row FK check
-- would cost every push of 500 events 500 lookups.
CREATE TABLE interactions (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  reader       text NOT NULL CHECK (reader ~ '^[0-9a-f]{64}$'),
  book_id      uuid,
  isbn13       text CHECK (isbn13 ~ '^97[89][0-9]{10}$'),
  type         text NOT NULL CHECK (type IN ('view','click','checkout','return','finish','rating',
                                             'thumbs_up','thumbs_down','want','dismiss','pin','block')),
  value        real,
  -- The reader's school grade when known (-1 = pre-K … 13): popular lists per grade band need it.
  grade        smallint CHECK (grade BETWEEN -1 AND 13),
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  seq          bigserial,
  device_id    uuid,
  PRIMARY KEY (tenant_id, id),
  CHECK (book_id IS NOT NULL OR isbn13 IS NOT NULL)
);
CREATE INDEX interactions_tenant_occurred_idx ON interactions (tenant_id, occurred_at);

-- Archived ids: an event pushed again after its row moved to Parquet is still a duplicate.
CREATE TABLE archived_ids (
  tenant_id  uuid NOT NULL,
  id         uuid NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

-- What archived rows contributed to ALS (the weights of their reader × book), so training still
-- sees them once they left the hot table.
CREATE TABLE evidence (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  reader     text NOT NULL,
  book_key   text NOT NULL,
  weight     double precision NOT NULL,
  grade      smallint,
  PRIMARY KEY (tenant_id, reader, book_key)
);

-- Each nightly run of a tenant makes a new version of its batch lists.
CREATE TABLE rec_versions (
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  version       integer NOT NULL,
  generated_at  timestamptz NOT NULL DEFAULT now(),
  readers       integer NOT NULL,
  interactions  integer NOT NULL,
  PRIMARY KEY (tenant_id, version)
);

CREATE TABLE batch_recs (
  tenant_id  uuid NOT NULL,
  version    integer NOT NULL,
  reader     text NOT NULL,
  book_key   text NOT NULL,
  rank       integer NOT NULL,
  score      real NOT NULL,
  PRIMARY KEY (tenant_id, version, reader, rank),
  FOREIGN KEY (tenant_id, version) REFERENCES rec_versions (tenant_id, version) ON DELETE CASCADE
);

-- Item similarity from the item factors (cosine), newest version only.
CREATE TABLE item_similarity (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  book_key   text NOT NULL,
  neighbour  text NOT NULL,
  score      real NOT NULL,
  PRIMARY KEY (tenant_id, book_key, neighbour)
);

-- Popular books per grade band ('all', 'K-2', '3-5', '6-8', '9-12'), refreshed nightly.
CREATE TABLE popular (
  tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  band       text NOT NULL,
  book_key   text NOT NULL,
  readers    integer NOT NULL,
  score      real NOT NULL,
  PRIMARY KEY (tenant_id, band, book_key)
);
