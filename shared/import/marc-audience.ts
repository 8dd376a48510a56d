/**
 * A MARC record's audience and reading levels (008/22, 521 notes, 526 study programs).
 *
 * Audience and levels, strongest source first:
 * - readingLevel: a Lexile (521 "680L"/"Lexile 680", 526 $c "680L") → ATOS (526 $c when the program is
 *   Accelerated Reader, or a 521 naming AR/ATOS) → guided reading (521 naming Fountas & Pinnell) → DRA
 *   → another program's level (526 $c, e.g. Reading Counts, system `other`) → reading grade (521 0_,
 *   the lower grade of a range, system `grade`).
 * - interestAgeMin/Max: 521 1_ ages ("Ages 9-12", "009-012", "8 and up") → 521 2_ grades as ages
 *   (grade + 5: "4-6" → 9–11, K → 5) → the AR interest level (LG 5–8, MG 9–13, MG+ 11 and up, UG 14–17)
 *   → 008/22 (a preschool 0–5, b primary 6–8, c pre-adolescent 9–13, d adolescent 14–17, e adult 18 and
 *   up, j juvenile 5–13; f specialised and g general say nothing about age).
 * - interestLevel: 526 $b (LG/MG/MG+/UG) → a 521 "interest level" note → 008/22 (a,b → LG; c → MG;
 *   d → UG; e → adult; j spans LG and MG, so it gives none).
 * AR points (526 $d) are not an identifier and the book has no field for them, so they are dropped; an
 * AR or Reading Counts quiz number in 526 $z/$x/$i is kept as externalIds.arQuiz / srcQuiz.
 */
import { normaliseLevelValue, parseGrade } from '../domain/reading-level';
import { oneLine } from './common';
import { type MarcField, type MarcRecord, fieldsOf, firstValue, values } from './marc-record';
import type { ImportedBook } from './types';

type LevelSystem = NonNullable<ImportedBook['readingLevel']>['system'];
type InterestLevel = NonNullable<ImportedBook['interestLevel']>;

const LEVEL_RANK: Record<LevelSystem, number> = {
  lexile: 6,
  atos: 5,
  guided_reading: 4,
  dra: 3,
  other: 2,
  grade: 1,
};

/** Interest ages AR publishes for its levels (grades + 5); MG+ ("grade 6 and up") has no upper bound. */
const INTEREST_AGES: Record<InterestLevel, [number, number | null]> = {
  LG: [5, 8],
  MG: [9, 13],
  'MG+': [11, null],
  UG: [14, 17],
  adult: [18, null],
};

/** 008/22 target audience codes. `j` (juvenile, unspecified) spans LG and MG, so it sets ages only. */
const AUDIENCE_008: Record<string, { ages: [number, number | null]; level: InterestLevel | null }> = {
  a: { ages: [0, 5], level: 'LG' },
  b: { ages: [6, 8], level: 'LG' },
  c: { ages: [9, 13], level: 'MG' },
  d: { ages: [14, 17], level: 'UG' },
  e: { ages: [18, null], level: 'adult' },
  j: { ages: [5, 13], level: null },
};

/** The strongest audience facts found so far, each with the rank of its source. */
export class Audience {
  level: { value: string; system: LevelSystem; rank: number } | null = null;
  ages: { min: number | null; max: number | null; rank: number } | null = null;
  interest: { level: InterestLevel; rank: number } | null = null;

  offerLevel(system: LevelSystem, raw: string): void {
    const checked = normaliseLevelValue(system, raw);
    if (!checked.ok) return;
    const rank = LEVEL_RANK[system];
    if (!this.level || rank > this.level.rank) this.level = { value: checked.value, system, rank };
  }

  offerAges(min: number | null, max: number | null, rank: number): void {
    if (min === null && max === null) return;
    if (min !== null && max !== null && min > max) return;
    if (!this.ages || rank > this.ages.rank) this.ages = { min, max, rank };
  }

  offerInterest(level: InterestLevel | null, rank: number): void {
    if (level && (!this.interest || rank > this.interest.rank)) this.interest = { level, rank };
  }
}

const AGE_RANK = { note: 4, grades: 3, program: 2, fixed: 1 } as const;
const INTEREST_RANK = { program: 3, note: 2, fixed: 1 } as const;

