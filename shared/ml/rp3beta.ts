/**
 * RP3beta, "Updatable, Accurate, Diverse, and Scalable Recommendations for Interactive Applications"
 * (Paudel, Christoffel, Newell & Bernstein 2017, ACM TiiS): a three-step random walk item → user → item on
 * the bipartite interaction graph, each transition probability raised to `walkExponent` (α), the arrival
 * item's score divided by its popularity to the power `popularityExponent` (β), so popular items stop
 * crowding the tail:
 *
 *   W[i][j] = Σ_u (x_ui / Σ_v x_vi)^α · (x_uj / Σ_l x_ul)^α / deg(j)^β,
 *
 * keeping the `neighbours` largest W[i][j] of each source i. Cheap (one pass over users' item pairs) and
 * strong on long-tail, listening-type data. A reader's score is `history × W`.
 */
import {
  type ItemGraph,
  NeighbourHeaps,
  decodeGraphModel,
  encodeGraphModel,
  graphNeighbours,
  scoreHistory,
} from './item-graph';
import { itemWeightTotals } from './matrix';
import { type UserRows, assertFitted, scoringMethods, userRowsOf } from './popularity';
import type { InteractionMatrix, Recommender } from './recommender';

/** Hyper-parameters of RP3beta. */
export interface Rp3Options {
  /** α: exponent of each transition probability (1 is the plain walk, lower flattens it). */
  walkExponent: number;
  /** β: exponent of the arrival item's popularity that divides its score (0 is P3alpha). */
  popularityExponent: number;
  /** Targets kept per source item. */
  neighbours: number;
}

/** Middle values of the ranges Paudel et al. and later re-evaluations tuned over; `auto` tunes them. */
export const RP3_DEFAULTS: Rp3Options = { walkExponent: 1, popularityExponent: 0.5, neighbours: 200 };

interface Rp3State {
  options: Rp3Options;
  rows: UserRows;
  graph: ItemGraph;
}

const VERSION = 1;

function rp3Graph(matrix: InteractionMatrix, options: Rp3Options): ItemGraph {
  const { items, users } = matrix;
  const alpha = options.walkExponent;
  const itemTotals = itemWeightTotals(matrix);
  const itemDegrees = new Float64Array(items);
  for (let item = 0; item < items; item += 1)
    itemDegrees[item] = (matrix.itemIndptr[item + 1] as number) - (matrix.itemIndptr[item] as number);
  // P(j | u)^α for every entry, in the user-side order.
  const forward = new Float64Array(matrix.userWeights.length);
  for (let user = 0; user < users; user += 1) {
    const start = matrix.userIndptr[user] as number;
    const end = matrix.userIndptr[user + 1] as number;
    let total = 0;
    for (let entry = start; entry < end; entry += 1) total += matrix.userWeights[entry] as number;
    for (let entry = start; entry < end; entry += 1)
      forward[entry] = total > 0 ? Math.pow((matrix.userWeights[entry] as number) / total, alpha) : 0;
  }
  const penalty = Float64Array.from(itemDegrees, (degree) =>
    degree > 0 ? Math.pow(degree, -options.popularityExponent) : 0,
  );
  const keep = Math.max(1, Math.min(options.neighbours, items - 1));
  const heaps = new NeighbourHeaps(items, keep);
  const sums = new Float64Array(items);
  const touched = new Int32Array(items);
  const seen = new Uint8Array(items);
  for (let source = 0; source < items; source += 1) {
    let count = 0;
    const total = itemTotals[source] as number;
    if (total <= 0) continue;
    for (
      let entry = matrix.itemIndptr[source] as number;
      entry < (matrix.itemIndptr[source + 1] as number);
      entry += 1
    ) {
      const user = matrix.itemIndices[entry] as number;
      const back = Math.pow((matrix.itemWeights[entry] as number) / total, alpha);
      const end = matrix.userIndptr[user + 1] as number;
      for (let other = matrix.userIndptr[user] as number; other < end; other += 1) {
        const target = matrix.userIndices[other] as number;
        if (!seen[target]) {
          seen[target] = 1;
          touched[count] = target;
          count += 1;
        }
        sums[target] = (sums[target] as number) + back * (forward[other] as number);
      }
    }
    for (let index = 0; index < count; index += 1) {
      const target = touched[index] as number;
      const weight = (sums[target] as number) * (penalty[target] as number);
      sums[target] = 0;
      seen[target] = 0;
      if (target !== source && weight > 0) heaps.offer(source, target, weight);
    }
  }
  return heaps.graph('source');
}

function rp3(options: Rp3Options, initial: Rp3State | null): Recommender {
  let state = initial;
  return {
    name: 'rp3',
    fit(matrix) {
      state = { options, rows: userRowsOf(matrix), graph: rp3Graph(matrix, options) };
    },
    ...scoringMethods(
      'rp3',
      () => state,
      (fitted, items, weights) => scoreHistory(fitted.graph, fitted.rows.items, items, weights),
    ),
    similarItems(item, k) {
      return graphNeighbours(assertFitted(state, 'rp3').graph, item, k);
    },
    serialize() {
      const { options: fitted, rows, graph } = assertFitted(state, 'rp3');
      const header = [fitted.walkExponent, fitted.popularityExponent, fitted.neighbours];
      return encodeGraphModel('rp3', VERSION, header, rows, graph);
    },
  };
}

/** RP3beta (Paudel et al. 2017); defaults α = 1, β = 0.5, 200 neighbours. */
export function createRp3(options: Partial<Rp3Options> = {}): Recommender {
  const merged = { ...RP3_DEFAULTS, ...options };
  if (!(Number.isFinite(merged.walkExponent) && merged.walkExponent > 0))
    throw new RangeError(`rp3: walkExponent must be a positive number (got ${merged.walkExponent})`);
  if (!(Number.isFinite(merged.popularityExponent) && merged.popularityExponent >= 0))
    throw new RangeError(
      `rp3: popularityExponent must be a non-negative number (got ${merged.popularityExponent})`,
    );
  if (!(Number.isInteger(merged.neighbours) && merged.neighbours >= 1))
    throw new RangeError(`rp3: neighbours must be a positive integer (got ${merged.neighbours})`);
  return rp3(merged, null);
}

/** Restores an RP3beta model from `serialize()`. */
export function deserializeRp3(bytes: Uint8Array): Recommender {
  const { header, rows, graph } = decodeGraphModel(bytes, 'rp3', VERSION, 'source');
  const [walkExponent = 1, popularityExponent = 0.5, neighbours = 200] = header;
  const options = { walkExponent, popularityExponent, neighbours };
  return rp3(options, { options, rows, graph });
}
