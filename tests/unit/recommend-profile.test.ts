import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTERACTION_TYPES } from '../../shared/contract/domain';
import {
  contentVector,
  hybridVector,
  hybridWeights,
  interactionWeight,
  meanVector,
} from '../../shared/recommend/profile';
import { cosine, norm } from '../../shared/recommend/vectors';

function unit(values: number[]): Float32Array {
  const vector = Float32Array.from(values);
  const length = norm(vector);
  return vector.map((value) => value / length);
}

describe('interaction weights', () => {
  it('signs and scales each type', () => {
    expect(interactionWeight('finish', null, 0)).toBe(1);
    expect(interactionWeight('checkout', null, 0)).toBe(0.8);
    expect(interactionWeight('thumbs_up', null, 0)).toBe(1);
    expect(interactionWeight('want', null, 0)).toBe(0.5);
    expect(interactionWeight('click', null, 0)).toBe(0.2);
    expect(interactionWeight('view', null, 0)).toBe(0.05);
    expect(interactionWeight('thumbs_down', null, 0)).toBe(-1);
    expect(interactionWeight('dismiss', null, 0)).toBe(-0.6);
    for (const type of ['return', 'pin', 'block'] as const) expect(interactionWeight(type, null, 0)).toBe(0);
    for (const type of INTERACTION_TYPES) expect(Number.isFinite(interactionWeight(type, 4, 10))).toBe(true);
  });

  it('maps ratings around 3 stars', () => {
    expect(interactionWeight('rating', 5, 0)).toBe(1);
    expect(interactionWeight('rating', 1, 0)).toBe(-1);
    expect(interactionWeight('rating', 3, 0)).toBe(0);
    expect(interactionWeight('rating', 4, 0)).toBe(0.5);
    expect(interactionWeight('rating', 0.5, 0)).toBe(-1);
    expect(interactionWeight('rating', null, 0)).toBe(0);
  });

  it('halves at the half-life', () => {
    expect(interactionWeight('finish', null, 120)).toBeCloseTo(0.5, 12);
    expect(interactionWeight('finish', null, 240)).toBeCloseTo(0.25, 12);
    expect(interactionWeight('thumbs_down', null, 30, 30)).toBeCloseTo(-0.5, 12);
    expect(interactionWeight('finish', null, -5)).toBe(1);
    expect(() => interactionWeight('finish', null, 1, 0)).toThrow(RangeError);
  });
});

describe('content vector', () => {
  const liked = unit([1, 0.2, 0]);
  const disliked = unit([0.6, 0.8, 0]);
  const other = unit([0.2, 0.1, 1]);

  it('is the unit direction of the liked books', () => {
    const vector = contentVector([{ vector: liked, weight: 1 }])!;
    expect(cosine(vector, liked)).toBeCloseTo(1, 6);
    expect(norm(vector)).toBeCloseTo(1, 6);
  });

  it('moves away from a thumbed-down book', () => {
    const base = [
      { vector: liked, weight: 1 },
      { vector: other, weight: 0.5 },
    ];
    const before = contentVector(base)!;
    const after = contentVector([
      ...base,
      { vector: disliked, weight: interactionWeight('thumbs_down', null, 0) },
    ])!;
    expect(cosine(after, disliked)).toBeLessThan(cosine(before, disliked));
    expect(cosine(after, liked)).toBeGreaterThan(0.5);
  });

  it('needs enough positive evidence', () => {
    expect(contentVector([])).toBeNull();
    expect(contentVector([{ vector: liked, weight: 0.05 }])).toBeNull();
    expect(contentVector([{ vector: disliked, weight: -1 }])).toBeNull();
    // A like cancelled exactly by dislikes of the same book leaves no direction.
    expect(
      contentVector([
        { vector: liked, weight: 1 },
        { vector: liked, weight: -2 },
      ]),
    ).toBeNull();
  });

  it('throws on mixed dimensions', () => {
    expect(() =>
      contentVector([
        { vector: liked, weight: 1 },
        { vector: new Float32Array(4), weight: 1 },
      ]),
    ).toThrow(RangeError);
  });
});

describe('hybrid vector', () => {
  const content = unit([1, 0, 0]);
  const tags = unit([0, 1, 0]);
  const profile = unit([0, 0, 1]);

  it('weights the parts 0.6 / 0.2 / 0.2 by default', () => {
    const vector = hybridVector({ content, tags, profile })!;
    expect(vector[0]! / vector[1]!).toBeCloseTo(3, 5);
    expect(vector[1]! / vector[2]!).toBeCloseTo(1, 5);
  });

  it('redistributes the weights of missing parts', () => {
    const shares = hybridWeights({ content, tags });
    expect(Object.keys(shares).sort()).toEqual(['content', 'tags']);
    expect(shares.content).toBeCloseTo(0.75, 12);
    expect(shares.tags).toBeCloseTo(0.25, 12);
    expect(hybridWeights({ tags, profile: null })).toEqual({ tags: 1 });
    const vector = hybridVector({ content, tags })!;
    expect(vector[0]! / vector[1]!).toBeCloseTo(3, 5);
    expect(Array.from(hybridVector({ tags })!)).toEqual(Array.from(tags));
    expect(hybridVector({})).toBeNull();
    expect(hybridVector({ content }, { content: 0, tags: 1, profile: 1 })).toBeNull();
  });

  it('throws on mixed dimensions and bad weights', () => {
    expect(() => hybridVector({ content, tags: new Float32Array(2) })).toThrow(RangeError);
    expect(() => hybridVector({ content }, { content: -1, tags: 0, profile: 0 })).toThrow(RangeError);
  });

  it('is unit length for any parts (property)', () => {
    const vector = fc
      .array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 })
      .filter((values) => norm(Float32Array.from(values)) > 0.1)
      .map(unit);
    const part = fc.option(vector, { nil: null });
    const weight = fc.double({ min: 0.01, max: 5, noNaN: true });
    fc.assert(
      fc.property(part, part, part, weight, weight, weight, (c, t, p, wc, wt, wp) => {
        const result = hybridVector(
          { content: c, tags: t, profile: p },
          { content: wc, tags: wt, profile: wp },
        );
        if (result === null) return true; // no part, or parts cancelling out exactly
        return Math.abs(norm(result) - 1) < 1e-5;
      }),
      { seed: 20240601, numRuns: 300 },
    );
  });
});

describe('mean vector', () => {
  it('is the unit direction of the mean', () => {
    const mean = meanVector([unit([1, 0]), unit([0, 1])])!;
    expect(mean[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(mean[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(meanVector([])).toBeNull();
    expect(meanVector([unit([1, 0]), unit([-1, 0])])).toBeNull();
  });
});
