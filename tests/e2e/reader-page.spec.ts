/**
 * End-to-end: a student's page on the real core with the bundled embedding model: recommendations
 * with explanations and badges, the "why" panel, thumbs down removing the book and the list
 * refreshing, checkouts and history.
 */
import { unwrap } from '../../shared/contract/errors';
import { expect, screenshot, test } from './fixtures';
import { importSampleCatalog } from './support';

test('open a student: recommendations with explanations; thumbs down removes the book and the list refreshes', async ({
  app,
  host,
}) => {
  test.setTimeout(120_000);
  await importSampleCatalog(host);
  await app.getByRole('link', { name: 'Classes & readers' }).click();
  await app.getByLabel('New class').fill('Room 3');
  await app.getByRole('button', { name: 'Add class' }).click();
  await expect(app.getByRole('heading', { name: 'Roster: Room 3' })).toBeVisible();
  const form = app.locator('form.form');
  await form.getByLabel('Name').fill('Ada Park');
  await form.getByLabel('Grade').selectOption({ label: '3' });
  await form.getByLabel('Age').fill('8');
  await form.getByLabel('Reading level').fill('520L');
  await form.getByLabel('Interests').fill('dragons, magic');
  await form.getByRole('button', { name: 'Add student' }).click();
  await app.getByRole('link', { name: 'Ada Park' }).click();

  await expect(app.getByRole('heading', { level: 2, name: 'Ada Park' })).toBeVisible();
  const list = app.getByRole('list', { name: 'Recommendations' });
  const cards = list.locator('.rec-card');
  await expect(cards).toHaveCount(10);
  for (const explanation of await list.locator('.rec-explanation').allTextContents())
    expect(explanation.length).toBeGreaterThan(10);
  await expect(list.locator('.source-badge').first()).toBeVisible();

  // The "why" panel opens with the details.
  const first = cards.first();
  await first.getByText('Why this book?').click();
  await expect(first.locator('.why dl')).toContainText('Proposed by');
  await screenshot(app, 'reader-page');

  // Thumbs down: the book leaves at once, and a refreshed list from the core replaces the old one.
  const requestId = await list.getAttribute('data-request-id');
  const disliked = await first.getAttribute('data-book-id');
  const title = (await first.locator('.rec-title').textContent()) ?? '';
  await first.getByRole('button', { name: `Thumbs down: ${title}` }).click();
  await expect(list.locator(`[data-book-id="${disliked}"]`)).toHaveCount(0);
  await expect(list).not.toHaveAttribute('data-request-id', requestId ?? '');
  await expect(cards).toHaveCount(10);
  await expect(list.locator(`[data-book-id="${disliked}"]`)).toHaveCount(0);
  const ada = unwrap(await host.core.api.readers.resolve({ ref: 'Ada Park' }));
  const downs = unwrap(await host.core.api.interactions.list({ readerId: ada.id, type: 'thumbs_down' }));
  expect(downs.items.map((item) => item.bookId)).toEqual([disliked]);
  expect(downs.items[0]?.recLogId).not.toBeNull();

  // Checked out: recorded with the impression it followed, and shown in the history.
  const second = cards.first();
  const secondTitle = (await second.locator('.rec-title').textContent()) ?? '';
  await second.getByRole('button', { name: 'Checked out' }).click();
  await expect(second.getByRole('button', { name: 'Checked out' })).toHaveAttribute('aria-pressed', 'true');
  const history = app.locator('.history-list');
  await expect(history).toContainText(`Checked out ${secondTitle}`);
  await expect(history).toContainText(`Thumbs down ${title}`);
  const checkouts = unwrap(await host.core.api.interactions.list({ readerId: ada.id, type: 'checkout' }));
  expect(checkouts.items[0]?.recLogId).not.toBeNull();

  // Pin (a teacher's tool) keeps the book with a badge.
  const third = cards.nth(1);
  await third.getByRole('button', { name: 'Pin' }).click();
  await expect(third.locator('.pin-badge')).toBeVisible();
});
