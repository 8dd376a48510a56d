/**
 * The candidate assembly that serving's personalised list and `lumin eval --cold` share: what it asks of
 * each source, when it gives up, and which weights it hands the fusion. And that both really use it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../../scripts/import-cycles';
import type { SourceCandidate } from '../../shared/recommend/blend';
import {
  COLD_POSITIVES,
  COLD_WEIGHTS,
  type CandidateProviders,
  PER_SOURCE,
  SIMILAR_PER_SEED,
  SIMILAR_SEEDS,
  WARM_WEIGHTS,
  candidateSources,
  similarSeeds,
} from '../../shared/recommend/candidate-sources';

const root = join(import.meta.dirname, '..', '..');
const list = (prefix: string, count: number, score = 1): SourceCandidate[] =>
  Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}`, score: score + count - index }));

/** Providers that record what they were asked. */
function recording(overrides: Partial<CandidateProviders> = {}) {
  const asked: string[] = [];
  const providers: CandidateProviders = {
    content: (limit) => {
      asked.push(`content ${limit}`);
      return list('c', 2);
    },
    collaborative: {
      recommend: (limit) => {
        asked.push(`recommend ${limit}`);
        return list('r', 2);
      },
      similar: (id, limit) => {
        asked.push(`similar ${id} ${limit}`);
        return [{ id: `near-${id}`, score: 0.5 }];
      },
    },
    popular: async (limit) => {
      asked.push(`popular ${limit}`);
      return [
        { id: 'loved', score: 3 },
        { id: 'owned-only', score: 0 },
      ];
    },
    ...overrides,
  };
  return { asked, providers };
}

describe('candidateSources', () => {
  it('asks each source for PER_SOURCE, the similar source around the three most liked books', async () => {
    const weights = new Map([
      ['a', 0.5],
      ['disliked', -1],
      ['b', 1],
      ['c', 0.8],
      ['d', 0.2],
    ]);
    const { asked, providers } = recording();
    const set = await candidateSources(weights, providers);
    expect(asked).toEqual([
      `content ${PER_SOURCE}`,
      `recommend ${PER_SOURCE}`,
      ...['b', 'c', 'a'].map((book) => `similar ${book} ${SIMILAR_PER_SEED}`),
      `popular ${PER_SOURCE}`,
    ]);
    expect(SIMILAR_SEEDS).toBe(3);
    expect(set?.sources).toEqual({
      content: list('c', 2),
      collaborative: list('r', 2),
      similar: ['b', 'c', 'a'].map((book) => ({ id: `near-${book}`, score: 0.5 })),
      // Popularity without evidence (score 0) is no evidence of taste.
      popular: [{ id: 'loved', score: 3 }],
    });
    expect(set?.weights).toBe(COLD_WEIGHTS);
  });

  it('gives warm weights from five positives on, whatever the negatives', async () => {
    const weights = (positives: number) =>
      new Map([
        ...Array.from({ length: positives }, (_, index) => [`liked${index}`, 1] as const),
        ['disliked', -1] as const,
      ]);
    const { providers } = recording();
    expect((await candidateSources(weights(COLD_POSITIVES - 1), providers))?.weights).toBe(COLD_WEIGHTS);
    expect((await candidateSources(weights(COLD_POSITIVES), providers))?.weights).toBe(WARM_WEIGHTS);
  });

  it('has nothing to personalise with when neither content nor a model proposes a book', async () => {
    const { asked, providers } = recording({ content: () => [], collaborative: null });
    expect(await candidateSources(new Map([['a', 1]]), providers)).toBeNull();
    // Popularity alone is the chain's later fallback, not a personalised list: it is not even asked.
    expect(asked).toEqual([]);
    const withModel = recording({ content: () => [] });
    expect((await candidateSources(new Map(), withModel.providers))?.sources.similar).toEqual([]);
  });

  it('seeds the similar source by strongest weight, ties in the reader’s order', () => {
    expect(
      similarSeeds(
        new Map([
          ['x', 1],
          ['y', 2],
          ['z', 1],
          ['w', 1],
        ]),
      ),
    ).toEqual(['y', 'x', 'z']);
  });

  it('is what both serving and lumin eval --cold assemble with, and nothing else defines its figures', () => {
    const graph = importGraph(root, ['workers', 'shared']);
    const shared = join(root, 'shared/recommend/candidate-sources.ts');
    for (const user of ['workers/db/recommend/serve.ts', 'workers/offline/hybrid-eval.ts']) {
      const edges = graph.get(join(root, user)) ?? [];
      expect(
        edges.some((edge) => edge.to === shared && !edge.typeOnly),
        user,
      ).toBe(true);
      expect(readFileSync(join(root, user), 'utf8')).toMatch(/await candidateSources\(/);
    }
    // The weights, limits and seeds are defined once: in candidate-sources.ts.
    const definition =
      /\b(?:const|let)\s+(?:(?:COLD|WARM|SOURCE)_WEIGHTS|PER_SOURCE|SIMILAR_(?:SEEDS|PER_SEED|PER_BOOK)|LIKED_SEEDS)\b/;
    const others = [...graph.keys()].filter(
      (file) => file !== shared && definition.test(readFileSync(file, 'utf8')),
    );
    expect(others.map((file) => file.slice(root.length + 1))).toEqual([]);
  });
});
