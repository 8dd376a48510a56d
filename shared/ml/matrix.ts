/**
 * Building the sparse interaction matrix from (user, item, weight) triples, and mapping string ids to
 * dense indices. Duplicate (user, item) pairs are summed, so repeated interactions add confidence.
 */
import type { InteractionMatrix } from './recommender';

/** Dense indices for string ids, in first-seen order. */
export class IdMap {
  private readonly index = new Map<string, number>();
  readonly ids: string[] = [];

  /** The index of `id`, adding it when new. */
  add(id: string): number {
    let found = this.index.get(id);
    if (found === undefined) {
      found = this.ids.length;
      this.index.set(id, found);
      this.ids.push(id);
    }
    return found;
  }

  /** The index of `id`, or undefined. */
  get(id: string): number | undefined {
    return this.index.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** Coordinates of interactions: parallel arrays of user index, item index and weight. */
export interface Triples {
  users: Int32Array | number[];
  items: Int32Array | number[];
  weights: Float32Array | number[];
}

/** A stable counting sort of `order` by `key` (values 0..buckets-1). */
function countingSort(order: Int32Array, key: Int32Array | number[], buckets: number): Int32Array {
  const starts = new Int32Array(buckets + 1);
  for (let index = 0; index < order.length; index += 1) {
    const bucket = (key[order[index] as number] as number) + 1;
    starts[bucket] = (starts[bucket] as number) + 1;
  }
  for (let bucket = 0; bucket < buckets; bucket += 1)
    starts[bucket + 1] = (starts[bucket + 1] as number) + (starts[bucket] as number);
  const sorted = new Int32Array(order.length);
  for (let index = 0; index < order.length; index += 1) {
    const entry = order[index] as number;
    const bucket = key[entry] as number;
    sorted[starts[bucket] as number] = entry;
    starts[bucket] = (starts[bucket] as number) + 1;
  }
  return sorted;
}

/**
 * CSR in O(n): a stable counting sort by column, then by row (a two-digit radix sort), leaves each
 * row's columns ascending; duplicates are then adjacent and summed.
 */
function csr(
  rows: number,
  columns: number,
  rowOf: Int32Array | number[],
  columnOf: Int32Array | number[],
  weights: Float32Array | number[],
): { indptr: Int32Array; indices: Int32Array; values: Float32Array } {
  const count = rowOf.length;
  let order: Int32Array = new Int32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  order = countingSort(countingSort(order, columnOf, columns), rowOf, rows);
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  let written = 0;
  let previousRow = -1;
  let previousColumn = -1;
  for (let position = 0; position < count; position += 1) {
    const entry = order[position] as number;
    const row = rowOf[entry] as number;
    const column = columnOf[entry] as number;
    if (row === previousRow && column === previousColumn) {
      values[written - 1] = (values[written - 1] as number) + (weights[entry] as number);
      continue;
    }
    indices[written] = column;
    values[written] = weights[entry] as number;
    indptr[row + 1] = (indptr[row + 1] as number) + 1;
    written += 1;
    previousRow = row;
    previousColumn = column;
  }
  for (let row = 0; row < rows; row += 1)
    indptr[row + 1] = (indptr[row + 1] as number) + (indptr[row] as number);
  return { indptr, indices: indices.slice(0, written), values: values.slice(0, written) };
}

/** Builds the matrix (CSR and its transpose) from triples; `users`/`items` give the dimensions. */
export function buildMatrix(triples: Triples, users: number, items: number): InteractionMatrix {
  const count = triples.users.length;
  if (triples.items.length !== count || triples.weights.length !== count)
    throw new RangeError('buildMatrix: users, items and weights must have the same length');
  for (let index = 0; index < count; index += 1) {
    const user = triples.users[index] as number;
    const item = triples.items[index] as number;
    if (!(user >= 0 && user < users && item >= 0 && item < items))
      throw new RangeError(`buildMatrix: entry ${index} (${user}, ${item}) is outside ${users} × ${items}`);
  }
  const byUser = csr(users, items, triples.users, triples.items, triples.weights);
  const byItem = csr(items, users, triples.items, triples.users, triples.weights);
  return {
    users,
    items,
    userIndptr: byUser.indptr,
    userIndices: byUser.indices,
    userWeights: byUser.values,
    itemIndptr: byItem.indptr,
    itemIndices: byItem.indices,
    itemWeights: byItem.values,
  };
}

/** Each item's summed interaction weight (its column total), from the item-major half of `matrix`. */
export function itemWeightTotals(matrix: InteractionMatrix): Float64Array {
  const totals = new Float64Array(matrix.items);
  for (let item = 0; item < matrix.items; item += 1) {
    let total = 0;
    const end = matrix.itemIndptr[item + 1] as number;
    for (let entry = matrix.itemIndptr[item] as number; entry < end; entry += 1)
      total += matrix.itemWeights[entry] as number;
    totals[item] = total;
  }
  return totals;
}
