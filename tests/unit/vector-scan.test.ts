/** Exact int8 vector scan (shared/ml/vector-scan.ts): recall, exclusions, updates, edge cases, SIMD ≡ JS. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/ml/random';
import { VectorScan, simdAvailable } from '../../shared/ml/vector-scan';

function generator(seed: number) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const normalise = (vector: Float32Array): Float32Array => {
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  };
  const unit = (dimension: number) => normalise(Float32Array.from({ length: dimension }, gaussian));
  /** normalise(centre + spread · a random unit vector). */
  const around = (centre: Float32Array, spread: number) => {
    const noise = unit(centre.length);
    return normalise(centre.map((value, index) => value + spread * (noise[index] as number)));
  };
  return { random, unit, around };
}

/**
 * `count` unit vectors in `clusters` clusters, ids v0, v1, …, as one row-major array; 30 queries around
 * the same centres. A small `spread` packs each cluster tightly, so the top scores are near-tied.
 */
function clustered(count: number, dimension: number, clusters = 20, seed = 11, spread = 0.35) {
  const { unit, around } = generator(seed);
  const centres = Array.from({ length: clusters }, () => unit(dimension));
  const ids = Array.from({ length: count }, (_, index) => `v${index}`);
  const vectors = new Float32Array(count * dimension);
  ids.forEach((_, index) =>
    vectors.set(around(centres[index % clusters] as Float32Array, spread), index * dimension),
  );
  const queries = Array.from({ length: 30 }, (_, index) =>
    around(centres[index % clusters] as Float32Array, (spread * 10) / 7),
  );
  return {
    ids,
    vectors,
    queries,
    row: (index: number) => vectors.subarray(index * dimension, (index + 1) * dimension),
  };
}

/** The float64 inner product of `query` with row `row` of `vectors`. */
function exactDot(vectors: Float32Array, row: number, query: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < query.length; index++)
    dot += (vectors[row * query.length + index] as number) * (query[index] as number);
  return dot;
}

function exactTop(vectors: Float32Array, ids: string[], query: Float32Array, k: number): string[] {
  const dimension = query.length;
  const scored = ids.map((id, row) => {
    let dot = 0;
    for (let index = 0; index < dimension; index++)
      dot += (vectors[row * dimension + index] as number) * (query[index] as number);
    return { id, dot };
  });
  return scored
    .sort((a, b) => b.dot - a.dot)
    .slice(0, k)
    .map((entry) => entry.id);
}

const paths = [
  { name: 'SIMD', accelerate: true },
  { name: 'JavaScript', accelerate: false },
];

