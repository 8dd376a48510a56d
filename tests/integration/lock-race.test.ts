/**
 * Racing takeovers of a stale lock. Three processes start against a lock left by a dead process;
 * each pauses before every file-system step of `acquireLock` and the test lets one paused racer go
 * at a time, in a seeded random order, so each round is a different interleaving across processes.
 * In every round exactly one racer wins and the lock file is the winner's.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupDirs, tempDir } from '../support/core';

afterAll(cleanupDirs);

const racer = fileURLToPath(new URL('../support/lock-racer.ts', import.meta.url));
const RACERS = 3;
const ROUNDS = 40;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small deterministic generator (mulberry32), so a failing order can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

describe('lock races', () => {
  it('over many interleavings exactly one of three racers wins a stale lock', async () => {
    const dataDir = tempDir();
    const control = join(tempDir(), 'control');
    mkdirSync(control);
    const deadPid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
        .stdout,
    );
    const children: ChildProcess[] = [];
    for (let id = 0; id < RACERS; id += 1)
      children.push(
        spawn(process.execPath, ['--import', 'tsx', racer, dataDir, control, String(id), String(ROUNDS)], {
          stdio: ['ignore', 'inherit', 'inherit'],
        }),
      );
    const next = random(18);
    const winners: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        writeFileSync(
          join(dataDir, 'lumin.lock'),
          JSON.stringify({
            pid: deadPid,
            host: hostname(),
            startedAt: 'earlier',
            purpose: 'crashed',
            token: `dead${round}`,
          }),
        );
        writeFileSync(join(control, `round-${round}`), '');
        const released = new Array<number>(RACERS).fill(0);
        const results = new Array<string | null>(RACERS).fill(null);
        const deadline = Date.now() + 60_000;
        while (results.some((result) => result === null)) {
          if (Date.now() > deadline) throw new Error(`round ${round} stalled: ${JSON.stringify(results)}`);
          const paused: { id: number; seq: number }[] = [];
          for (let id = 0; id < RACERS; id += 1) {
            if (results[id] !== null) continue;
            results[id] = readText(join(control, `${id}-result-${round}`));
            if (results[id] !== null) continue;
            const at = /^(\d+):(\d+):[a-z-]+$/.exec(readText(join(control, `${id}-at`)) ?? '');
            if (at && Number(at[1]) === round && Number(at[2]) > (released[id] ?? 0))
              paused.push({ id, seq: Number(at[2]) });
          }
          // Let one go only once every racer still running is paused, so the order is the test's.
          const running = results.filter((result) => result === null).length;
          if (paused.length === 0 || paused.length < running) {
            await sleep(2);
            continue;
          }
          // The lock file appears whole: whoever looks at it now sees a complete owner.
          const lockText = readText(join(dataDir, 'lumin.lock'));
          if (lockText !== null) expect(JSON.parse(lockText)).toHaveProperty('pid');
          const chosen = paused[Math.floor(next() * paused.length)] as { id: number; seq: number };
          released[chosen.id] = chosen.seq;
          writeFileSync(join(control, `${chosen.id}-go-${round}-${chosen.seq}`), '');
        }
        const won = results.flatMap((result, id) => (result === 'won' ? [id] : []));
        expect(won, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
        const winner = won[0] as number;
        expect(JSON.parse(readFileSync(join(dataDir, 'lumin.lock'), 'utf8'))).toMatchObject({
          pid: children[winner]?.pid,
        });
        for (const [id, result] of results.entries())
          if (id !== winner) expect(result).toMatch(/^lost .*(in use by process|try again)/);
        winners.push(winner);
        writeFileSync(join(control, `${winner}-release-${round}`), '');
        while (!existsSync(join(control, `${winner}-released-${round}`))) await sleep(2);
        expect(existsSync(join(dataDir, 'lumin.lock'))).toBe(false);
      }
    } finally {
      for (const child of children) child.kill('SIGKILL');
    }
    // Different interleavings give different winners: the rounds did race.
    expect(new Set(winners).size).toBeGreaterThan(1);
  }, 180_000);
});
