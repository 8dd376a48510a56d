/**
 * Hyper-parameter search for `--algo auto`. Everything is decided on validation splits carved from the
 * training matrix alone (per user 80/20, `splitPerUser` with seeds derived from the caller's), never on
 * any test set: grids over item-kNN, RP3beta and EASE^R, a seeded random search over ALS, then blends of
 * the best configuration of each algorithm. Two folds, averaged, because on MovieLens 100K one fold's
 * choice between neighbouring configurations was mostly noise. Cheap models go first and a time budget
 * (`budgetSeconds`) stops the search before a batch that would overrun it, so a slow model is skipped
 * (and reported) rather than the search running on. The caller refits the winner on all the training data.
 */
import { type BlendMember, createBlend } from './blend';
import { EXACT_SECONDS, type EaseFamilyChoice, chooseEaseMethod, exactSeconds } from './ease-family';
import { evaluateRanking } from './metrics';
import type { InteractionMatrix, Recommender } from './recommender';
import {
  type AlgorithmName,
  type RecommenderOptions,
  DEFAULT_OPTIONS,
  OPTION_KEYS,
  RECOMMENDERS,
  pickOptions,
} from './registry';
import { sansaSeconds } from './sansa';
import { type TrainTest, seededRandom, splitPerUser } from './split';
import { blendScores, blendWeightings } from './tune-blend';
import type { Candidate, FoldExecutor, FoldTask, FoldTaskResult } from './tune-folds';

export type { Candidate, FoldExecutor, FoldTask, FoldTaskResult } from './tune-folds';

/** A configuration's validation score. */
export interface Trial extends Candidate {
  /** NDCG@k on the validation split. */
  ndcg: number;
  /** Seconds to fit on the validation's training part. */
  fitSeconds: number;
  /** Why it was not tried (the budget); its ndcg and fitSeconds are then 0. */
  skipped?: string;
}

/** What `tune` chose: one member of weight 1, or a blend. */
export interface Choice {
  members: BlendMember[];
  /** Its NDCG@k on the validation folds (averaged). */
  ndcg: number;
}

/** Options of `searchSpace` and `tune`. */
export interface TuneOptions {
  /** Seeds the validation split, the ALS draws and ALS's initialisation (default 42). */
  seed?: number;
  /** The cut-off of the validation NDCG (default 10). */
  k?: number;
  /**
   * Algorithms to consider (default pop, knn, rp3, ease, als). `ease` is the EASE family: exact EASE^R
   * when one fit is affordable, SANSA past that (`ease-family.ts`); `sansa` adds SANSA in any case.
   */
  algorithms?: readonly AlgorithmName[];
  /** Options every candidate keeps, e.g. `--factors 64` given with `--algo auto` (ALS keys only). */
  fixed?: RecommenderOptions;
  /** ALS configurations drawn at random from the grid (default 40, plus the defaults). */
  alsTrials?: number;
  /** Validation folds, each its own seeded 80/20 split of the training matrix (default 2). */
  folds?: number;
  /** Whether to try blends of the best models (default true). */
  blend?: boolean;
  /**
   * The EASE family is searched only when min(items, users) is at most this (default: always; past the
   * exact inverse's estimate it is SANSA, see `easeFamilyOf`).
   */
  easeMaxItems?: number;
  /**
   * Seconds the search may take (default unlimited); a batch whose estimated time would pass 85% of it is
   * skipped, leaving the rest for the blends and the caller's refit.
   */
  budgetSeconds?: number;
  /** How many tasks the executor runs at once (its threads), for the budget's estimates (default 1). */
  parallelism?: number;
  /** Called after each trial, e.g. for progress. */
  onTrial?: (trial: Trial) => void;
}

/** The outcome of a search. */
export interface TuneResult {
  /** The best single configuration or blend (refit it on all the training data). */
  choice: Choice;
  /** Every configuration tried, in order, with NDCG@k averaged over the folds. */
  trials: Trial[];
  /** Every blend tried. */
  blends: Choice[];
  /** Validation users (with at least one held-out item). */
  validationUsers: number;
  /** Which member of the EASE family was searched, and why (absent when neither was). */
  easeFamily?: EaseFamilyChoice;
  seconds: number;
  /** Why the choice won, in one sentence. */
  reason: string;
}

