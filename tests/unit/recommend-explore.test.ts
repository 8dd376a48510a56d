import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/ml/random';
import {
  betaSample,
  chooseExplorationSlots,
  explorationPositions,
  gammaSample,
  thompsonPick,
} from '../../shared/recommend/explore';

const ranked = Array.from({ length: 20 }, (_, index) => `r${index}`);
const candidates = {
  content: ['r0', 'c1', 'c2', 'c3'],
  collaborative: ['r1', 'f1', 'f2'],
  popular: ['p1', 'p2'],
};
const stats = {
  content: { impressions: 100, clicks: 10 },
  collaborative: { impressions: 50, clicks: 4 },
  popular: { impressions: 0, clicks: 0 },
};

describe('samplers', () => {
  it('draw Gamma and Beta variates with the right means', () => {
    const random = seededRandom(7);
    const draws = 20_000;
    for (const shape of [0.5, 1, 3, 12]) {
      let sum = 0;
      for (let index = 0; index < draws; index += 1) sum += gammaSample(shape, random);
      expect(sum / draws).toBeCloseTo(shape, shape < 5 ? 1 : 0);
    }
    let sum = 0;
    let low = Infinity;
    let high = -Infinity;
    for (let index = 0; index < draws; index += 1) {
      const draw = betaSample(3, 7, random);
      sum += draw;
      low = Math.min(low, draw);
      high = Math.max(high, draw);
    }
    expect(sum / draws).toBeCloseTo(0.3, 2);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(1);
    expect(() => gammaSample(0, random)).toThrow(RangeError);
  });
});

describe('Thompson sampling over sources', () => {
  it('favours a source with a clearly better click-through rate', () => {
    const random = seededRandom(42);
    const wins = { good: 0, poor: 0 };
    const record = { good: { impressions: 200, clicks: 40 }, poor: { impressions: 200, clicks: 8 } };
    for (let draw = 0; draw < 2_000; draw += 1) wins[thompsonPick(['good', 'poor'], record, random)!] += 1;
    expect(wins.good / 2_000).toBeGreaterThan(0.97);
    // Both untried: a coin flip, not a fixed choice.
    const fresh = { a: 0, b: 0 };
    for (let draw = 0; draw < 2_000; draw += 1) fresh[thompsonPick(['a', 'b'], {}, random)!] += 1;
    expect(fresh.a / 2_000).toBeGreaterThan(0.4);
    expect(fresh.a / 2_000).toBeLessThan(0.6);
    expect(thompsonPick([], {}, random)).toBeNull();
  });

  it('survives inconsistent stats', () => {
    const random = seededRandom(1);
    const odd = { a: { impressions: 3, clicks: 9 }, b: { impressions: -4, clicks: Number.NaN } };
    expect(['a', 'b']).toContain(thompsonPick(['a', 'b'], odd, random));
  });
});

describe('exploration slots', () => {
  it('uses positions 3 and 7 of 10 by default', () => {
    expect(explorationPositions(10, 2)).toEqual([2, 6]);
    expect(explorationPositions(20, 2)).toEqual([5, 13]);
    expect(explorationPositions(10, 1)).toEqual([4]);
    expect(explorationPositions(10, 0)).toEqual([]);
    expect(explorationPositions(1, 2)).toEqual([]);
  });

  it('fills two exploratory slots from unused candidates and the rest from the ranking', () => {
    const list = chooseExplorationSlots({ k: 10, ranked, candidates, stats, random: seededRandom(3) });
    expect(list).toHaveLength(10);
    expect(list.map((item) => item.exploratory)).toEqual([
      false,
      false,
      true,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
    ]);
    const ids = list.map((item) => item.id);
    expect(new Set(ids).size).toBe(10);
    for (const item of list.filter((entry) => entry.exploratory)) {
      expect(item.source).toBeDefined();
      expect(candidates[item.source as keyof typeof candidates]).toContain(item.id);
      expect(ranked.slice(0, 8)).not.toContain(item.id);
    }
    expect(list.filter((item) => !item.exploratory).map((item) => item.id)).toEqual(ranked.slice(0, 8));
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) =>
      JSON.stringify(
        chooseExplorationSlots({ k: 10, ranked, candidates, stats, random: seededRandom(seed) }),
      );
    expect(run(11)).toBe(run(11));
    const differing = [1, 2, 3, 4, 5, 6, 7, 8].map(run);
    expect(new Set(differing).size).toBeGreaterThan(1);
  });

  it('skips shown items and leaves slots to the ranking when no source has anything new', () => {
    const list = chooseExplorationSlots({
      k: 5,
      ranked,
      candidates: { content: ['r0', 'r1'] },
      stats: {},
      shown: new Set(['r2']),
      random: seededRandom(9),
    });
    expect(list.map((item) => item.id)).toEqual(['r0', 'r1', 'r3', 'r4', 'r5']);
    expect(list.every((item) => !item.exploratory)).toBe(true);
  });
});
