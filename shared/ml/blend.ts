/**
 * A weighted blend of recommenders: each member's scores are standardised per user (z-scores against
 * its own top 50), then summed with the members' weights. Low-rank ALS and item-item EASE err on
 * different items, so their blend beat both on MovieLens validation splits; `tune` decides on a
 * validation split whether a blend is worth it and with which weights.
 */
import {
  type UserRows,
  arrayAt,
  asciiBytes,
  asciiText,
  decodeModel,
  encodeModel,
  skipMask,
  topK,
} from './popularity';
import type { RecommendOptions, Recommender, Scored } from './recommender';
import {
  type AlgorithmName,
  type RecommenderOptions,
  DESERIALIZERS,
  RECOMMENDERS,
  isAlgorithmName,
} from './registry';

/** One member of a blend, by algorithm and hyper-parameters. */
export interface BlendMember {
  algo: AlgorithmName;
  options: RecommenderOptions;
  /** Its share of the blended score; weights need not sum to 1. */
  weight: number;
}

/** A fitted member. */
interface Weighted {
  model: Recommender;
  weight: number;
}

const VERSION = 1;

/** How many of a member's best scores set its standardisation. */
const STANDARDISE_TOP = 50;

/**
 * Standardised scores of a ranking (best first): z-scores against the mean and deviation of its top
 * `STANDARDISE_TOP` scores, the region that decides a top-k, so a long tail of near-zero scores does not
 * flatten one member's spread. Items it does not rank get its lowest standardised score.
 */
export function standardise(ranked: Scored[], items: number): Float64Array {
  const scores = new Float64Array(items);
  const top = ranked.filter((scored) => Number.isFinite(scored.score)).slice(0, STANDARDISE_TOP);
  if (top.length === 0) return scores;
  let mean = 0;
  for (const scored of top) mean += scored.score;
  mean /= top.length;
  let variance = 0;
  for (const scored of top) variance += (scored.score - mean) ** 2;
  const deviation = Math.sqrt(variance / top.length) || 1;
  let lowest = Infinity;
  const ranks = new Uint8Array(items);
  for (const scored of ranked) {
    if (!Number.isFinite(scored.score)) continue;
    const value = (scored.score - mean) / deviation;
    scores[scored.item] = value;
    ranks[scored.item] = 1;
    lowest = Math.min(lowest, value);
  }
  for (let item = 0; item < items; item += 1) if (!ranks[item]) scores[item] = lowest;
  return scores;
}

function combine(
  members: readonly Weighted[],
  rank: (model: Recommender) => Scored[],
  items: number,
): Float64Array {
  const total = new Float64Array(items);
  for (const member of members) {
    const scores = standardise(rank(member.model), items);
    for (let item = 0; item < items; item += 1)
      total[item] = (total[item] as number) + member.weight * (scores[item] as number);
  }
  return total;
}

/**
 * A blend over already-fitted `members` (e.g. the best models of a validation run), built on `rows`, the
 * fitted users' items; its `fit` refits every member.
 */
export function blendFitted(
  members: readonly Weighted[],
  rows: Pick<UserRows, 'indptr' | 'indices' | 'items'>,
): Recommender {
  let fitted = { rows, members };
  const catalogue = () => fitted.rows.items;
  return {
    name: 'blend',
    fit(matrix) {
      for (const member of fitted.members) member.model.fit(matrix);
      fitted = {
        rows: { indptr: matrix.userIndptr.slice(), indices: matrix.userIndices.slice(), items: matrix.items },
        members,
      };
    },
    recommend(user, options: RecommendOptions) {
      const items = catalogue();
      // Members rank everything but the user's own items; `exclude` applies after blending, so it cannot
      // shift the standardisation.
      const scores = combine(fitted.members, (model) => model.recommend(user, { k: items }), items);
      const own = fitted.rows.indices.subarray(
        fitted.rows.indptr[user] ?? 0,
        fitted.rows.indptr[user + 1] ?? 0,
      );
      return topK(scores, options.k, skipMask(items, own, options));
    },
    recommendFor(items, weights, options) {
      const catalogueSize = catalogue();
      const scores = combine(
        fitted.members,
        (model) => model.recommendFor(items, weights, { k: catalogueSize }),
        catalogueSize,
      );
      return topK(scores, options.k, skipMask(catalogueSize, items, options));
    },
    similarItems(item, k) {
      const items = catalogue();
      const scores = combine(fitted.members, (model) => model.similarItems(item, items), items);
      return topK(scores, k, skipMask(items, [item], { k }));
    },
    serialize() {
      const arrays: Uint8Array[] = [];
      for (const member of fitted.members)
        arrays.push(asciiBytes(member.model.name), member.model.serialize());
      return encodeModel(
        'blend',
        VERSION,
        [fitted.rows.items, ...fitted.members.map((member) => member.weight)],
        [fitted.rows.indptr, fitted.rows.indices, ...arrays],
      );
    },
  };
}

/**
 * A blend of unfitted members built with `RECOMMENDERS` (e.g. EASE^R λ=400 with ALS 128 factors, weights
 * 0.5/0.5); `fit` fits each member on the same matrix.
 */
export function createBlend(members: readonly BlendMember[]): Recommender {
  if (members.length === 0) throw new RangeError('blend: needs at least one member');
  for (const member of members)
    if (!(Number.isFinite(member.weight) && member.weight >= 0))
      throw new RangeError(`blend: the weight of ${member.algo} must be a non-negative number`);
  return blendFitted(
    members.map((member) => ({ model: RECOMMENDERS[member.algo](member.options), weight: member.weight })),
    { indptr: new Int32Array(1), indices: new Int32Array(0), items: 0 },
  );
}

/** Restores a blend from `serialize()`, each member through its own `deserialize…`. */
export function deserializeBlend(bytes: Uint8Array): Recommender {
  const { header, arrays } = decodeModel(bytes, 'blend', VERSION);
  const [items = 0, ...weights] = header;
  const members = weights.map((weight, index) => {
    const name = asciiText(arrayAt(arrays, 2 + index * 2, Uint8Array, 'blend'));
    if (!isAlgorithmName(name)) throw new Error(`deserialize blend: member ${index} is an unknown '${name}'`);
    return { model: DESERIALIZERS[name](arrayAt(arrays, 3 + index * 2, Uint8Array, 'blend')), weight };
  });
  return blendFitted(members, {
    items,
    indptr: arrayAt(arrays, 0, Int32Array, 'blend'),
    indices: arrayAt(arrays, 1, Int32Array, 'blend'),
  });
}