const KNN_GRID = { neighbours: [25, 50, 100, 200], asymmetry: [0.5, 0.75, 0.9], shrink: [10] };
const RP3_GRID = { walkExponent: [0.6, 1], popularityExponent: [0.2, 0.4, 0.6] };
// The middle first: with a tight budget only the first few are fitted.
const EASE_GRID = { lambda: [400, 200, 800, 100, 1600] };
// A range wide enough for implicit-feedback ALS on small and medium data; measured peaks on MovieLens
// 100K sit at high regularisation with a small alpha.
const ALS_GRID = {
  factors: [16, 32, 64, 128, 256],
  regularization: [0.01, 0.1, 1, 5, 10, 25, 50, 100],
  alpha: [0.5, 1, 2, 5, 10, 20],
  iterations: [15],
};

function product(grid: Record<string, number[]>): RecommenderOptions[] {
  let combinations: RecommenderOptions[] = [{}];
  for (const [key, values] of Object.entries(grid))
    combinations = combinations.flatMap((partial) => values.map((value) => ({ ...partial, [key]: value })));
  return combinations;
}

/**
 * The EASE family's member for a matrix of this shape under `options`: exact EASE^R when one fit is
 * estimated within EXACT_SECONDS and, under a budget, one λ on every fold (fit and evaluation, about
 * twice the fit) within a quarter of it; else SANSA. Null when EASE is not searched.
 */
export function easeFamilyOf(
  options: TuneOptions,
  items: number,
  users: number,
  entries: number,
): EaseFamilyChoice | null {
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  if (!algorithms.includes('ease') || Math.min(items, users) > (options.easeMaxItems ?? Infinity))
    return null;
  const folds = options.folds ?? 2;
  const budgetShare = ((options.budgetSeconds ?? Infinity) * 0.85) / 4 / (2 * folds);
  return chooseEaseMethod({ items, users, entries }, Math.min(EXACT_SECONDS, budgetShare));
}

const DEFAULT_ALGORITHMS: readonly AlgorithmName[] = ['pop', 'knn', 'rp3', 'ease', 'als'];

/**
 * The configurations `tune` tries, in order; deterministic for the same options. `entries` (the
 * matrix's interactions) feeds the EASE family's estimate.
 */
export function searchSpace(options: TuneOptions = {}, items = 0, users = items, entries = 0): Candidate[] {
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const seed = options.seed ?? 42;
  const fixedAls = pickOptions(options.fixed ?? {}, OPTION_KEYS.als);
  const candidates: Candidate[] = [];
  if (algorithms.includes('pop')) candidates.push({ algo: 'pop', options: {} });
  if (algorithms.includes('knn'))
    for (const knn of product(KNN_GRID)) candidates.push({ algo: 'knn', options: knn });
  if (algorithms.includes('rp3'))
    for (const rp3 of product(RP3_GRID)) candidates.push({ algo: 'rp3', options: rp3 });
  const family = easeFamilyOf(options, items, users, entries);
  if (family) for (const ease of product(EASE_GRID)) candidates.push({ algo: family.algo, options: ease });
  if (algorithms.includes('sansa') && family?.algo !== 'sansa')
    for (const sansa of product(EASE_GRID)) candidates.push({ algo: 'sansa', options: sansa });
  if (algorithms.includes('als')) {
    const grid = product(ALS_GRID);
    const random = seededRandom(seed ^ 0x9e3779b9);
    // A seeded shuffle, then the first draws: a random search without repeats.
    for (let index = grid.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [grid[index], grid[other]] = [grid[other] as RecommenderOptions, grid[index] as RecommenderOptions];
    }
    const seen = new Set<string>();
    for (const drawn of [{}, ...grid.slice(0, options.alsTrials ?? 40)]) {
      const als = { ...drawn, ...fixedAls, seed: fixedAls.seed ?? seed };
      const key = JSON.stringify(als);
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push({ algo: 'als', options: als });
    }
  }
  return candidates;
}

/** The validation split of fold `fold`: a per-user 80/20 split of the training matrix, seeded per fold. */
export function foldSplit(train: InteractionMatrix, seed: number, fold: number): TrainTest {
  return splitPerUser(train, { seed: (seed + 0x5bd1 + fold * 0x9e37) >>> 0 });
}

const foldCache = new WeakMap<InteractionMatrix, Map<string, TrainTest>>();

