-- Recommendations: trained collaborative models, and what the serving chain needs to explain itself.

-- A trained collaborative model (ALS), serialised by shared/ml, with the id maps of its rows/columns.
-- The nightly job replaces it; serving folds each reader in against its item factors.
CREATE TABLE cf_models (
  name         text PRIMARY KEY,
  model        bytea NOT NULL,
  reader_ids   uuid[] NOT NULL,
  book_ids     uuid[] NOT NULL,
  trained_at   timestamptz NOT NULL DEFAULT now(),
  interactions integer NOT NULL
);

-- Each served item says whether it was an exploratory pick and which source proposed it.
ALTER TABLE rec_logs ADD COLUMN exploratory boolean NOT NULL DEFAULT false;
ALTER TABLE rec_logs ADD COLUMN proposed_by text;
ALTER TABLE rec_logs DROP CONSTRAINT rec_logs_source_check;
ALTER TABLE rec_logs ADD CONSTRAINT rec_logs_source_check
  CHECK (source IN ('cache','personalised','batch','popular','pinned','explore','group'));
CREATE INDEX rec_logs_served_idx ON rec_logs (served_at);
CREATE INDEX interactions_occurred_idx ON interactions (occurred_at);

-- LLM explanations, cached by what the prompt was made of (never a name).
CREATE TABLE explanation_cache (
  key         text PRIMARY KEY,
  text        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
