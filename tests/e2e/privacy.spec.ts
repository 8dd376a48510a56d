/**
 * End-to-end: Settings → Privacy in Chromium against the real core. The list is the egress module's
 * table (`privacy.get`): turning a feature on adds what it sends and where, read back from the core.
 */
import { unwrap } from '../../shared/contract/errors';
import { expect, test } from './fixtures';

test('lists what each feature that is on sends, and where, as the core reports it', async ({ app, host }) => {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const privacy = app.getByRole('region', { name: 'Privacy' });
  await expect(privacy).toBeVisible();
  await expect(privacy.getByTestId('privacy-off')).toContainText('Covers from the internet');
  await expect(privacy.getByTestId('privacy-off')).toContainText('LLM explanations');

  await app.getByLabel('Explain recommendations with a language model').check();
  await app.getByLabel('Language model base URL').fill('http://localhost:11434/v1');
  await app.getByRole('button', { name: 'Save recommendations' }).click();
  await expect(app.getByText('Settings saved.')).toBeVisible();
  const sending = privacy.getByRole('list', { name: 'Features that send data' });
  await expect(sending.getByRole('listitem').filter({ hasText: 'LLM explanations' })).toContainText(
    'http://localhost:11434',
  );

  await privacy.getByLabel(/Covers from the internet/).check();
  await expect(sending.getByRole('listitem').filter({ hasText: 'Covers from the internet' })).toContainText(
    'https://covers.openlibrary.org',
  );
  const rows = unwrap(await host.core.api.privacy.get());
  expect(rows.filter((row) => row.on).map((row) => row.kind)).toEqual(
    expect.arrayContaining(['chat', 'covers']),
  );
  expect(unwrap(await host.core.api.settings.get({ key: 'covers.fromInternet' })).value).toBe(true);
});