describe('VectorScan', () => {
  it('runs the WebAssembly SIMD kernel on this engine', () => {
    expect(simdAvailable()).toBe(true);
    expect(new VectorScan(8).accelerated).toBe(true);
    expect(new VectorScan(8, { accelerate: false }).accelerated).toBe(false);
  });

  describe.each(paths)('$name path', ({ accelerate }) => {
    it('finds the exact top 10 of clustered vectors (recall@10 ≥ 0.95)', () => {
      const dimension = 96;
      const data = clustered(3000, dimension);
      const scan = new VectorScan(dimension, { accelerate, capacity: 16 });
      scan.setMany(data.ids, data.vectors);
      expect(scan.size).toBe(3000);
      let found = 0;
      for (const query of data.queries) {
        const truth = new Set(exactTop(data.vectors, data.ids, query, 10));
        const hits = scan.search(query, 10);
        expect(hits).toHaveLength(10);
        found += hits.filter((hit) => truth.has(hit.id)).length;
      }
      expect(found / (10 * data.queries.length)).toBeGreaterThanOrEqual(0.95);
    });

    it('re-scores near-tied candidates to recall@20 and recall@100 ≥ 0.99 (tight clusters)', () => {
      const dimension = 64;
      // spread 0.1: every cluster's top 100 lie within a few hundredths, where int8 alone reorders them
      const data = clustered(4000, dimension, 8, 5, 0.1);
      const scan = new VectorScan(dimension, { accelerate });
      scan.setMany(data.ids, data.vectors);
      let [hits20, hits100] = [0, 0];
      for (const query of data.queries) {
        const truth = exactTop(data.vectors, data.ids, query, 100);
        const got = scan.search(query, 100).map((hit) => hit.id);
        const [top20, top100] = [new Set(got.slice(0, 20)), new Set(got)];
        hits20 += truth.slice(0, 20).filter((id) => top20.has(id)).length;
        hits100 += truth.filter((id) => top100.has(id)).length;
      }
      expect(hits20 / (20 * data.queries.length)).toBeGreaterThanOrEqual(0.99);
      expect(hits100 / (100 * data.queries.length)).toBeGreaterThanOrEqual(0.99);
    });

    it('keeps each residual with its row across deletes and replaces (refined scores stay exact)', () => {
      const dimension = 50;
      const data = clustered(400, dimension, 4, 7, 0.2);
      const scan = new VectorScan(dimension, { accelerate, capacity: 8 });
      scan.setMany(data.ids, data.vectors);
      // each delete swaps the last row into the hole; v5 is replaced by v398's value before v398 moves
      scan.set('v5', data.row(398));
      for (const id of ['v0', 'v1', 'v2', 'v3', 'v100', 'v398']) expect(scan.delete(id)).toBe(true);
      const expected = new Map(data.ids.map((id, row) => [id, row]));
      expected.set('v5', 398);
      for (const query of [...data.queries.slice(0, 4), data.row(399), data.row(396)]) {
        const hits = scan.search(query, scan.size);
        expect(hits).toHaveLength(scan.size);
        for (const hit of hits)
          expect(
            Math.abs(hit.score - exactDot(data.vectors, expected.get(hit.id) as number, query)),
          ).toBeLessThan(1e-3);
      }
      // the rows swapped into the holes are the old tail: v399 … v394 (v398 itself was deleted)
      for (const id of ['v399', 'v397', 'v396', 'v395', 'v394']) {
        const row = expected.get(id) as number;
        const [best] = scan.search(data.row(row), 1);
        expect(best?.id).toBe(id);
        expect(Math.abs((best?.score ?? 0) - exactDot(data.vectors, row, data.row(row)))).toBeLessThan(1e-4);
      }
    });

    it('get() returns the refined vector, within 1e-3 (and max|vᵢ|/32258) of the original', () => {
      const dimension = 77;
      const data = clustered(60, dimension, 3);
      const scan = new VectorScan(dimension, { accelerate });
      scan.setMany(data.ids, data.vectors);
      scan.delete('v7'); // moves v59 into row 7
      for (const index of [0, 8, 33, 59]) {
        const original = data.row(index);
        const stored = scan.get(`v${index}`) as Float32Array;
        const bound = Math.max(...original.map(Math.abs)) / (127 * 254) + 1e-7;
        stored.forEach((value, at) => {
          const error = Math.abs(value - (original[at] as number));
          expect(error).toBeLessThan(1e-3);
          expect(error).toBeLessThanOrEqual(bound);
        });
      }
    });

    it('returns a stored vector first for a query equal to it, with a score near 1', () => {
      const dimension = 50; // not a multiple of 16: padding must not change scores
      const data = clustered(500, dimension);
      const scan = new VectorScan(dimension, { accelerate });
      data.ids.forEach((id, index) => scan.set(id, data.row(index)));
      for (const index of [0, 1, 77, 250, 499]) {
        const [best] = scan.search(data.row(index), 1);
        expect(best?.id).toBe(`v${index}`);
        expect(best?.score).toBeCloseTo(1, 2);
      }
    });

    it('skips excluded ids and still returns k results', () => {
      const dimension = 32;
      const data = clustered(200, dimension);
      const scan = new VectorScan(dimension, { accelerate });
      scan.setMany(data.ids, data.vectors);
      const query = data.row(5);
      const top = scan.search(query, 5).map((hit) => hit.id);
      const exclude = new Set([...top.slice(0, 3), 'not-stored']);
      const hits = scan.search(query, 5, exclude);
      expect(hits).toHaveLength(5);
      expect(hits.some((hit) => exclude.has(hit.id))).toBe(false);
      expect(hits.slice(0, 2).map((hit) => hit.id)).toEqual(top.slice(3, 5));
    });

    it('finds a replaced vector by its new value and never returns a deleted one', () => {
      const dimension = 48;
      const data = clustered(300, dimension);
      const scan = new VectorScan(dimension, { accelerate });
      scan.setMany(data.ids, data.vectors);
      // v10 takes the value of v200 (then v200 is deleted, so only v10 matches it)
      scan.set('v10', data.row(200));
      expect(scan.delete('v200')).toBe(true);
      expect(scan.delete('v200')).toBe(false);
      expect(scan.search(data.row(200), 1)[0]?.id).toBe('v10');
      expect(scan.search(data.row(10), 1)[0]?.id).not.toBe('v10');

      const deleted = ['v0', 'v299', 'v150', 'v151', 'v1'];
      for (const id of deleted) expect(scan.delete(id)).toBe(true);
      expect(scan.size).toBe(300 - 1 - deleted.length);
      for (const id of ['v200', ...deleted]) {
        expect(scan.has(id)).toBe(false);
        expect(scan.get(id)).toBeUndefined();
      }
      const everything = scan.search(data.row(0), 1000).map((hit) => hit.id);
      expect(everything).toHaveLength(scan.size);
      expect(everything.filter((id) => id === 'v200' || deleted.includes(id))).toEqual([]);
      // rows moved by the deletions still answer for their own ids
      expect(scan.search(data.row(298), 1)[0]?.id).toBe('v298');
      expect(scan.search(data.row(2), 1)[0]?.id).toBe('v2');
      // a deleted id can come back
      scan.set('v0', data.row(0));
      expect(scan.search(data.row(0), 1)[0]?.id).toBe('v0');
    });

    it('returns everything, best first, when k exceeds the size', () => {
      const dimension = 16;
      const data = clustered(37, dimension, 4);
      const scan = new VectorScan(dimension, { accelerate, capacity: 4 });
      scan.setMany(data.ids, data.vectors);
      const hits = scan.search(data.queries[0] as Float32Array, 100);
      expect(hits).toHaveLength(37);
      expect(new Set(hits.map((hit) => hit.id)).size).toBe(37);
      for (let index = 1; index < hits.length; index++)
        expect((hits[index - 1] as { score: number }).score).toBeGreaterThanOrEqual(
          (hits[index] as { score: number }).score,
        );
      expect(scan.search(data.queries[0] as Float32Array, 0)).toEqual([]);
      expect(new VectorScan(dimension, { accelerate }).search(data.row(0), 5)).toEqual([]);
    });

    it('scores zero vectors and zero queries as 0, never NaN', () => {
      const dimension = 24;
      const scan = new VectorScan(dimension, { accelerate });
      const data = clustered(10, dimension, 2);
      scan.setMany(data.ids, data.vectors);
      scan.set('zero', new Float32Array(dimension));
      const hits = scan.search(data.row(3), 11);
      expect(hits.find((hit) => hit.id === 'zero')?.score).toBe(0);
      expect(hits.every((hit) => Number.isFinite(hit.score))).toBe(true);
      const blank = scan.search(new Float32Array(dimension), 11);
      expect(blank).toHaveLength(11);
      expect(blank.every((hit) => hit.score === 0)).toBe(true);
      expect(scan.get('zero')).toEqual(new Float32Array(dimension));
    });

    it('rejects wrong dimensions and non-finite values with a RangeError', () => {
      const scan = new VectorScan(8, { accelerate });
      expect(() => scan.set('a', new Float32Array(7))).toThrow(RangeError);
      expect(() => scan.set('a', new Float32Array(9))).toThrow(/dimension 8/);
      expect(() => scan.search(new Float32Array(3), 1)).toThrow(/dimension 8/);
      expect(() => scan.setMany(['a', 'b'], new Float32Array(15))).toThrow(RangeError);
      expect(() => scan.set('a', new Float32Array(8).fill(Number.NaN))).toThrow(RangeError);
      expect(() => new VectorScan(0)).toThrow(RangeError);
      expect(() => scan.setMany(['a', 'b'], new Float32Array(16).fill(Infinity, 12))).toThrow(/row 1/);
      expect(scan.size).toBe(0);
      expect(scan.has('a')).toBe(false);
    });

    it('stores a dequantised vector within one quantisation step of the original', () => {
      const dimension = 40;
      const data = clustered(5, dimension, 1);
      const scan = new VectorScan(dimension, { accelerate });
      scan.setMany(data.ids, data.vectors);
      const original = data.row(3);
      const stored = scan.get('v3') as Float32Array;
      const step = Math.max(...original.map(Math.abs)) / 127;
      expect(stored).toHaveLength(dimension);
      stored.forEach((value, index) =>
        expect(Math.abs(value - (original[index] as number))).toBeLessThanOrEqual(step / 2 + 1e-7),
      );
    });
  });

  it.each([16, 48, 50, 384])(
    'gives identical results on both paths after random updates (d = %i)',
    (dimension) => {
      const { random, unit } = generator(dimension);
      const simd = new VectorScan(dimension, { capacity: 4 });
      const plain = new VectorScan(dimension, { capacity: 4, accelerate: false });
      for (let step = 0; step < 600; step++) {
        const id = `id${Math.floor(random() * 150)}`;
        if (random() < 0.2) expect(simd.delete(id)).toBe(plain.delete(id));
        else {
          // unit vectors, and a few raw Gaussian ones (any finite vector is accepted)
          const vector = unit(dimension).map((value) => (step % 7 === 0 ? value * 3 : value));
          simd.set(id, vector);
          plain.set(id, vector);
        }
      }
      expect(simd.size).toBe(plain.size);
      for (let query = 0; query < 5; query++) {
        const vector = unit(dimension);
        const exclude = new Set([`id${query}`, `id${query + 50}`]);
        expect(simd.search(vector, simd.size, exclude)).toEqual(plain.search(vector, plain.size, exclude));
      }
    },
  );
});