/** "Ages 9-12", "009-012", "8 and up", "10+" → [min, max]; months and implausible ages give null. */
function parseAges(text: string): [number, number | null] | null {
  if (/month/i.test(text)) return null;
  const range = /(\d{1,3})\s*(?:-|–|—|to|through)\s*(\d{1,3})/i.exec(text);
  const open = /(\d{1,3})\s*(?:\+|(?:years?\s*)?(?:and|&)\s*(?:up|older|over))/i.exec(text);
  const single = /\d{1,3}/.exec(text);
  const ages: [number, number | null] | null = range
    ? [Number(range[1]), Number(range[2])]
    : open
      ? [Number(open[1]), null]
      : single
        ? [Number(single[0]), Number(single[0])]
        : null;
  if (!ages || ages[0] > 99 || (ages[1] !== null && (ages[1] > 99 || ages[1] < ages[0]))) return null;
  return ages;
}

const GRADE = '(pre-?k(?:indergarten)?|preschool|kindergarten|k|\\d{1,2}(?:st|nd|rd|th)?)';
const GRADE_RANGE = new RegExp(`(?<![a-z0-9])${GRADE}\\s*(?:-|–|—|to|through)\\s*${GRADE}(?![a-z0-9])`);
const GRADE_OPEN = new RegExp(`(?<![a-z0-9])${GRADE}\\s*(?:\\+|and up|& up)`);
const GRADE_SINGLE = new RegExp(`(?<![a-z0-9])${GRADE}(?![a-z0-9])`);

/** "Grades 3-5", "K-3", "4th grade and up", "3.5" → [low, high] as school grades (K = 0, PK = -1). */
function parseGrades(text: string): [number, number | null] | null {
  const lower = text.toLowerCase().replace(/\bgrades?\b|\bgr\./g, ' ');
  const range = GRADE_RANGE.exec(lower);
  if (range) {
    const low = parseGrade(range[1] ?? '');
    const high = parseGrade(range[2] ?? '');
    return low !== null && high !== null && low <= high ? [low, high] : null;
  }
  const open = GRADE_OPEN.exec(lower);
  if (open) {
    const low = parseGrade(open[1] ?? '');
    return low === null ? null : [low, null];
  }
  const single = GRADE_SINGLE.exec(lower);
  const grade = single ? parseGrade(single[1] ?? '') : null;
  return grade === null ? null : [grade, grade];
}

function gradeValue(grade: number): string {
  return grade === -1 ? 'PK' : grade === 0 ? 'K' : String(grade);
}

function interestFrom(text: string): InterestLevel | null {
  const lower = text.toLowerCase();
  if (/\bmg\s*\+|\bmg\s*plus\b|middle grades?\s*(?:\+|plus)/.test(lower)) return 'MG+';
  if (/\blg\b|lower grades?/.test(lower)) return 'LG';
  if (/\bmg\b|middle grades?/.test(lower)) return 'MG';
  if (/\bug\b|upper grades?/.test(lower)) return 'UG';
  return null;
}

const LEXILE_WITH_L = /(?<![A-Za-z0-9])(?:AD|NC|HL|IG|GN)?(BR\s*\d{1,4}|\d{1,4})\s*L(?![A-Za-z])/i;
const LEXILE_ANY = /(?<![A-Za-z0-9.])(?:AD|NC|HL|IG|GN)?(BR\s*\d{1,4}|\d{1,4})(?![\d.])/i;

function offerLexile(audience: Audience, text: string, requireL: boolean): boolean {
  const stripped = text.replace(/lexile(?:\s*measure)?\s*:?/gi, ' ');
  const match = LEXILE_WITH_L.exec(stripped) ?? (requireL ? null : LEXILE_ANY.exec(stripped));
  if (!match) return false;
  audience.offerLevel('lexile', (match[1] ?? '').replace(/\s+/g, ''));
  return true;
}

