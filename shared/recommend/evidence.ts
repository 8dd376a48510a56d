/**
 * How much each interaction says a reader likes a book, as implicit-feedback confidence for ALS
 * (Hu, Koren & Volinsky 2008: only positive evidence counts). One definition for the device's
 * nightly job, its serving-time fold-in and the sync server's trainer, so all three agree.
 */

/** Confidence weight by interaction type (ratings are weighed by value, see {@link evidenceWeight}). */
export const CF_WEIGHTS: Readonly<Record<string, number>> = {
  finish: 3,
  checkout: 2,
  thumbs_up: 3,
  want: 1,
  click: 0.5,
  view: 0.2,
};

/** The ALS weight of one event: ratings of 4+ count like a finish, 3 like a want, lower not at all. */
export function evidenceWeight(type: string, value: number | null): number {
  if (type === 'rating') return value === null ? 0 : value >= 4 ? 3 : value >= 3 ? 1 : 0;
  return CF_WEIGHTS[type] ?? 0;
}

/** {@link evidenceWeight} as SQL over a row with `type` and `value` columns. */
export const EVIDENCE_WEIGHT_SQL = `CASE type WHEN 'rating' THEN CASE WHEN value >= 4 THEN 3 WHEN value >= 3 THEN 1 ELSE 0 END
  ${Object.entries(CF_WEIGHTS)
    .map(([type, weight]) => `WHEN '${type}' THEN ${weight}`)
    .join(' ')} ELSE 0 END`;
