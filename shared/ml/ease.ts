/**
 * EASE^R, "Embarrassingly Shallow Autoencoders for Sparse Data" (Steck 2019): an item-item weight
 * matrix B with a zero diagonal, learnt in closed form from the Gram matrix G = XᵀX + λI as
 * B = I − P·diag(1/diag(P)) with P = G⁻¹. P comes from a float32 blocked sweep on the WebAssembly SIMD
 * kernel (`ease-sweep.ts`): 2 bytes per item² of memory (800 MB at 20,000 items) and items³/2
 * multiply-adds. Only the `neighbours` strongest sources of each item are kept (`item-graph.ts`), so a
 * fitted model is small enough to serve and scores a reader as `history × B` without refitting.
 */
import { easeGraphDual } from './ease-dual';
import { headItems, restrictColumns, widenGraph } from './ease-head';
import { packedGram, sweepInverse } from './ease-sweep';
import {
  type GraphModelState,
  type ItemGraph,
  NeighbourHeaps,
  decodeGraphModel,
  graphModelMethods,
  sourceRows,
} from './item-graph';
import { userRowsOf } from './popularity';
import type { InteractionMatrix, Recommender } from './recommender';

/** Hyper-parameters of EASE^R. */
export interface EaseOptions {
  /** The L2 penalty λ added to the Gram matrix's diagonal; larger for more data or noisier data. */
  lambda: number;
  /**
   * The largest inverse to compute (of order min(items, users)): 20,000 is 800 MB. When both items and
   * users exceed it, EASE is fitted on the `maxItems` most-read items (`ease-head.ts`).
   */
  maxItems: number;
  /** Sources kept per target item (the largest |B[i][j]|); at least items − 1 keeps B whole. */
  neighbours: number;
}

/**
 * 500 neighbours: on MovieLens 100K keeping 200 of 1,682 cost 0.01 NDCG@10 against keeping all.
 * λ = 500 is a middle value for catalogues of a few thousand items (on MovieLens 100K, λ from 200 to 800
 * all land within 0.005 NDCG@10); `--algo auto` tunes it on a validation split.
 */
export const EASE_DEFAULTS: EaseOptions = { lambda: 500, maxItems: 20_000, neighbours: 500 };

interface EaseState extends GraphModelState {
  options: EaseOptions;
}

const VERSION = 2;

/**
 * B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, by the float32 blocked sweep on the SIMD kernel, keeping for
 * each target item j the `neighbours` sources i of largest |B[i][j]|.
 */
function easeGraph(matrix: InteractionMatrix, lambda: number, neighbours: number): ItemGraph {
  const n = matrix.items;
  const packed = packedGram(n, matrix.userIndptr, matrix.userIndices, matrix.userWeights, lambda);
  const { values, rowStart } = packed;
  // A block that is not positive definite throws a RangeError naming it (from the dense inverse).
  sweepInverse(packed);
  // values now hold −P: B[i][j] = −P[i][j]/P[j][j] = −values[i][j]/values[j][j].
  const keep = Math.max(1, Math.min(neighbours, n - 1));
  const heaps = new NeighbourHeaps(n, keep);
  const { thresholds } = heaps;
  const diagonal = new Float64Array(n);
  for (let i = 0; i < n; i += 1) diagonal[i] = values[(rowStart[i] as number) + i] as number;
  for (let i = 1; i < n; i += 1) {
    const row = rowStart[i] as number;
    const scaleI = -1 / (diagonal[i] as number);
    for (let j = 0; j < i; j += 1) {
      const value = values[row + j] as number;
      const toJ = value * (-1 / (diagonal[j] as number));
      const toI = value * scaleI;
      if (Math.abs(toJ) > (thresholds[j] as number)) heaps.offer(j, i, toJ);
      if (Math.abs(toI) > (thresholds[i] as number)) heaps.offer(i, j, toI);
    }
  }
  return heaps.graph('target');
}

function ease(options: EaseOptions, initial: EaseState | null, forced?: 'primal' | 'dual'): Recommender {
  let state = initial;
  return {
    name: 'ease',
    fit(matrix) {
      // The primal solve is of order items, the dual (ease-dual.ts) of order users: the smaller one runs;
      // past maxItems of both, EASE is fitted on the most-read maxItems items (ease-head.ts).
      const solve = (fitted: InteractionMatrix) =>
        (forced ?? (fitted.users < fitted.items ? 'dual' : 'primal')) === 'dual'
          ? easeGraphDual(fitted, options.lambda, options.neighbours)
          : easeGraph(fitted, options.lambda, options.neighbours);
      let graph: ItemGraph;
      if (Math.min(matrix.items, matrix.users) <= options.maxItems) graph = solve(matrix);
      else {
        const head = headItems(matrix, options.maxItems);
        graph = widenGraph(solve(restrictColumns(matrix, head)), head, matrix.items);
      }
      state = { options, rows: userRowsOf(matrix), graph, sources: sourceRows(graph) };
    },
    ...graphModelMethods(
      'ease',
      VERSION,
      () => state,
      ({ options: fitted }) => [fitted.lambda, fitted.neighbours],
    ),
  };
}

/**
 * EASE^R (Steck 2019) with L2 penalty `lambda` (default 500; tune it, it scales with the data). A user's
 * score for item j is Σᵢ x_ui·B[i][j] over the kept neighbours. Above `maxItems` items and users
 * (default 20,000) it is fitted on the head of the catalogue. `solve` forces the primal or the dual
 * inverse (benchmarks); by default the smaller one runs.
 */
export function createEase(options: Partial<EaseOptions> = {}, solve?: 'primal' | 'dual'): Recommender {
  const merged = { ...EASE_DEFAULTS, ...options };
  if (!(Number.isFinite(merged.lambda) && merged.lambda > 0))
    throw new RangeError(`ease: lambda must be a positive number (got ${merged.lambda})`);
  if (!(Number.isInteger(merged.maxItems) && merged.maxItems >= 1))
    throw new RangeError(`ease: maxItems must be a positive integer (got ${merged.maxItems})`);
  if (!(Number.isInteger(merged.neighbours) && merged.neighbours >= 1))
    throw new RangeError(`ease: neighbours must be a positive integer (got ${merged.neighbours})`);
  return ease(merged, null, solve);
}

/** Restores an EASE^R model from `serialize()`. */
export function deserializeEase(bytes: Uint8Array): Recommender {
  const { header, rows, graph } = decodeGraphModel(bytes, 'ease', VERSION, 'target');
  const [lambda = EASE_DEFAULTS.lambda, neighbours = EASE_DEFAULTS.neighbours] = header;
  const options = { ...EASE_DEFAULTS, lambda, neighbours };
  return ease(
    { ...options, maxItems: Math.max(EASE_DEFAULTS.maxItems, rows.items) },
    { options, rows, graph, sources: sourceRows(graph) },
  );
}
