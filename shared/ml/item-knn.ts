/**
 * Item-based k-nearest-neighbour top-N recommendation with cosine similarity (Sarwar, Karypis, Konstan &
 * Riedl 2001, "Item-based collaborative filtering recommendation algorithms"; Deshpande & Karypis 2004,
 * "Item-based top-N recommendation algorithms").
 */
import {
  type UserRows,
  arrayAt,
  assertFitted,
  decodeModel,
  encodeModel,
  scoringMethods,
  userRowsOf,
} from './popularity';
import type { InteractionMatrix, Recommender, Scored } from './recommender';
import { scoreHistory, sourceRows } from './item-graph';

/** Hyper-parameters of item-kNN. */
export interface ItemKnnOptions {
  /** How many most-similar items each candidate item is scored from (the k of k-nearest). */
  neighbours: number;
  /**
   * Added to the similarity's denominator (Koren's shrinkage): pairs seen together by few users count for
   * less, which matters for rarely-read books. 0 keeps the plain similarity.
   */
  shrink: number;
  /**
   * Aiolli's asymmetric cosine (2013, "Efficient top-N recommendation for very large scale binary rated
   * datasets"): sim(i→j) = |i∩j| / (|i|^a·|j|^(1−a) + shrink). 0.5 is the cosine; towards 1 it approaches
   * P(j | i), which favours popular targets.
   */
  asymmetry: number;
}

/** Plain cosine; `lumin offline-recs --algo auto` tunes all three on a validation split. */
export const ITEM_KNN_DEFAULTS: ItemKnnOptions = { neighbours: 100, shrink: 10, asymmetry: 0.5 };

interface ItemKnnState {
  options: ItemKnnOptions;
  rows: UserRows;
  /** CSR over target items: the neighbours i of item j and sim(i→j), best first. */
  indptr: Int32Array;
  indices: Int32Array;
  similarities: Float32Array;
  /** The same entries by source item (the transpose), so scoring a user walks only their own items. */
  sourceIndptr: Int32Array;
  sourceIndices: Int32Array;
  sourceSimilarities: Float32Array;
}

const VERSION = 1;

type Neighbourhoods = Pick<ItemKnnState, 'indptr' | 'indices' | 'similarities'>;

/**
 * For each target item j, the `neighbours` items i with the largest sim(i→j), from the co-occurrences
 * XᵀX. Keeping the neighbours of the target (Sarwar et al.) rather than of the source measured better on
 * MovieLens: every candidate is scored from the same number of neighbours.
 */
function neighbourhoods(matrix: InteractionMatrix, options: ItemKnnOptions): Neighbourhoods {
  const { items } = matrix;
  const squares = new Float64Array(items);
  for (let entry = 0; entry < matrix.userWeights.length; entry += 1) {
    const item = matrix.userIndices[entry] as number;
    const weight = matrix.userWeights[entry] as number;
    squares[item] = (squares[item] as number) + weight * weight;
  }
  const sourceNorm = Float64Array.from(squares, (square) => Math.pow(square, options.asymmetry));
  const targetNorm = Float64Array.from(squares, (square) => Math.pow(square, 1 - options.asymmetry));
  const keep = Math.max(0, Math.min(options.neighbours, items - 1));
  const indptr = new Int32Array(items + 1);
  const indices = new Int32Array(items * keep);
  const similarities = new Float32Array(items * keep);
  const dots = new Float64Array(items);
  const touched = new Int32Array(items);
  const seen = new Uint8Array(items);
  let written = 0;
  for (let target = 0; target < items; target += 1) {
    // Sparse accumulation: only items sharing a user with `target` are touched, then reset.
    let touchedCount = 0;
    const end = matrix.itemIndptr[target + 1] as number;
    for (let entry = matrix.itemIndptr[target] as number; entry < end; entry += 1) {
      const user = matrix.itemIndices[entry] as number;
      const weight = matrix.itemWeights[entry] as number;
      const userEnd = matrix.userIndptr[user + 1] as number;
      for (let other = matrix.userIndptr[user] as number; other < userEnd; other += 1) {
        const source = matrix.userIndices[other] as number;
        if (!seen[source]) {
          seen[source] = 1;
          touched[touchedCount] = source;
          touchedCount += 1;
        }
        dots[source] = (dots[source] as number) + weight * (matrix.userWeights[other] as number);
      }
    }
    const candidates: Scored[] = [];
    for (let index = 0; index < touchedCount; index += 1) {
      const source = touched[index] as number;
      const dot = dots[source] as number;
      dots[source] = 0;
      seen[source] = 0;
      if (source === target || dot === 0) continue;
      const denominator = (sourceNorm[source] as number) * (targetNorm[target] as number) + options.shrink;
      candidates.push({ item: source, score: denominator > 0 ? dot / denominator : 0 });
    }
    candidates.sort((a, b) => b.score - a.score || a.item - b.item);
    for (const candidate of candidates.slice(0, keep)) {
      indices[written] = candidate.item;
      similarities[written] = candidate.score;
      written += 1;
    }
    indptr[target + 1] = written;
  }
  return { indptr, indices: indices.slice(0, written), similarities: similarities.slice(0, written) };
}

