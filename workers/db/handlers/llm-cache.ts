/**
 * What the host's LLM helpers keep in the database (`llmLevels.*`, `explanations.*`): books an LLM may
 * give an estimated reading level, the estimates, and cached explanation sentences.
 */
import type { HandlerSlice } from './types';

/** Characters of description below which a readability estimate is left to an LLM (when enabled). */
export const ENRICH_MIN_TEXT = 200;

export const llmLevelHandlers = {
  /**
   * Books an LLM may give an estimated reading level: no level, too little text for a readability
   * estimate (the enrichment job's share), and not asked before (attempts are kept by key).
   */
  async 'llmLevels.candidates'({ limit }, { db }) {
    const rows = await db.query<{ id: string; title: string; authors: string[]; subjects: string[] }>(
      `SELECT id, title, authors, subjects FROM books b
        WHERE reading_level IS NULL AND coalesce(length(description), 0) <= ${ENRICH_MIN_TEXT}
          AND NOT EXISTS (SELECT 1 FROM explanation_cache c WHERE c.key = 'level:' || b.id::text)
        ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.rows;
  },

  /**
   * Stores LLM reading-level estimates (school grades; null when the model could not tell), each
   * marked estimated and only where no level arrived meanwhile; every attempt is remembered.
   */
  async 'llmLevels.store'({ levels }, { db, changed }) {
    if (levels.length === 0) return 0;
    const known = levels.flatMap((level) => (level.grade === null ? [] : [{ ...level, grade: level.grade }]));
    const updated = await db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `UPDATE books b SET reading_level = x.level, reading_level_system = 'grade',
                reading_level_source = 'estimated', updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS x(id, level)
          WHERE b.id = x.id AND b.reading_level IS NULL RETURNING b.id::text AS id`,
        [known.map((level) => level.id), known.map((level) => String(Math.floor(level.grade)))],
      );
      await tx.query(
        `INSERT INTO explanation_cache (key, text) SELECT 'level:' || x.id, x.grade FROM unnest($1::text[], $2::text[]) AS x(id, grade)
         ON CONFLICT (key) DO UPDATE SET text = excluded.text, created_at = now()`,
        [
          levels.map((level) => level.id),
          levels.map((level) => (level.grade === null ? 'unknown' : String(level.grade))),
        ],
      );
      return rows.rows.map((row) => row.id);
    });
    if (updated.length > 0) changed({ entity: 'books', op: 'update', ids: updated });
    return updated.length;
  },
} satisfies HandlerSlice<'llmLevels'>;

export const explanationHandlers = {
  /** Cached LLM explanations by key. */
  async 'explanations.get'({ keys }, { db }) {
    if (keys.length === 0) return {};
    const rows = await db.query<{ key: string; text: string }>(
      'SELECT key, text FROM explanation_cache WHERE key = ANY($1::text[])',
      [keys],
    );
    return Object.fromEntries(rows.rows.map((row) => [row.key, row.text]));
  },

  /** Stores LLM explanations by key. */
  async 'explanations.put'({ entries }, { db }) {
    await db.query(
      `INSERT INTO explanation_cache (key, text) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO UPDATE SET text = excluded.text, created_at = now()`,
      [Object.keys(entries), Object.values(entries)],
    );
  },
} satisfies HandlerSlice<'explanations'>;
