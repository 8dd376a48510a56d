/** The exclusive lock: one owner per data directory, across processes and within one. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCore } from '../../workers/host/core';
import { cleanupDirs, failure, open, tempDir, value } from '../support/core';
import { startChild } from '../support/child';

afterAll(cleanupDirs);

describe('data directory lock', () => {
  it('refuses a second open in the same process, naming the directory and pid, and leaves the first working', async () => {
    const dataDir = tempDir();
    const first = await open({ dataDir });
    value(await first.api.books.add({ title: 'Mine' }));
    const error = failure(await openCore({ dataDir, autoBackup: false }));
    expect(error.code).toBe('locked');
    expect(error.message).toContain(first.dataDir);
    expect(error.message).toContain(String(process.pid));
    expect(value(await first.api.books.list()).total).toBe(1);
    await first.close();
    expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(false);
    const reopened = await open({ dataDir });
    expect(value(await reopened.api.books.list()).total).toBe(1);
    await reopened.close();
  });

  it('refuses a second process with the holder’s pid; the holder’s data is untouched', async () => {
    const dataDir = tempDir();
    const seed = await open({ dataDir });
    value(await seed.api.books.add({ title: 'Held' }));
    await seed.close();

    const holder = startChild(dataDir, 'hold');
    try {
      await holder.waitFor('READY');
      const error = failure(await openCore({ dataDir, autoBackup: false }));
      expect(error.code).toBe('locked');
      expect(error.message).toContain(`in use by process ${holder.process.pid}`);
      expect(error.details).toMatchObject({ pid: holder.process.pid });
    } finally {
      holder.process.stdin?.end();
      await holder.exited;
    }
    const after = await open({ dataDir });
    expect(value(await after.api.books.resolve({ ref: 'Held' })).title).toBe('Held');
    await after.close();
  });

  it('takes over a stale lock left by a process that was killed', async () => {
    const dataDir = tempDir();
    const holder = startChild(dataDir, 'hold');
    await holder.waitFor('READY');
    holder.process.kill('SIGKILL');
    await holder.exited;
    const lock = JSON.parse(readFileSync(join(dataDir, 'lumin.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(holder.process.pid);

    const core = await open({ dataDir });
    expect(JSON.parse(readFileSync(join(dataDir, 'lumin.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await core.close();
  });

  it('takes over a lock whose pid no longer exists, and one left by this pid in an earlier life', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    for (const pid of [Number(dead.stdout), process.pid]) {
      const dataDir = tempDir();
      writeFileSync(
        join(dataDir, 'lumin.lock'),
        JSON.stringify({ pid, host: (await import('node:os')).hostname(), startedAt: 'x' }),
      );
      const core = await open({ dataDir });
      await core.close();
    }
  });
});
