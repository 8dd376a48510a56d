// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/contract/domain';
import { createJobsStore } from '../../renderer/src/stores/jobs';
import { JobsView } from '../../renderer/src/views/jobs-view';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

function job(fields: Partial<Job> & Pick<Job, 'id' | 'kind' | 'state'>): Job {
  return {
    progress: 0,
    progressMessage: null,
    attempts: 0,
    maxAttempts: 3,
    lastError: null,
    payload: {},
    createdAt: '2026-12-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    updatedAt: '2026-12-01T10:00:00.000Z',
    ...fields,
  };
}

function jobsBridge(initial: Job[]) {
  let jobs = [...initial];
  const setState = (state: Job['state']) => (input: unknown) => {
    const id = (input as { id: string }).id;
    jobs = jobs.map((item) => (item.id === id ? { ...item, state } : item));
    return jobs.find((item) => item.id === id);
  };
  const fake = fakeBridge({
    'jobs.list': () => ({ items: jobs, total: jobs.length }),
    'jobs.pause': setState('paused'),
    'jobs.resume': setState('queued'),
    'jobs.cancel': setState('cancelled'),
    'jobs.run': () => {
      const created = job({ id: 'n1', kind: 'nightly', state: 'queued' });
      jobs = [created, ...jobs];
      return created;
    },
  });
  return { ...fake, add: (item: Job) => (jobs = [item, ...jobs]) };
}

afterEach(() => cleanup());

describe('jobs store', () => {
  it('loads the queue and moves a job’s progress with job.progress events, without a reload', async () => {
    const fake = jobsBridge([job({ id: 'e1', kind: 'embed', state: 'running', progress: 0.1 })]);
    const store = createJobsStore(fake.bridge);
    const stop = store.getState().start();
    await eventually(() => expect(store.getState().jobs).toHaveLength(1));
    const loads = fake.called('jobs.list').length;

    fake.emit('job.progress', {
      id: 'e1',
      kind: 'embed',
      state: 'running',
      progress: 0.6,
      message: 'books 60/100',
    });
    expect(store.getState().jobs[0]).toMatchObject({ progress: 0.6, progressMessage: 'books 60/100' });
    expect(fake.called('jobs.list')).toHaveLength(loads);

    // A job the list has not seen yet makes it reload.
    fake.add(job({ id: 'b1', kind: 'backup', state: 'running' }));
    fake.emit('job.progress', { id: 'b1', kind: 'backup', state: 'running', progress: 0.5, message: null });
    await eventually(() => expect(store.getState().jobs.map((item) => item.id)).toEqual(['b1', 'e1']));
    stop();
  });

  it('pauses, resumes and cancels, and reports a refusal as a sentence', async () => {
    const fake = jobsBridge([job({ id: 'e1', kind: 'embed', state: 'running' })]);
    const store = createJobsStore(fake.bridge);
    await store.getState().refresh();
    expect(await store.getState().act('pause', 'e1')).toBe(true);
    expect(store.getState().jobs[0]?.state).toBe('paused');
    expect(await store.getState().act('resume', 'e1')).toBe(true);
    expect(store.getState().jobs[0]?.state).toBe('queued');

    const refusing = fakeBridge({
      'jobs.list': () => ({ items: [], total: 0 }),
      'jobs.cancel': () => ({
        ok: false,
        error: {
          name: 'LuminError',
          code: 'conflict',
          message: 'job e1 is succeeded; only a queued job can be cancelled',
        },
      }),
    });
    const refused = createJobsStore(refusing.bridge);
    expect(await refused.getState().act('cancel', 'e1')).toBe(false);
    expect(refused.getState().failure).toMatchObject({
      action: 'Cancelling the job',
      error: { code: 'conflict' },
    });
  });
});

describe('jobs view', () => {
  it('shows progress bars and the actions each state allows, and runs the nightly job', async () => {
    const fake = jobsBridge([
      job({ id: 'e1', kind: 'embed', state: 'running', progress: 0.42, progressMessage: 'books 42/100' }),
      job({ id: 'x1', kind: 'enrich', state: 'paused', progress: 0.1 }),
      job({
        id: 'd1',
        kind: 'backup',
        state: 'succeeded',
        progress: 1,
        finishedAt: '2026-12-01T11:00:00.000Z',
      }),
    ]);
    window.lumin = fake.bridge;
    render(<JobsView />);

    const bar = await screen.findByRole('progressbar', { name: 'Computing book vectors: 42%' });
    expect(bar.getAttribute('value')).toBe('42');
    expect(screen.getByText('books 42/100')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pause: Computing book vectors' })).toBeTruthy();
    expect(
      screen.getByRole('button', { name: 'Resume: Estimating reading levels and page counts' }),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /: Backup$/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Pause: Computing book vectors' }));
    await eventually(() => expect(fake.called('jobs.pause')[0]?.input).toEqual({ id: 'e1' }));

    fireEvent.click(screen.getByRole('button', { name: 'Run nightly now' }));
    await screen.findByRole('progressbar', { name: 'Nightly retrain and batch recommendations: 0%' });
  });

  it('teaches what starts jobs when the queue is empty', async () => {
    window.lumin = jobsBridge([]).bridge;
    render(<JobsView />);
    expect(await screen.findByText(/Nothing is running\./)).toBeTruthy();
  });
});
