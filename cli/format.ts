/** Terminal output: aligned tables for people, one JSON document for scripts. */
import type { Book, ClassRecord, Reader } from '../shared/contract/domain';
import { formatGrade } from '../shared/domain/reading-level';

/** Prints rows as an aligned table with a header; cells are cut at `max` characters. */
export function table(headers: string[], rows: (string | number | null)[][], max = 40): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell))))].map(
    (row) => row.map((cell) => (cell.length > max ? `${cell.slice(0, max - 1)}…` : cell)),
  );
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** JSON for `--json`. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** One line per reader. */
export function readersTable(readers: Reader[], classes: ClassRecord[]): string {
  const className = new Map(classes.map((item) => [item.id, item.name]));
  return table(
    ['ID', 'NAME', 'GRADE', 'AGE', 'LEVEL', 'CLASS', 'INTERESTS'],
    readers.map((reader) => [
      reader.id,
      reader.kind === 'self' ? `${reader.name} (me)` : reader.name,
      reader.grade === null ? null : formatGrade(reader.grade),
      reader.age,
      reader.readingLevel ? `${reader.readingLevel.value} ${reader.readingLevel.system}` : null,
      reader.classId ? (className.get(reader.classId) ?? reader.classId) : null,
      reader.interests.join(', '),
    ]),
  );
}

/** One line per book. */
export function booksTable(books: Book[]): string {
  return table(
    ['ID', 'TITLE', 'AUTHORS', 'ISBN13', 'YEAR', 'LEVEL'],
    books.map((book) => [
      book.id,
      book.title,
      book.authors.join(', '),
      book.isbn13,
      book.year,
      book.readingLevel ? `${book.readingLevel.value} ${book.readingLevel.system}` : null,
    ]),
  );
}

/** A book's details, one field a line. */
export function bookDetails(book: Book): string {
  const lines: [string, string | number | null][] = [
    ['Title', book.subtitle ? `${book.title}: ${book.subtitle}` : book.title],
    ['Authors', book.authors.join(', ') || null],
    ['ID', book.id],
    ['ISBN-13', book.isbn13],
    ['ISBN-10', book.isbn10],
    ['Year', book.year],
    ['Pages', book.pages],
    ['Language', book.language],
    ['Publisher', book.publisher],
    [
      'Series',
      book.series ? `${book.series}${book.seriesIndex === null ? '' : ` #${book.seriesIndex}`}` : null,
    ],
    [
      'Reading level',
      book.readingLevel
        ? `${book.readingLevel.value} (${book.readingLevel.system}, ${book.readingLevel.source})`
        : null,
    ],
    [
      'Interest',
      book.interestLevel ??
        (book.interestAgeMin !== null ? `ages ${book.interestAgeMin}–${book.interestAgeMax ?? ''}` : null),
    ],
    ['Subjects', book.subjects.join(', ') || null],
    ['Tags', book.tags.join(', ') || null],
    ['Content warnings', book.contentWarnings.join(', ') || null],
    ['Owned copies', book.ownedCopies],
    ['Description', book.description],
  ];
  return lines
    .filter(([, value]) => value !== null && value !== '')
    .map(([label, value]) => `${`${label}:`.padEnd(18)}${String(value)}`)
    .join('\n');
}
