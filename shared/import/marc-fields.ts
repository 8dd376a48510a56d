/**
 * MARC 21 bibliographic fields → one imported book, the way school library systems (Follett Destiny,
 * Alexandria, Koha) fill them. Binary and MARCXML records both arrive here as {@link MarcRecord};
 * audience and levels are read by ./marc-audience.
 */
import { normaliseIsbn } from '../domain/isbn';
import { oneLine } from './common';
import { readAudience } from './marc-audience';
import {
  type FieldProblem,
  type MarcField,
  type MarcRecord,
  fieldsOf,
  firstValue,
  values,
} from './marc-record';
import type { ImportedBook, ParsedRow, RowProblem } from './types';

/** MARC language codes → ISO 639-1 where one exists (the catalogue stores `en`, not `eng`). */
// prettier-ignore
const LANGUAGES: Record<string, string> = {
  eng: 'en', spa: 'es', fre: 'fr', ger: 'de', ita: 'it', por: 'pt', chi: 'zh', jpn: 'ja', kor: 'ko',
  rus: 'ru', ara: 'ar', vie: 'vi', hin: 'hi', heb: 'he', dut: 'nl', pol: 'pl', tgl: 'tl', som: 'so',
  lat: 'la', gre: 'el', swe: 'sv', nor: 'no', dan: 'da', fin: 'fi', tur: 'tr', ukr: 'uk', per: 'fa',
  urd: 'ur', ben: 'bn', pan: 'pa', tam: 'ta', tel: 'te', guj: 'gu', hat: 'ht', nav: 'nv', ice: 'is',
  gle: 'ga', wel: 'cy', cze: 'cs', slo: 'sk', hun: 'hu', rum: 'ro', bul: 'bg', srp: 'sr', hrv: 'hr',
  tha: 'th', ind: 'id', may: 'ms', swa: 'sw', amh: 'am', yid: 'yi', lao: 'lo', khm: 'km', mar: 'mr',
  nep: 'ne', arm: 'hy', geo: 'ka', alb: 'sq', est: 'et', lav: 'lv', lit: 'lt', cat: 'ca', baq: 'eu',
  glg: 'gl', mao: 'mi', smo: 'sm', ton: 'to', haw: 'haw', hmn: 'hmn', kar: 'kar',
};

const AUTHOR_ROLE = /^(author|joint author|co-?author|writer|autor|auteur|autora)$/;

function quote(raw: string): string {
  const text = oneLine(raw);
  return `'${text.length > 60 ? `${text.slice(0, 57)}…` : text}'`;
}

