/** Small import files for tests through the core: Goodreads CSV rows and MARCXML records. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './core';

/** Writes `text` as `name` in a new temp directory and returns its path. */
export function importFile(name: string, text: string | Uint8Array): string {
  const path = join(tempDir('lumin-import-'), name);
  writeFileSync(path, text);
  return path;
}

const GOODREADS_HEADER =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';

/** A Goodreads export of `rows` (every book on the `read` shelf unless said otherwise). */
export function goodreadsCsv(
  rows: { id: string; title: string; author: string; isbn13: string; shelf?: string }[],
): string {
  const lines = rows.map(
    (row) =>
      `${row.id},"${row.title}",${row.author},,,"=""""","=""${row.isbn13}""",4,4.0,,,,,,2021/05/01,2021/04/01,,,${row.shelf ?? 'read'},,,,1,0`,
  );
  return [GOODREADS_HEADER, ...lines].join('\n');
}

/** A MARCXML record: control fields (001, 003…) and data fields with their subfields. */
export interface XmlRecord {
  control?: [string, string][];
  data: [string, [string, string][]][];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A MARCXML collection of `records`. */
export function marcXml(records: XmlRecord[]): string {
  const body = records.map((record) => {
    const control = (record.control ?? []).map(
      ([tag, value]) => `    <controlfield tag="${tag}">${escape(value)}</controlfield>`,
    );
    const data = record.data.map(
      ([tag, subfields]) =>
        `    <datafield tag="${tag}" ind1=" " ind2=" ">${subfields
          .map(([code, value]) => `<subfield code="${code}">${escape(value)}</subfield>`)
          .join('')}</datafield>`,
    );
    return [
      '  <record>',
      '    <leader>00000nam a2200000 i 4500</leader>',
      ...control,
      ...data,
      '  </record>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<collection xmlns="http://www.loc.gov/MARC21/slim">',
    ...body,
    '</collection>',
    '',
  ].join('\n');
}
