import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEVEL_FIT_WEIGHT, RRF_K, blendCandidates, levelFactor } from '../../shared/recommend/blend';
import { type MmrCandidate, mmr } from '../../shared/recommend/diversify';

const weights = { content: 1, collaborative: 1, similar: 1, popular: 1 };
const list = (...ids: string[]) => ids.map((id, index) => ({ id, score: 100 - index }));

describe('reciprocal rank fusion', () => {
  it('scores Σ w / (k + rank) and ranks agreement above a single first place', () => {
    const blended = blendCandidates(
      { content: list('a', 'b', 'c'), collaborative: list('b', 'd'), popular: list('c') },
      weights,
    );
    expect(blended.map((item) => item.id)).toEqual(['b', 'c', 'a', 'd']);
    const b = blended[0]!;
    expect(b.fused).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1), 12);
    expect(b.sources).toEqual(['content', 'collaborative']);
    expect(b.best).toBe('collaborative');
    // Without level features every book gets the same factor.
    expect(b.score).toBeCloseTo(b.fused * (1 - LEVEL_FIT_WEIGHT), 12);
  });

  it('ignores the scale of the scores', () => {
    const small = blendCandidates(
      {
        content: [
          { id: 'x', score: 0.31 },
          { id: 'y', score: 0.3 },
        ],
      },
      weights,
    );
    const large = blendCandidates(
      {
        content: [
          { id: 'x', score: 9e6 },
          { id: 'y', score: 1 },
        ],
      },
      weights,
    );
    expect(small.map((item) => item.score)).toEqual(large.map((item) => item.score));
  });

  it('sorts each source by score, drops non-finite scores and duplicate ids', () => {
    const blended = blendCandidates(
      {
        similar: [
          { id: 'low', score: 1 },
          { id: 'high', score: 5 },
          { id: 'nan', score: Number.NaN },
          { id: 'high', score: 0 },
        ],
      },
      weights,
    );
    expect(blended.map((item) => item.id)).toEqual(['high', 'low']);
    expect(blended[0]!.fused).toBeCloseTo(1 / (RRF_K + 1), 12);
  });

  it('applies source weights, skipping zero-weight sources', () => {
    const sources = { content: list('a'), popular: list('p') };
    expect(blendCandidates(sources, { ...weights, popular: 2 })[0]!.id).toBe('p');
    expect(blendCandidates(sources, { ...weights, popular: 0 }).map((item) => item.id)).toEqual(['a']);
    expect(() => blendCandidates(sources, { ...weights, content: -1 })).toThrow(RangeError);
  });

  it('multiplies in level fit', () => {
    const levelFit = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    const blended = blendCandidates({ content: list('a', 'b') }, weights, { levelFit });
    expect(blended.map((item) => item.id)).toEqual(['b', 'a']);
    expect(blended[0]!.score).toBeCloseTo(1 / (RRF_K + 2), 12);
    expect(levelFactor(1)).toBe(1);
    expect(levelFactor(0)).toBe(1 - LEVEL_FIT_WEIGHT);
    expect(levelFactor(0.5, 0.5)).toBe(0.75);
    expect(levelFactor(Number.NaN)).toBe(1 - LEVEL_FIT_WEIGHT);
  });
});

const v = (...values: number[]) => {
  const vector = Float32Array.from(values);
  const length = Math.hypot(...values);
  return vector.map((value) => value / length);
};

describe('maximal marginal relevance', () => {
  const candidates: MmrCandidate[] = [
    { id: 'book-1', score: 1.0, vector: v(1, 0, 0) },
    { id: 'book-1-sequel', score: 0.95, vector: v(1, 0.02, 0) },
    { id: 'different', score: 0.8, vector: v(0, 1, 0) },
    { id: 'unembedded', score: 0.1, vector: null },
  ];

  it('picks a diverse second item over a near-duplicate when λ < 1', () => {
    expect(mmr(candidates, 2, 0.7)).toEqual(['book-1', 'different']);
    expect(mmr(candidates, 4, 0.5)).toEqual(['book-1', 'different', 'unembedded', 'book-1-sequel']);
  });

  it('is pure relevance order when λ = 1', () => {
    expect(mmr(candidates, 4, 1)).toEqual(['book-1', 'book-1-sequel', 'different', 'unembedded']);
  });

  it('handles edge cases', () => {
    expect(mmr(candidates, 0)).toEqual([]);
    expect(mmr([], 3)).toEqual([]);
    expect(mmr(candidates, 10)).toHaveLength(4);
    expect(mmr([...candidates, { id: 'book-1', score: 5, vector: null }], 10)).toHaveLength(4);
    expect(() => mmr(candidates, 2, 1.5)).toThrow(RangeError);
    expect(() => mmr([...candidates, { id: 'x', score: 1, vector: new Float32Array(2) }], 2)).toThrow(
      RangeError,
    );
  });

  it('returns distinct ids of the candidates, as many as asked (property)', () => {
    const candidate = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
      score: fc.double({ min: -10, max: 10, noNaN: true }),
      vector: fc.option(
        fc
          .array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 })
          .map((values) => Float32Array.from(values)),
        { nil: null },
      ),
    });
    fc.assert(
      fc.property(
        fc.array(candidate, { maxLength: 12 }),
        fc.integer({ min: 0, max: 15 }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        (pool, k, lambda) => {
          const ids = mmr(pool, k, lambda);
          const distinct = new Set<string>(pool.map((item) => item.id));
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(Math.min(k, distinct.size));
          for (const id of ids) expect(distinct.has(id)).toBe(true);
          // With λ = 1 the order is by relevance (a duplicated id counts at its first occurrence).
          if (lambda === 1) {
            const first = pool.filter(
              (item, index) => pool.findIndex((other) => other.id === item.id) === index,
            );
            const score = (id: string): number => first.find((item) => item.id === id)!.score;
            for (let index = 1; index < ids.length; index += 1)
              expect(score(ids[index - 1]!)).toBeGreaterThanOrEqual(score(ids[index]!));
          }
        },
      ),
      { seed: 19980824, numRuns: 500 },
    );
  });
});