/** Runs one task on this thread; fold splits are cached per training matrix. */
export function runFoldTask(
  train: InteractionMatrix,
  seed: number,
  k: number,
  task: FoldTask,
): FoldTaskResult {
  let splits = foldCache.get(train);
  if (!splits) foldCache.set(train, (splits = new Map()));
  const key = `${seed}:${task.fold}`;
  let split = splits.get(key);
  if (!split) splits.set(key, (split = foldSplit(train, seed, task.fold)));
  const { train: fitPart, test: validation } = split;
  const fitted = (candidate: Candidate) => {
    const model = RECOMMENDERS[candidate.algo](candidate.options);
    const started = Date.now();
    model.fit(fitPart);
    return { model, seconds: (Date.now() - started) / 1000 };
  };
  if (task.kind === 'candidates') {
    const result: FoldTaskResult = { ndcg: [], fitSeconds: [], users: 0 };
    for (const candidate of task.candidates) {
      const { model, seconds } = fitted(candidate);
      const scores = evaluateRanking(model, validation, { k, recallK: k });
      result.ndcg.push(scores.ndcg);
      result.fitSeconds.push(seconds);
      result.users = scores.users;
    }
    return result;
  }
  const models = task.members.map((member) => fitted(member).model);
  return blendScores(models, task.weightings, validation, k);
}

/** The default executor: every task in order on this thread. */
function inThread(train: InteractionMatrix, seed: number, k: number): FoldExecutor {
  return (tasks) => Promise.resolve(tasks.map((task) => runFoldTask(train, seed, k, task)));
}

// Cheap algorithms first: under a budget, what is skipped is the costly tail.
const STAGES: readonly AlgorithmName[] = ['pop', 'knn', 'rp3', 'ease', 'sansa', 'als'];

/** A priori seconds of one fit before any was measured: the EASE family's estimates, else a millisecond. */
function firstEstimate(algo: AlgorithmName, train: InteractionMatrix): number {
  const shape = { items: train.items, users: train.users, entries: train.userIndices.length };
  if (algo === 'ease') return exactSeconds(shape);
  // No fit is free: with a millisecond clock an unmeasured stage that estimated 0 s would slip under
  // any budget, however small (a tight budget then tried a model it should have skipped).
  return algo === 'sansa' ? sansaSeconds(shape) : 0.001;
}

/**
 * Searches `searchSpace` on `folds` validation splits of `train` (default 2) and returns the best
 * configuration or blend by NDCG@k averaged over the folds. Algorithms run cheapest first, in batches of
 * `parallelism` configurations; under `budgetSeconds` a batch whose estimated time (its algorithm's mean
 * fit so far, or an a priori cost for EASE^R) would pass 85% of the budget is skipped with the rest of
 * its algorithm. Blends: the best configuration of each algorithm other than popularity, in pairs
 * (weights 0.3, 0.5, 0.7 for the best pair, 0.5 for the others) and all together (equal weights, and
 * 0.4/0.4/0.2 favouring the best two), when the budget still allows refitting them.
 */
