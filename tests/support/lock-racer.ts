/**
 * A racer for tests/integration/lock-race.test.ts: takes the lock on DATA_DIR once per round and
 * pauses before every file-system step until the test lets it go, so the test decides the order in
 * which the racers' steps interleave. Talks through files in CONTROL_DIR (a sync step hook cannot
 * await a pipe): `<id>-at` holds `round:seq:step` when paused, `<id>-go-<round>-<seq>` lets it go,
 * `<id>-result-<round>` says `won` or `lost <message>`, `<id>-release-<round>` asks the winner to release.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '../../workers/db/lock';

const [dataDir, control, id, roundsText] = process.argv.slice(2) as [string, string, string, string];
const rounds = Number(roundsText);
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whole or nothing: the test polls these files. */
function say(name: string, text: string): void {
  writeFileSync(join(control, `${name}.tmp`), text);
  renameSync(join(control, `${name}.tmp`), join(control, name));
}

function waitForFile(path: string): void {
  while (!existsSync(path)) Atomics.wait(pause, 0, 0, 2);
}

for (let round = 0; round < rounds; round += 1) {
  waitForFile(join(control, `round-${round}`));
  let seq = 0;
  let result: string;
  let lock: ReturnType<typeof acquireLock> | null = null;
  try {
    lock = acquireLock(dataDir, `racer ${id}`, {
      step(name) {
        seq += 1;
        say(`${id}-at`, `${round}:${seq}:${name}`);
        waitForFile(join(control, `${id}-go-${round}-${seq}`));
      },
    });
    result = 'won';
  } catch (error) {
    result = `lost ${(error as Error).message}`;
  }
  say(`${id}-result-${round}`, result);
  if (lock) {
    waitForFile(join(control, `${id}-release-${round}`));
    lock.release();
    say(`${id}-released-${round}`, 'ok');
  }
}
