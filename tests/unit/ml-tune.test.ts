/** `--algo auto`'s search: its space, its validation-only decisions, and its executors. */
import { describe, expect, it } from 'vitest';
import { buildMatrix } from '../../shared/ml/matrix';
import { seededRandom } from '../../shared/ml/split';
import {
  type FoldExecutor,
  createChoice,
  describeChoice,
  foldSplit,
  runFoldTask,
  searchSpace,
  tune,
} from '../../shared/ml/tune';

/** 60 users in 3 taste blocks of 10 items; each user has read 6 of their block's items. */
function blocks() {
  const random = seededRandom(11);
  const users: number[] = [];
  const items: number[] = [];
  for (let user = 0; user < 60; user += 1) {
    const block = user % 3;
    const own = Array.from({ length: 10 }, (_, index) => block * 10 + index).sort(() => random() - 0.5);
    for (const item of own.slice(0, 6)) {
      users.push(user);
      items.push(item);
    }
  }
  return buildMatrix({ users, items, weights: users.map(() => 1) }, 60, 30);
}

describe('searchSpace', () => {
  it('is deterministic, starts ALS from its defaults, and keeps fixed ALS options', () => {
    const space = searchSpace({ seed: 3, alsTrials: 5, fixed: { factors: 8, neighbours: 3 } });
    expect(searchSpace({ seed: 3, alsTrials: 5, fixed: { factors: 8, neighbours: 3 } })).toEqual(space);
    const als = space.filter((candidate) => candidate.algo === 'als');
    expect(als.length).toBeGreaterThan(1);
    expect(als.every((candidate) => candidate.options.factors === 8 && candidate.options.seed === 3)).toBe(
      true,
    );
    // Fixed options are for ALS only.
    expect(space.filter((candidate) => candidate.algo === 'knn').map((c) => c.options.neighbours)).toContain(
      25,
    );
    expect(space.filter((candidate) => candidate.algo === 'pop')).toHaveLength(1);
  });

  it('leaves EASE^R out above easeMaxItems, and other algorithms out when asked', () => {
    expect(searchSpace({ easeMaxItems: 10 }, 11).some((candidate) => candidate.algo === 'ease')).toBe(false);
    expect(searchSpace({}, 11).some((candidate) => candidate.algo === 'ease')).toBe(true);
    expect(new Set(searchSpace({ algorithms: ['knn'] }).map((candidate) => candidate.algo))).toEqual(
      new Set(['knn']),
    );
  });
});

describe('tune', () => {
  const train = blocks();

  it('decides on validation folds carved from the training matrix only', () => {
    const { train: fitPart, test: validation } = foldSplit(train, 42, 0);
    expect(fitPart.userIndices.length + validation.userIndices.length).toBe(train.userIndices.length);
    expect(Array.from(foldSplit(train, 42, 1).test.userIndices)).not.toEqual(
      Array.from(validation.userIndices),
    );
  });

  it('beats popularity on planted tastes, and the same tasks give the same answer on any executor', async () => {
    const options = { seed: 5, alsTrials: 3, folds: 2 };
    const inThread = await tune(train, options);
    const pop = inThread.trials.find((trial) => trial.algo === 'pop');
    expect(inThread.choice.ndcg).toBeGreaterThan((pop?.ndcg ?? 1) + 0.1);
    expect(inThread.trials.length).toBe(searchSpace(options, train.items).length);
    expect(inThread.blends.length).toBeGreaterThan(0);

    let calls = 0;
    // Tasks answered in reverse order, as a pool of threads might finish them, then put back in place.
    const shuffled: FoldExecutor = async (tasks) => {
      calls += 1;
      const answers = tasks
        .map((task, index) => ({ index, result: runFoldTask(train, 5, 10, task) }))
        .reverse();
      return answers.sort((a, b) => a.index - b.index).map((answer) => answer.result);
    };
    const pooled = await tune(train, { ...options, executor: shuffled });
    // One call per batch of each algorithm (cheapest first), then one for the blends.
    expect(calls).toBe(inThread.trials.length + 1);
    expect(pooled.choice).toEqual(inThread.choice);
    expect(pooled.trials.map((trial) => trial.ndcg)).toEqual(inThread.trials.map((trial) => trial.ndcg));
  });

  it('stays within its budget: the cheap models run, the rest are reported as skipped, with the reason', async () => {
    const tight = await tune(train, { seed: 5, alsTrials: 3, folds: 2, budgetSeconds: 1e-6 });
    expect(tight.trials[0]).toMatchObject({ algo: 'pop' });
    expect(tight.trials[0]?.skipped).toBeUndefined();
    const skipped = tight.trials.filter((trial) => trial.skipped !== undefined);
    expect(skipped.length).toBe(tight.trials.length - 1);
    expect(skipped[0]?.skipped).toMatch(/^budget: /);
    expect(tight.choice.members).toEqual([{ algo: 'pop', options: {}, weight: 1 }]);
    expect(tight.reason).toMatch(
      /pop\(\) had the best validation NDCG@10 .* did not fit the 0.000001 s budget/,
    );
  });

  it('refuses an empty search', async () => {
    await expect(tune(train, { algorithms: [] })).rejects.toThrow(/no candidate/);
  });
});

describe('choices', () => {
  it('describe themselves with the defaults filled in, and build the model they name', () => {
    const single = { members: [{ algo: 'ease' as const, options: { lambda: 250 }, weight: 1 }], ndcg: 0 };
    expect(describeChoice(single)).toBe('ease(lambda=250, neighbours=500)');
    expect(describeChoice({ members: [{ algo: 'knn', options: {}, weight: 1 }] })).toBe(
      'knn(neighbours=100, shrink=10, asymmetry=0.5)',
    );
    const blend = {
      members: [
        { algo: 'ease' as const, options: { lambda: 250 }, weight: 0.5 },
        { algo: 'als' as const, options: { factors: 8, seed: 1 }, weight: 0.5 },
      ],
      ndcg: 0,
    };
    expect(describeChoice(blend)).toBe(
      '0.5×ease(lambda=250, neighbours=500) + 0.5×als(factors=8, iterations=15, regularization=0.01, alpha=1)',
    );
    expect(createChoice(single).name).toBe('ease');
    expect(createChoice(blend).name).toBe('blend');
  });
});
