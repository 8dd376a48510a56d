/**
 * How much each interaction says a reader likes a book, for ALS: the same confidence weights as the
 * device's own nightly job (workers/db/recommend/collaborative.ts `CF_WEIGHTS`), kept in step by hand
 * because server/ may import only shared/. Implicit feedback: only positive evidence counts.
 */

/** Weight by interaction type. */
export const SERVER_CF_WEIGHTS: Readonly<Record<string, number>> = {
  finish: 3,
  checkout: 2,
  thumbs_up: 3,
  want: 1,
  click: 0.5,
  view: 0.2,
};

/** The ALS weight of one event (ratings of 4+ count like a finish, 3 like a want). */
export function evidenceWeight(type: string, value: number | null): number {
  if (type === 'rating') return value === null ? 0 : value >= 4 ? 3 : value >= 3 ? 1 : 0;
  return SERVER_CF_WEIGHTS[type] ?? 0;
}

/** The same weight as SQL over a row with `type` and `value`. */
export const EVIDENCE_WEIGHT_SQL = `CASE type WHEN 'rating' THEN CASE WHEN value >= 4 THEN 3 WHEN value >= 3 THEN 1 ELSE 0 END
  ${Object.entries(SERVER_CF_WEIGHTS)
    .map(([type, weight]) => `WHEN '${type}' THEN ${weight}`)
    .join(' ')} ELSE 0 END`;
