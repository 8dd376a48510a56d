/** End-to-end: the library on the real core: grid and list, search, filters, a book page with similar books. */
import { unwrap } from '../../shared/contract/errors';
import { expect, screenshot, test } from './fixtures';
import { importSampleCatalog } from './support';

test('browse the sample library: search, filters, list, and a book page with similar books', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  await importSampleCatalog(host);
  const total = unwrap(await host.core.api.status.get()).counts.books;
  await app.reload();
  await expect(app.getByRole('heading', { level: 2, name: 'Library' })).toBeVisible();
  await expect(app.getByText(`${total} books`)).toBeVisible();
  const grid = app.getByRole('list', { name: 'Books' });
  await expect(grid.getByRole('listitem')).toHaveCount(60);
  await expect(app.getByRole('navigation', { name: 'Pages' })).toContainText(`1–60 of ${total}`);
  await screenshot(app, 'library');

  // Search by title words.
  await app.getByLabel('Search').fill('dragon');
  await expect(app.getByText(/books? match$/)).toBeVisible();
  for (const title of await grid.locator('.book-card-title').allTextContents())
    expect(title).toMatch(/dragon/i);

  // A level band leaves out books outside it.
  await app.getByLabel('Search').fill('');
  await app.getByLabel('Level').selectOption({ label: 'Grades 9 and up' });
  await expect(app.getByText(/books? match$/)).toBeVisible();
  const banded = unwrap(await host.core.api.books.list({ gradeMin: 9, gradeMax: 13, limit: 1 })).total;
  await expect(app.getByText(`${banded} ${banded === 1 ? 'book' : 'books'} match`)).toBeVisible();
  expect(banded).toBeLessThan(total);

  // Embedded: every sample book has a vector by now.
  await app.getByLabel('Level').selectOption({ label: 'Any level' });
  await app.getByLabel('Embedded').selectOption({ label: 'Not embedded yet' });
  await expect(app.getByRole('heading', { name: 'No book matches' })).toBeVisible();
  await app.getByRole('button', { name: 'Clear filters' }).click();
  await expect(app.getByText(`${total} books`)).toBeVisible();

  // Subject, in the list layout.
  await app.getByLabel('Subject').fill('Picture Book');
  await app.getByRole('button', { name: 'List' }).click();
  const table = app.getByRole('table', { name: 'Books' });
  await expect(table.getByRole('row', { name: /The Very Hungry Caterpillar/ })).toBeVisible();
  await screenshot(app, 'library-list');

  // The book page, with similar books.
  await table.getByRole('link', { name: 'The Very Hungry Caterpillar' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'The Very Hungry Caterpillar' })).toBeVisible();
  await expect(app.locator('.facts')).toContainText('Eric Carle');
  const similar = app.getByRole('list', { name: 'Similar books' });
  await expect(similar.getByRole('listitem')).toHaveCount(8);
  await screenshot(app, 'book');
  const next = (await similar.locator('.book-card-title').first().textContent()) ?? '';
  await similar.getByRole('link').first().click();
  await expect(app.getByRole('heading', { level: 2, name: next })).toBeVisible();
});

test('a book without a vector says why it has no similar books', async ({ app, host }) => {
  const book = unwrap(await host.core.api.books.add({ title: 'Matilda', authors: ['Roald Dahl'] }));
  await app.goto(`${host.url}#/book/${book.id}`);
  await expect(app.getByRole('heading', { level: 2, name: 'Matilda' })).toBeVisible();
  await expect(
    app.getByText('Lumin has not read this book’s description yet.', { exact: false }),
  ).toBeVisible();
});
