/**
 * The reader's taste as one vector in the embedding space, for nearest-neighbour search over book
 * vectors. Three parts, each a unit vector of the same model: `content` (the books they engaged with,
 * weighted by how and when), `tags` (their stated interests embedded as tags) and `profile` (their
 * reader text, see `readerText`). {@link hybridVector} mixes whichever parts exist.
 */
import type { InteractionType } from '../contract/domain';
import { addScaled, commonDimension, unitOrNull } from './vectors';

/**
 * Signed confidence of each interaction type, in the spirit of Hu, Koren & Volinsky (2008),
 * "Collaborative Filtering for Implicit Feedback Datasets": implicit events are evidence of
 * preference with a confidence that grows with the strength of the action; explicit negatives carry
 * negative weight. Finishing a book is the strongest signal (+1), borrowing it nearly so (+0.8), a
 * click or a view is weak (+0.2, +0.05). Returns, pins and blocks carry no taste: a return says
 * nothing about liking, pins and blocks are a teacher's filters, applied elsewhere.
 * Ratings are handled by {@link interactionWeight}.
 */
export const INTERACTION_WEIGHTS: Readonly<Record<Exclude<InteractionType, 'rating'>, number>> = {
  finish: 1.0,
  checkout: 0.8,
  thumbs_up: 1.0,
  want: 0.5,
  click: 0.2,
  view: 0.05,
  thumbs_down: -1.0,
  dismiss: -0.6,
  return: 0,
  pin: 0,
  block: 0,
};

/** Half-life of an interaction's weight: a term's reading from last autumn counts half by spring. */
export const DEFAULT_HALF_LIFE_DAYS = 120;

/** Neutral rating: 3 of 5 stars says neither liked nor disliked. */
const RATING_MIDPOINT = 3;

/**
 * The signed weight of one interaction: the type's confidence ({@link INTERACTION_WEIGHTS}; a rating
 * of 0.5–5 stars maps to (stars − 3) / 2, so 5★ is +1 and 1★ is −1, clamped to [−1, 1]) times an
 * exponential recency decay 0.5^(ageDays / halfLifeDays) (time-weighted collaborative filtering, Ding &
 * Li 2005): taste drifts, and a child's reading level moves within a school year. A rating without a
 * value weighs 0; a negative age (clock skew) counts as today.
 */
export function interactionWeight(
  type: InteractionType,
  value: number | null | undefined,
  ageDays: number,
  halfLifeDays: number = DEFAULT_HALF_LIFE_DAYS,
): number {
  if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays))
    throw new RangeError(`interactionWeight: halfLifeDays must be a positive number (got ${halfLifeDays})`);
  let base: number;
  if (type === 'rating') {
    if (value == null || !Number.isFinite(value)) return 0;
    base = Math.max(-1, Math.min(1, (value - RATING_MIDPOINT) / 2));
  } else {
    base = INTERACTION_WEIGHTS[type];
  }
  if (base === 0) return 0;
  const age = Number.isFinite(ageDays) ? Math.max(0, ageDays) : 0;
  return base * 0.5 ** (age / halfLifeDays);
}

/**
 * Rocchio's γ (Rocchio 1971, relevance feedback): how hard negative examples push. Below 1 because a
 * dislike says "not this book", not "the opposite of everything like it".
 */
export const NEGATIVE_FACTOR = 0.5;

/**
 * Total positive weight needed before a content vector exists: one click (0.2) or a few views; less
 * than that is too little evidence to steer recommendations, so the other parts (or popularity) lead.
 */
export const MIN_POSITIVE_WEIGHT = 0.15;

/**
 * The content part of the profile, Rocchio-style: the weighted sum of the vectors of the books the
 * reader interacted with, positives pulling with their weight and negatives pushing with γ × their
 * weight ({@link NEGATIVE_FACTOR}), normalised to unit length. An item may appear once per interaction:
 * the sum is linear. Null when the positive weight is below {@link MIN_POSITIVE_WEIGHT} or the sum
 * cancels out.
 */
