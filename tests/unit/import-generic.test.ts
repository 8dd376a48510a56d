/** Generic CSV/TSV/JSON import: guessed and explicit column mappings. */
import { describe, expect, it } from 'vitest';
import { splitAuthors } from '../../shared/import/author-names';
import { guessMapping } from '../../shared/import/column-mapping';
import { createGenericCsvParser, createGenericJsonParser } from '../../shared/import/generic';
import type { ParsedRow, RowParser } from '../../shared/import/types';

function parse(parser: RowParser, chunks: string[]): ParsedRow[] {
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

describe('guessMapping', () => {
  it('maps the header names people use', () => {
    expect(
      guessMapping([
        'Book Title',
        'Author(s)',
        'ISBN-13',
        'Genre',
        'AR Level',
        'Stars',
        'Number of Pages',
        'Series #',
        'Series',
        'Date Finished',
        'Status',
        'Copies',
        'Notes',
      ]),
    ).toEqual({
      title: 'Book Title',
      authors: 'Author(s)',
      isbn: 'ISBN-13',
      subjects: 'Genre',
      readingLevel: 'AR Level',
      rating: 'Stars',
      pages: 'Number of Pages',
      series: 'Series',
      seriesIndex: 'Series #',
      dateRead: 'Date Finished',
      shelf: 'Status',
      ownedCopies: 'Copies',
    });
    expect(guessMapping(['name', 'writer', 'EAN', 'Lexile', 'Categories'])).toEqual({
      title: 'name',
      authors: 'writer',
      isbn: 'EAN',
      subjects: 'Categories',
      readingLevel: 'Lexile',
    });
    expect(guessMapping(['Title (original)', 'Main author', 'Scanned ISBN code'])).toEqual({
      title: 'Title (original)',
      authors: 'Main author',
      isbn: 'Scanned ISBN code',
    });
    expect(guessMapping(['foo', 'bar'])).toEqual({});
  });
});

describe('splitAuthors', () => {
  it('tells one last-name-first name from a list of names', () => {
    expect(splitAuthors('Collins, Suzanne')).toEqual(['Suzanne Collins']);
    expect(splitAuthors('Le Guin, Ursula K.')).toEqual(['Ursula K. Le Guin']);
    expect(splitAuthors('García Márquez, Gabriel')).toEqual(['Gabriel García Márquez']);
    expect(splitAuthors('Neil Gaiman, Terry Pratchett')).toEqual(['Neil Gaiman', 'Terry Pratchett']);
    expect(splitAuthors('Pratchett, Terry; Gaiman, Neil')).toEqual(['Terry Pratchett', 'Neil Gaiman']);
    expect(splitAuthors('Martin Luther King, Jr. & Coretta Scott King')).toEqual([
      'Martin Luther King Jr.',
      'Coretta Scott King',
    ]);
    expect(splitAuthors('A. Author, B. Writer, C. Poet')).toEqual(['A. Author', 'B. Writer', 'C. Poet']);
  });
});

const CLASSROOM = [
  'Book Title;Author(s);ISBN-13;Genre;AR Level;Stars;Series;Series #;Date Finished;Status;Copies',
  'Wonder;R. J. Palacio;978-0-375-86902-0;Realistic fiction|Friendship;4.8;5;;;2024-03-01;finished;2',
  '"Harry Potter à l\'école des sorciers";Rowling, J. K.;9782070584628;Fantasy;5.5;;Harry Potter;1;;want to read;1',
  'Holes;Louis Sachar;0-440-41480-6;Adventure, Humor;twelve;3;;;;;',
  ';;;;;;;;;;',
  ';;not an isbn;;;;;;;;',
].join('\n');

describe('createGenericCsvParser', () => {
  it('reads a semicolon-separated spreadsheet with a guessed mapping', () => {
    const rows = parse(createGenericCsvParser(), [CLASSROOM]);
    expect(rows[0]).toEqual({
      row: 2,
      kind: 'book',
      book: {
        title: 'Wonder',
        authors: ['R. J. Palacio'],
        isbn13: '9780375869020',
        isbn10: '0375869026',
        externalIds: {},
        description: null,
        subjects: ['Realistic fiction', 'Friendship'],
        tags: [],
        pages: null,
        language: null,
        publisher: null,
        year: null,
        series: null,
        seriesIndex: null,
        coverUrl: null,
        readingLevel: { value: '4.8', system: 'atos' },
        ownedCopies: 2,
      },
      reading: {
        shelf: 'read',
        shelves: [],
        rating: 5,
        dateRead: '2024-03-01',
        dateAdded: null,
        readCount: null,
        ownedCopies: 2,
        review: null,
      },
      problems: [],
    });
    expect(rows[1]).toMatchObject({
      row: 3,
      book: {
        title: "Harry Potter à l'école des sorciers",
        authors: ['J. K. Rowling'],
        series: 'Harry Potter',
        seriesIndex: 1,
        readingLevel: { value: '5.5', system: 'atos' },
      },
      reading: { shelf: 'to-read' },
      problems: [],
    });
    expect(rows[2]).toMatchObject({
      row: 4,
      book: { title: 'Holes', isbn13: '9780440414803', subjects: ['Adventure', 'Humor'], readingLevel: null },
      reading: { shelf: 'read', rating: 3 },
      problems: [
        { row: 4, field: 'AR Level', reason: "'twelve' is not an ATOS level (0.0 to 13.9); left empty" },
      ],
    });
    // The blank row 5 is skipped; row 6 has neither a title nor a valid ISBN.
    expect(rows.slice(3)).toEqual([
      {
        row: 6,
        kind: 'invalid',
        problems: [
          { row: 6, field: 'ISBN-13', reason: "'not an isbn' is not an ISBN; imported without it" },
          { row: 6, field: 'Book Title', reason: 'the row has no title and no valid ISBN; skipped' },
        ],
      },
    ]);
  });

  it('uses an explicit mapping instead of the guess, and says when a mapped column is missing', () => {
    const parser = createGenericCsvParser({
      mapping: { title: 'Author(s)', authors: 'Book Title', year: 'Published' },
    });
    const rows = parse(parser, [CLASSROOM]);
    expect(rows[0]).toMatchObject({
      row: 2,
      book: { title: 'R. J. Palacio', authors: ['Wonder'], isbn13: null, subjects: [] },
      reading: null,
      problems: [
        {
          row: 2,
          field: 'Published',
          reason: "the mapping reads year from 'Published', but the file has no such column",
        },
      ],
    });
    expect(rows[1]?.problems).toEqual([]);
  });

  it('reads a TSV with a huge description, and the same in one-character chunks', () => {
    const description = `${'Long '.repeat(20_000)}end`;
    const text = `Title\tDescription\tLexile\r\nMatilda\t"${description}"\t840\r\n`;
    const rows = parse(createGenericCsvParser(), [text]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      book: { title: 'Matilda', description, readingLevel: { value: '840L', system: 'lexile' } },
    });
    const small = `Title\tAuthor\r\n"Line\r\nbreak"\tDahl, Roald\r\n`;
    expect(parse(createGenericCsvParser(), [...small])).toEqual(parse(createGenericCsvParser(), [small]));
  });
});

