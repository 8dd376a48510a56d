/**
 * The embedding model whose vectors serve: read by the embedding queue, the catalogue's similar-books
 * search and the serving memory (a module of its own so those readers don't import the queue's
 * handler slice).
 */
import type { PGlite } from '@electric-sql/pglite';
import { SETTING_DEFAULTS } from '../../../shared/contract/setting-defaults';
import { parseModelId } from '../../../shared/embed/models';

/** The active model's id (the setting, or the default). */
export async function activeModel(db: Pick<PGlite, 'query'>): Promise<string> {
  const result = await db.query<{ value: string }>(
    "SELECT value FROM settings WHERE key = 'embeddings.model'",
  );
  const raw = result.rows[0]?.value ?? SETTING_DEFAULTS['embeddings.model'];
  const parsed = parseModelId(raw);
  return 'spec' in parsed ? parsed.spec.id : SETTING_DEFAULTS['embeddings.model'];
}
