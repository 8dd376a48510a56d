/** ISBN list import. */
import { describe, expect, it } from 'vitest';
import { createIsbnListParser } from '../../shared/import/isbn-list';
import type { ParsedRow } from '../../shared/import/types';

function parse(chunks: (string | Uint8Array)[]): ParsedRow[] {
  const parser = createIsbnListParser();
  return chunks.flatMap((chunk) => parser.push(chunk)).concat(parser.end());
}

const LIST =
  '\uFEFF# Classroom library, shelf 3\r\n978-0-439-02348-1\r\n\r\n  0439023483  \r\n12345\r\n080442957x # Dune\r9780440414804\n979 10 323 0569 0';

const book = (row: number, isbn13: string, isbn10: string | null): ParsedRow => ({
  row,
  kind: 'book',
  book: { title: isbn13, authors: [], isbn13, isbn10, externalIds: {} },
  reading: null,
  problems: [],
});

describe('createIsbnListParser', () => {
  it('reads one ISBN a line, skipping blanks and comments; titles are the ISBN-13 until looked up', () => {
    expect(parse([LIST])).toEqual([
      book(2, '9780439023481', '0439023483'),
      book(4, '9780439023481', '0439023483'),
      {
        row: 5,
        kind: 'invalid',
        problems: [
          { row: 5, field: 'ISBN', reason: "line 5: '12345' is not a valid ISBN-10 or ISBN-13; skipped" },
        ],
      },
      book(6, '9780804429573', '080442957X'),
      {
        row: 7,
        kind: 'invalid',
        problems: [
          {
            row: 7,
            field: 'ISBN',
            reason: "line 7: '9780440414804' is not a valid ISBN-10 or ISBN-13; skipped",
          },
        ],
      },
      book(8, '9791032305690', null),
    ]);
  });

  it('counts a CRLF split across chunks as one line end, and reads bytes', () => {
    const whole = parse([LIST]);
    expect(parse([...LIST])).toEqual(whole);
    for (let cut = 0; cut <= LIST.length; cut += 1)
      expect(parse([LIST.slice(0, cut), LIST.slice(cut)])).toEqual(whole);
    const bytes = new TextEncoder().encode(LIST);
    expect(parse(Array.from(bytes, (byte) => new Uint8Array([byte])))).toEqual(whole);
  });

  it('reads nothing from an empty file or one with only comments', () => {
    expect(parse([''])).toEqual([]);
    expect(parse(['# nothing yet\n\n'])).toEqual([]);
  });
});