describe('createGenericJsonParser', () => {
  it('reads an array of objects, with arrays for multi-valued fields', () => {
    const json = JSON.stringify([
      {
        Title: 'Matilda',
        Authors: ['Roald Dahl', 'Quentin Blake'],
        ISBN: 9780142410370,
        Tags: ['classic'],
        level: 'M',
      },
      { title: 'Esio Trot', authors: 'Dahl, Roald', pages: '-3', rating: 4 },
      42,
    ]);
    const rows = parse(createGenericJsonParser(), [json]);
    expect(rows[0]).toMatchObject({
      row: 1,
      kind: 'book',
      book: {
        title: 'Matilda',
        authors: ['Roald Dahl', 'Quentin Blake'],
        isbn13: '9780142410370',
        tags: ['classic'],
        readingLevel: { value: 'M', system: 'guided_reading' },
      },
      reading: null,
      problems: [],
    });
    expect(rows[1]).toMatchObject({
      row: 2,
      book: { title: 'Esio Trot', authors: ['Roald Dahl'], pages: null },
      reading: { shelf: 'read', rating: 4 },
      problems: [
        { row: 2, field: 'pages', reason: "'-3' is not a whole number from 1 to 100000; left empty" },
      ],
    });
    expect(rows[2]).toEqual({
      row: 3,
      kind: 'invalid',
      problems: [{ row: 3, field: 'record', reason: 'record 3 is not an object; skipped' }],
    });
  });

  it('reads an object keyed by id and a {"books": [...]} wrapper', () => {
    const keyed = JSON.stringify({ a1: { name: 'Frindle', by: 'Andrew Clements' }, a2: { name: 'Holes' } });
    expect(
      parse(createGenericJsonParser(), [keyed]).map((row) => row.kind === 'book' && row.book.title),
    ).toEqual(['Frindle', 'Holes']);
    const wrapped = JSON.stringify({ exportedAt: '2024-01-01', books: [{ title: 'Hatchet' }] });
    expect(
      parse(createGenericJsonParser(), [wrapped]).map((row) => row.kind === 'book' && row.book.title),
    ).toEqual(['Hatchet']);
  });
});

describe('audience columns', () => {
  it('reads interest levels, age ranges and content warnings, and names bad values by field', () => {
    const rows = parse(createGenericCsvParser(), [
      'title,authors,interest_level,age_min,age_max,content_warnings\n',
      'Holes,Louis Sachar,MG,10,14,\n',
      'Night Shift,Stephen King,adult,18,,violence;death\n',
      'Odd,Someone,teen,12,9,\n',
    ]);
    const books = rows.map((row) => (row.kind === 'book' ? row.book : null));
    expect(books[0]).toMatchObject({ interestLevel: 'MG', interestAgeMin: 10, interestAgeMax: 14 });
    expect(books[1]).toMatchObject({
      interestLevel: 'adult',
      interestAgeMin: 18,
      contentWarnings: ['violence', 'death'],
    });
    expect(books[1]?.interestAgeMax).toBeUndefined();
    const problems = rows[2]?.problems.map((problem) => `${problem.field}: ${problem.reason}`) ?? [];
    expect(problems).toEqual([
      "interest_level: 'teen' is not an interest level (LG, MG, MG+, UG or adult)",
      'age_max: the age range 12–9 is reversed',
    ]);
  });
});
