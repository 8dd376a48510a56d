/**
 * The import parsers behind one entry point: `detectFormat` looks at the head of a file, and
 * `createParser` returns the streaming parser for what it found.
 */
import { createCalibreParser } from './calibre';
import { createGenericCsvParser, createGenericJsonParser } from './generic';
import { createGoodreadsParser } from './goodreads';
import { createIsbnListParser } from './isbn-list';
import { createLibrarythingParser } from './librarything';
import { createMarcParser } from './marc';
import { createRosterParser } from './roster';
import { createStorygraphParser } from './storygraph';
import type { ColumnMapping, ImportFormat, RowParser } from './types';

export { detectFormat } from './detect';
export { guessMapping } from './column-mapping';
export { toGoodreadsCsv } from './goodreads-export';
export { createCsvTokenizer, detectDelimiter } from './csv';
export * from './types';

/** Options for {@link createParser}. */
export interface ParserOptions {
  /** For delimited formats: `,`, `;` or tab (usually `detectFormat`'s); detected when omitted. */
  delimiter?: string;
  /** For generic CSV/JSON: the column mapping, replacing the guessed one entirely. */
  mapping?: ColumnMapping;
}

/**
 * The streaming parser for `format`. Text formats take string chunks (or UTF-8 bytes); MARC takes
 * bytes (binary MARC21 or MARCXML). LibraryThing covers both its TSV and JSON exports.
 */
export function createParser(format: ImportFormat, options: ParserOptions = {}): RowParser {
  const { delimiter, mapping } = options;
  switch (format) {
    case 'goodreads':
      return createGoodreadsParser({ delimiter });
    case 'storygraph':
      return createStorygraphParser({ delimiter });
    case 'librarything':
      return createLibrarythingParser({ delimiter });
    case 'calibre':
      return createCalibreParser({ delimiter });
    case 'marc':
      return createMarcParser();
    case 'isbn':
      return createIsbnListParser();
    case 'csv':
      return createGenericCsvParser({ delimiter, mapping });
    case 'json':
      return createGenericJsonParser({ mapping });
    case 'roster':
      return createRosterParser({ delimiter });
  }
}
