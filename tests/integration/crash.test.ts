/**
 * Crash safety: a process killed with SIGKILL in the middle of a 10,000-row transaction. After
 * reopening, the transaction is wholly absent or wholly present, and every earlier commit is intact.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
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

describe('SIGKILL during an import commit', () => {
  it('leaves none of a 100,000-row import, and every earlier commit intact', async () => {
    const dataDir = tempDir();
    const path = join(tempDir('lumin-import-'), 'goodreads.csv');
    writeFileSync(path, goodreadsExport(100_000));
    const child = startChild(dataDir, 'import', path);
    await child.waitFor('COMMITTING', 120_000);
    await child.waitFor('PROGRESS', 120_000);
    // Let it write a good part of the rows, then kill it mid-transaction.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const last = child.lines.filter((line) => line.startsWith('PROGRESS')).at(-1);
        if (Number(last?.split(' ')[1] ?? 0) >= 30_000 || child.lines.includes('DONE')) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    const finished = child.lines.includes('DONE');
    child.process.kill('SIGKILL');
    await child.exited;
    expect(finished).toBe(false);

    const core = await open({ dataDir });
    const status = value(await core.api.status.get());
    expect(status.counts).toMatchObject({ books: 100, readers: 0, interactions: 0 });
    expect(value(await core.api.books.list({ query: 'Committed', limit: 1 })).total).toBe(100);
    await core.close();
  }, 240_000);
});