function endsWithAbbreviation(text: string): boolean {
  return (
    /(?:^|[\s.(])(?:Jr|Sr|Dr|Mr|Mrs|Ms|St|Mt|Inc|Ltd|Co|Bros|Jun|Sen)\.$/i.test(text) ||
    /(?:^|[\s.(])\p{Lu}\.$/u.test(text)
  );
}

/**
 * Strips the ISBD punctuation cataloguers end subfields with (" /", " :", " ;", " =", ",", a final
 * "."), keeping the period of an initial or abbreviation ("J. K.", "Jr.") and of an ellipsis.
 */
function stripIsbd(raw: string): string {
  let text = oneLine(raw);
  for (;;) {
    const before = text;
    text = text.replace(/\s*[/:;=,]$/, '').trim();
    if (text.endsWith('.') && !text.endsWith('...') && !endsWithAbbreviation(text))
      text = text.slice(0, -1).trim();
    if (text === before) return text;
  }
}

function stripBrackets(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1).trim() : text.replace(/^\[|\]$/g, '');
}

/** Personal names from 100/700: "Rowling, J. K.," → "J. K. Rowling"; forenames (ind1 0) stay as they are. */
function personalName(field: MarcField): string | null {
  const raw = firstValue(field, 'a');
  if (raw === null) return null;
  // Dates belong in $d, but some exports leave them in $a ("Smith, John, 1950-").
  let name = stripIsbd(raw.replace(/,?\s*\d{4}-(?:\d{4})?\.?\s*$/, ''));
  if (field.ind1 !== '0' && field.ind1 !== '3') {
    const parts = name
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
    if (parts.length >= 2) name = [parts[1], parts[0], ...parts.slice(2)].join(' ');
  }
  const numeration = firstValue(field, 'b');
  if (numeration !== null) name = `${name} ${stripIsbd(numeration)}`;
  return name.length > 0 ? name : null;
}

/** Corporate names from 110/710: the body and its subordinate units. */
function corporateName(field: MarcField): string | null {
  const parts = [...values(field, 'a'), ...values(field, 'b')]
    .map(stripIsbd)
    .filter((part) => part.length > 0);
  return parts.length > 0 ? parts.join('. ') : null;
}

/** True when the relator terms ($e, $4) say author, or there are none. */
function isAuthorRole(field: MarcField): boolean {
  const roles = [...values(field, 'e'), ...values(field, '4')]
    .map((role) =>
      role
        .toLowerCase()
        .replace(/[.,;:\s]+$/, '')
        .trim(),
    )
    .filter((role) => role.length > 0);
  if (roles.length === 0) return true;
  return roles.some((role) => AUTHOR_ROLE.test(role) || role === 'aut' || role.endsWith('/relators/aut'));
}

function readAuthors(record: MarcRecord): string[] {
  const names: string[] = [];
  for (const field of record.fields) {
    if (field.tag === '100') names.push(personalName(field) ?? '');
    else if (field.tag === '110') names.push(corporateName(field) ?? '');
    // Added entries credit illustrators, editors, translators and narrators too: only authors count,
    // and a name/title entry ($t) names another work, not a creator of this one.
    else if (field.tag === '700' && isAuthorRole(field) && firstValue(field, 't') === null)
      names.push(personalName(field) ?? '');
    // A 710 without a relator is usually a publisher or sponsor, so it needs an explicit author role.
    else if (
      field.tag === '710' &&
      values(field, 'e').length + values(field, '4').length > 0 &&
      isAuthorRole(field)
    )
      names.push(corporateName(field) ?? '');
  }
  if (names.every((name) => name.length === 0)) {
    // No name headings at all: fall back on the statement of responsibility ("by Jane Doe ; illustrated by…").
    const statement = fieldsOf(record, '245').map((field) => firstValue(field, 'c'))[0];
    if (statement) {
      const clause = stripBrackets(stripIsbd(statement.split(';')[0] ?? ''))
        .replace(/^(?:written\s+|story\s+)?by\s+/i, '')
        .replace(/[[\]]/g, '');
      for (const part of clause.split(/\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+/))
        if (
          part.length > 0 &&
          part.split(' ').length <= 5 &&
          !/illustrat|edit|translat|photograph|et al/i.test(part)
        )
          names.push(part);
    }
  }
  return dedupe(names);
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const item of list) {
    const key = item.toLowerCase();
    if (item.length === 0 || seen.has(key)) continue;
    seen.add(key);
    result.push(item);
  }
  return result;
}

function readTitle(record: MarcRecord): { title: string; subtitle: string | null } {
  const field = fieldsOf(record, '245')[0];
  if (!field) return { title: '', subtitle: null };
  let title = '';
  const subtitle: string[] = [];
  let last = '';
  for (const { code, value } of field.subfields) {
    const text = stripIsbd(value);
    if (text.length === 0) continue;
    if (code === 'a' && title.length === 0) title = text;
    else if (code === 'b') subtitle.push(text);
    // Part number and name: "Star wars. Episode IV, A new hope".
    else if (code === 'n') title = title ? `${title}. ${text}` : text;
    else if (code === 'p') title = title ? `${title}${last === 'n' ? ', ' : '. '}${text}` : text;
    else continue;
    last = code;
  }
  return { title, subtitle: subtitle.length > 0 ? subtitle.join(' ') : null };
}

/** The ISBN inside an 020 $a such as "0316769487 (pbk.) : $7.99" or "978-0-316-76948-8". */
function isbnText(raw: string): string {
  return /[\dXx][\dXx\s-]*[\dXx]|[\dXx]/.exec(raw)?.[0] ?? raw;
}

/** The record's ISBN (the first ISBN-13, else the first ISBN-10) and every other one it lists (repeated 020). */
function readIsbns(
  record: MarcRecord,
  problems: FieldProblem[],
): { isbn13: string | null; isbn10: string | null; alternates: string[] } {
  let from13: { isbn13: string; isbn10: string | null } | null = null;
  let from10: { isbn13: string; isbn10: string | null } | null = null;
  const all: string[] = [];
  for (const field of fieldsOf(record, '020'))
    for (const raw of values(field, 'a')) {
      if (raw.trim().length === 0) continue;
      const candidate = isbnText(raw);
      const isbn = normaliseIsbn(candidate);
      if (!isbn)
        problems.push({ field: '020$a', reason: `${quote(raw)} is not a valid ISBN; imported without it` });
      else if (candidate.replace(/[\s-]/g, '').length === 13) from13 ??= isbn;
      else from10 ??= isbn;
      if (isbn) all.push(isbn.isbn13);
    }
  const chosen = from13 ?? from10;
  const alternates = [...new Set(all)].filter((isbn13) => isbn13 !== chosen?.isbn13);
  return chosen
    ? { isbn13: chosen.isbn13, isbn10: chosen.isbn10, alternates }
    : { isbn13: null, isbn10: null, alternates };
}

