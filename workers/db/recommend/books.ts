/**
 * Book facts for ranking and explanations, and the catalogue-wide sources: popularity and the
 * nightly batch lists. Loaded for a few hundred candidates at a time, never the whole catalogue.
 */
import type { InterestLevel, ReadingLevel } from '../../../shared/contract/domain';
import { type EligibilityBook } from '../../../shared/recommend/filters';
import { bookGrade } from '../../../shared/recommend/levels';
import { type Sql, readingLevelOf } from '../sql';
import { parseVector } from '../embeddings/vectors';

/** A candidate book's facts. */
export interface BookFacts extends EligibilityBook {
  title: string;
  authors: string[];
  subjects: string[];
  tags: string[];
  description: string | null;
  readingLevel: ReadingLevel | null;
}

/** Facts of `ids` (missing ids are simply absent). */
export async function loadBookFacts(sql: Sql, ids: readonly string[]): Promise<Map<string, BookFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{
    id: string;
    title: string;
    authors: string[];
    subjects: string[];
    tags: string[];
    description: string | null;
    reading_level: string | null;
    reading_level_system: ReadingLevel['system'] | null;
    reading_level_source: ReadingLevel['source'] | null;
    interest_level: InterestLevel | null;
    interest_age_min: number | null;
    interest_age_max: number | null;
    approved_for_children: boolean;
    content_warnings: string[];
    owned_copies: number;
    work_key: string | null;
  }>(
    `SELECT id, work_key, title, authors, subjects, tags, left(description, 600) AS description, reading_level,
            reading_level_system, reading_level_source, interest_level, interest_age_min, interest_age_max,
            approved_for_children, content_warnings, owned_copies
       FROM books WHERE id = ANY($1::uuid[])`,
    [[...ids]],
  );
  return new Map(
    rows.rows.map((row) => {
      const readingLevel = readingLevelOf(row);
      return [
        row.id,
        {
          id: row.id,
          workKey: row.work_key,
          title: row.title,
          authors: row.authors,
          subjects: row.subjects,
          tags: row.tags,
          description: row.description,
          readingLevel,
          level: bookGrade(readingLevel),
          interestLevel: row.interest_level,
          interestAgeMin: row.interest_age_min,
          interestAgeMax: row.interest_age_max,
          approvedForChildren: row.approved_for_children,
          contentWarnings: row.content_warnings,
          ownedCopies: row.owned_copies,
        },
      ];
    }),
  );
}

/** Interactions that count towards popularity (see {@link popularBooks}). */
const POPULAR_EVIDENCE = `occurred_at > now() - interval '180 days'
            AND (type IN ('finish','checkout','thumbs_up','want') OR (type = 'rating' AND value >= 4))`;

/**
 * The most popular books: positive interactions in the last 180 days (finish, checkout, thumbs up,
 * want, good ratings), then copies owned, so a library without history still has an order.
 * `evidenceOnly`: only books with such interactions (score >= 1), which the personalised blend uses.
 *
 * A book with evidence scores at least 1 and one without at most 0.05, so the books with evidence,
 * ordered, are the head of the whole order: they are ranked alone first (a join of the aggregate to
 * their books), and the whole catalogue is ranked only when they are fewer than `limit`
 * (at 100K books the full ranking reads every book: 200 ms in PGlite, the head alone 100 ms).
 */
export async function popularBooks(
  sql: Sql,
  limit: number,
  options: { evidenceOnly?: boolean } = {},
): Promise<{ id: string; score: number }[]> {
  const head = await sql.query<{ id: string; score: number }>(
    `SELECT b.id, p.score::float8 + least(b.owned_copies, 5) * 0.01 AS score
       FROM (SELECT book_id, count(*) AS score FROM interactions WHERE ${POPULAR_EVIDENCE} GROUP BY book_id) p
       JOIN books b ON b.id = p.book_id
      ORDER BY score DESC, b.id LIMIT $1`,
    [limit],
  );
  if (options.evidenceOnly || head.rows.length >= limit) return head.rows;
  const rows = await sql.query<{ id: string; score: number }>(
    `SELECT b.id, coalesce(p.score, 0)::float8 + least(b.owned_copies, 5) * 0.01 AS score
       FROM books b LEFT JOIN (
         SELECT book_id, count(*) AS score FROM interactions WHERE ${POPULAR_EVIDENCE} GROUP BY book_id) p
         ON p.book_id = b.id
      ORDER BY score DESC, b.id LIMIT $1`,
    [limit],
  );
  return rows.rows;
}

/** The reader's batch list from the last nightly run, best first. */
export async function batchBooks(sql: Sql, readerId: string): Promise<{ id: string; score: number }[]> {
  const rows = await sql.query<{ id: string; score: number | null }>(
    'SELECT book_id AS id, score FROM batch_recs WHERE reader_id = $1 ORDER BY rank',
    [readerId],
  );
  return rows.rows.map((row, index) => ({ id: row.id, score: row.score ?? 1 / (index + 1) }));
}

/**
 * Book vectors of the model, for diversification and explanations. As text: PGlite returns
 * `vector_send`'s bytea as hex, which measured slower (50 cached vectors: 12 ms as text, 18 as bytea).
 */
export async function bookVectors(
  sql: Sql,
  modelId: string,
  ids: readonly string[],
): Promise<Map<string, Float32Array>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.query<{ owner_id: string; embedding: string }>(
    `SELECT owner_id, embedding::text AS embedding FROM embeddings
      WHERE model_id = $1 AND owner_kind = 'book' AND owner_id = ANY($2::text[])`,
    [modelId, [...ids]],
  );
  return new Map(rows.rows.map((row) => [row.owner_id, parseVector(row.embedding)]));
}
