/**
 * `lumin offline-recs` and `lumin eval`: collaborative filtering on interaction files. They read and write
 * only the files named, so they need no data directory and never open the core.
 */
import type { Command } from 'commander';
import { luminError, LuminFailure } from '../../shared/contract/errors';
import {
  type EvaluationReport,
  type HybridEvalReport,
  type OfflineAlgorithm,
  COLD_GROUPS,
  HYBRID_METHODS,
  OFFLINE_ALGORITHMS,
  evaluate,
  offlineRecs,
  runHybridEval,
} from '../../workers/offline';
import { json, table } from '../format';
import { type Output, CommandFailure, usage } from '../session';

interface OfflineRecsFlags {
  train: string;
  out: string;
  k: string;
  algo: string;
  factors?: string;
  iterations?: string;
  regularization?: string;
  alpha?: string;
  seed?: string;
  budgetS?: string;
  json?: boolean;
}

interface EvalFlags {
  data: string;
  k: string;
  seed: string;
  algo: string;
  items?: string;
  cold?: boolean;
  json?: boolean;
  budgetS?: string;
}

const ALS_FLAGS = ['factors', 'iterations', 'regularization', 'alpha'] as const;

/** A whole number ≥ `minimum` from `--name`, or a usage failure. */
function wholeNumber(name: string, raw: string, minimum: number): number {
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < minimum)
    usage(`--${name}: '${raw}' is not a whole number ≥ ${minimum}`);
  return value;
}

/** A finite number ≥ 0 from `--name`, or a usage failure. */
function nonNegative(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0)
    usage(`--${name}: '${raw}' is not a number ≥ 0`);
  return value;
}

/** `--budget-s` as `budgetSeconds`; it applies only to auto. */
function budgetOf(raw: string | undefined, algo: OfflineAlgorithm): { budgetSeconds?: number } {
  if (raw === undefined) return {};
  if (algo !== 'auto') usage('--budget-s applies only to --algo auto');
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0)
    usage(`--budget-s: '${raw}' is not a number > 0`);
  return { budgetSeconds: value };
}

function algorithm(raw: string): OfflineAlgorithm {
  if (!(OFFLINE_ALGORITHMS as readonly string[]).includes(raw))
    usage(`--algo: '${raw}' is not an algorithm; use one of ${OFFLINE_ALGORITHMS.join(', ')}`);
  return raw as OfflineAlgorithm;
}

/** Runs `body`, turning the offline layer's expected failures into the CLI's one-line failures. */
async function failing<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof LuminFailure) throw new CommandFailure(error.toShape());
    if (error instanceof RangeError) throw new CommandFailure(luminError('invalid_argument', error.message));
    throw error;
  }
}

function report(evaluation: EvaluationReport): string {
  const metricNames = [
    `precision@${evaluation.k}`,
    `recall@${2 * evaluation.k}`,
    `ndcg@${evaluation.k}`,
    `coverage@${evaluation.k}`,
  ];
  return [
    `${evaluation.data}: ${evaluation.users} users, ${evaluation.items} items, ${evaluation.interactions} interactions; ` +
      `seed ${evaluation.seed}, averages over ${evaluation.testUsers} test users`,
    table(
      [
        'ALGO',
        ...metricNames.map((name) => name.toUpperCase()),
        `NDCG@${evaluation.k} 95% CI`,
        'VALID NDCG',
        'FIT S',
        'MODEL',
      ],
      evaluation.results.map((result) => [
        result.tuned ? `${result.algo} (tuned)` : result.algo,
        ...metricNames.map((name) => (result.metrics?.[name] ?? Number.NaN).toFixed(4)),
        result.ndcgInterval
          ? `${result.ndcgInterval.low.toFixed(4)}–${result.ndcgInterval.high.toFixed(4)}`
          : null,
        result.validationNdcg === undefined ? null : result.validationNdcg.toFixed(4),
        result.fitSeconds === undefined ? null : result.fitSeconds.toFixed(1),
        result.skipped ? `skipped: ${result.skipped}` : result.model,
      ]),
      // Model descriptions stay whole: they are the hyper-parameters a reader would reuse.
      400,
    ),
  ].join('\n');
}

/** `eval --cold` for people: NDCG and recall per method and number of kept interactions, then the weights. */
function coldReport(evaluation: HybridEvalReport): string {
  const { k, recallK, weights, split } = evaluation;
  const groups = [
    ...COLD_GROUPS.map((group) => ({ name: `n=${group}`, group })),
    { name: 'warm', group: null },
  ];
  const cell = (method: (typeof HYBRID_METHODS)[number], group: (typeof COLD_GROUPS)[number] | null) => {
    const scores = group === null ? evaluation.warm[method] : evaluation.cold[method][group];
    return `${scores.ndcg.toFixed(4)} / ${scores.recall.toFixed(4)}`;
  };
  const show = (named: Record<string, number>) =>
    Object.entries(named)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ');
  return [
    `${evaluation.data}: ${split.testUsers} cold test users (n = 1..4 kept positives each), ${split.warmUsers} warm; ` +
      `${split.validationUsers} validation users; seed ${evaluation.seed}`,
    `NDCG@${k} / RECALL@${recallK}`,
    table(
      ['METHOD', ...groups.map(({ name }) => name.toUpperCase())],
      HYBRID_METHODS.map((method) => [method, ...groups.map(({ group }) => cell(method, group))]),
    ),
    `chosen weights (validation NDCG@${k} ${weights.validation.chosen}): ${show(weights.chosen)}`,
    `pure ALS on validation: ${weights.validation.als}; current SOURCE_WEIGHTS: ${weights.validation.current}`,
  ].join('\n');
}