function validYear(text: string | undefined): number | null {
  if (text === undefined || !/^\d{4}$/.test(text)) return null;
  const year = Number(text);
  return year >= 1000 && year <= 2100 ? year : null;
}

function readPublication(
  record: MarcRecord,
  fixed: string,
): { publisher: string | null; year: number | null } {
  const statements = [
    ...fieldsOf(record, '264').filter((field) => field.ind2 === '1'),
    ...fieldsOf(record, '260'),
    ...fieldsOf(record, '264').filter((field) => field.ind2 === '2'),
  ];
  let publisher: string | null = null;
  for (const field of statements) {
    const name = firstValue(field, 'b');
    if (name !== null) {
      publisher = stripBrackets(stripIsbd(name)) || null;
      if (publisher) break;
    }
  }
  let year: number | null = null;
  // A reprint's 008 carries the original date in Date2, which is the year the catalogue wants.
  if (fixed[6] === 'r') year = validYear(fixed.slice(11, 15));
  for (const field of [...statements, ...fieldsOf(record, '264').filter((item) => item.ind2 === '4')]) {
    if (year !== null) break;
    for (const date of values(field, 'c')) {
      year = validYear(/(?<!\d)\d{4}(?!\d)/.exec(date)?.[0]);
      if (year !== null) break;
    }
  }
  year ??= validYear(fixed.slice(7, 11));
  return { publisher, year };
}

/** "232 p.", "232 pages", "xii, 232 p. :", "1 online resource (232 pages)" → 232. */
function readPages(record: MarcRecord): number | null {
  for (const field of fieldsOf(record, '300')) {
    const text = values(field, 'a').join(' ');
    const before = /^(.*?)(?:\b(?:pp?|pages?|leaves|unnumbered pages)\b)/i.exec(text)?.[1];
    if (before === undefined) continue;
    const numbers = (before.match(/\d+/g) ?? []).map(Number).filter((count) => count > 0 && count <= 100_000);
    if (numbers.length > 0) return Math.max(...numbers);
  }
  return null;
}

function readSeries(record: MarcRecord): { series: string | null; seriesIndex: number | null } {
  const candidates: { name: string | null; index: number | null }[] = [];
  for (const field of record.fields) {
    let name: string | null = null;
    if (field.tag === '490' || field.tag === '830') name = firstValue(field, 'a');
    else if (field.tag === '800' || field.tag === '810' || field.tag === '811') name = firstValue(field, 't');
    else continue;
    const cleaned = name === null ? null : stripIsbd(name).replace(/\s*\((?:[^)]*\s)?series\)$/i, '');
    const volume = firstValue(field, 'v');
    const number = volume === null ? null : /\d+(?:\.\d+)?/.exec(volume)?.[0];
    const index = number === undefined || number === null ? null : Number(number);
    // The transcribed 490 reads best; the controlled 8XX form is the fallback.
    candidates.push({ name: cleaned || null, index: index !== null && index <= 10_000 ? index : null });
  }
  const named = candidates.find((candidate) => candidate.name !== null);
  const index = named?.index ?? candidates.find((candidate) => candidate.index !== null)?.index ?? null;
  return { series: named?.name ?? null, seriesIndex: named ? index : null };
}

function readDescription(record: MarcRecord): { description: string | null; warnings: string[] } {
  const summaries = fieldsOf(record, '520');
  const warnings = summaries
    .filter((field) => field.ind1 === '4')
    .map((field) => oneLine(values(field, 'a').join(' ')))
    .filter((text) => text.length > 0);
  // Summary, abstract, subject, scope, then a review; content advice (4) is a warning, not a summary.
  for (const ind1 of [' ', '3', '0', '2', '8', '1']) {
    for (const field of summaries) {
      if (field.ind1 !== ind1) continue;
      const text = oneLine([...values(field, 'a'), ...values(field, 'b')].join(' '));
      if (text.length > 0) return { description: text, warnings };
    }
  }
  return { description: null, warnings };
}

function readSubjects(record: MarcRecord): string[] {
  const subjects: string[] = [];
  for (const field of fieldsOf(record, '650', '651', '655')) {
    const main = firstValue(field, 'a');
    if (main === null) continue;
    const parts = [stripIsbd(main)];
    for (const { code, value } of field.subfields) if ('vxyz'.includes(code)) parts.push(stripIsbd(value));
    subjects.push(parts.filter((part) => part.length > 0).join(' -- '));
  }
  return dedupe(subjects);
}

