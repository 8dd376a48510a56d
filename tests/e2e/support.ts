/** Arranging data for the e2e tests through the core itself (the page then shows it). */
import { join } from 'node:path';
import { unwrap } from '../../shared/contract/errors';
import { repoRoot } from './paths';
import type { WebHost } from './web-host';

/** Imports resources/sample/catalog.csv (300 levelled books with descriptions) and embeds it. */
export async function importSampleCatalog(host: WebHost): Promise<void> {
  const api = host.core.api;
  const preview = unwrap(
    await api.imports.preview({ path: join(repoRoot, 'resources', 'sample', 'catalog.csv') }),
  );
  unwrap(await api.imports.commit({ previewId: preview.previewId }));
  const job = unwrap(await api.embeddings.run());
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = unwrap(await api.jobs.get({ id: job.id })).state;
    if (state === 'succeeded') return;
    if (state === 'failed' || state === 'cancelled') throw new Error(`embedding the sample catalog ${state}`);
    if (Date.now() > deadline) throw new Error('embedding the sample catalog took over 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
