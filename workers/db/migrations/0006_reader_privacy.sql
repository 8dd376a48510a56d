-- Per-reader sync choice: a reader with sync off never has an event in the outbox.
ALTER TABLE readers ADD COLUMN sync boolean NOT NULL DEFAULT true;

-- Erase requests waiting in the outbox (kind 'erase') are found by the hash they name.
CREATE INDEX sync_outbox_kind_idx ON sync_outbox (kind) WHERE kind <> 'interaction';