/** Registers `offline-recs` and `eval`. */
export function registerMlCommands(program: Command, output: Output): void {
  program
    .command('offline-recs')
    .description(
      'train on a user<TAB>item[<TAB>weight] file and write every user’s top-k as user<TAB>item<TAB>rank (no data directory needed)',
    )
    .requiredOption(
      '--train <file>',
      'interactions, one user<TAB>item[<TAB>weight] per line; a header line is skipped',
    )
    .requiredOption('--out <file>', 'where to write the recommendations (replaced atomically)')
    .option('--k <n>', 'recommendations per user', '20')
    .option(
      '--algo <name>',
      `${OFFLINE_ALGORITHMS.join(', ')} (auto tunes on a validation split, ~1 min on ML-100K)`,
      'als',
    )
    .option('--factors <n>', 'ALS latent factors (default 64)')
    .option('--iterations <n>', 'ALS iterations (default 15)')
    .option('--regularization <x>', 'ALS L2 penalty (default 0.01)')
    .option('--alpha <x>', 'ALS confidence slope: c = 1 + alpha·weight (default 1)')
    .option('--seed <n>', 'seed of ALS and of auto’s search (default 42)')
    .option('--budget-s <s>', 'seconds auto’s search may take, cheap models first (default 120)')
    .option(
      '--json',
      'print one JSON object (for auto: every candidate’s validation score and fit time, and the choice)',
    )
    .action(async (flags: OfflineRecsFlags) => {
      const algo = algorithm(flags.algo);
      const given = ALS_FLAGS.filter((name) => flags[name] !== undefined);
      if (given.length > 0 && algo !== 'als' && algo !== 'auto')
        usage(`--${given[0]} applies only to --algo als or auto, not ${algo}`);
      const summary = await failing(() =>
        offlineRecs({
          train: flags.train,
          out: flags.out,
          k: wholeNumber('k', flags.k, 1),
          algo,
          ...(flags.factors === undefined ? {} : { factors: wholeNumber('factors', flags.factors, 1) }),
          ...(flags.iterations === undefined
            ? {}
            : { iterations: wholeNumber('iterations', flags.iterations, 1) }),
          ...(flags.regularization === undefined
            ? {}
            : { regularization: nonNegative('regularization', flags.regularization) }),
          ...(flags.alpha === undefined ? {} : { alpha: nonNegative('alpha', flags.alpha) }),
          ...(flags.seed === undefined ? {} : { seed: wholeNumber('seed', flags.seed, 0) }),
          ...budgetOf(flags.budgetS, algo),
        }),
      );
      if (flags.json) {
        output.out(json(summary));
        return;
      }
      const tuned = summary.validation
        ? `; chosen from ${summary.validation.trials} configurations (validation NDCG@10 ${summary.validation.ndcg.toFixed(4)}): ${summary.search?.reason ?? ''}`
        : '';
      output.out(
        `Wrote ${summary.lines} recommendations for ${summary.users} users (${summary.items} items, ` +
          `${summary.interactions} interactions${summary.header ? ', header skipped' : ''}) to ${summary.out} ` +
          `with ${summary.model}${tuned} in ${summary.seconds.toFixed(1)} s`,
      );
    });

  program
    .command('eval')
    .description(
      'offline evaluation on a user<TAB>item file: seeded per-user 80/20 split, precision, recall, NDCG and coverage per algorithm',
    )
    .requiredOption(
      '--data <file>',
      'interactions (e.g. MovieLens u.data); every line counts once, weights are ignored',
    )
    .option('--k <n>', 'cut-off of precision, NDCG and coverage; recall is at 2k', '10')
    .option('--seed <n>', 'seed of the split, ALS and auto’s search', '42')
    .option(
      '--algo <list>',
      `comma-separated, from ${OFFLINE_ALGORITHMS.join(', ')} (auto tunes on a validation split of the training part)`,
      'pop,knn,rp3,ease,als',
    )
    .option(
      '--items <file>',
      'MovieLens u.item (id|title|…|19 genre flags, Latin-1): titles and genres for --cold',
    )
    .option(
      '--cold',
      'instead of the algorithms: hybrid (content + ALS + popularity, blended as served) vs ALS for readers with 1–4 interactions, with the source weights tuned on a validation split',
    )
    .option('--budget-s <s>', 'seconds auto’s search may take, cheap models first (default 120)')
    .option('--json', 'print one JSON object')
    .action(async (flags: EvalFlags, command: Command) => {
      if (flags.items !== undefined && !flags.cold) usage('--items applies only with --cold');
      if (flags.cold) {
        if (flags.items === undefined) usage('--cold needs --items <file> (MovieLens u.item)');
        if (command.getOptionValueSource('algo') === 'cli') usage('--algo does not apply with --cold');
        const items = flags.items;
        const evaluation = await failing(() =>
          runHybridEval({
            data: flags.data,
            items,
            k: wholeNumber('k', flags.k, 1),
            seed: wholeNumber('seed', flags.seed, 0),
          }),
        );
        output.out(flags.json ? json(evaluation) : coldReport(evaluation));
        return;
      }
      const algorithms = flags.algo.split(',').map((name) => algorithm(name.trim()));
      const evaluation = await failing(() =>
        evaluate({
          data: flags.data,
          k: wholeNumber('k', flags.k, 1),
          seed: wholeNumber('seed', flags.seed, 0),
          algorithms: [...new Set(algorithms)],
          ...budgetOf(flags.budgetS, algorithms.includes('auto') ? 'auto' : 'pop'),
        }),
      );
      output.out(flags.json ? json(evaluation) : report(evaluation));
    });
}
