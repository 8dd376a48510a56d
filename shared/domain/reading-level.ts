/**
 * Reading levels and school grades as teachers write them. Pure parsing and a grade-equivalent
 * used for banding; conversion tables between systems arrive with the recommendation service.
 */
import type { ReadingLevel, ReadingLevelSource, ReadingLevelSystem } from '../contract/domain';

const LEXILE = /^(BR\d{0,4}|\d{1,4})L?$/;
const ATOS = /^(\d{1,2})(\.\d{1,2})?$/;
const GUIDED = /^([A-Z]|Z\+)$/;
const DRA = /^(A|\d{1,2})$/;

/**
 * Checks and normalises a level value for its system. Returns the canonical value or a sentence
 * saying what a value of that system looks like.
 */
export function normaliseLevelValue(
  system: ReadingLevelSystem,
  raw: string,
): { ok: true; value: string } | { ok: false; reason: string } {
  const value = raw.trim().toUpperCase().replace(/\s+/g, '');
  switch (system) {
    case 'lexile':
      if (!LEXILE.test(value))
        return { ok: false, reason: `'${raw}' is not a Lexile measure (e.g. 650L or BR100L)` };
      return { ok: true, value: value.endsWith('L') ? value : `${value}L` };
    case 'atos': {
      const match = ATOS.exec(value);
      if (!match || Number(value) > 13.9)
        return { ok: false, reason: `'${raw}' is not an ATOS level (0.0 to 13.9)` };
      return { ok: true, value: Number(value).toFixed(1) };
    }
    case 'guided_reading':
      if (!GUIDED.test(value))
        return { ok: false, reason: `'${raw}' is not a guided reading level (A to Z)` };
      return { ok: true, value };
    case 'dra':
      if (!DRA.test(value) || (value !== 'A' && Number(value) > 80))
        return { ok: false, reason: `'${raw}' is not a DRA level (A, 1 to 80)` };
      return { ok: true, value };
    case 'grade': {
      // The canonical stored forms (-1 PK, 0 K, 13 adult) read back as well as what teachers type.
      const grade =
        /^-?\d{1,2}$/.test(value) && Number(value) >= -1 && Number(value) <= 13
          ? Number(value)
          : parseGrade(raw);
      if (grade === null) return { ok: false, reason: `'${raw}' is not a grade level (PK, K, 1 to 12)` };
      return { ok: true, value: String(grade) };
    }
    case 'other':
      if (value.length === 0 || value.length > 40)
        return { ok: false, reason: 'a level must be 1 to 40 characters' };
      return { ok: true, value: raw.trim() };
  }
}

/**
 * Parses a level as a teacher types it, inferring the system: `650L`/`BR100L` Lexile, `M` guided
 * reading, `4.5` ATOS, `DRA 28`, `grade 3`/`G3`. Returns `null` when nothing fits.
 */
export function parseReadingLevel(raw: string, source: ReadingLevelSource = 'known'): ReadingLevel | null {
  const text = raw.trim();
  const prefixed = /^(lexile|atos|guided|grade|dra|ar|gr|g)[\s:]*(.+)$/i.exec(text);
  if (prefixed) {
    const prefix = (prefixed[1] as string).toLowerCase();
    const system: ReadingLevelSystem =
      prefix === 'lexile'
        ? 'lexile'
        : prefix === 'atos' || prefix === 'ar'
          ? 'atos'
          : prefix === 'gr' || prefix === 'guided'
            ? 'guided_reading'
            : prefix === 'dra'
              ? 'dra'
              : 'grade';
    const checked = normaliseLevelValue(system, prefixed[2] as string);
    return checked.ok ? { value: checked.value, system, source } : null;
  }
  const upper = text.toUpperCase();
  if (/^(BR\d{0,4}|\d{1,4})L$/.test(upper)) return { value: upper, system: 'lexile', source };
  if (GUIDED.test(upper)) return { value: upper, system: 'guided_reading', source };
  if (ATOS.test(upper) && Number(upper) <= 13.9)
    return { value: Number(upper).toFixed(1), system: 'atos', source };
  return null;
}

/**
 * Parses a school grade: `PK`/`pre-k` → -1, `K`/`kindergarten` → 0, `3`/`3rd`/`grade 3` → 3, up to 12,
 * `adult` → 13. Returns `null` when the text is not a grade.
 */
export function parseGrade(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= -1 && raw <= 13 ? raw : null;
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/^grade\s*/, '');
  if (['pk', 'pre-k', 'prek', 'pre-kindergarten', 'preschool'].includes(text)) return -1;
  if (['k', 'kg', 'kindergarten'].includes(text)) return 0;
  if (text === 'adult') return 13;
  const match = /^(\d{1,2})(st|nd|rd|th)?$/.exec(text);
  if (!match) return null;
  const grade = Number(match[1]);
  return grade >= 1 && grade <= 12 ? grade : null;
}

/** The display form of a grade number. */
export function formatGrade(grade: number): string {
  if (grade === -1) return 'PK';
  if (grade === 0) return 'K';
  if (grade === 13) return 'adult';
  return String(grade);
}
