/** Top-k selection over a row of scores, shared by every ALS scoring path so that they agree exactly. */
import type { RecommendOptions, Scored } from './recommender';

/** Inserts (score, item) into the descending list of `size` ≤ k entries; returns the new size. */
function insert(
  values: Float64Array,
  items: Int32Array,
  size: number,
  k: number,
  score: number,
  item: number,
): number {
  let position = size < k ? size : k - 1;
  while (position > 0 && (values[position - 1] as number) < score) {
    values[position] = values[position - 1] as number;
    items[position] = items[position - 1] as number;
    position -= 1;
  }
  values[position] = score;
  items[position] = item;
  return size < k ? size + 1 : size;
}

/**
 * The k best items of scores[offset..offset+count), best first, ties by lower item index, never an item of
 * `seen` or `options.exclude`. Overwrites the excluded items' scores with −∞ (the rows are scratch).
 */
export function topItems(
  scores: Float32Array,
  offset: number,
  count: number,
  seen: Int32Array,
  options: RecommendOptions,
): Scored[] {
  const k = options.k;
  if (!(Number.isInteger(k) && k >= 0)) throw new RangeError(`recommend: k must be a whole number, got ${k}`);
  for (let index = 0; index < seen.length; index += 1) {
    const item = seen[index] as number;
    if (item >= 0 && item < count) scores[offset + item] = -Infinity;
  }
  if (options.exclude)
    for (const item of options.exclude)
      if (Number.isInteger(item) && item >= 0 && item < count) scores[offset + item] = -Infinity;
  if (k === 0) return [];
  const items = new Int32Array(k);
  const values = new Float64Array(k);
  let size = 0;
  let index = offset;
  const end = offset + count;
  // Items arrive in ascending order and only a strictly better score moves up, so ties keep the lower item.
  // Until k are kept any real score enters (never −∞ or NaN); then only one above the worst kept, in a loop
  // that is a bare compare for almost every item.
  for (; index < end && size < k; index += 1) {
    const score = scores[index] as number;
    if (score > -Infinity) size = insert(values, items, size, k, score, index - offset);
  }
  let worst = size === k ? (values[k - 1] as number) : Infinity;
  for (; index < end; index += 1) {
    const score = scores[index] as number;
    if (score > worst) {
      insert(values, items, size, k, score, index - offset);
      worst = values[k - 1] as number;
    }
  }
  const result: Scored[] = [];
  for (let rank = 0; rank < size; rank += 1)
    result.push({ item: items[rank] as number, score: values[rank] as number });
  return result;
}
