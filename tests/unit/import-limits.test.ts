/**
 * The caps on one import file (shared/import/limits.ts): past each, the parser stops with an
 * ImportLimitError naming the row and the cap; just under it, the file reads as before.
 */
import { describe, expect, it } from 'vitest';
import { createParser } from '../../shared/import/index';
import { IMPORT_LIMITS, ImportLimitError } from '../../shared/import/limits';
import type { ImportFormat, ParsedRow } from '../../shared/import/types';

/** Feeds `pieces` (strings pushed as they are) and ends; returns rows or the limit error. */
function read(format: ImportFormat, pieces: Iterable<string>): ParsedRow[] | ImportLimitError {
  const parser = createParser(format);
  const rows: ParsedRow[] = [];
  try {
    for (const piece of pieces) rows.push(...parser.push(piece));
    rows.push(...parser.end());
    return rows;
  } catch (error) {
    if (error instanceof ImportLimitError) return error;
    throw error;
  }
}

function* repeated(
  head: string,
  unit: string,
  count: number,
  tail: string,
  perPiece = 65_536,
): Generator<string> {
  yield head;
  const piece = unit.repeat(Math.max(1, Math.floor(perPiece / unit.length)));
  const perChunk = piece.length / unit.length;
  for (let done = 0; done < count; done += perChunk)
    yield done + perChunk <= count ? piece : unit.repeat(count - done);
  yield tail;
}

const XML_HEAD =
  '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 i 4500</leader>';
const TITLE = '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Capped</subfield></datafield>';

describe('import caps', () => {
  it('CSV: a field past the field cap names its row', () => {
    const result = read(
      'csv',
      repeated('title,isbn\nok,1\n"', 'x', IMPORT_LIMITS.fieldCharacters + 1, '",2\n'),
    );
    expect(result).toBeInstanceOf(ImportLimitError);
    expect(result).toMatchObject({ row: 3, limit: 'fieldCharacters' });
    expect((result as Error).message).toBe('row 3: field 1 is longer than the limit of 4,000,000 characters');
    const under = read('csv', repeated('title,isbn\n', 'x', IMPORT_LIMITS.fieldCharacters, ',2\n'));
    expect(Array.isArray(under) && under[0]?.kind).toBe('book');
  });

  it('CSV: a row of many fields past the line cap names its row', () => {
    const result = read(
      'csv',
      repeated('title,isbn\n', 'abcdefghi,', IMPORT_LIMITS.lineCharacters / 10 + 1, '\n'),
    );
    expect(result).toMatchObject({ row: 2, limit: 'lineCharacters' });
    expect((result as Error).message).toContain('longer than the limit of 16,000,000 characters');
  });

  it('ISBN lists: a line past the line cap names its line', () => {
    const result = read('isbn', repeated('9780439023481\n', '9', IMPORT_LIMITS.lineCharacters + 1, '\n'));
    expect(result).toMatchObject({ row: 2, limit: 'lineCharacters' });
    expect((result as Error).message).toBe('row 2: line 2 is longer than the limit of 16,000,000 characters');
  });

  it('JSON: 100,000 nested arrays stop at the depth cap without overflowing the stack', () => {
    const result = read('json', ['[{"title": "ok"}, ', '['.repeat(100_000), ']'.repeat(100_000), ']']);
    expect(result).toMatchObject({ row: 2, limit: 'jsonDepth' });
    expect((result as Error).message).toBe('row 2: the JSON nests deeper than the limit of 64 levels');
    const nested = (depth: number) =>
      `[{"title": "Deep", "x": ${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}]`;
    expect(read('json', [nested(IMPORT_LIMITS.jsonDepth)])).toMatchObject([{ kind: 'book' }]);
    expect(read('json', [nested(IMPORT_LIMITS.jsonDepth + 1)])).toBeInstanceOf(ImportLimitError);
    expect(read('librarything', ['{"1": ', '['.repeat(1000)])).toMatchObject({ limit: 'jsonDepth' });
  });

  it('JSON: one value past the value cap, and one record past the record cap', () => {
    const long = read(
      'json',
      repeated('[{"title": "', 'y', IMPORT_LIMITS.jsonValueCharacters + 70_000, '"}]'),
    );
    expect(long).toMatchObject({ row: 1, limit: 'jsonValueCharacters' });
    const wide = read(
      'json',
      repeated(
        '[{"title": "a"}, {"title": "b", "tags": [',
        '"t",',
        IMPORT_LIMITS.jsonRecordCharacters / 4 + 20_000,
        '"t"]}]',
      ),
    );
    expect(wide).toMatchObject({ row: 2, limit: 'jsonRecordCharacters' });
  });

  it('JSON streams: records come out before the file ends', () => {
    const parser = createParser('json');
    const first = parser.push(
      `[${Array.from({ length: 300 }, (_, index) => `{"title": "Book ${String(index)}"}`).join(',')},`,
    );
    expect(first.length).toBeGreaterThan(0);
    expect(parser.push('{"title": "Last"}]').concat(parser.end()).at(-1)).toMatchObject({
      row: 301,
      kind: 'book',
    });
  });

  it('MARCXML: a record past the fields cap or the record-size cap names the record', () => {
    const fields = read(
      'marc',
      repeated(
        `${XML_HEAD}${TITLE}`,
        '<controlfield tag="005">1</controlfield>',
        IMPORT_LIMITS.marcFieldsPerRecord,
        '</record></collection>',
      ),
    );
    expect(fields).toMatchObject({ row: 1, limit: 'marcFieldsPerRecord' });
    expect((fields as Error).message).toBe('row 1: MARC record 1 has more than the limit of 5,000 fields');
    const under = read(
      'marc',
      repeated(
        `${XML_HEAD}${TITLE}`,
        '<controlfield tag="005">1</controlfield>',
        IMPORT_LIMITS.marcFieldsPerRecord - 1,
        '</record></collection>',
      ),
    );
    expect(Array.isArray(under) && under[0]?.kind).toBe('book');
    const big = read(
      'marc',
      repeated(
        `${XML_HEAD}${TITLE}<datafield tag="500" ind1=" " ind2=" ">`,
        '<subfield code="a">note</subfield>',
        IMPORT_LIMITS.marcRecordBytes / 30,
        '</datafield></record></collection>',
      ),
    );
    expect(big).toMatchObject({ row: 1, limit: 'marcRecordBytes' });
  });
});
