/**
 * SANSA, "Scalable Approximate NonSymmetric Autoencoder for Collaborative Filtering" (Spišák, Bartyzal,
 * Hoskovec, Peška & Tůma, RecSys 2023): EASE^R's weights (Steck 2019) without the dense items² inverse.
 * EASE needs P = (XᵀX + λI)⁻¹ and sets B = I − P·diag(1/diag P); SANSA factors the Gram matrix incompletely
 * as LDLᵀ, approximates K ≈ L⁻¹ sparsely and uses P ≈ Kᵀ D⁻¹ K. Memory and time grow with
 * items × entries-per-column instead of items² and items³:
 *
 * 1. `sansa-gram.ts`: A = XᵀX + λI one column at a time (never stored), scaled to a unit diagonal, in
 *    ascending-degree order;
 * 2. `sansa-factor.ts`: incomplete LDLᵀ with threshold dropping, a per-column fill cap (Lin & Moré's ICF,
 *    the factoriser SANSA uses) and diagonal compensation of what is dropped (Ajiz & Jennings 1984);
 * 3. `sansa-inverse.ts`: K ≈ L⁻¹ by a dropped column recursion, then P ≈ Kᵀ D⁻¹ K one column at a time,
 *    of which each item keeps its top-N sources as the same item graph exact EASE and RP3beta serve
 *    (`item-graph.ts`), so scoring is `history × B` as for EASE.
 *
 * On the paper's scale SANSA keeps a factored model; here the catalogues are at most ~10⁵ items, so the
 * explicit top-N graph is affordable and serving needs no new path.
 */
import {
  type GraphModelState,
  type ItemGraph,
  decodeGraphModel,
  graphModelMethods,
  sourceRows,
} from './item-graph';
import { userRowsOf } from './popularity';
import type { InteractionMatrix, Recommender } from './recommender';
import { incompleteLdl } from './sansa-factor';
import { GramColumns } from './sansa-gram';
import { approximateInverse, sansaGraph } from './sansa-inverse';

/** Hyper-parameters of SANSA. */
export interface SansaOptions {
  /** The L2 penalty λ on the Gram matrix's diagonal, as EASE^R's (`auto` searches it the same way). */
  lambda: number;
  /**
   * Target density of the sparse factors: a column of K ≈ L⁻¹ keeps m = max(MINIMUM_ENTRIES,
   * ⌈density × items⌉) entries, a column of L at most min(its count in A, m) + `fill`. 0.01 is m = 200
   * at 20,000 items.
   */
  density: number;
  /** Lin & Moré's fill cap p: the entries a column of L may keep beyond its (capped) count in A. */
  fill: number;
  /** Sources kept per target item (the largest |B[i][j]|), as EASE^R's `neighbours`. */
  neighbours: number;
}

/**
 * λ = 500 as EASE^R's default (the same scale: both see XᵀX + λI; `auto` searches it). density 0.01
 * with at least MINIMUM_ENTRIES per column, fill 100: on citeulike-a (16,980 items, λ = 100) K's columns
 * matter most — 100 entries gave NDCG@10 0.238, 204 gave 0.249 (exact EASE 0.248), while 300 more fill in
 * L gave 0.243; at 20,000 items m = 200 costs about 32 s of one core against 26 s for m = 100.
 */
export const SANSA_DEFAULTS: SansaOptions = { lambda: 500, density: 0.01, fill: 100, neighbours: 500 };

/** A column never keeps fewer entries than this, whatever the density (small catalogues). */
export const MINIMUM_ENTRIES = 200;

/** Entries below this (in the unit-diagonal scaling) are dropped from L and K. */
const DROP_TOLERANCE = 1e-4;

interface SansaState extends GraphModelState {
  options: SansaOptions;
}

const VERSION = 1;

/** Entries per column for `items` items at `density`. */
export function entriesPerColumn(items: number, density: number): number {
  return Math.min(Math.max(0, items - 1), Math.max(MINIMUM_ENTRIES, Math.ceil(density * items)));
}

/**
 * A priori seconds of one fit, for `auto`'s budget: the factor and the inverse do about
 * items × (m + fill)² multiply-adds and the Gram columns Σ_u deg(u)² ≈ entries²/users, at ≈ 7·10⁷ a
 * second of scalar JavaScript (with its index loads), measured on citeulike-a (20 s) and the 20,000-item
 * bench (32 s).
 */
export function sansaSeconds(
  shape: { items: number; users: number; entries: number },
  options: SansaOptions = SANSA_DEFAULTS,
): number {
  const perColumn = entriesPerColumn(shape.items, options.density);
  const gramWork = (shape.entries * shape.entries) / Math.max(1, shape.users);
  return (shape.items * (perColumn + options.fill) ** 2 + 2 * gramWork) / 7e7;
}

/** SANSA's item graph of `matrix` (see the module comment). */
export function fitSansaGraph(matrix: InteractionMatrix, options: SansaOptions): ItemGraph {
  const perColumn = entriesPerColumn(matrix.items, options.density);
  const gram = new GramColumns(matrix, options.lambda);
  const factor = incompleteLdl(gram, { perColumn, fill: options.fill, dropTolerance: DROP_TOLERANCE });
  const inverse = approximateInverse(factor, perColumn, DROP_TOLERANCE);
  return sansaGraph(inverse, factor.pivots, gram.permutation, gram.diagonal, options.neighbours);
}

function sansa(options: SansaOptions, initial: SansaState | null): Recommender {
  let state = initial;
  return {
    name: 'sansa',
    fit(matrix) {
      const graph = fitSansaGraph(matrix, options);
      state = { options, rows: userRowsOf(matrix), graph, sources: sourceRows(graph) };
    },
    ...graphModelMethods(
      'sansa',
      VERSION,
      () => state,
      ({ options: fitted }) => [fitted.lambda, fitted.neighbours, fitted.density, fitted.fill],
    ),
  };
}

/**
 * SANSA (Spišák et al. 2023): EASE^R's item–item weights from a sparse approximate inverse, for
 * catalogues past the exact inverse's time or memory. Scores a reader as Σᵢ x_ui·B[i][j] over the kept
 * neighbours, as EASE^R does.
 */
export function createSansa(options: Partial<SansaOptions> = {}): Recommender {
  const merged = { ...SANSA_DEFAULTS, ...options };
  if (!(Number.isFinite(merged.lambda) && merged.lambda > 0))
    throw new RangeError(`sansa: lambda must be a positive number (got ${merged.lambda})`);
  if (!(merged.density > 0 && merged.density <= 1))
    throw new RangeError(`sansa: density must be in (0, 1] (got ${merged.density})`);
  if (!(Number.isInteger(merged.fill) && merged.fill >= 0))
    throw new RangeError(`sansa: fill must be a whole number (got ${merged.fill})`);
  if (!(Number.isInteger(merged.neighbours) && merged.neighbours >= 1))
    throw new RangeError(`sansa: neighbours must be a positive integer (got ${merged.neighbours})`);
  return sansa(merged, null);
}

/** Restores a SANSA model from `serialize()`. */
export function deserializeSansa(bytes: Uint8Array): Recommender {
  const { header, rows, graph } = decodeGraphModel(bytes, 'sansa', VERSION, 'target');
  const [
    lambda = SANSA_DEFAULTS.lambda,
    neighbours = SANSA_DEFAULTS.neighbours,
    density = SANSA_DEFAULTS.density,
    fill = SANSA_DEFAULTS.fill,
  ] = header;
  const options = { lambda, neighbours, density, fill };
  return sansa(options, { options, rows, graph, sources: sourceRows(graph) });
}
