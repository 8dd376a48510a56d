/** Pure shaping of the analytics reads into chart rows (kept out of the components so tests cover it). */
import type { LevelAudit, ReadingActivity, ReadingStats } from '../../../../shared/contract/recommend';

/** Human names of the chain steps that serve lists. */
const SOURCE_LABELS: Record<string, string> = {
  cache: 'Cached',
  personalised: 'Personalised',
  batch: 'Nightly batch',
  popular: 'Popular',
  pinned: 'Pinned',
  explore: 'Exploration',
};

/** One bar of the CTR chart. */
export interface CtrRow {
  source: string;
  /** Click-through in percent. */
  ctr: number;
  impressions: number;
  clicks: number;
}

/** CTR by source, in percent, most impressions first. */
export function ctrRows(stats: ReadingStats | null): CtrRow[] {
  if (!stats) return [];
  return Object.entries(stats.ctr)
    .map(([source, value]) => ({
      source: SOURCE_LABELS[source] ?? source,
      ctr: Math.round(value.rate * 1000) / 10,
      impressions: value.impressions,
      clicks: value.clicks,
    }))
    .sort((a, b) => b.impressions - a.impressions);
}

/** Total impressions in the period (0: nothing was recommended yet). */
export function impressionCount(stats: ReadingStats | null): number {
  return stats ? Object.values(stats.ctr).reduce((sum, value) => sum + value.impressions, 0) : 0;
}

/** One bar of the quality chart: coverage and diversity, both in percent. */
export interface QualityRow {
  measure: string;
  percent: number;
}

/** Coverage and diversity as percentages (diversity only when measurable). */
export function qualityRows(stats: ReadingStats | null): QualityRow[] {
  if (!stats) return [];
  const rows: QualityRow[] = [{ measure: 'Coverage', percent: Math.round(stats.coverage * 1000) / 10 }];
  if (stats.diversity !== null)
    rows.push({ measure: 'Diversity', percent: Math.round(stats.diversity * 1000) / 10 });
  return rows;
}

/** One week of the activity chart. */
export interface ActivityRow {
  /** `Mar 3`-style label of the week's Monday. */
  week: string;
  reading: number;
  feedback: number;
  other: number;
}

/** Weekly rows with short date labels (UTC, as the core counts weeks). */
export function activityRows(activity: ReadingActivity | null): ActivityRow[] {
  if (!activity) return [];
  const format = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return activity.weeks.map((week) => ({
    week: format.format(new Date(`${week.week}T00:00:00Z`)),
    reading: week.reading,
    feedback: week.feedback,
    other: week.other,
  }));
}

/** Interactions in the activity period. */
export function activityTotal(activity: ReadingActivity | null): number {
  return activity
    ? activity.weeks.reduce((sum, week) => sum + week.reading + week.feedback + week.other, 0)
    : 0;
}

/** One band of the library audit: shares of books and of readers, in percent, with the counts. */
export interface AuditRow {
  band: string;
  books: number;
  readers: number;
  bookCount: number;
  readerCount: number;
}

/**
 * The audit as shares, so a library of thousands and a class of twenty fit one axis; bands empty on
 * both sides at the ends are trimmed (a grade 3 class has no use for the adult band).
 */
export function auditRows(levels: LevelAudit | null): AuditRow[] {
  if (!levels) return [];
  const books = levels.bands.reduce((sum, band) => sum + band.books, 0);
  const readers = levels.bands.reduce((sum, band) => sum + band.readers, 0);
  const share = (count: number, total: number) => (total ? Math.round((count / total) * 1000) / 10 : 0);
  const rows = levels.bands.map((band) => ({
    band: band.label,
    books: share(band.books, books),
    readers: share(band.readers, readers),
    bookCount: band.books,
    readerCount: band.readers,
  }));
  const used = (row: AuditRow) => row.bookCount > 0 || row.readerCount > 0;
  const first = rows.findIndex(used);
  if (first < 0) return [];
  const last = rows.length - 1 - [...rows].reverse().findIndex(used);
  return rows.slice(first, last + 1);
}

/** Bands where the class has readers but the library has fewer than `minimum` books. */
export function thinBands(levels: LevelAudit | null, minimum = 10): string[] {
  if (!levels) return [];
  return levels.bands.filter((band) => band.readers > 0 && band.books < minimum).map((band) => band.label);
}
