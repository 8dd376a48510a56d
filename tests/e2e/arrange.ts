/**
 * Arranging data for the e2e tests through the real core (the same calls the app makes): the sample
 * catalogue and roster imported from resources/sample, and reading logged as interactions.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { InteractionType } from '../../shared/contract/domain';
import { unwrap } from '../../shared/contract/errors';
import { repoRoot } from './paths';
import type { WebHost } from './web-host';

/** The sample data folder. */
export const sampleDir = join(repoRoot, 'resources', 'sample');

/** Imports one file through preview and commit, as the import view does. */
export async function importFile(
  host: WebHost,
  path: string,
  options: { className?: string } = {},
): Promise<void> {
  const preview = unwrap(await host.core.api.imports.preview({ path, ...options }));
  unwrap(await host.core.api.imports.commit({ previewId: preview.previewId }));
}

/** The sample catalogue and its class of twelve students in `className`. */
export async function importSampleLibrary(host: WebHost, className = 'Room 4'): Promise<void> {
  await importFile(host, join(sampleDir, 'catalog.csv'));
  await importFile(host, join(sampleDir, 'students.csv'), { className });
}

/**
 * Gives every reader of the library some recent reading: recommendations served (impressions), and
 * for each reader a checkout and a finish of their first recommendation and a thumbs-up or -down on
 * others, spread over the last few weeks.
 */
export async function arrangeReading(host: WebHost): Promise<void> {
  const api = host.core.api;
  const readers = unwrap(await api.readers.list({ limit: 100 })).items;
  const day = 86_400_000;
  for (const [index, reader] of readers.entries()) {
    const list = unwrap(await api.recommend.get({ readerId: reader.id, k: 8 }));
    const log = async (bookId: string, type: InteractionType, daysAgo: number, recLogId?: number) =>
      unwrap(
        await api.interactions.log({
          id: randomUUID(),
          readerId: reader.id,
          bookId,
          type,
          occurredAt: new Date(Date.now() - daysAgo * day).toISOString(),
          ...(recLogId === undefined ? {} : { recLogId }),
        }),
      );
    const [first, second, third] = list.items;
    if (first) {
      await log(first.bookId, 'checkout', 20 - (index % 10), first.recLogId);
      await log(first.bookId, 'finish', 6 - (index % 5), first.recLogId);
    }
    if (second)
      await log(second.bookId, index % 2 ? 'thumbs_up' : 'thumbs_down', index % 14, second.recLogId);
    if (third && index % 3 === 0) await log(third.bookId, 'click', 2, third.recLogId);
  }
}
