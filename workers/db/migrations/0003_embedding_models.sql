-- Embeddings, part two: the models a device knows, and what each stored vector was made from.

-- The owner's updated_at when its vector was made: a row whose owner changed since is stale and the
-- queue looks at it again (re-embedding only when the text, compared by content_hash, changed).
ALTER TABLE embeddings ADD COLUMN source_updated_at timestamptz;
ALTER TABLE embeddings ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Every model that has been used or added on this device, with the dimension it produced.
CREATE TABLE embedding_models (
  id            text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 500),
  provider      text NOT NULL CHECK (provider IN ('bundled','transformers','openai')),
  dimension     integer CHECK (dimension > 0),
  added_at      timestamptz NOT NULL DEFAULT now(),
  -- Set when a complete pass over every book, reader and tag finished with this model.
  completed_at  timestamptz
);
