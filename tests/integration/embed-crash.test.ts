/**
 * The embedding queue survives SIGKILL: a process killed in the middle of a pass leaves a job that
 * resumes at the next open, and afterwards no book is missing a vector and none has two for the model.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLED_MODEL_ID } from '../../shared/embed/models';
import { cleanupDirs, open, tempDir, value } from '../support/core';
import { startChild } from '../support/child';

afterAll(cleanupDirs);

const BOOKS = 4000;

describe('SIGKILL during an embedding pass', () => {
  it('resumes after restart with every book embedded exactly once', async () => {
    const dataDir = tempDir();
    const child = startChild(dataDir, 'embed', String(BOOKS));
    await child.waitFor('EMBEDDING');
    // Kill after the first batches committed, well before the pass can finish.
    await child.waitFor('STORED');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(child.lines).not.toContain('DONE');
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');

    // Reopened by the app (background mode): the interrupted pass resumes by itself.
    const core = await open({ dataDir, embedding: { background: true } });
    try {
      const before = value(await core.api.embeddings.status());
      expect(before.books.total).toBe(BOOKS);
      expect(before.books.embedded).toBeGreaterThan(0);
      expect(before.books.embedded).toBeLessThan(BOOKS);
      const [job] = before.jobs;
      expect(job?.kind).toBe('embed');

      const deadline = Date.now() + 60_000;
      let state = job?.state;
      while (Date.now() < deadline) {
        state = value(await core.api.jobs.get({ id: job!.id })).state;
        if (state === 'succeeded' || state === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(state).toBe('succeeded');
      const after = value(await core.api.embeddings.status());
      expect(after).toMatchObject({ activeModel: BUNDLED_MODEL_ID, stale: 0, jobs: [] });
      // As many book vectors as books (the unique key forbids two per book, so none is missing).
      expect(after.books).toEqual({ total: BOOKS, embedded: BOOKS });
      const model = value(await core.api.models.list()).find((item) => item.id === BUNDLED_MODEL_ID);
      expect(model?.vectors.books).toBe(BOOKS);
      // The resumed job kept its first attempt's work: it was claimed twice, not restarted from zero.
      const finished = value(await core.api.jobs.get({ id: job!.id }));
      expect(finished.attempts).toBe(2);
    } finally {
      await core.close();
    }
  }, 120_000);
});
