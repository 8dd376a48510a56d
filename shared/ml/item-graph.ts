/**
 * A sparse item–item weight matrix kept as the top-N neighbours of each item, for the linear item models
 * (EASE, RP3beta): a reader's scores are `history × W`, walking only the rows of the reader's own items,
 * so serving folds new feedback in with no refit. Stored as CSR by the truncated side and rebuilt by
 * source for scoring.
 */
import { type UserRows, arrayAt, assertFitted, decodeModel, encodeModel, scoringMethods } from './popularity';
import type { Recommender, Scored } from './recommender';

/** The kept weights, by owner item (the side the top-N was taken on), best first. */
export interface ItemGraph {
  items: number;
  /** `target`: each row lists the sources that score the owner; `source`: the targets the owner scores. */
  side: 'target' | 'source';
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/** The graph by source item: row i lists (target j, W[i][j]); scoring walks these rows. */
export interface SourceRows {
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/**
 * Collects the `keep` entries of largest magnitude for each owner item from a stream of offers, in
 * bounded min-heaps (one typed-array slab for all items), so memory is items × keep whatever the stream.
 */
export class NeighbourHeaps {
  private readonly owners: Int32Array;
  private readonly keys: Float32Array;
  private readonly values: Float32Array;
  private readonly sizes: Int32Array;
  /** Per owner: the weakest key kept once its heap is full, else −1 (anything is taken); read it in hot loops. */
  readonly thresholds: Float32Array;

  constructor(
    readonly items: number,
    readonly keep: number,
  ) {
    this.owners = new Int32Array(items * keep);
    this.keys = new Float32Array(items * keep);
    this.values = new Float32Array(items * keep);
    this.sizes = new Int32Array(items);
    this.thresholds = new Float32Array(items).fill(-1);
  }

  /** Offers `other` with weight `value` to `owner`'s neighbours. */
  offer(owner: number, other: number, value: number): void {
    const key = Math.abs(value);
    const base = owner * this.keep;
    const size = this.sizes[owner] as number;
    const keys = this.keys;
    if (size < this.keep) {
      // sift up
      let child = size;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if ((keys[base + parent] as number) <= key) break;
        this.move(base + parent, base + child);
        child = parent;
      }
      this.put(base + child, key, other, value);
      this.sizes[owner] = size + 1;
      if (size + 1 === this.keep) this.thresholds[owner] = keys[base] as number;
      return;
    }
    if (!(key > (keys[base] as number))) return;
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= size) break;
      const right = left + 1;
      const child =
        right < size && (keys[base + right] as number) < (keys[base + left] as number) ? right : left;
      if ((keys[base + child] as number) >= key) break;
      this.move(base + child, base + parent);
      parent = child;
    }
    this.put(base + parent, key, other, value);
    this.thresholds[owner] = keys[base] as number;
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from] as number;
    this.owners[to] = this.owners[from] as number;
    this.values[to] = this.values[from] as number;
  }

  private put(at: number, key: number, other: number, value: number): void {
    this.keys[at] = key;
    this.owners[at] = other;
    this.values[at] = value;
  }

  /** The graph: each owner's entries by weight, highest first (ties by lower item). */
  graph(side: ItemGraph['side']): ItemGraph {
    const indptr = new Int32Array(this.items + 1);
    for (let item = 0; item < this.items; item += 1)
      indptr[item + 1] = (indptr[item] as number) + (this.sizes[item] as number);
    const total = indptr[this.items] as number;
    const indices = new Int32Array(total);
    const weights = new Float32Array(total);
    for (let item = 0; item < this.items; item += 1) {
      const base = item * this.keep;
      const entries: Scored[] = [];
      for (let index = 0; index < (this.sizes[item] as number); index += 1)
        entries.push({
          item: this.owners[base + index] as number,
          score: this.values[base + index] as number,
        });
      entries.sort((a, b) => b.score - a.score || a.item - b.item);
      let at = indptr[item] as number;
      for (const entry of entries) {
        indices[at] = entry.item;
        weights[at] = entry.score;
        at += 1;
      }
    }
    return { items: this.items, side, indptr, indices, weights };
  }
}