export async function tune(
  train: InteractionMatrix,
  options: TuneOptions & { executor?: FoldExecutor } = {},
): Promise<TuneResult> {
  const started = Date.now();
  const seed = options.seed ?? 42;
  const k = options.k ?? 10;
  const folds = options.folds ?? 2;
  const parallelism = Math.max(1, options.parallelism ?? 1);
  const deadline = (options.budgetSeconds ?? Infinity) * 0.85;
  const elapsed = () => (Date.now() - started) / 1000;
  const run = options.executor ?? inThread(train, seed, k);
  const entries = train.userIndices.length;
  const candidates = searchSpace(options, train.items, train.users, entries);
  const easeFamily = easeFamilyOf(options, train.items, train.users, entries) ?? undefined;
  if (candidates.length === 0) throw new RangeError('tune: no candidate to try (no algorithm selected)');
  const trials: Trial[] = candidates.map((candidate) => ({ ...candidate, ndcg: 0, fitSeconds: 0 }));
  let validationUsers = 0;
  for (const algo of STAGES) {
    const stage = trials.filter((trial) => trial.algo === algo);
    const batch = algo === 'pop' ? 1 : parallelism;
    for (let first = 0; first < stage.length; first += batch) {
      const group = stage.slice(first, first + batch);
      const measured = stage.slice(0, first).map((trial) => trial.fitSeconds);
      // A fit's mean so far; evaluation roughly doubles it (one ranking per validation user).
      const perFit = measured.length
        ? (2 * measured.reduce((sum, value) => sum + value, 0)) / measured.length
        : firstEstimate(algo, train);
      const estimate = (perFit * group.length * folds) / parallelism;
      // The first batch always runs, so there is something to choose.
      if (validationUsers > 0 && elapsed() + estimate > deadline) {
        const reason =
          `budget: ${Math.max(0, deadline - elapsed()).toFixed(1)} s of the search left, ` +
          `these would take about ${estimate.toFixed(1)} s`;
        for (const trial of stage.slice(first)) trial.skipped = reason;
        break;
      }
      const tasks: FoldTask[] = [];
      for (let fold = 0; fold < folds; fold += 1)
        for (const trial of group)
          tasks.push({
            kind: 'candidates',
            fold,
            candidates: [{ algo: trial.algo, options: trial.options }],
          });
      const results = await run(tasks);
      results.forEach((result, index) => {
        const trial = group[index % group.length] as Trial;
        trial.ndcg += (result.ndcg[0] ?? 0) / folds;
        trial.fitSeconds += (result.fitSeconds[0] ?? 0) / folds;
        validationUsers ||= result.users;
      });
    }
  }
  for (const trial of trials) options.onTrial?.(trial);
  const tried = trials.filter((trial) => trial.skipped === undefined);
  const best = new Map<AlgorithmName, Trial>();
  for (const trial of tried) {
    const found = best.get(trial.algo);
    if (!found || trial.ndcg > found.ndcg) best.set(trial.algo, trial);
  }
  const ranked = [...best.values()].sort((a, b) => b.ndcg - a.ndcg);
  const top = ranked[0] as Trial;
  let choice: Choice = { members: [{ algo: top.algo, options: top.options, weight: 1 }], ndcg: top.ndcg };
  const blends: Choice[] = [];
  const personalised = ranked.filter((trial) => trial.algo !== 'pop');
  const refits = personalised.reduce((sum, trial) => sum + 2 * trial.fitSeconds, 0) * folds;
  const blendAffordable = elapsed() + refits / Math.min(parallelism, folds) <= deadline;
  if (options.blend !== false && personalised.length >= 2 && blendAffordable) {
    const weightings = blendWeightings(personalised.length);
    const members = personalised.map(({ algo, options: settings }) => ({ algo, options: settings }));
    const blendResults = await run(
      Array.from({ length: folds }, (_, fold) => ({ kind: 'blends' as const, fold, members, weightings })),
    );
    weightings.forEach((weights, index) => {
      let ndcg = 0;
      for (const result of blendResults) ndcg += (result.ndcg[index] ?? 0) / folds;
      const blend: Choice = {
        members: weights.flatMap((weight, member) => {
          const trial = personalised[member] as Trial;
          return weight > 0 ? [{ algo: trial.algo, options: trial.options, weight }] : [];
        }),
        ndcg,
      };
      blends.push(blend);
      if (ndcg > choice.ndcg) choice = blend;
    });
  }
  const skipped = trials.length - tried.length;
  const runnerUp = ranked.find((trial) => trial.algo !== top.algo);
  const reason =
    `${describeChoice(choice)} had the best validation NDCG@${k} (${choice.ndcg.toFixed(4)}) of ` +
    `${tried.length} configurations and ${blends.length} blends on ${folds} folds of the training data` +
    (runnerUp ? `; the best other algorithm was ${runnerUp.algo} at ${runnerUp.ndcg.toFixed(4)}` : '') +
    (skipped ? `; ${skipped} configurations did not fit the ${options.budgetSeconds} s budget` : '') +
    (!blendAffordable && personalised.length >= 2 ? '; blends did not fit the budget' : '') +
    (easeFamily ? `; EASE family: ${easeFamily.reason}` : '');
  return { choice, trials, blends, validationUsers, seconds: elapsed(), reason, easeFamily };
}

/** An unfitted recommender for a choice: the model itself for one member, else a blend. */
export function createChoice(choice: Choice): Recommender {
  const [only] = choice.members;
  if (choice.members.length === 1 && only) return RECOMMENDERS[only.algo](only.options);
  return createBlend(choice.members);
}

/** `ease(lambda=500)` (defaults filled in), or `0.5×ease(lambda=500) + 0.5×als(factors=128, …)` for a blend. */
export function describeChoice(choice: Pick<Choice, 'members'>): string {
  const describe = (member: BlendMember) => {
    const settings = Object.entries({ ...DEFAULT_OPTIONS[member.algo], ...member.options })
      .filter(([key]) => key !== 'seed')
      .map(([key, value]) => `${key}=${Number(value.toPrecision(6))}`);
    return `${member.algo}(${settings.join(', ')})`;
  };
  if (choice.members.length === 1 && choice.members[0]) return describe(choice.members[0]);
  return choice.members
    .map((member) => `${Number(member.weight.toFixed(3))}×${describe(member)}`)
    .join(' + ');
}
