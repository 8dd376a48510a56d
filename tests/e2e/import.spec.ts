/**
 * End-to-end: importing by drag and drop and with the file picker, on the real core: the preview
 * (format, counts, problems, merges), the commit with its progress, the summary, the failed rows as
 * a CSV download, and the books in the library afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goodreadsExport } from '../../bench/fixtures/goodreads';
import { unwrap } from '../../shared/contract/errors';
import { dropFile, expect, screenshot, test } from './fixtures';
import { repoRoot } from './paths';

const HEADER =
  'Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,' +
  'Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,' +
  'Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies';

/** A small Goodreads export: three good rows, one with a broken ISBN, one repeating a book. */
const GOODREADS = [
  HEADER,
  '1,Matilda,Roald Dahl,"Dahl, Roald",,"=""0142410373""","=""9780142410370""",5,4.3,Puffin,Paperback,240,2007,1988,2026/09/01,2026/08/01,,,read,,,,1,0',
  '2,The Hobbit,J.R.R. Tolkien,"Tolkien, J.R.R.",,"=""""","=""9780547928227""",4,4.3,Mariner,Paperback,300,2012,1937,,2026/08/02,to-read,to-read (#1),to-read,,,,0,1',
  '3,Holes,Louis Sachar,"Sachar, Louis",,"=""""","=""9780440414803""",0,4.0,Yearling,Paperback,233,2000,1998,,2026/08/03,,,currently-reading,,,,0,0',
  '4,Wonder,R.J. Palacio,"Palacio, R.J.",,"=""""","=""9780375869021X""",0,4.4,Knopf,Hardcover,310,2012,2012,,2026/08/04,,,to-read,,,,0,0',
  '5,Holes,Louis Sachar,"Sachar, Louis",,"=""""","=""""",3,4.0,Yearling,Paperback,233,2000,1998,,2026/08/05,,,read,,,,1,0',
].join('\r\n');

test('drop a Goodreads export anywhere: preview, commit, summary, books listed', async ({ app, host }) => {
  await dropFile(app, host, 'goodreads_library_export.csv', GOODREADS);
  await expect(app.getByRole('heading', { level: 2, name: 'Import' })).toBeVisible();
  await expect(app.getByTestId('import-format')).toHaveText('Goodreads export');
  await expect(app.locator('[data-count="rows"]')).toHaveText('5');
  await expect(app.locator('[data-count="create"]')).toHaveText('4');
  await expect(app.getByRole('heading', { name: /Row problems/ })).toBeVisible();
  await expect(app.getByText(/Row 5, ISBN13|Row 5/).first()).toBeVisible();
  await expect(app.getByRole('heading', { name: /Proposed merges \(1\)/ })).toBeVisible();
  await expect(app.getByText('Row 6 → Holes')).toBeVisible();

  // Whose history: naming a reader previews again with the reading events counted.
  await app.getByLabel('Whose reading history is this?').fill('Ada Park');
  await app.getByRole('button', { name: 'Update preview' }).click();
  await expect(app.getByText('The history goes to Ada Park (a new reader).')).toBeVisible();
  await expect(app.locator('[data-count="interactions"]')).not.toHaveText('0');
  await screenshot(app, 'import-preview');

  await app.getByRole('button', { name: 'Import 5 rows' }).click();
  const summary = app.getByRole('heading', { name: 'Import finished' });
  await expect(summary).toBeVisible();
  await expect(app.locator('.import-summary')).toContainText('4 new');
  await expect(app.locator('.import-summary progress')).toHaveAttribute('value', '1');
  await screenshot(app, 'import-summary');

  // The failed rows download as a CSV naming row, field and reason.
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Download failed rows (CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('goodreads_library_export.csv-failed-rows.csv');
  const csv = readFileSync(await file.path(), 'utf8');
  expect(csv.split('\n')[0]).toBe('row,field,reason');
  expect(csv).toMatch(/^5,ISBN13,/m);

  await app.getByRole('button', { name: 'See the library' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Library' })).toBeVisible();
  const grid = app.getByRole('list', { name: 'Books' });
  for (const title of ['Holes', 'Matilda', 'The Hobbit', 'Wonder']) await expect(grid).toContainText(title);
  await expect(grid.getByRole('listitem')).toHaveCount(4);
  const ada = unwrap(await host.core.api.readers.resolve({ ref: 'Ada Park' }));
  const history = unwrap(await host.core.api.interactions.list({ readerId: ada.id }));
  expect(history.total).toBeGreaterThan(0);
});

test('rejecting a proposed merge keeps the row as a book of its own', async ({ app, host }) => {
  unwrap(await host.core.api.books.add({ title: 'Holes', authors: ['Louis Sachar'] }));
  const file = [HEADER, GOODREADS.split('\r\n')[3]].join('\r\n');
  await dropFile(app, host, 'holes.csv', file);
  await expect(app.getByRole('heading', { name: /Proposed merges \(1\)/ })).toBeVisible();
  const merge = app.getByRole('checkbox', { name: /Row 2 → Holes/ });
  await expect(merge).toBeChecked();
  await merge.uncheck();
  await app.getByRole('button', { name: 'Import 1 rows' }).click();
  await expect(app.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  expect(unwrap(await host.core.api.books.list({ query: 'Holes' })).total).toBe(2);
});

test('a file picked in the open dialog shows a progress bar while a long import commits', async ({
  app,
  host,
}) => {
  await app.getByRole('link', { name: 'Import' }).click();
  host.answerDialog(host.putUserFile('big.csv', goodreadsExport(4000)));
  await app.getByRole('button', { name: 'Choose a file…' }).click();
  await expect
    .poll(() => host.dialogs.map((dialog) => dialog.title))
    .toEqual(['Import a book list or roster']);
  await expect(app.locator('[data-count="rows"]')).toHaveText('4,000');
  await app.getByRole('button', { name: 'Import 4,000 rows' }).click();
  await expect(app.getByRole('progressbar')).toBeVisible();
  await expect(app.getByRole('heading', { name: 'Import finished' })).toBeVisible({ timeout: 30_000 });
});

test('a file Lumin cannot read says so in a sentence', async ({ app, host }) => {
  await dropFile(
    app,
    host,
    'notes.bin',
    '\u0000\u0001\u0002 not a book list \u0003',
    'application/octet-stream',
  );
  const error = app.locator('.inline-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('notes.bin could not be imported.');
  await expect(error.locator('.error-code')).toHaveText('invalid_argument');
});

test('a generic spreadsheet offers a column mapping', async ({ app, host }) => {
  const catalog = readFileSync(join(repoRoot, 'resources', 'sample', 'catalog.csv'), 'utf8');
  const head = catalog.split('\n').slice(0, 6).join('\n');
  await dropFile(app, host, 'catalog.csv', head);
  await expect(app.getByTestId('import-format')).toHaveText('Spreadsheet (CSV)');
  const mapping = app.getByRole('heading', { name: 'Columns' });
  await expect(mapping).toBeVisible();
  const title = app.getByLabel('title', { exact: true });
  await expect(title.locator('option')).toContainText(['(guess)', 'isbn13', 'title', 'authors']);
  await title.selectOption('title');
  await expect(app.locator('[data-count="rows"]')).toHaveText('5');
  await expect(app.getByRole('rowheader', { name: 'The Very Hungry Caterpillar' })).toBeVisible();
  await screenshot(app, 'import-mapping');
});