export function contentVector(
  items: readonly { vector: Float32Array; weight: number }[],
  options: { negativeFactor?: number; minPositiveWeight?: number } = {},
): Float32Array | null {
  const gamma = options.negativeFactor ?? NEGATIVE_FACTOR;
  const minimum = options.minPositiveWeight ?? MIN_POSITIVE_WEIGHT;
  const dimension = commonDimension(
    items.map((item) => item.vector),
    'contentVector',
  );
  if (dimension === null) return null;
  const sum = new Float64Array(dimension);
  let positive = 0;
  for (const { vector, weight } of items) {
    if (!Number.isFinite(weight) || weight === 0) continue;
    if (weight > 0) positive += weight;
    addScaled(sum, vector, weight > 0 ? weight : gamma * weight);
  }
  return positive >= minimum ? unitOrNull(sum) : null;
}

/** The unit direction of the mean of `vectors` (e.g. interest tags' vectors); null when empty or zero. */
export function meanVector(vectors: readonly Float32Array[]): Float32Array | null {
  const dimension = commonDimension(vectors, 'meanVector');
  if (dimension === null) return null;
  const sum = new Float64Array(dimension);
  for (const vector of vectors) addScaled(sum, vector, 1 / vectors.length);
  return unitOrNull(sum);
}

/** The parts of a hybrid profile; any may be missing. */
export interface ProfileParts {
  /** From interactions ({@link contentVector}). */
  content?: Float32Array | null;
  /** From interest tags ({@link meanVector} of tag vectors). */
  tags?: Float32Array | null;
  /** The embedded reader text. */
  profile?: Float32Array | null;
}

/** Shares of each part in the hybrid. */
export type ProfileWeights = Readonly<Record<keyof ProfileParts, number>>;

/**
 * Default shares: behaviour dominates (0.6) because what a reader actually reads is the best evidence;
 * stated interests (0.2) and the reader text (0.2) keep a cold-start reader from getting nothing and
 * stop a history of one genre from hiding an interest the teacher wrote down.
 */
export const DEFAULT_PROFILE_WEIGHTS: ProfileWeights = { content: 0.6, tags: 0.2, profile: 0.2 };

const PARTS = ['content', 'tags', 'profile'] as const;

/**
 * The effective weight of each part: the weights of present parts rescaled to sum to 1, so a missing
 * part's share goes to the others in proportion. Empty when no present part has weight.
 */
export function hybridWeights(
  parts: ProfileParts,
  weights: ProfileWeights = DEFAULT_PROFILE_WEIGHTS,
): Partial<Record<keyof ProfileParts, number>> {
  let total = 0;
  for (const part of PARTS) {
    const weight = weights[part];
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw new RangeError(`hybridVector: weight of ${part} must be finite and >= 0 (got ${weight})`);
    if (parts[part]) total += weight;
  }
  const shares: Partial<Record<keyof ProfileParts, number>> = {};
  if (total === 0) return shares;
  for (const part of PARTS) if (parts[part] && weights[part] > 0) shares[part] = weights[part] / total;
  return shares;
}

/**
 * The reader's query vector: Σ shareᵢ × partᵢ over present parts ({@link hybridWeights}), normalised.
 * Null when no part is present (or weighted) or they cancel out. Throws a RangeError when the parts'
 * dimensions differ (vectors from two models: a bug).
 */
export function hybridVector(
  parts: ProfileParts,
  weights: ProfileWeights = DEFAULT_PROFILE_WEIGHTS,
): Float32Array | null {
  const present = PARTS.map((part) => parts[part]).filter((vector): vector is Float32Array => !!vector);
  const dimension = commonDimension(present, 'hybridVector');
  const shares = hybridWeights(parts, weights);
  if (dimension === null) return null;
  const sum = new Float64Array(dimension);
  for (const part of PARTS) {
    const vector = parts[part];
    const share = shares[part];
    if (vector && share) addScaled(sum, vector, share);
  }
  return unitOrNull(sum);
}
