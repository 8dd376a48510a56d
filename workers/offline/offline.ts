/**
 * Offline recommendation and evaluation on interaction files, without a data directory or the core:
 * `offlineRecs` trains on a `user<TAB>item[<TAB>weight]` file and writes every user's top-k;
 * `evaluate` runs the MovieLens protocol of ../shared/data/README.md over every algorithm.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { LuminFailure } from '../../shared/contract/errors';
import { bootstrapInterval, evaluateRanking } from '../../shared/ml/metrics';
import type { InteractionMatrix, Recommender } from '../../shared/ml/recommender';
import {
  type AlgorithmName,
  type RecommenderOptions,
  ALGORITHMS,
  RECOMMENDERS,
} from '../../shared/ml/registry';
import { binarize, splitPerUser } from '../../shared/ml/split';
import {
  type ParsedInteractions,
  TsvError,
  formatRecommendations,
  parseInteractions,
} from '../../shared/ml/tsv';
import { type TuneOptions, type TuneResult, createChoice, describeChoice, tune } from '../../shared/ml/tune';
import { defaultThreads, withTunePool } from './tune-pool';

/** `--algo` values: a registered algorithm or `auto` (tuned on a validation split). */
export type OfflineAlgorithm = AlgorithmName | 'auto';

/** Every `--algo` value. */
export const OFFLINE_ALGORITHMS: readonly OfflineAlgorithm[] = [...ALGORITHMS, 'auto'];

/** Options of `offlineRecs`; the ALS hyper-parameters apply to `als`, and fix them for `auto`. */
export interface OfflineRecsOptions {
  train: string;
  out: string;
  /** Recommendations per user (default 20). */
  k?: number;
  /** Default `als`. */
  algo?: OfflineAlgorithm;
  factors?: number;
  iterations?: number;
  regularization?: number;
  alpha?: number;
  /** Seeds ALS and, for `auto`, the validation split and the random search (default 42). */
  seed?: number;
  /** Worker threads for `auto`'s search (default: the cores, at most 4; 1 searches on this thread). */
  threads?: number;
  /** Seconds `auto`'s search may take (default 120). */
  budgetSeconds?: number;
}

/** One configuration `auto` tried (or skipped), as reported. */
export interface SearchTrial {
  algo: string;
  /** e.g. `rp3(walkExponent=0.6, popularityExponent=0.4, neighbours=200)`. */
  model: string;
  /** NDCG@10 averaged over the validation folds (absent when skipped). */
  validationNdcg?: number;
  fitSeconds?: number;
  skipped?: string;
}

/** What `auto` did: every candidate, every blend, the choice and why. */
export interface SearchReport {
  choice: string;
  validationNdcg: number;
  reason: string;
  budgetSeconds: number;
  seconds: number;
  trials: SearchTrial[];
  blends: { model: string; validationNdcg: number }[];
}

/** Default seconds of `auto`'s search (2 cores, up to about 200,000 interactions). */
export const DEFAULT_BUDGET_SECONDS = 120;

/** The report of a search. */
export function searchReport(tuned: TuneResult, budgetSeconds: number): SearchReport {
  return {
    choice: describeChoice(tuned.choice),
    validationNdcg: tuned.choice.ndcg,
    reason: tuned.reason,
    budgetSeconds,
    seconds: tuned.seconds,
    trials: tuned.trials.map((trial) => ({
      algo: trial.algo,
      model: describeChoice({ members: [{ ...trial, weight: 1 }] }),
      ...(trial.skipped === undefined
        ? { validationNdcg: trial.ndcg, fitSeconds: trial.fitSeconds }
        : { skipped: trial.skipped }),
    })),
    blends: tuned.blends.map((blend) => ({ model: describeChoice(blend), validationNdcg: blend.ndcg })),
  };
}

/** What `offlineRecs` did. */
export interface OfflineRecsSummary {
  out: string;
  users: number;
  items: number;
  interactions: number;
  header: boolean;
  /** Lines written (users × k, less where a user has fewer unseen items than k). */
  lines: number;
  algo: OfflineAlgorithm;
  /** The model fitted, e.g. `ease(lambda=400)`. */
  model: string;
  /** For `auto`: NDCG@10 of the chosen model on the validation split, and how many configurations were tried. */
  validation?: { ndcg: number; trials: number; seconds: number };
  /** For `auto`: every candidate's validation score and fit time, the blends, the choice and why. */
  search?: SearchReport;
  seconds: number;
}

/** `tune` on a pool of worker threads. */
function tuneOn(
  train: InteractionMatrix,
  options: TuneOptions,
  threads = defaultThreads(),
): Promise<TuneResult> {
  const data = { train, seed: options.seed ?? 42, k: options.k ?? 10 };
  return withTunePool(data, threads, (executor) =>
    tune(train, { ...options, parallelism: threads, ...(executor ? { executor } : {}) }),
  );
}