function languageCode(raw: string | null | undefined): string | null {
  const code = raw?.trim().toLowerCase().slice(0, 3) ?? '';
  if (!/^[a-z]{3}$/.test(code) || ['und', 'zxx', 'mul', 'mis', 'xxx'].includes(code)) return null;
  return LANGUAGES[code] ?? code;
}

function readLanguage(record: MarcRecord, fixed: string): string | null {
  for (const field of fieldsOf(record, '041')) {
    const code = languageCode(firstValue(field, 'a'));
    if (code) return code;
  }
  return languageCode(fixed.slice(35, 38));
}

function readCover(record: MarcRecord): string | null {
  for (const field of fieldsOf(record, '856'))
    for (const url of values(field, 'u')) {
      const text = url.trim();
      if (/^https?:\/\/\S+$/i.test(text) && /\.(?:jpe?g|png|gif|webp)(?:[?&#/]|$)/i.test(text)) return text;
    }
  return null;
}

function readIds(record: MarcRecord): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const field of record.fields) {
    if (field.tag === '001' && field.data !== null && field.data.trim().length > 0)
      ids.marc001 ??= field.data.trim();
    else if (field.tag === '003' && field.data !== null && field.data.trim().length > 0)
      ids.marc003 ??= field.data.trim();
    else if (field.tag === '035') {
      const control = firstValue(field, 'a')?.trim().replace(/\s+/g, ' ');
      if (control) ids.marc035 ??= control;
      const oclc = /^\((?:OCoLC|OCLC)\)\s*(?:ocm|ocn|on)?0*(\d+)/i.exec(firstValue(field, 'a')?.trim() ?? '');
      if (oclc) ids.oclc ??= oclc[1] ?? '';
    } else if (field.tag === '010') {
      const lccn = firstValue(field, 'a')?.replace(/\s+/g, '');
      if (lccn) ids.lccn ??= lccn;
    }
  }
  return ids;
}

/**
 * Turns one record into a row: a book, or `invalid` when it has neither a title nor a valid ISBN.
 * `problems` are those found while reading the record's bytes; field problems are added to them.
 */
export function recordToRow(record: MarcRecord, row: number, problems: FieldProblem[]): ParsedRow {
  const found = [...problems];
  const fixed = fieldsOf(record, '008')[0]?.data ?? '';
  const externalIds = readIds(record);
  const { title, subtitle } = readTitle(record);
  const isbns = readIsbns(record, found);
  const authors = readAuthors(record);
  const { publisher, year } = readPublication(record, fixed);
  const { series, seriesIndex } = readSeries(record);
  const { description, warnings } = readDescription(record);
  const subjects = readSubjects(record);
  const pages = readPages(record);
  const language = readLanguage(record, fixed);
  const coverUrl = readCover(record);
  const audience = readAudience(record, fixed, externalIds);
  const withRow = (): RowProblem[] => found.map((problem) => ({ row, ...problem }));
  if (title.length === 0) {
    if (isbns.isbn13 === null) {
      found.push({ field: '245', reason: 'the record has no title (245 $a) and no valid ISBN; skipped it' });
      return { row, kind: 'invalid', problems: withRow() };
    }
    found.push({ field: '245', reason: 'the record has no title (245 $a); imported it by its ISBN' });
  }
  const book: ImportedBook = { title, authors, isbn13: isbns.isbn13, isbn10: isbns.isbn10, externalIds };
  if (isbns.alternates.length > 0) book.alternateIsbns = isbns.alternates;
  if (subtitle) book.subtitle = subtitle;
  if (description) book.description = description;
  if (subjects.length > 0) book.subjects = subjects;
  if (pages !== null) book.pages = pages;
  if (language) book.language = language;
  if (publisher) book.publisher = publisher;
  if (year !== null) book.year = year;
  if (series) book.series = series;
  if (seriesIndex !== null) book.seriesIndex = seriesIndex;
  if (coverUrl) book.coverUrl = coverUrl;
  if (audience.level) book.readingLevel = { value: audience.level.value, system: audience.level.system };
  if (audience.ages) {
    book.interestAgeMin = audience.ages.min;
    book.interestAgeMax = audience.ages.max;
  }
  if (audience.interest) book.interestLevel = audience.interest.level;
  if (warnings.length > 0) book.contentWarnings = dedupe(warnings);
  return { row, kind: 'book', book, reading: null, problems: withRow() };
}
