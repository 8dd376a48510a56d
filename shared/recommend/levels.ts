/**
 * Reading levels on one scale: every system converts to a grade equivalent (GE), the number ATOS
 * already uses, where the integer part is the school grade and the fraction how far through the school
 * year (ATOS 4.5 = middle of grade 4; 0 is kindergarten, -1 pre-K, 13 the end of grade 12). A reader's
 * band is an interval on that scale; a book's fit is how close its GE lies to the band's centre.
 *
 * The tables are approximate correspondences for banding, not assessments: a teacher's judgement
 * always wins (they can pin or block), and the band is wide enough to absorb a conversion's error.
 */
import type { ReadingLevel, ReadingLevelSystem } from '../contract/domain';
import { formatGrade, normaliseLevelValue, parseGrade } from '../domain/reading-level';

/** A level as stored: its value and system (the `source` is irrelevant to conversion). */
export type LevelInput = Pick<ReadingLevel, 'value' | 'system'>;

/** A reader's band on the grade-equivalent scale. */
export interface LevelBand {
  /** Lowest grade equivalent in band. */
  low: number;
  /** Highest grade equivalent in band. */
  high: number;
  /** Where the reader is; level fit is 1 here. */
  centre: number;
  /** What the centre came from: an assessed level, the school grade, or the age. */
  basis: 'level' | 'grade' | 'age';
}

/** BR (beginning reader) Lexile measures: the middle of kindergarten. */
export const BEGINNING_READER_GRADE = 0.5;

/**
 * Lexile → GE anchors `[lexile, GE]`: the midpoint of each grade's typical text range placed at the
 * middle of that grade's year (N.5), since the ranges describe texts read across the whole year.
 * Ranges as widely published after MetaMetrics' Lexile-to-grade correspondence and the CCSS
 * Appendix A (2012) "stretch" bands: 1: 190–530L, 2: 420–650L, 3: 520–820L, 4: 740–940L,
 * 5: 830–1010L, 6: 925–1070L, 7: 970–1120L, 8: 1010–1185L, 9–10: 1050–1335L, 11–12: 1185–1385L.
 * Two-grade spans sit at the middle of the span (10.0, 12.0). BR (beginning reader, at or below 0L)
 * is GE 0.5, the middle of kindergarten; the top of the 11–12 range, 1385L, ends grade 12 (13.0).
 */
export const LEXILE_ANCHORS: readonly (readonly [number, number])[] = [
  [0, BEGINNING_READER_GRADE],
  [360, 1.5],
  [535, 2.5],
  [670, 3.5],
  [840, 4.5],
  [920, 5.5],
  [997.5, 6.5],
  [1045, 7.5],
  [1097.5, 8.5],
  [1192.5, 10],
  [1285, 12],
  [1385, 13],
];

/**
 * Fountas & Pinnell guided reading letters by grade (F&P Text Level Ladder of Progress): A–C
 * kindergarten, D–I grade 1, J–M 2, N–P 3, Q–S 4, T–V 5, W–Y 6, Z 7 and up. The letters of a grade
 * split its year evenly and each sits at the midpoint of its share (M, last of four in grade 2, is 2.875).
 */
const GUIDED_GRADES: readonly (readonly [string, number])[] = [
  ['ABC', 0],
  ['DEFGHI', 1],
  ['JKLM', 2],
  ['NOP', 3],
  ['QRS', 4],
  ['TUV', 5],
  ['WXY', 6],
];
/** Z is "grade 7 and up" on the ladder: the middle of grade 7. Z+ is beyond the ladder (high school). */
const GUIDED_Z = 7.5;
const GUIDED_Z_PLUS = 9.5;

/**
 * DRA (Developmental Reading Assessment, Beaver & Carter) levels → GE anchors `[level, GE]`, from the
 * publisher's grade correspondence: 1–3 kindergarten, 4–16 grade 1, 18–28 grade 2, 30–38 grade 3,
 * then 40, 50, 60, 70, 80 for grades 4 to 8. Each grade's level range has its midpoint at N.5 and
 * levels in between interpolate; `A` (the first kindergarten level) is 0.
 */
export const DRA_ANCHORS: readonly (readonly [number, number])[] = [
  [0, 0],
  [2, 0.5],
  [10, 1.5],
  [23, 2.5],
  [34, 3.5],
  [40, 4.5],
  [50, 5.5],
  [60, 6.5],
  [70, 7.5],
  [80, 8.5],
];

