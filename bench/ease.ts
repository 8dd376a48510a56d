/**
 * `npm run bench -- ease --items 20000 --users 20000 --nnz 2000000 --json`: the EASE family on the same
 * synthetic Zipf-like data as the ALS benchmark, in a fresh Node process. Prints
 *   fit_s            wall time of the fit (fit_cpu_s: its CPU time, telling a loaded machine apart)
 *   method           `primal` or `dual` (exact EASE^R, Steck 2019: the float32 blocked sweep of order
 *                    items or users) or `sansa` (Spišák et al. 2023, a sparse approximate inverse), and
 *                    why: by default the family's choice for that size (`ease-family.ts`), as `auto` makes it
 *   order            the size of the exact inverse (primal or dual)
 *   recommend_all_s  top-20 for every user (history × kept neighbours)
 *   peak_rss_mb      peak resident memory of the process (VmHWM, else sampled)
 * Options: --method primal|dual|sansa (alias exact = primal), --lambda (default 500), --neighbours
 * (default 500), --seed.
 */
import { fileURLToPath } from 'node:url';
import { createEase } from '../shared/ml/ease';
import { type EaseMethod, chooseEaseMethod } from '../shared/ml/ease-family';
import { createSansa } from '../shared/ml/sansa';
import { peakRssMb, syntheticMatrix } from './als';
import { answerProbe, runInFreshProcess } from './fresh-process';
import { option } from './options';

const here = fileURLToPath(import.meta.url);

interface Settings {
  users: number;
  items: number;
  nnz: number;
  lambda: number;
  neighbours: number;
  seed: number;
  method: EaseMethod | null;
}

async function probe(settings: Settings): Promise<Record<string, number | string>> {
  let sampled = 0;
  const sample = (): void => {
    sampled = Math.max(sampled, process.memoryUsage.rss() / 2 ** 20);
  };
  const timer = setInterval(sample, 50);
  try {
    const matrix = syntheticMatrix(settings.users, settings.items, settings.nnz, settings.seed);
    sample();
    const family = chooseEaseMethod({ users: matrix.users, items: matrix.items, entries: settings.nnz });
    const method = settings.method ?? family.method;
    const why = settings.method ? 'forced by --method' : family.reason;
    const options = { lambda: settings.lambda, neighbours: settings.neighbours };
    const model =
      method === 'sansa'
        ? createSansa(options)
        : createEase({ ...options, maxItems: Math.max(settings.items, settings.users) }, method);
    let started = performance.now();
    const cpu = process.cpuUsage();
    model.fit(matrix);
    const fitSeconds = (performance.now() - started) / 1000;
    const fitCpu = process.cpuUsage(cpu);
    sample();
    started = performance.now();
    for (let user = 0; user < matrix.users; user += 1) model.recommend(user, { k: 20 });
    const recommendSeconds = (performance.now() - started) / 1000;
    sample();
    return {
      fit_s: Number(fitSeconds.toFixed(2)),
      fit_cpu_s: Number(((fitCpu.user + fitCpu.system) / 1e6).toFixed(2)),
      method,
      why,
      order: Math.min(matrix.users, matrix.items),
      recommend_all_s: Number(recommendSeconds.toFixed(2)),
      peak_rss_mb: Math.round(peakRssMb(sampled)),
    };
  } finally {
    clearInterval(timer);
  }
}

/** `--method` from `args`, or null for the family's choice. */
function methodOf(args: string[]): EaseMethod | null {
  const index = args.indexOf('--method');
  if (index < 0) return null;
  const raw = args[index + 1];
  if (raw === 'exact') return 'primal';
  if (raw === 'primal' || raw === 'dual' || raw === 'sansa') return raw;
  throw new Error(`--method must be exact, primal, dual or sansa (got ${raw})`);
}

/** Runs the benchmark in a fresh process and returns the JSON line's object. */
export async function runEaseBench(args: string[]): Promise<Record<string, number | string>> {
  const settings: Settings = {
    users: option(args, 'users', 20_000),
    items: option(args, 'items', 20_000),
    nnz: option(args, 'nnz', 2_000_000),
    lambda: option(args, 'lambda', 500),
    neighbours: option(args, 'neighbours', 500),
    seed: option(args, 'seed', 1),
    method: methodOf(args),
  };
  return runInFreshProcess<Record<string, number | string>>(here, settings);
}

await answerProbe(here, probe);
