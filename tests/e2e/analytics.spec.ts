/**
 * End-to-end: the analytics view in Chromium against the real core. Data is arranged through the
 * core (the sample catalogue and roster imported, recommendations served, reading logged), then the
 * charts must draw SVG bars; a new library shows empty states that say what to do.
 */
import type { Page } from '@playwright/test';
import { arrangeReading, importSampleLibrary } from './arrange';
import { expect, screenshot, test } from './fixtures';

async function openAnalytics(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Analytics' })).toBeVisible();
}

/** The bars drawn in one chart. */
const bars = (page: Page, chart: string) =>
  page.locator(`figure[data-chart="${chart}"] svg .recharts-bar-rectangle path`);

test('a new library shows analytics empty states that teach the next step', async ({ app }) => {
  await openAnalytics(app);
  await expect(app.getByText('No recommendations were shown in this period.')).toBeVisible();
  await expect(app.getByText('No reading was logged in this period.')).toBeVisible();
  await expect(app.getByText('No book or reader has a reading level yet.')).toBeVisible();
  await expect(app.locator('figure[data-chart] svg')).toHaveCount(0);
});

test('draws CTR by source, coverage and diversity, reading over time and the library audit', async ({
  app,
  host,
}) => {
  await importSampleLibrary(host);
  await arrangeReading(host);
  await openAnalytics(app);

  for (const chart of ['ctr', 'quality', 'activity', 'audit']) {
    await expect(
      app.locator(`figure[data-chart="${chart}"] .recharts-wrapper > svg.recharts-surface`),
    ).toBeVisible();
    await expect.poll(() => bars(app, chart).count(), `bars of the ${chart} chart`).toBeGreaterThan(0);
  }
  // The audit compares the books' levels with the class's: both series are drawn.
  await expect(app.locator('figure[data-chart="audit"] .recharts-legend-item')).toHaveText([
    'Books',
    'Readers',
  ]);
  await expect(app.getByRole('term').filter({ hasText: 'Readers' })).toBeVisible();
  await expect(app.locator('.metric').filter({ hasText: 'Readers' }).locator('dd')).toHaveText('12');
  await screenshot(app, 'analytics');

  // Scoped to the class, and to a shorter period, the charts still draw.
  await app.getByLabel('Class').selectOption({ label: 'Room 4' });
  await app.getByLabel('Period').selectOption({ label: 'Last 7 days' });
  await expect(app.getByLabel('Period')).toHaveValue('7');
  await expect.poll(() => bars(app, 'audit').count()).toBeGreaterThan(0);
  await expect.poll(() => bars(app, 'ctr').count()).toBeGreaterThan(0);
});

test('follows new reading without a reload', async ({ app, host }) => {
  await importSampleLibrary(host);
  await openAnalytics(app);
  await expect(app.getByText('No reading was logged in this period.')).toBeVisible();
  await arrangeReading(host);
  await expect(
    app.locator('figure[data-chart="activity"] .recharts-wrapper > svg.recharts-surface'),
  ).toBeVisible();
});
