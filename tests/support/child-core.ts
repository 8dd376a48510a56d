/**
 * A second process for lock and crash tests: opens the core on argv[2] and runs argv[3]:
 *   hold   print READY, keep the core open until killed or stdin closes
 *   crash  commit 100 books, print COMMITTED, then start a 10,000-row transaction, print BEGIN
 *          (the parent kills it with SIGKILL somewhere in the middle), print DONE if it finishes
 *   import commit 100 books, then import argv[4] (a Goodreads file) for reader Ada, printing
 *          COMMITTING and then PROGRESS <rows done> as the commit advances, DONE when it finishes
 *   embed  add argv[4] books, queue an embedding pass, print EMBEDDING, then STORED <n> after each
 *          stored batch (the parent kills it with SIGKILL mid-pass), DONE when the pass succeeds
 */
import { unwrap } from '../../shared/contract/errors';
import { openCore } from '../../workers/host/core';

const [dataDir, mode] = process.argv.slice(2);
if (!dataDir || !mode) throw new Error('usage: child-core.ts DATA_DIR hold|crash');

const opened = await openCore({ dataDir, autoBackup: false, purpose: `test-${mode}` });

if (!opened.ok) {
  process.stdout.write(`ERROR ${JSON.stringify(opened.error)}\n`);
  process.exit(1);
}
const core = opened.value;

if (mode === 'hold') {
  process.stdout.write('READY\n');
  process.stdin.resume();
  process.stdin.on('end', () => void core.close().then(() => process.exit(0)));
} else if (mode === 'crash') {
  unwrap(
    await core.api.books.addMany({
      books: Array.from({ length: 100 }, (_, index) => ({ title: `Committed ${index}` })),
    }),
  );
  process.stdout.write('COMMITTED\n');
  const batch = Array.from({ length: 10_000 }, (_, index) => ({
    title: `Batch ${index}`,
    authors: ['Crash Test'],
    description: 'x'.repeat(200),
    subjects: ['one', 'two'],
  }));
  process.stdout.write('BEGIN\n');
  unwrap(await core.api.books.addMany({ books: batch }));
  process.stdout.write('DONE\n');
  process.stdin.resume();
} else if (mode === 'import') {
  const path = process.argv[4] ?? '';
  unwrap(
    await core.api.books.addMany({
      books: Array.from({ length: 100 }, (_, index) => ({ title: `Committed ${index}` })),
    }),
  );
  const preview = unwrap(await core.api.imports.preview({ path, readerName: 'Ada' }));
  core.on('import.progress', (event) => {
    if (event.phase === 'commit') process.stdout.write(`PROGRESS ${event.done}\n`);
  });
  process.stdout.write('COMMITTING\n');
  unwrap(await core.api.imports.commit({ previewId: preview.previewId }));
  process.stdout.write('DONE\n');
  process.stdin.resume();
}

if (mode === 'embed') {
  const count = Number(process.argv[4] ?? 2000);
  unwrap(
    await core.api.books.addMany({
      books: Array.from({ length: count }, (_, index) => ({
        title: `Queue book ${index}`,
        subjects: [index % 2 ? 'space opera' : 'mystery'],
        description: `Book number ${index} of the queue test, about ${index % 3 ? 'starships and galaxies' : 'a detective and a murder'}.`,
      })),
    }),
  );
  core.on('job.progress', (event) => {
    if (event.kind !== 'embed') return;
    if (event.state === 'succeeded') process.stdout.write('DONE\n');
    else if (event.message?.startsWith('embedded ')) process.stdout.write(`STORED ${event.message}\n`);
  });
  unwrap(await core.api.embeddings.run());
  process.stdout.write('EMBEDDING\n');
  process.stdin.resume();
}
