/** Class roster import. */
import { describe, expect, it } from 'vitest';
import { parseReadingLevel } from '../../shared/domain/reading-level';
import { createRosterParser, looksLikeRoster } from '../../shared/import/roster';
import type { ParsedRow } from '../../shared/import/types';

function parse(chunks: string[]): ParsedRow[] {
  const parser = createRosterParser();
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

const ROSTER = [
  'First Name,Last Name,Grade,Age,Lexile,Interests,Homeroom',
  'Amélie,Dubois,3rd,8,650,"dragons, soccer; space",Room 12',
  'Søren,Ødegaard,K,5,BR100L,,Room 4',
  ',,,,,,',
  'Zoë,,13,eight,lots,horses,',
  ',,4,9,,,Room 12',
].join('\r\n');

describe('createRosterParser', () => {
  it('reads names, grades, ages, levels in the column’s system, interests and classes', () => {
    const rows = parse([ROSTER]);
    expect(rows.slice(0, 2)).toEqual([
      {
        row: 2,
        kind: 'student',
        student: {
          name: 'Amélie Dubois',
          grade: '3rd',
          age: 8,
          readingLevel: '650L',
          interests: ['dragons', 'soccer', 'space'],
          className: 'Room 12',
        },
        problems: [],
      },
      {
        row: 3,
        kind: 'student',
        student: {
          name: 'Søren Ødegaard',
          grade: 'K',
          age: 5,
          readingLevel: 'BR100L',
          interests: [],
          className: 'Room 4',
        },
        problems: [],
      },
    ]);
    // The blank row 4 is skipped.
    expect(rows[2]).toEqual({
      row: 5,
      kind: 'student',
      student: {
        name: 'Zoë',
        grade: null,
        age: null,
        readingLevel: null,
        interests: ['horses'],
        className: null,
      },
      problems: [
        { row: 5, field: 'Grade', reason: "'13' is not a grade (PK, K, 1 to 12); left empty" },
        {
          row: 5,
          field: 'Lexile',
          reason: "'lots' is not a Lexile measure (e.g. 650L or BR100L); left empty",
        },
        { row: 5, field: 'Age', reason: "'eight' is not a whole number from 2 to 120; left empty" },
      ],
    });
    expect(rows[3]).toEqual({
      row: 6,
      kind: 'invalid',
      problems: [{ row: 6, field: 'First Name', reason: 'the row has no name; skipped' }],
    });
  });

  it('flips "Last, First" names and writes levels that parseReadingLevel reads back in their system', () => {
    const text =
      'Student Name\tGrade Level\tDRA\tFavorite Genres\n"Nguyen, Minh"\tGrade 2\t28\tmysteries|comics\nAva Li\t1\tA\t\n';
    const rows = parse([text]);
    expect(rows.map((row) => row.kind === 'student' && row.student)).toEqual([
      {
        name: 'Minh Nguyen',
        grade: 'Grade 2',
        age: null,
        readingLevel: 'DRA 28',
        interests: ['mysteries', 'comics'],
        className: null,
      },
      { name: 'Ava Li', grade: '1', age: null, readingLevel: 'DRA A', interests: [], className: null },
    ]);
    expect(parseReadingLevel('DRA 28')).toMatchObject({ value: '28', system: 'dra' });
    // A column that names no system keeps the level as written.
    const plain = parse(['Name,Reading Level\nKai,M\nLeo,Level 12 (Oxford)\n']);
    expect(plain.map((row) => row.kind === 'student' && row.student.readingLevel)).toEqual([
      'M',
      'Level 12 (Oxford)',
    ]);
  });

  it('rejects every row of a file without a name column', () => {
    expect(parse(['Grade,Age\n3,8\n'])).toEqual([
      {
        row: 2,
        kind: 'invalid',
        problems: [{ row: 2, field: 'Grade', reason: 'the roster has no name column; skipped' }],
      },
    ]);
  });

  it('recognises roster headers', () => {
    expect(looksLikeRoster(['Student Name', 'Grade'])).toBe(true);
    expect(looksLikeRoster(['first name', 'LAST NAME', 'Lexile'])).toBe(true);
    expect(looksLikeRoster(['Name', 'Title', 'Grade'])).toBe(false);
    expect(looksLikeRoster(['Name', 'Email'])).toBe(false);
  });

  it('gives the same rows however the file is chunked', () => {
    expect(parse([...ROSTER])).toEqual(parse([ROSTER]));
  });
});
