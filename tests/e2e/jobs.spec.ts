/**
 * End-to-end: the jobs view in Chromium against the real core: "Run nightly now" queues the real
 * nightly job, whose progress events move its bar until it is done.
 */
import { unwrap } from '../../shared/contract/errors';
import { arrangeReading, importSampleLibrary } from './arrange';
import { expect, screenshot, test } from './fixtures';

test('an empty queue says what starts jobs', async ({ app }) => {
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(app.getByRole('heading', { level: 2, name: 'Jobs' })).toBeVisible();
  await expect(app.getByText('Nothing is running.')).toBeVisible();
});

test('runs the nightly job from the view and shows its progress to the end', async ({ app, host }) => {
  await importSampleLibrary(host);
  await arrangeReading(host);
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await app.getByRole('button', { name: 'Run nightly now' }).click();

  const job = app.locator('li.job[data-job-kind="nightly"]');
  await expect(job).toBeVisible();
  await expect(job.getByRole('progressbar')).toBeVisible();
  await expect(job).toHaveAttribute('data-job-state', 'succeeded', { timeout: 60_000 });
  await expect(job.locator('progress')).toHaveAttribute('value', '100');
  await expect(job.locator('.job-percent')).toHaveText('100%');
  await expect(app.getByRole('heading', { name: 'Finished' })).toBeVisible();

  const stored = unwrap(await host.core.api.jobs.list({ kind: 'nightly' })).items;
  expect(stored.map((item) => item.state)).toEqual(['succeeded']);
  await screenshot(app, 'jobs');
});

test('cancels and resumes paused embedding passes from the view', async ({ app, host }) => {
  test.setTimeout(120_000);
  await importSampleLibrary(host);
  await app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  // An embedding pass checkpoints between batches, so the core can pause it before it is done.
  const pausedPass = async () => {
    const pass = unwrap(await host.core.api.embeddings.run());
    const paused = await host.core.api.jobs.pause({ id: pass.id });
    return paused.ok ? pass.id : null;
  };
  const state = async (id: string) => unwrap(await host.core.api.jobs.get({ id })).state;

  const first = await pausedPass();
  test.skip(first === null, 'the embedding pass finished before it could be paused');
  const paused = app.locator('li.job[data-job-kind="embed"][data-job-state="paused"]');
  await expect(paused).toHaveCount(1);
  await expect(paused.getByRole('progressbar')).toBeVisible();
  await paused.getByRole('button', { name: /^Cancel/ }).click();
  await expect(app.locator('li.job[data-job-kind="embed"][data-job-state="cancelled"]')).toHaveCount(1);
  expect(await state(first as string)).toBe('cancelled');

  const second = await pausedPass();
  test.skip(second === null, 'the embedding pass finished before it could be paused');
  await expect(paused).toHaveCount(1);
  await paused.getByRole('button', { name: /^Resume/ }).click();
  await expect.poll(() => state(second as string), { timeout: 60_000 }).toBe('succeeded');
  await expect(app.locator('li.job[data-job-kind="embed"][data-job-state="succeeded"]')).toHaveCount(1);
  await expect(
    app.locator('li.job[data-job-kind="embed"][data-job-state="succeeded"] progress'),
  ).toHaveAttribute('value', '100');
});
