// Loads resources/sample/history.csv (reader, isbn13, event, value, date) into a library through the
// core, in one process: the demo's reading history. Readers are found by name, books by ISBN.
import { readFileSync } from 'node:fs';
import { unwrap } from '../shared/contract/errors';
import type { InteractionType } from '../shared/contract/domain';
import { createCsvTokenizer } from '../shared/import/csv';
import { openCore } from '../workers/host/core';

const [dataDir, file] = process.argv.slice(2);
if (!dataDir || !file) throw new Error('usage: demo-history.ts DATA_DIR HISTORY_CSV');
const tokenizer = createCsvTokenizer(',');
const [header, ...rows] = [...tokenizer.push(readFileSync(file, 'utf8')), ...tokenizer.end()];
if (header?.join(',') !== 'reader,isbn13,event,value,date') throw new Error(`${file}: unexpected header`);
const core = unwrap(await openCore({ dataDir, autoBackup: false, purpose: 'demo' }));
try {
  const readers = new Map<string, string>();
  let logged = 0;
  for (const [index, row] of rows.entries()) {
    const [name, isbn, event, value, date] = row as [string, string, string, string, string];
    if (!name) continue;
    let readerId = readers.get(name);
    if (!readerId) {
      readerId = unwrap(await core.api.readers.resolve({ ref: name })).id;
      readers.set(name, readerId);
    }
    const book = await core.api.books.resolve({ ref: isbn });
    if (!book.ok) throw new Error(`${file} row ${index + 2}, isbn13: ${book.error.message}`);
    unwrap(
      await core.api.interactions.log({
        readerId,
        bookId: book.value.id,
        type: event as InteractionType,
        ...(value ? { value: Number(value) } : {}),
        occurredAt: `${date}T15:00:00.000Z`,
      }),
    );
    logged++;
  }
  process.stdout.write(`Logged ${logged} reading events for ${readers.size} students.\n`);
} finally {
  await core.close();
}
