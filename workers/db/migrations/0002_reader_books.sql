-- A reader's own library: the state a Goodreads or StoryGraph export describes (exclusive shelf, other
-- shelves, dates, read count, rating, review). Imports write it, exports read it back; interactions are
-- the events derived from it.
CREATE TABLE reader_books (
  reader_id        uuid NOT NULL REFERENCES readers (id) ON DELETE CASCADE,
  book_id          uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE,
  exclusive_shelf  text NOT NULL,
  shelves          text[] NOT NULL DEFAULT '{}',
  rating           real CHECK (rating BETWEEN 0.5 AND 5),
  date_read        date,
  date_added       date,
  read_count       integer CHECK (read_count >= 0),
  owned_copies     integer CHECK (owned_copies >= 0),
  review           text,
  source           text NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (reader_id, book_id)
);
CREATE INDEX reader_books_book_idx ON reader_books (book_id);

-- Normalised title + first author (shared/domain/match-key.ts), for matching rows without an ISBN.
-- Computed by the core on every write; rows written before this migration are filled in lazily.
ALTER TABLE books ADD COLUMN match_key text;
CREATE INDEX books_match_key_idx ON books (match_key);

-- Every import writes external ids (Goodreads, Calibre, MARC 001…); a GIN index over all of them cost
-- 15% of an import's time and no query uses it. Lookups by one id get an expression index when needed.
DROP INDEX books_external_ids_idx;
