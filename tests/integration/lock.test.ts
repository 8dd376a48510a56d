/** The exclusive lock: one owner per data directory, across processes and within one. */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../workers/db/lock';
import { openCore } from '../../workers/host/core';
import { main } from '../../cli/main';
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

  it('releases only a lock it still owns, on close and on a clean exit', async () => {
    const dataDir = tempDir();
    const lock = acquireLock(dataDir, 'test');
    const other = JSON.stringify({
      pid: 1,
      host: hostname(),
      startedAt: 'x',
      purpose: 'other',
      token: 'theirs',
    });
    // Someone cleared ours (`lumin unlock --force`) and took the directory: their lock stays.
    writeFileSync(lock.path, other);
    lock.release();
    expect(readFileSync(join(dataDir, 'lumin.lock'), 'utf8')).toBe(other);

    const second = tempDir();
    const script = `import { writeFileSync } from 'node:fs';
      import { acquireLock } from ${JSON.stringify(join(import.meta.dirname, '../../workers/db/lock.ts'))};
      const lock = acquireLock(${JSON.stringify(second)}, 'exit');
      writeFileSync(lock.path, ${JSON.stringify(other)});`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    expect(readFileSync(join(second, 'lumin.lock'), 'utf8')).toBe(other);
  });

  it('records the host; another host’s lock is refused until `lumin unlock --force` clears it with a warning', async () => {
    const dataDir = tempDir();
    const held = acquireLock(dataDir, 'test');
    expect(JSON.parse(readFileSync(held.path, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    held.release();
    writeFileSync(
      join(dataDir, 'lumin.lock'),
      JSON.stringify({ pid: 4242, host: 'classroom-pc', startedAt: 'x', purpose: 'app', token: 'far' }),
    );
    const error = failure(await openCore({ dataDir, autoBackup: false }));
    expect(error.code).toBe('locked');
    expect(error.message).toContain('on host classroom-pc');
    expect(error.message).toContain('lumin unlock --force');

    const printed = { out: [] as string[], err: [] as string[] };
    const output = {
      out: (text: string) => printed.out.push(text),
      err: (text: string) => printed.err.push(text),
    };
    expect(await main(['--data-dir', dataDir, 'unlock'], output)).toBe(2);
    expect(printed.err.join('\n')).toContain('locked by process 4242 on host classroom-pc');
    expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(true);
    expect(await main(['--data-dir', dataDir, 'unlock', '--force'], output)).toBe(0);
    expect(printed.err.join('\n')).toMatch(
      /warning: removing the lock of process 4242 on host classroom-pc.*lost/,
    );
    expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(false);
    const core = await open({ dataDir });
    await core.close();
  });
});
