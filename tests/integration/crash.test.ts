/**
 * Crash safety: a process killed with SIGKILL in the middle of a 10,000-row transaction. After
 * reopening, the transaction is wholly absent or wholly present, and every earlier commit is intact.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, open, tempDir, value } from '../support/core';
import { startChild } from '../support/child';

afterAll(cleanupDirs);

describe('SIGKILL during a transaction', () => {
  // Kill at several points after the transaction started, so some land mid-transaction.
  const delays = [30, 250, 700];

  it.each(delays)('killed %d ms into the batch: all or nothing, earlier commits intact', async (delay) => {
    const dataDir = tempDir();
    const child = startChild(dataDir, 'crash');
    await child.waitFor('COMMITTED');
    await child.waitFor('BEGIN');
    await new Promise((resolve) => setTimeout(resolve, delay));
    const finishedBeforeKill = child.lines.includes('DONE');
    child.process.kill('SIGKILL');
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');

    const core = await open({ dataDir });
    const committed = value(await core.api.books.list({ query: 'Committed', limit: 1 })).total;
    const batch = value(await core.api.books.list({ query: 'Batch', limit: 1 })).total;
    expect(committed).toBe(100);
    expect([0, 10_000]).toContain(batch);
    if (finishedBeforeKill) expect(batch).toBe(10_000);
    // The database still takes writes after recovery.
    value(await core.api.books.add({ title: 'After the crash' }));
    expect(value(await core.api.status.get()).counts.books).toBe(100 + batch + 1);
    await core.close();
    // Record where the kill landed, for the test log.
    console.info(
      `kill after ${delay} ms: batch ${batch === 0 ? 'absent' : 'present'}${finishedBeforeKill ? ' (had finished)' : ''}`,
    );
  });

  it('keeps a transaction that committed just before the kill', async () => {
    const dataDir = tempDir();
    const child = startChild(dataDir, 'crash');
    await child.waitFor('DONE');
    child.process.kill('SIGKILL');
    await child.exited;
    const core = await open({ dataDir });
    expect(value(await core.api.books.list({ query: 'Batch', limit: 1 })).total).toBe(10_000);
    expect(value(await core.api.books.list({ query: 'Committed', limit: 1 })).total).toBe(100);
    await core.close();
  });
});