/** Piecewise-linear interpolation through increasing anchors, flat beyond either end. */
function interpolate(anchors: readonly (readonly [number, number])[], x: number): number {
  const first = anchors[0] as readonly [number, number];
  if (x <= first[0]) return first[1];
  for (let index = 1; index < anchors.length; index += 1) {
    const [x1, y1] = anchors[index] as readonly [number, number];
    if (x <= x1) {
      const [x0, y0] = anchors[index - 1] as readonly [number, number];
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return (anchors[anchors.length - 1] as readonly [number, number])[1];
}

function guidedGrade(letter: string): number | null {
  if (letter === 'Z') return GUIDED_Z;
  if (letter === 'Z+') return GUIDED_Z_PLUS;
  for (const [letters, grade] of GUIDED_GRADES) {
    const position = letters.indexOf(letter);
    if (position >= 0) return grade + (position + 0.5) / letters.length;
  }
  return null;
}

/**
 * A school grade as written (`K`, `3rd`) or as `normaliseLevelValue` stores it (`0`, `-1`, `13`,
 * which `parseGrade` reads only as numbers).
 */
function schoolGrade(value: string): number | null {
  const text = value.trim();
  return /^-?\d{1,2}$/.test(text) ? parseGrade(Number(text)) : parseGrade(text);
}

/**
 * The grade equivalent of a level in any system, or null when the value does not parse or the system
 * is `other` (a school's own scheme has no known correspondence). A plain school grade N is N + 0.5,
 * the middle of that year, so it agrees with the tables above (a "grade 4" book ≈ ATOS 4.5).
 */
export function gradeEquivalent(level: LevelInput | null | undefined): number | null {
  if (!level) return null;
  if (level.system === 'grade') {
    // Before normalising: normaliseLevelValue rejects the '0' and '-1' it itself stores for K and PK.
    const grade = schoolGrade(level.value);
    return grade === null ? null : grade + 0.5;
  }
  const checked = normaliseLevelValue(level.system, level.value);
  if (!checked.ok) return null;
  const value = checked.value;
  switch (level.system) {
    case 'lexile':
      // BR100L is 100 below zero on the Lexile scale; all BR measures are beginning readers.
      return value.startsWith('BR')
        ? BEGINNING_READER_GRADE
        : interpolate(LEXILE_ANCHORS, parseInt(value, 10));
    case 'atos':
      return Number(value);
    case 'guided_reading':
      return guidedGrade(value);
    case 'dra':
      return interpolate(DRA_ANCHORS, value === 'A' ? 0 : Number(value));
    case 'other':
      return null;
  }
}

/** A book's grade equivalent, null when its level is unknown or unconvertible ({@link gradeEquivalent}). */
export function bookGrade(level: LevelInput | null | undefined): number | null {
  return gradeEquivalent(level);
}

/** Band half-widths in grades. Wider above: readers stretch up more readily than they step down. */
export const DEFAULT_BAND = { below: 1.0, above: 1.5 } as const;

/** Age at which a child starts kindergarten (grade 0) in the school systems Lumin targets. */
const KINDERGARTEN_AGE = 5;

/**
 * The reader's band: centred on their assessed level when it converts, else the middle of their
 * school grade, else the middle of the grade their age implies (age − 5, clamped to pre-K … adult),
 * extended `below` and `above` grades (defaults 1.0 and 1.5). Null when nothing about them is known.
 */
export function readerBand(
  reader: { level?: LevelInput | null; grade?: number | null; age?: number | null },
  options: { below?: number; above?: number } = {},
): LevelBand | null {
  const below = options.below ?? DEFAULT_BAND.below;
  const above = options.above ?? DEFAULT_BAND.above;
  if (!(below >= 0) || !(above >= 0) || !Number.isFinite(below + above))
    throw new RangeError(`readerBand: below and above must be finite and >= 0 (got ${below}, ${above})`);
  const band = (centre: number, basis: LevelBand['basis']): LevelBand => ({
    low: centre - below,
    high: centre + above,
    centre,
    basis,
  });
  const fromLevel = gradeEquivalent(reader.level);
  if (fromLevel !== null) return band(fromLevel, 'level');
  if (reader.grade != null && Number.isFinite(reader.grade)) return band(reader.grade + 0.5, 'grade');
  if (reader.age != null && Number.isFinite(reader.age)) {
    const grade = Math.max(-1, Math.min(13, Math.floor(reader.age) - KINDERGARTEN_AGE));
    return band(grade + 0.5, 'age');
  }
  return null;
}

/** Whether a book's grade equivalent lies inside the band (edges included); false when either is unknown. */
export function inBand(grade: number | null | undefined, band: LevelBand | null | undefined): boolean {
  return grade != null && band != null && grade >= band.low && grade <= band.high;
}

/**
 * A ranking feature in [0, 1]: 1 at the band's centre, falling linearly to 0 at each edge (each side
 * on its own width, as the band is asymmetric) and 0 outside. An unknown level or band scores 0: the
 * book is not boosted, never penalised below a book at the edge.
 */
export function levelFit(grade: number | null | undefined, band: LevelBand | null | undefined): number {
  if (grade == null || band == null || !inBand(grade, band)) return 0;
  const width = grade >= band.centre ? band.high - band.centre : band.centre - band.low;
  if (width <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - Math.abs(grade - band.centre) / width));
}

/** Short text for explanations: `620L`, `level M`, `ATOS 4.5`, `DRA 28`, `grade 4`, `grade K`. */
export function describeLevel(level: LevelInput): string {
  const checked = normaliseLevelValue(level.system, level.value);
  const value = checked.ok ? checked.value : level.value.trim();
  switch (level.system) {
    case 'lexile':
      return value;
    case 'atos':
      return `ATOS ${value}`;
    case 'guided_reading':
      return `level ${value}`;
    case 'dra':
      return `DRA ${value}`;
    case 'grade': {
      const grade = schoolGrade(value);
      if (grade === 13) return 'adult';
      return `grade ${grade === null ? value : formatGrade(grade)}`;
    }
    case 'other':
      return value;
  }
}

/** Every system {@link gradeEquivalent} can convert. */
export const CONVERTIBLE_SYSTEMS: readonly ReadingLevelSystem[] = [
  'lexile',
  'atos',
  'guided_reading',
  'dra',
  'grade',
];