/** Reads and parses an interaction file; problems become one-line `invalid_argument` failures naming it. */
export function readInteractions(path: string): ParsedInteractions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LuminFailure('not_found', `${path}: no such file`);
    if (code === 'EISDIR') throw new LuminFailure('invalid_argument', `${path}: is a directory, not a file`);
    throw new LuminFailure(
      'invalid_argument',
      `${path}: cannot be read (${code ?? (error as Error).message})`,
    );
  }
  try {
    return parseInteractions(text);
  } catch (error) {
    if (error instanceof TsvError) throw new LuminFailure('invalid_argument', `${path}: ${error.message}`);
    throw error;
  }
}

/** Writes `text` to `path` through a temporary file in the same folder and a rename. */
function writeAtomically(path: string, text: string): void {
  const target = resolve(path);
  const folder = dirname(target);
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new LuminFailure('invalid_argument', `${path}: the folder ${folder} does not exist`);
  }
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new LuminFailure('invalid_argument', `${path}: cannot be written (${(error as Error).message})`);
  }
}

/** Fits `model`, turning an algorithm's refusal (e.g. EASE on too many items) into a one-line failure. */
function fitOrFail(model: Recommender, matrix: InteractionMatrix): void {
  try {
    model.fit(matrix);
  } catch (error) {
    if (error instanceof RangeError) throw new LuminFailure('invalid_argument', error.message);
    throw error;
  }
}

/** Top-k of every user, by index; ALS scores users in batches when it can. */
function allTopK(model: Recommender, users: number, k: number): number[][] {
  const batched = model as Partial<{ recommendAll(k: number): { k: number; items: Int32Array } }>;
  if (typeof batched.recommendAll === 'function') {
    const all = batched.recommendAll(k);
    return Array.from({ length: users }, (_, user) =>
      Array.from(all.items.subarray(user * all.k, user * all.k + all.k)).filter((item) => item >= 0),
    );
  }
  return Array.from({ length: users }, (_, user) =>
    model.recommend(user, { k }).map((scored) => scored.item),
  );
}

function alsOptionsOf(options: OfflineRecsOptions): RecommenderOptions {
  const picked: RecommenderOptions = {};
  for (const key of ['factors', 'iterations', 'regularization', 'alpha', 'seed'] as const)
    if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}

/**
 * Trains on `train` and writes `user<TAB>item<TAB>rank` (ranks 1..k) for every user in it, never an item
 * the user has in training; users appear in the file's order. The output replaces `out` atomically.
 */
export async function offlineRecs(options: OfflineRecsOptions): Promise<OfflineRecsSummary> {
  const started = Date.now();
  const k = options.k ?? 20;
  const algo = options.algo ?? 'als';
  if (resolve(options.train) === resolve(options.out))
    throw new LuminFailure('invalid_argument', '--out must not be the training file');
  const parsed = readInteractions(options.train);
  const fixed = alsOptionsOf(options);
  let model: Recommender;
  let description: string;
  let tuned: TuneResult | undefined;
  if (algo === 'auto') {
    tuned = await tuneOn(
      parsed.matrix,
      { seed: options.seed ?? 42, fixed, budgetSeconds: options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS },
      options.threads,
    );
    model = createChoice(tuned.choice);
    description = describeChoice(tuned.choice);
  } else {
    const settings = algo === 'als' ? { seed: 42, ...fixed } : {};
    model = RECOMMENDERS[algo](settings);
    description = describeChoice({ members: [{ algo, options: settings, weight: 1 }] });
  }
  fitOrFail(model, parsed.matrix);
  const rows = allTopK(model, parsed.matrix.users, k).map((items, user) => ({
    user: parsed.userIds[user] as string,
    items: items.map((item) => parsed.itemIds[item] as string),
  }));
  const text = formatRecommendations(rows);
  writeAtomically(options.out, text);
  return {
    out: options.out,
    users: parsed.matrix.users,
    items: parsed.matrix.items,
    interactions: parsed.interactions,
    header: parsed.header,
    lines: rows.reduce((total, row) => total + row.items.length, 0),
    algo,
    model: description,
    ...(tuned
      ? {
          validation: { ndcg: tuned.choice.ndcg, trials: tuned.trials.length, seconds: tuned.seconds },
          search: searchReport(tuned, options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS),
        }
      : {}),
    seconds: (Date.now() - started) / 1000,
  };
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  data: string;
  /** Cut-off of precision, NDCG and coverage (default 10); recall is at 2k. */
  k?: number;
  /** Seeds the 80/20 split, ALS and `auto`'s search (default 42). */
  seed?: number;
  /** Which algorithms (default pop, knn, ease, als at their defaults; add `auto` for the tuned model). */
  algorithms?: readonly OfflineAlgorithm[];
  /** Worker threads for `auto`'s search (default: the cores, at most 4). */
  threads?: number;
  /** Seconds `auto`'s search may take (default 120). */
  budgetSeconds?: number;
  /** Called as each algorithm finishes. */
  onResult?: (result: EvaluationResult) => void;
}

