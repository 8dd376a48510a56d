/**
 * `books.list` with its filters: text, subject, owned, embedded, and a grade band. The band needs the
 * reading-level conversions of shared/recommend/levels.ts (JS, not SQL), so a banded listing reads
 * the matching ids and levels first, keeps those in the band and then loads only the page's rows.
 */
import type { Book, Page, ReadingLevelSystem } from '../../../shared/contract/domain';
import type { ParsedInput } from '../../../shared/contract/api';
import { normaliseIsbn } from '../../../shared/domain/isbn';
import { bookGrade } from '../../../shared/recommend/levels';
import { activeModel } from '../embeddings/active-model';
import { type Context, likePattern } from '../context';

/** Lists books by title with the filters of `books.list`; `fromRow` turns a row into a Book. */
export async function listBooks<Row>(
  input: ParsedInput<'books.list'>,
  context: Context,
  fromRow: (row: Row) => Book,
): Promise<Page<Book>> {
  const { query, subject, owned, embedded, gradeMin, gradeMax, limit, offset } = input ?? {
    limit: 100,
    offset: 0,
  };
  const conditions: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => `$${values.push(value)}`;
  if (query) {
    const pattern = bind(likePattern(query));
    const isbn = bind(normaliseIsbn(query)?.isbn13 ?? null);
    conditions.push(
      `(title ILIKE ${pattern} OR array_to_string(authors, ' ') ILIKE ${pattern} OR isbn13 = ${isbn}
        OR id = (SELECT book_id FROM book_isbns WHERE isbn13 = ${isbn}))`,
    );
  }
  if (subject) conditions.push(`array_to_string(subjects, '|') ILIKE ${bind(likePattern(subject))}`);
  if (owned !== undefined) conditions.push(owned ? 'owned_copies > 0' : 'owned_copies = 0');
  if (embedded !== undefined) {
    const model = bind(await activeModel(context.db));
    conditions.push(
      `${embedded ? '' : 'NOT '}EXISTS (SELECT 1 FROM embeddings e WHERE e.owner_kind = 'book' AND e.owner_id = books.id::text AND e.model_id = ${model})`,
    );
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const order = 'ORDER BY lower(title), id';

  if (gradeMin === undefined && gradeMax === undefined) {
    const [rows, total] = await Promise.all([
      context.db.query<Row>(
        `SELECT * FROM books ${where} ${order} LIMIT ${bind(limit)} OFFSET ${bind(offset)}`,
        values,
      ),
      context.db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM books ${where}`,
        values.slice(0, values.length - 2),
      ),
    ]);
    return { items: rows.rows.map(fromRow), total: total.rows[0]?.total ?? 0 };
  }

  const low = gradeMin ?? -Infinity;
  const high = gradeMax ?? Infinity;
  const levels = await context.db.query<{ id: string; value: string | null; system: string | null }>(
    `SELECT id, reading_level AS value, reading_level_system AS system FROM books ${where} ${order}`,
    values,
  );
  const inBand = levels.rows.filter((row) => {
    if (row.value === null || row.system === null) return false;
    const grade = bookGrade({ value: row.value, system: row.system as ReadingLevelSystem });
    return grade !== null && grade >= low && grade <= high;
  });
  const pageIds = inBand.slice(offset, offset + limit).map((row) => row.id);
  if (pageIds.length === 0) return { items: [], total: inBand.length };
  const rows = await context.db.query<Row>(`SELECT * FROM books WHERE id = ANY($1::uuid[]) ${order}`, [
    pageIds,
  ]);
  return { items: rows.rows.map(fromRow), total: inBand.length };
}