function read521(field: MarcField, audience: Audience): void {
  const text = oneLine(values(field, 'a').join(' '));
  if (text.length === 0) return;
  const all = `${text} ${values(field, 'b').join(' ')}`;
  let program = false;
  if (/lexile|metametrics/i.test(all)) program = offerLexile(audience, text, false);
  else if (/^(?:AD|NC|HL|IG|GN)?(?:BR\s*)?\d{1,4}L\.?$/i.test(text))
    program = offerLexile(audience, text, true);
  if (/accelerated reader|\bA\.?R\.?\b|\batos\b|renaissance/i.test(all)) {
    const atos = /(?<![\d.])(\d{1,2}\.\d{1,2})(?![\d.])/.exec(text);
    if (atos) audience.offerLevel('atos', atos[1] ?? '');
    audience.offerInterest(interestFrom(text), INTEREST_RANK.note);
    program = true;
  }
  if (/fountas|pinnell|guided reading|\bf\s*&\s*p\b|\bgrl\b/i.test(all)) {
    const rest = text.replace(
      /fountas|pinnell|guided\s*reading|\bf\s*&\s*p\b|\bgrl\b|\blevels?\b|[&:]/gi,
      ' ',
    );
    const letter = /(?<![A-Za-z])([A-Z]|Z\+)(?![A-Za-z+])/.exec(rest);
    if (letter) audience.offerLevel('guided_reading', letter[1] ?? '');
    program = true;
  }
  if (/\bDRA\b/i.test(all)) {
    const level = /(?<![\d.])(\d{1,2})(?![\d.])/.exec(text.replace(/\bDRA\b/gi, ' '));
    if (level) audience.offerLevel('dra', level[1] ?? '');
    program = true;
  }
  if (/reading counts|\bSRC\b/i.test(all)) {
    if (!offerLexile(audience, text, true)) {
      const level = /\d{1,2}(?:\.\d{1,2})?/.exec(text);
      if (level) audience.offerLevel('other', level[0]);
    }
    program = true;
  }
  if (program) return;
  const grades = (): void => {
    const range = parseGrades(text);
    if (range) audience.offerAges(range[0] + 5, range[1] === null ? null : range[1] + 5, AGE_RANK.grades);
  };
  const ages = (): void => {
    const range = parseAges(text);
    if (range) audience.offerAges(range[0], range[1], AGE_RANK.note);
  };
  switch (field.ind1) {
    case '0': {
      const range = parseGrades(text);
      if (range) audience.offerLevel('grade', gradeValue(range[0]));
      return;
    }
    case '1':
      return ages();
    case '2':
      return grades();
    case '4':
      return audience.offerInterest(interestFrom(text), INTEREST_RANK.note);
    case '3':
      return;
    default:
      // Blank or 8: the note says what it is, if anything ("Ages 9-12.", "Grades 4-6.", "Interest level: MG").
      if (/\bages?\b/i.test(text)) ages();
      else if (/\bgrades?\b|\bgr\.|(?<![a-z])(?:pre-?k|k)\s*-\s*\d/i.test(text)) grades();
      if (/interest/i.test(text)) audience.offerInterest(interestFrom(text), INTEREST_RANK.note);
  }
}

function read526(field: MarcField, audience: Audience, externalIds: Record<string, string>): void {
  const program = oneLine(values(field, 'a').join(' '));
  const isAr = /accelerated\s*reader|^a\.?r\.?$|renaissance/i.test(program);
  const isSrc = /reading\s*counts|^src$|scholastic/i.test(program);
  const band = firstValue(field, 'b');
  const interest = band === null ? null : interestFrom(band);
  audience.offerInterest(interest, INTEREST_RANK.program);
  if (interest) {
    const [min, max] = INTEREST_AGES[interest];
    audience.offerAges(min, max, AGE_RANK.program);
  }
  const level = firstValue(field, 'c');
  if (level !== null) {
    const text = oneLine(level).replace(/(\d)\.$/, '$1');
    if (/^(?:AD|NC|HL|IG|GN)?(?:BR\s*)?\d{1,4}\s*L$/i.test(text)) offerLexile(audience, text, true);
    else if (isAr && normaliseLevelValue('atos', text).ok) audience.offerLevel('atos', text);
    else audience.offerLevel('other', text);
  }
  if (isAr || isSrc)
    for (const note of [...values(field, 'z'), ...values(field, 'x'), ...values(field, 'i')]) {
      const quiz = /quiz\s*(?:no\.?|number|#)?\s*:?\s*(\d+)/i.exec(note);
      if (quiz) externalIds[isAr ? 'arQuiz' : 'srcQuiz'] = quiz[1] ?? '';
    }
}

/** The audience facts of `record` (`fixed` is its 008); quiz numbers go into `externalIds`. */
export function readAudience(
  record: MarcRecord,
  fixed: string,
  externalIds: Record<string, string>,
): Audience {
  const audience = new Audience();
  for (const field of fieldsOf(record, '521')) read521(field, audience);
  for (const field of fieldsOf(record, '526')) read526(field, audience, externalIds);
  // 008/22 is the target audience for books, computer files, music and visual materials; maps (e, f)
  // and serials (leader/07 b, i, s) use the position for something else.
  const type = record.leader[6] ?? 'a';
  const level = record.leader[7] ?? 'm';
  const code = fixed[22];
  const coded =
    code === undefined || 'ef'.includes(type) || 'bis'.includes(level) ? undefined : AUDIENCE_008[code];
  if (coded) {
    audience.offerAges(coded.ages[0], coded.ages[1], AGE_RANK.fixed);
    audience.offerInterest(coded.level, INTEREST_RANK.fixed);
  }
  return audience;
}
