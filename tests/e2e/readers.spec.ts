/** End-to-end: classes and students, on the real core: create, edit, roster, reader mode, group picks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unwrap } from '../../shared/contract/errors';
import { dropFile, expect, screenshot, test } from './fixtures';
import { repoRoot } from './paths';
import { importSampleCatalog } from './support';

test('create a class and a student, edit the student, follow writes made elsewhere', async ({
  app,
  host,
}) => {
  await app.getByRole('link', { name: 'Classes & readers' }).click();
  await expect(app.getByRole('heading', { name: 'No students yet' })).toBeVisible();

  await app.getByLabel('New class').fill('Room 3');
  await app.getByRole('button', { name: 'Add class' }).click();
  await expect(app.getByRole('button', { name: /^Room 3/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByRole('heading', { name: 'Roster: Room 3' })).toBeVisible();

  const form = app.locator('form.form');
  await expect(form.getByLabel('Class')).toHaveValue('Room 3');
  await form.getByLabel('Name').fill('Ada Park');
  await form.getByLabel('Grade').selectOption({ label: '3' });
  await form.getByLabel('Age').fill('8');
  await form.getByLabel('Reading level').fill('520L');
  await form.getByLabel('Interests').fill('dragons, fantasy');
  await form.getByRole('button', { name: 'Add student' }).click();
  const row = app.getByRole('row', { name: /Ada Park/ });
  await expect(row.getByRole('cell')).toHaveText([
    'Room 3',
    '3',
    '8',
    'Lexile 520L',
    'dragons, fantasy',
    'Edit',
  ]);
  await expect(form.getByLabel('Name')).toHaveValue('');

  await row.getByRole('button', { name: 'Edit Ada Park' }).click();
  await expect(app.getByRole('heading', { name: 'Edit Ada Park' })).toBeVisible();
  await app.locator('form.form').getByLabel('Age').fill('9');
  await app.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByRole('cell').nth(2)).toHaveText('9');
  expect(unwrap(await host.core.api.readers.resolve({ ref: 'Ada Park' })).age).toBe(9);

  // A write from elsewhere (the CLI, an import) shows without a reload.
  unwrap(await host.core.api.readers.add({ name: 'Milo Quinn', grade: 3, className: 'Room 3' }));
  await expect(app.getByRole('row', { name: /Milo Quinn/ })).toBeVisible();
  await expect(app.getByRole('button', { name: /^Room 3/ })).toContainText('2');
  await screenshot(app, 'readers');
});

test('reader mode: one "me" reader with a page of their own', async ({ app }) => {
  await app.getByRole('link', { name: 'Classes & readers' }).click();
  await app.getByRole('button', { name: 'Start reader mode' }).click();
  await app.getByRole('button', { name: 'Open my reading (reader mode)' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Me' })).toBeVisible();
  await expect(app.getByText('Reader mode (you)')).toBeVisible();
  await expect(app.getByRole('heading', { name: 'No books to suggest yet' })).toBeVisible();
  // No teacher tools in reader mode.
  await expect(app.getByRole('button', { name: 'Pin' })).toHaveCount(0);
});

test('group picks for selected students', async ({ app, host }) => {
  test.setTimeout(120_000);
  await importSampleCatalog(host);
  for (const [name, level] of [
    ['Ada Park', '520L'],
    ['Milo Quinn', '450L'],
    ['Zoe Hart', '560L'],
  ] as const)
    unwrap(
      await host.core.api.readers.add({
        name,
        grade: 3,
        age: 8,
        className: 'Room 3',
        readingLevel: { value: level, system: 'lexile' },
      }),
    );
  await app.getByRole('link', { name: 'Group picks' }).click();
  const run = app.getByRole('button', { name: 'Find books for the group' });
  await expect(run).toBeDisabled();
  await app.getByRole('checkbox', { name: /Ada Park/ }).check();
  await app.getByRole('checkbox', { name: /Milo Quinn/ }).check();
  await run.click();
  const picks = app.getByRole('list', { name: 'Group picks' });
  await expect(picks.getByRole('listitem').first()).toBeVisible();
  await expect(picks.locator('.rec-explanation').first()).not.toBeEmpty();
  await expect(app.getByText('For Ada Park, Milo Quinn.')).toBeVisible();
  await screenshot(app, 'group');
});

test('import a roster into a class from the Classes view', async ({ app, host }) => {
  await app.getByRole('link', { name: 'Classes & readers' }).click();
  await app.getByRole('button', { name: 'Import a roster' }).click();
  const roster = readFileSync(join(repoRoot, 'resources', 'sample', 'students.csv'), 'utf8');
  await dropFile(app, host, 'students.csv', roster);
  await expect(app.getByTestId('import-format')).toHaveText('Class roster');
  await app.getByLabel('Class the students join').fill('Room 3');
  await app.getByRole('button', { name: 'Update preview' }).click();
  await expect(app.getByLabel('Class the students join')).toHaveValue('Room 3');
  const rows = roster.trim().split('\n').length - 1;
  await app.getByRole('button', { name: `Import ${rows} rows` }).click();
  await expect(app.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await app.getByRole('link', { name: 'Classes & readers' }).click();
  await app.getByRole('button', { name: /^Room 3/ }).click();
  await expect(app.getByRole('table').getByRole('row')).toHaveCount(rows + 1);
  await expect(app.getByRole('row', { name: /Ada Park/ })).toContainText('Room 3');
});
