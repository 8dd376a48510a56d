-- One book per work (issue 17). Editions of a work are one book: the ISBNs of the other editions are
-- kept here as alternates, so imports and `books.resolve` find the book by any of them. An ISBN belongs
-- to one book only: as its primary `books.isbn13` or as one alternate here (the core checks both).
CREATE TABLE book_isbns (
  isbn13   text PRIMARY KEY CHECK (isbn13 ~ '^97[89][0-9]{10}$'),
  book_id  uuid NOT NULL REFERENCES books (id) ON DELETE CASCADE
);
CREATE INDEX book_isbns_book_idx ON book_isbns (book_id);

-- The work a book is an edition of: its match key (normalised title and first author) when it has an
-- author. Books that stay separate (added one by one, or a merge the user declined) but share a work key
-- are editions of one work, and a reader who read one is never recommended another. A book without an
-- author has no work key: a title alone is too weak to call two catalogue records one work.
ALTER TABLE books ADD COLUMN work_key text GENERATED ALWAYS AS (
  CASE WHEN match_key IS NULL OR match_key LIKE '%|' THEN NULL ELSE match_key END) STORED;
-- No index: the serving chain reads work keys with the books it already loads, never looks books up by one.

-- The catalogue record a MARC book came from: 003 (the agency) with 001 (its control number), else the
-- first 035 (a system control number). Imports match records with neither ISBN nor author on it.
ALTER TABLE books ADD COLUMN control_key text GENERATED ALWAYS AS (
  CASE WHEN external_ids ? 'marc001' THEN coalesce(external_ids ->> 'marc003', '') || '|' || (external_ids ->> 'marc001')
       WHEN external_ids ? 'marc035' THEN '035|' || (external_ids ->> 'marc035') END) STORED;
CREATE INDEX books_control_key_idx ON books (control_key) WHERE control_key IS NOT NULL;

-- Titles whose normalised form was empty ("(Untitled)", "📚") had no match key and were imported again
-- on every re-import; the key now falls back to the whole title. Recomputed by the next import.
UPDATE books SET match_key = NULL WHERE match_key = '';