/** One algorithm's scores on the test split. */
export interface EvaluationResult {
  algo: OfflineAlgorithm;
  /** The model evaluated, e.g. `knn(neighbours=100, shrink=10, asymmetry=0.5)`. */
  model: string;
  /** `precision@k`, `recall@2k`, `ndcg@k`, `coverage@k`; absent when the algorithm was skipped. */
  metrics?: Record<string, number>;
  /** Seconds to fit (for `auto`: the whole search plus the refit). */
  fitSeconds?: number;
  /** For `auto` and its tuned peers: NDCG@k on the validation folds carved from the training part. */
  validationNdcg?: number;
  /** A 95% bootstrap interval of the test NDCG@k over users (1,000 seeded resamples). */
  ndcgInterval?: { low: number; high: number };
  /** A peer of `auto`: the best configuration of this algorithm in auto's search, refit and tested alike. */
  tuned?: boolean;
  /** Why the algorithm was not evaluated (e.g. too many items for EASE^R). */
  skipped?: string;
}

/** The whole evaluation. */
export interface EvaluationReport {
  data: string;
  users: number;
  items: number;
  interactions: number;
  seed: number;
  k: number;
  /** Users with at least one test item, over whom metrics are averaged. */
  testUsers: number;
  results: EvaluationResult[];
}

/**
 * The protocol: every line is one interaction of weight 1 (repeats count once; the third column is
 * ignored); per user a seeded 80% of items trains and the rest tests; each algorithm recommends top-k
 * excluding training items. `auto` tunes on a validation split of the training part only, then refits.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationReport> {
  const k = options.k ?? 10;
  const seed = options.seed ?? 42;
  const parsed = readInteractions(options.data);
  const { train, test } = splitPerUser(binarize(parsed.matrix), { seed });
  const results: EvaluationResult[] = [];
  let testUsers = 0;
  const measure = (
    algo: OfflineAlgorithm,
    model: Recommender,
    description: string,
    extra: Pick<EvaluationResult, 'validationNdcg' | 'tuned'>,
    started: number,
  ) => {
    let result: EvaluationResult;
    try {
      model.fit(train);
      const fitSeconds = (Date.now() - started) / 1000;
      const scores = evaluateRanking(model, test, { k, recallK: 2 * k });
      testUsers = scores.users;
      result = {
        algo,
        model: description,
        metrics: {
          [`precision@${k}`]: scores.precision,
          [`recall@${2 * k}`]: scores.recall,
          [`ndcg@${k}`]: scores.ndcg,
          [`coverage@${k}`]: scores.coverage,
        },
        ndcgInterval: bootstrapInterval(scores.userNdcg, { seed }),
        fitSeconds,
        ...extra,
      };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      result = { algo, model: description, skipped: error.message, ...extra };
    }
    results.push(result);
    options.onResult?.(result);
  };
  for (const algo of options.algorithms ?? ALGORITHMS) {
    const started = Date.now();
    if (algo !== 'auto') {
      const settings = algo === 'als' ? { seed } : {};
      const description = describeChoice({ members: [{ algo, options: settings, weight: 1 }] });
      measure(algo, RECOMMENDERS[algo](settings), description, {}, started);
      continue;
    }
    const budgetSeconds = options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
    const tuned = await tuneOn(train, { seed, k, budgetSeconds }, options.threads);
    const validationNdcg = tuned.choice.ndcg;
    measure('auto', createChoice(tuned.choice), describeChoice(tuned.choice), { validationNdcg }, started);
    // The peers auto weighed, each at its best configuration, refit and tested the same way.
    for (const peer of ALGORITHMS) {
      const trials = tuned.trials.filter((trial) => trial.algo === peer && trial.skipped === undefined);
      const best = trials.sort((a, b) => b.ndcg - a.ndcg)[0];
      if (!best) continue;
      const member = { algo: peer, options: best.options, weight: 1 };
      measure(
        peer,
        RECOMMENDERS[peer](best.options),
        describeChoice({ members: [member] }),
        { validationNdcg: best.ndcg, tuned: true },
        Date.now(),
      );
    }
  }
  return {
    data: options.data,
    users: parsed.matrix.users,
    items: parsed.matrix.items,
    interactions: parsed.interactions,
    seed,
    k,
    testUsers,
    results,
  };
}
