/**
 * `npm run bench -- als --users 50000 --items 10000 --nnz 10000000 --factors 64 --iterations 15 --json`:
 * implicit ALS on synthetic Zipf-like data, in a fresh Node process (so that the dispatcher's own modules do
 * not count in its memory). Prints
 *   fit_s            wall time of the fit (worker threads: --threads, default 2)
 *   s_per_iteration  fit_s / iterations
 *   recommend_all_s  top-20 for every user
 *   peak_rss_mb      peak resident memory of the process, all threads (VmHWM, else sampled)
 * Data: item popularity Zipf(0.8) over a seeded permutation of items, user activity decaying as rank^−0.3
 * (capped at a fifth of the items), distinct items per user, weight 1.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../shared/ml/als-engine';
import { buildMatrix } from '../shared/ml/matrix';
import type { InteractionMatrix } from '../shared/ml/recommender';
import { AlsPool, fitAls, recommendAllAls } from '../workers/ml/als-pool';
import { answerProbe, runInFreshProcess } from './fresh-process';
import { option } from './options';

const here = fileURLToPath(import.meta.url);

interface Settings {
  users: number;
  items: number;
  nnz: number;
  factors: number;
  iterations: number;
  threads: number;
  seed: number;
}

function settingsOf(args: string[]): Settings {
  return {
    users: option(args, 'users', 50_000),
    items: option(args, 'items', 10_000),
    nnz: option(args, 'nnz', 10_000_000),
    factors: option(args, 'factors', 64),
    iterations: option(args, 'iterations', 15),
    threads: option(args, 'threads', 2),
    seed: option(args, 'seed', 1),
  };
}

/** Synthetic interactions: exactly `nnz` distinct (user, item) pairs, skewed on both sides. */
export function syntheticMatrix(users: number, items: number, nnz: number, seed: number): InteractionMatrix {
  const random = seededRandom(seed);
  const cap = Math.max(1, Math.floor(items / 5));
  if (nnz > users * cap) throw new Error(`--nnz ${nnz} exceeds ${users} users × ${cap} items each`);
  // activity: rank^−0.3, scaled to nnz, capped; the remainder goes round-robin to users below the cap
  const activity = new Float64Array(users);
  let total = 0;
  for (let user = 0; user < users; user += 1) total += activity[user] = (user + 1) ** -0.3;
  const degrees = new Int32Array(users);
  let assigned = 0;
  for (let user = 0; user < users; user += 1) {
    degrees[user] = Math.min(cap, Math.max(1, Math.floor(((activity[user] as number) / total) * nnz)));
    assigned += degrees[user] as number;
  }
  for (let user = users - 1; assigned !== nnz; user = user === 0 ? users - 1 : user - 1) {
    const degree = degrees[user] as number;
    if (assigned < nnz && degree < cap) {
      degrees[user] = degree + 1;
      assigned += 1;
    } else if (assigned > nnz && degree > 1) {
      degrees[user] = degree - 1;
      assigned -= 1;
    }
  }
  // popularity: Zipf(0.8) over a random order of items, sampled by inverse CDF
  const order = new Int32Array(items);
  for (let item = 0; item < items; item += 1) order[item] = item;
  for (let index = items - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const cumulative = new Float64Array(items);
  let mass = 0;
  for (let rank = 0; rank < items; rank += 1) cumulative[rank] = mass += (rank + 1) ** -0.8;
  const draw = (): number => {
    const target = random() * mass;
    let low = 0;
    let high = items - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return order[low] as number;
  };
  const userOf = new Int32Array(nnz);
  const itemOf = new Int32Array(nnz);
  const lastUser = new Int32Array(items).fill(-1);
  let entry = 0;
  for (let user = 0; user < users; user += 1) {
    for (let count = 0; count < (degrees[user] as number);) {
      const item = draw();
      if (lastUser[item] === user) continue;
      lastUser[item] = user;
      userOf[entry] = user;
      itemOf[entry] = item;
      entry += 1;
      count += 1;
    }
  }
  return buildMatrix({ users: userOf, items: itemOf, weights: new Float32Array(nnz).fill(1) }, users, items);
}

/** Peak resident memory in MB: VmHWM where Linux has it, else the largest of the samples. */
export function peakRssMb(sampled: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Math.max(sampled, Number(match[1]) / 1024);
  } catch {
    // not Linux: the samples are all there is
  }
  return sampled;
}

/** The measurement itself, in the child process. */
async function probe(settings: Settings): Promise<Record<string, number>> {
  let sampled = 0;
  const sample = (): void => {
    sampled = Math.max(sampled, process.memoryUsage.rss() / 2 ** 20);
  };
  const timer = setInterval(sample, 50);
  const matrix = syntheticMatrix(settings.users, settings.items, settings.nnz, settings.seed);
  sample();
  const options = { factors: settings.factors, iterations: settings.iterations };
  let started = performance.now();
  const pool = settings.threads > 1 ? new AlsPool(settings.threads) : undefined;
  try {
    const model = pool ? await pool.fit(matrix, options) : await fitAls(matrix, options, { threads: 1 });
    const fitSeconds = (performance.now() - started) / 1000;
    sample();
    started = performance.now();
    const all = pool ? await pool.recommendAll(model, 20) : await recommendAllAls(model, 20, { threads: 1 });
    const recommendSeconds = (performance.now() - started) / 1000;
    if (all.items.length !== settings.users * 20) throw new Error('recommendAll returned the wrong shape');
    sample();
    return {
      fit_s: Number(fitSeconds.toFixed(2)),
      s_per_iteration: Number((fitSeconds / Math.max(1, settings.iterations)).toFixed(3)),
      recommend_all_s: Number(recommendSeconds.toFixed(2)),
      peak_rss_mb: Math.round(peakRssMb(sampled)),
    };
  } finally {
    clearInterval(timer);
    await pool?.close();
  }
}

/** Runs the benchmark in a fresh process and returns the JSON line's object. */
export async function runAlsBench(args: string[]): Promise<Record<string, number>> {
  const settings = settingsOf(args);
  return runInFreshProcess<Record<string, number>>(here, settings);
}

await answerProbe(here, probe);
