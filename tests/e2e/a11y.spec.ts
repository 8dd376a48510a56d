/**
 * Accessibility: axe-core over every main view (the seven sidebar entries), in the light and the dark
 * colour scheme, on a library with data (the sample catalogue, a class, reading). No serious or
 * critical violation may remain.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { arrangeReading, importSampleLibrary } from './arrange';
import { expect, screenshot, test } from './fixtures';

/** Views whose dark-scheme screenshot this test saves (tests/e2e/screenshots/<view>-dark.png). */
const DARK_SCREENSHOTS = new Set(['Analytics', 'Jobs', 'Settings']);

/** The sidebar's entries, found from the page itself so a new view is checked too. */
async function navEntries(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await expect(links).toHaveCount(7);
  return links.allInnerTexts();
}

/** axe's serious and critical findings on the page, one readable line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${node.target.join(' ')} — ${node.failureSummary ?? ''}`,
      ),
    );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`every main view passes axe in the ${scheme} scheme`, async ({ app, host }) => {
    test.setTimeout(180_000);
    await importSampleLibrary(host);
    await arrangeReading(host);
    await app.emulateMedia({ colorScheme: scheme });
    await app.reload();
    await expect(app.locator('.app[data-ready="true"]')).toBeVisible();

    const found: string[] = [];
    for (const entry of await navEntries(app)) {
      await app
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: entry, exact: true })
        .click();
      await expect(app.getByRole('heading', { level: 2 }).first()).toBeVisible();
      // Let the view's first load settle (busy regions, charts' first paint).
      await expect(app.locator('[aria-busy="true"]')).toHaveCount(0);
      for (const line of await seriousViolations(app)) found.push(`${entry}: ${line}`);
      // The light screenshots come from the views' own specs; the dark ones from here.
      if (scheme === 'dark' && DARK_SCREENSHOTS.has(entry))
        await screenshot(app, `${entry.toLowerCase()}-dark`);
    }
    expect(found, `axe findings in the ${scheme} scheme`).toEqual([]);
  });
}
