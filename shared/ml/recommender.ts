/**
 * The one interface every collaborative recommender implements (ALS, popularity, item-kNN, EASE…).
 * Pure and synchronous: no I/O, typed arrays, deterministic under a seed. Users and items are dense
 * indices 0..n-1; callers map their own ids (strings) with `Interactions.fromTriples`.
 */

/** Implicit-feedback interactions as a sparse user × item matrix in CSR form (and its transpose). */
export interface InteractionMatrix {
  readonly users: number;
  readonly items: number;
  /** CSR over users: items of user u are `indices[indptr[u]..indptr[u+1])`, sorted ascending, no duplicates. */
  readonly userIndptr: Int32Array;
  readonly userIndices: Int32Array;
  /** Weight of each (user, item) entry (e.g. 1, a rating, a count); same order as `userIndices`. */
  readonly userWeights: Float32Array;
  /** CSR over items (the transpose), for item-side solves. */
  readonly itemIndptr: Int32Array;
  readonly itemIndices: Int32Array;
  readonly itemWeights: Float32Array;
}

/** A scored item. */
export interface Scored {
  item: number;
  score: number;
}

/** Options of `recommend`. */
export interface RecommendOptions {
  /** How many items. */
  k: number;
  /** Items never to return (besides the user's own training items, which are always excluded). */
  exclude?: ReadonlySet<number>;
}

/** A fitted-or-not recommender. */
export interface Recommender {
  /** Stable name: `als`, `pop`, `knn`, `ease`, … */
  readonly name: string;
  /** Learns from `matrix`. Deterministic for the same matrix and options (including the seed). */
  fit(matrix: InteractionMatrix): void;
  /**
   * Top-k items for user `user` (an index of the fitted matrix), best first, never an item the user has
   * in the fitted matrix. Ties break by lower item index.
   */
  recommend(user: number, options: RecommendOptions): Scored[];
  /**
   * Top-k for a user described only by their interactions (items and weights), e.g. a new reader or
   * one whose feedback just changed: ALS folds the user in against fixed item factors.
   */
  recommendFor(items: readonly number[], weights: readonly number[], options: RecommendOptions): Scored[];
  /** The k items most similar to `item` (excluding itself). */
  similarItems(item: number, k: number): Scored[];
  /** A compact, versioned serialisation of the fitted state. */
  serialize(): Uint8Array;
}
