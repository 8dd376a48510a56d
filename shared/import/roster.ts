/**
 * Class rosters: a spreadsheet with one student a row, as teachers keep them or school systems export
 * them. Columns are found by the names teachers use.
 */
import { parseGrade } from '../domain/reading-level';
import { addProblem, oneLine, quote, readInteger, splitList } from './common';
import { flipName } from './author-names';
import { createDelimitedParser, type CsvHeader } from './csv';
import { levelSystem, readLevel } from './generic';
import type { ImportedStudent, RowParser } from './types';

const NAME = ['Name', 'Student Name', 'Student', 'Full Name', 'Student Full Name', 'Pupil', 'Reader'];
const FIRST = ['First Name', 'First', 'Given Name', 'Forename', 'Student First Name', 'FirstName'];
const LAST = ['Last Name', 'Last', 'Surname', 'Family Name', 'Student Last Name', 'LastName'];
const GRADE = ['Grade', 'Grade Level', 'Gr', 'Student Grade'];
const AGE = ['Age'];
const LEVEL = [
  'Reading Level',
  'Level',
  'Lexile',
  'Lexile Level',
  'Lexile Measure',
  'AR Level',
  'ATOS',
  'ATOS Level',
  'Guided Reading Level',
  'Guided Reading',
  'GRL',
  'F&P Level',
  'DRA',
  'DRA Level',
];
const INTERESTS = [
  'Interests',
  'Interest',
  'Likes',
  'Favorite Genres',
  'Favourite Genres',
  'Topics',
  'Hobbies',
];
const CLASS = ['Class', 'Homeroom', 'Class Name', 'Section', 'Period', 'Teacher', 'Form', 'Group'];

/** The roster columns a header has, or null when it has no name column(s). */
function rosterColumns(header: CsvHeader) {
  const name = header.find(...NAME);
  const first = header.find(...FIRST);
  const last = header.find(...LAST);
  if (!name && !first && !last) return null;
  return {
    name,
    first,
    last,
    grade: header.find(...GRADE),
    age: header.find(...AGE),
    level: header.find(...LEVEL),
    interests: header.find(...INTERESTS),
    className: header.find(...CLASS),
  };
}

/**
 * Whether header names look like a roster: a name (or first and last name) column, a grade or reading
 * level column, and no book title column. `detectFormat` uses it.
 */
export function looksLikeRoster(headers: string[]): boolean {
  const wanted = new Set(headers.map((name) => name.trim().toLowerCase().replace(/\s+/g, ' ')));
  const has = (names: string[]): boolean => names.some((name) => wanted.has(name.toLowerCase()));
  const named = has(NAME) || (has(FIRST) && has(LAST));
  return named && (has(GRADE) || has(LEVEL)) && !has(['Title', 'Book Title', 'ISBN']);
}

/** Options for {@link createRosterParser}. */
export interface RosterParserOptions {
  /** Detected when omitted. */
  delimiter?: string | undefined;
}

/**
 * Parses a class roster into students. The name is the "Name" column (`Smith, Jane` is flipped to
 * `Jane Smith`) or first and last name joined. A grade Lumin cannot read (it accepts PK, K, 1–12,
 * `3rd`, `Grade 4`) is a problem and left empty. A level in a column that names its system is
 * written so `parseReadingLevel` reads it back in that system (`650` in a Lexile column → `650L`,
 * `28` in a DRA column → `DRA 28`); other levels are kept as written. Interests split on commas,
 * semicolons and bars.
 */
export function createRosterParser(options: RosterParserOptions = {}): RowParser {
  return createDelimitedParser({
    delimiter: options.delimiter,
    start(header) {
      const columns = rosterColumns(header);
      return (cells, context) => {
        if (!columns) {
          addProblem(context, header.names[0]?.trim() || 'Name', 'the roster has no name column; skipped');
          return { row: context.row, kind: 'invalid', problems: context.problems };
        }
        const cell = cells.value;
        const named = oneLine(cell(columns.name));
        const name = named
          ? named.includes(',')
            ? flipName(named)
            : named
          : oneLine(`${cell(columns.first)} ${cell(columns.last)}`);
        if (!name) {
          addProblem(
            context,
            (columns.name ?? columns.first ?? columns.last)?.name ?? 'Name',
            'the row has no name; skipped',
          );
          return { row: context.row, kind: 'invalid', problems: context.problems };
        }
        const gradeText = oneLine(cell(columns.grade));
        if (gradeText && parseGrade(gradeText) === null)
          addProblem(
            context,
            columns.grade?.name ?? 'Grade',
            `${quote(gradeText)} is not a grade (PK, K, 1 to 12); left empty`,
          );
        const levelField = columns.level?.name ?? '';
        const level = levelField ? readLevel(context, levelField, cell(columns.level)) : null;
        // Written so parseReadingLevel reads the same system back; a column that names no system keeps
        // the level as the teacher wrote it.
        const prefix: Record<string, string> = { dra: 'DRA ', grade: 'grade ', atos: 'ATOS ' };
        const system = levelSystem(levelField);
        const student: ImportedStudent = {
          name,
          grade: gradeText && parseGrade(gradeText) !== null ? gradeText : null,
          age: readInteger(context, ...cells.at(columns.age), { min: 2, max: 120 }),
          readingLevel: !level
            ? null
            : system
              ? `${prefix[system] ?? ''}${level.value}`
              : oneLine(cell(columns.level)),
          interests: splitList(cell(columns.interests), /[,;|]/),
          className: oneLine(cell(columns.className)) || null,
        };
        return { row: context.row, kind: 'student', student, problems: context.problems };
      };
    },
  });
}
