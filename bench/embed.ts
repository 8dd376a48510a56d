/**
 * `npm run bench -- embed --model ID|PATH [--texts FILE|N] [--batch N] --json`: embedding throughput
 * of one model through the real embed worker, with the main thread's event loop watched.
 *   model                     the model id (a folder path becomes `folder:<path>`; default the bundled model)
 *   texts                     how many texts were embedded (from a books CSV such as
 *                             ../shared/data/books/books_7k.csv, built like the queue builds them, or generated)
 *   texts_per_s               texts / total embedding time (model load excluded; it is load_ms)
 *   batch_p50_ms              median time of one batch call through the worker boundary
 *   peak_rss_mb               process RSS (main thread + workers) sampled every 20 ms
 *   max_event_loop_delay_ms   the main thread's largest event-loop delay while embedding
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BookTextSource, bookText } from '../shared/embed/texts';
import { BUNDLED_MODEL_ID } from '../shared/embed/models';
import { createCsvTokenizer } from '../shared/import/csv';
import { buildCore, buildProbe, runProbe } from './build-core';
import { textOption } from './options';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Books from a CSV with title/authors/categories/description columns. */
function booksFromCsv(file: string): BookTextSource[] {
  const tokenizer = createCsvTokenizer(',');
  const records = [...tokenizer.push(readFileSync(file, 'utf8')), ...tokenizer.end()];
  const [header, ...rows] = records;
  if (!header) throw new Error(`${file} is empty`);
  const column = (name: string) => header.findIndex((cell) => cell.trim().toLowerCase() === name);
  const [title, authors, categories, description] = ['title', 'authors', 'categories', 'description'].map(
    column,
  );
  if (title === undefined || title < 0) throw new Error(`${file} has no title column`);
  return rows
    .filter((row) => (row[title] ?? '').trim() !== '')
    .map((row) => ({
      title: (row[title] as string).slice(0, 500),
      authors:
        authors !== undefined && authors >= 0 ? (row[authors] ?? '').split(/[;|]/).filter(Boolean) : [],
      subjects:
        categories !== undefined && categories >= 0
          ? (row[categories] ?? '').split(/[;|]/).filter(Boolean)
          : [],
      description: description !== undefined && description >= 0 ? row[description] || null : null,
    }));
}

const WORDS =
  'dragon starship detective murder kingdom galaxy recipe romance village wizard school friendship war ocean mystery family secret journey forest robot'.split(
    ' ',
  );

/** `count` generated book-like texts of 40–120 words. */
function generatedTexts(count: number): string[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, (_, index) => {
    const words = Array.from(
      { length: 40 + Math.floor(next() * 80) },
      () => WORDS[Math.floor(next() * WORDS.length)],
    );
    return `Book ${index}. ${words.join(' ')}.`;
  });
}

/** Runs the benchmark and returns the JSON line's object. */
export async function runEmbedBench(args: string[]): Promise<Record<string, unknown>> {
  const rawModel = textOption(args, 'model') ?? BUNDLED_MODEL_ID;
  const model = existsSync(rawModel) ? `folder:${resolve(rawModel)}` : rawModel;
  const textsArg = textOption(args, 'texts') ?? '2000';
  const books: BookTextSource[] = existsSync(textsArg)
    ? booksFromCsv(textsArg)
    : generatedTexts(Number(textsArg)).map((text, index) => ({ title: `Book ${index}`, description: text }));
  if (books.length === 0) throw new Error(`--texts ${textsArg}: no texts`);
  // --queue: add the texts as books and time a whole embedding pass (queue, database, index build).
  const queue = args.includes('--queue');
  const texts = queue ? books : existsSync(textsArg) ? books.map(bookText) : generatedTexts(Number(textsArg));
  const batch = textOption(args, 'batch');

  // The bundled core, as the desktop app ships it, measured in a fresh process.
  const hostModule = await buildCore(root);
  const probe = await buildProbe(root, 'embed-probe');
  const scratch = mkdtempSync(join(tmpdir(), 'lumin-bench-embed-'));
  try {
    const textsFile = join(scratch, 'texts.json');
    writeFileSync(textsFile, JSON.stringify(texts));
    return runProbe(probe, [
      hostModule,
      join(scratch, 'data'),
      model,
      textsFile,
      batch ?? '0',
      queue ? 'queue' : 'embed',
    ]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
