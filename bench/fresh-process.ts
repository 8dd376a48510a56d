/**
 * Benchmarks that measure peak memory run their work in a fresh Node process, so the figure is the
 * work's own and not the runner's: the parent calls `runInFreshProcess(module, settings)`, which starts
 * `module` with `--probe <settings JSON>`; the module ends with `answerProbe(module, probe)`, which runs
 * `probe` on those settings when it is that process's entry and prints the result as one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs bench module `file` (a path) on `settings` in a new process; returns its last JSON line. */
export function runInFreshProcess<T>(file: string, settings: unknown): T {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', file, '--probe', JSON.stringify(settings)],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as T;
}

/** In the process `runInFreshProcess` started for `file`: runs `probe` and prints its JSON line. */
export async function answerProbe<S>(file: string, probe: (settings: S) => Promise<unknown>): Promise<void> {
  if (process.argv[1] !== file || process.argv[2] !== '--probe') return;
  const result = await probe(JSON.parse(process.argv[3] ?? '{}') as S);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