/** The by-source transpose of the neighbourhoods. */
function bySource(
  items: number,
  neighbours: Neighbourhoods,
): Pick<ItemKnnState, 'sourceIndptr' | 'sourceIndices' | 'sourceSimilarities'> {
  const rows = sourceRows({ items, side: 'target', ...neighbours, weights: neighbours.similarities });
  return { sourceIndptr: rows.indptr, sourceIndices: rows.indices, sourceSimilarities: rows.weights };
}

function scoreItems(state: ItemKnnState, items: ArrayLike<number>, weights: ArrayLike<number>): Float64Array {
  const rows = {
    indptr: state.sourceIndptr,
    indices: state.sourceIndices,
    weights: state.sourceSimilarities,
  };
  return scoreHistory(rows, state.rows.items, items, weights);
}

function withTranspose(options: ItemKnnOptions, rows: UserRows, neighbours: Neighbourhoods): ItemKnnState {
  return { options, rows, ...neighbours, ...bySource(rows.items, neighbours) };
}

function itemKnn(options: ItemKnnOptions, initial: ItemKnnState | null): Recommender {
  let state = initial;
  return {
    name: 'knn',
    fit(matrix) {
      state = withTranspose(options, userRowsOf(matrix), neighbourhoods(matrix, options));
    },
    ...scoringMethods('knn', () => state, scoreItems),
    similarItems(item, k) {
      const fitted = assertFitted(state, 'knn');
      if (!(item >= 0 && item < fitted.rows.items)) return [];
      const start = fitted.indptr[item] as number;
      const end = Math.min(fitted.indptr[item + 1] as number, start + Math.max(0, k));
      const result: Scored[] = [];
      for (let entry = start; entry < end; entry += 1)
        result.push({ item: fitted.indices[entry] as number, score: fitted.similarities[entry] as number });
      return result;
    },
    serialize() {
      const fitted = assertFitted(state, 'knn');
      const { rows } = fitted;
      return encodeModel(
        'knn',
        VERSION,
        [rows.users, rows.items, fitted.options.neighbours, fitted.options.shrink, fitted.options.asymmetry],
        [rows.indptr, rows.indices, rows.weights, fitted.indptr, fitted.indices, fitted.similarities],
      );
    },
  };
}

/**
 * Item-kNN (Sarwar et al. 2001; Deshpande & Karypis 2004): a user's score for item j is the sum, over
 * the user's items i among j's `neighbours` most similar items, of the user's weight for i times
 * sim(i→j), the cosine of the item columns with `shrink` added to its denominator (Aiolli's asymmetric
 * cosine when `asymmetry` ≠ 0.5). Defaults: 100 neighbours, shrink 10, asymmetry 0.5.
 */
export function createItemKnn(options: Partial<ItemKnnOptions> = {}): Recommender {
  const merged = { ...ITEM_KNN_DEFAULTS, ...options };
  if (!(Number.isInteger(merged.neighbours) && merged.neighbours >= 1))
    throw new RangeError(`knn: neighbours must be a positive integer (got ${merged.neighbours})`);
  if (!(Number.isFinite(merged.shrink) && merged.shrink >= 0))
    throw new RangeError(`knn: shrink must be a non-negative number (got ${merged.shrink})`);
  if (!(merged.asymmetry >= 0 && merged.asymmetry <= 1))
    throw new RangeError(`knn: asymmetry must be between 0 and 1 (got ${merged.asymmetry})`);
  return itemKnn(merged, null);
}

/** Restores an item-kNN model from `serialize()`. */
export function deserializeItemKnn(bytes: Uint8Array): Recommender {
  const { header, arrays } = decodeModel(bytes, 'knn', VERSION);
  const [users = 0, items = 0, neighbours = 1, shrink = 0, asymmetry = 0.5] = header;
  const options = { neighbours, shrink, asymmetry };
  const rows: UserRows = {
    users,
    items,
    indptr: arrayAt(arrays, 0, Int32Array, 'knn'),
    indices: arrayAt(arrays, 1, Int32Array, 'knn'),
    weights: arrayAt(arrays, 2, Float32Array, 'knn'),
  };
  return itemKnn(
    options,
    withTranspose(options, rows, {
      indptr: arrayAt(arrays, 3, Int32Array, 'knn'),
      indices: arrayAt(arrays, 4, Int32Array, 'knn'),
      similarities: arrayAt(arrays, 5, Float32Array, 'knn'),
    }),
  );
}
