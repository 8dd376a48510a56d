-- Per-reader sync choice: a reader with sync off never has an event in the outbox.
ALTER TABLE readers ADD COLUMN sync boolean NOT NULL DEFAULT true;

-- Erase requests waiting in the outbox (kind 'erase') are found by the hash they name.
CREATE INDEX sync_outbox_kind_idx ON sync_outbox (kind) WHERE kind <> 'interaction';

-- The collaborative model is float data pglz barely compresses (25.6 → 5.8 MB at 100K books) at a cost
-- of about 0.6 s per write: stored uncompressed, an erase's cut of one reader's row (and the nightly
-- write) skips the compression.
ALTER TABLE cf_models ALTER COLUMN model SET STORAGE EXTERNAL;