/** The rows by source of `graph` (itself when it is already by source). */
export function sourceRows(graph: ItemGraph): SourceRows {
  if (graph.side === 'source') return graph;
  const { items } = graph;
  const indptr = new Int32Array(items + 1);
  for (const source of graph.indices) indptr[source + 1] = (indptr[source + 1] as number) + 1;
  for (let item = 0; item < items; item += 1)
    indptr[item + 1] = (indptr[item + 1] as number) + (indptr[item] as number);
  const next = indptr.slice(0, items);
  const indices = new Int32Array(graph.indices.length);
  const weights = new Float32Array(graph.indices.length);
  for (let target = 0; target < items; target += 1)
    for (
      let entry = graph.indptr[target] as number;
      entry < (graph.indptr[target + 1] as number);
      entry += 1
    ) {
      const source = graph.indices[entry] as number;
      const position = next[source] as number;
      next[source] = position + 1;
      indices[position] = target;
      weights[position] = graph.weights[entry] as number;
    }
  return { indptr, indices, weights };
}

/** Scores of every item for a reader with `items` (and their weights): Σᵢ xᵢ·W[i][·]. */
export function scoreHistory(
  rows: SourceRows,
  size: number,
  items: ArrayLike<number>,
  weights: ArrayLike<number>,
): Float64Array {
  const scores = new Float64Array(size);
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as number;
    if (!(item >= 0 && item < size)) continue;
    const weight = weights[index] as number;
    const end = rows.indptr[item + 1] as number;
    for (let entry = rows.indptr[item] as number; entry < end; entry += 1) {
      const target = rows.indices[entry] as number;
      scores[target] = (scores[target] as number) + weight * (rows.weights[entry] as number);
    }
  }
  return scores;
}

/** The `k` strongest positive neighbours of `item` in `graph`'s own rows, without the item itself. */
export function graphNeighbours(graph: ItemGraph, item: number, k: number): Scored[] {
  if (!(item >= 0 && item < graph.items)) return [];
  const result: Scored[] = [];
  const end = graph.indptr[item + 1] as number;
  for (let entry = graph.indptr[item] as number; entry < end && result.length < k; entry += 1) {
    const other = graph.indices[entry] as number;
    const weight = graph.weights[entry] as number;
    if (other !== item && weight > 0) result.push({ item: other, score: weight });
  }
  return result;
}

/** The bytes of an item-graph model: its own header fields, the fitted user rows and the graph. */
export function encodeGraphModel(
  name: string,
  version: number,
  header: number[],
  rows: UserRows,
  graph: ItemGraph,
): Uint8Array {
  return encodeModel(
    name,
    version,
    [rows.users, rows.items, ...header],
    [rows.indptr, rows.indices, rows.weights, graph.indptr, graph.indices, graph.weights],
  );
}

/** Reads what `encodeGraphModel` wrote; `header` is the model's own fields. */
export function decodeGraphModel(
  bytes: Uint8Array,
  name: string,
  version: number,
  side: ItemGraph['side'],
): { header: number[]; rows: UserRows; graph: ItemGraph } {
  const { header, arrays } = decodeModel(bytes, name, version);
  const [users = 0, items = 0, ...own] = header;
  return {
    header: own,
    rows: {
      users,
      items,
      indptr: arrayAt(arrays, 0, Int32Array, name),
      indices: arrayAt(arrays, 1, Int32Array, name),
      weights: arrayAt(arrays, 2, Float32Array, name),
    },
    graph: {
      items,
      side,
      indptr: arrayAt(arrays, 3, Int32Array, name),
      indices: arrayAt(arrays, 4, Int32Array, name),
      weights: arrayAt(arrays, 5, Float32Array, name),
    },
  };
}

/** The fitted state of a model that scores `history × graph` (EASE, SANSA). */
export interface GraphModelState {
  rows: UserRows;
  graph: ItemGraph;
  sources: SourceRows;
}

/**
 * The `Recommender` methods an item-graph model shares: scoring a reader as history × graph, similar
 * items from the graph's rows, and serialisation with the model's own `header` fields.
 */
export function graphModelMethods<State extends GraphModelState>(
  name: string,
  version: number,
  current: () => State | null,
  header: (state: State) => number[],
): Omit<Recommender, 'name' | 'fit'> {
  return {
    ...scoringMethods(name, current, (fitted, items, weights) =>
      scoreHistory(fitted.sources, fitted.rows.items, items, weights),
    ),
    similarItems(item, k) {
      return graphNeighbours(assertFitted(current(), name).graph, item, k);
    },
    serialize() {
      const state = assertFitted(current(), name);
      return encodeGraphModel(name, version, header(state), state.rows, state.graph);
    },
  };
}
