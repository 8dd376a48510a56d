// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LevelAudit, ReadingActivity, ReadingStats } from '../../shared/contract/recommend';
import { createAnalyticsStore } from '../../renderer/src/stores/analytics';
import { auditRows, ctrRows, qualityRows, thinBands } from '../../renderer/src/views/analytics/chart-data';
import { AnalyticsView } from '../../renderer/src/views/analytics-view';
import { eventually, fakeBridge } from './renderer-views-fake-bridge';

const NOW = new Date('2026-12-02T12:00:00.000Z');

const stats = (impressions: number): ReadingStats => ({
  from: '2026-11-02T12:00:00.000Z',
  to: NOW.toISOString(),
  readers: 3,
  ctr: impressions
    ? {
        popular: { impressions, clicks: 2, rate: 2 / impressions },
        personalised: { impressions: 4, clicks: 2, rate: 0.5 },
      }
    : {},
  coverage: 0.125,
  diversity: null,
  novelty: null,
  perReader: [],
});

const activity = (counts: number[]): ReadingActivity => ({
  from: '2026-11-02T12:00:00.000Z',
  to: NOW.toISOString(),
  weeks: counts.map((reading, index) => ({
    week: `2026-11-${String(2 + 7 * index).padStart(2, '0')}`,
    reading,
    feedback: 0,
    other: 0,
  })),
});

function levels(books: Record<number, number>, readers: Record<number, number>): LevelAudit {
  const bands = [];
  for (let grade = -1; grade <= 13; grade++)
    bands.push({ grade, label: String(grade), books: books[grade] ?? 0, readers: readers[grade] ?? 0 });
  return { bands, booksWithoutLevel: 5, readersWithoutLevel: 1, ownedOnly: false };
}

function analyticsBridge(options: { impressions: number; weeks: number[]; audit: LevelAudit }) {
  return fakeBridge({
    'classes.list': () => [{ id: '00000000-0000-4000-8000-000000000001', name: 'Room 4', readers: 3 }],
    'stats.get': () => stats(options.impressions),
    'analytics.activity': () => activity(options.weeks),
    'analytics.levels': () => options.audit,
  });
}

afterEach(() => cleanup());

describe('analytics chart data', () => {
  it('turns CTR into percentages, busiest source first, with readable names', () => {
    expect(ctrRows(stats(10))).toEqual([
      { source: 'Popular', ctr: 20, impressions: 10, clicks: 2 },
      { source: 'Personalised', ctr: 50, impressions: 4, clicks: 2 },
    ]);
    expect(qualityRows(stats(10))).toEqual([{ measure: 'Coverage', percent: 12.5 }]);
  });

  it('compares shares of books and readers per band, trimming empty bands at both ends', () => {
    const rows = auditRows(levels({ 2: 30, 3: 60, 5: 10 }, { 3: 2, 4: 2 }));
    expect(rows.map((row) => row.band)).toEqual(['2', '3', '4', '5']);
    expect(rows[1]).toEqual({ band: '3', books: 60, readers: 50, bookCount: 60, readerCount: 2 });
    expect(rows[2]).toMatchObject({ books: 0, readers: 50 });
    expect(auditRows(levels({}, {}))).toEqual([]);
    expect(thinBands(levels({ 2: 30, 3: 60, 5: 10 }, { 3: 2, 4: 2 }))).toEqual(['4']);
  });
});

describe('analytics store', () => {
  it('loads every chart for the chosen class and period, and reloads on reading changes', async () => {
    const fake = analyticsBridge({ impressions: 10, weeks: [1, 2], audit: levels({ 3: 1 }, { 3: 1 }) });
    const store = createAnalyticsStore(fake.bridge, () => NOW);
    const stop = store.getState().start();
    await eventually(() => expect(store.getState().loading).toBe(false));
    expect(store.getState().classes.map((item) => item.name)).toEqual(['Room 4']);
    expect(fake.called('stats.get')[0]?.input).toEqual({
      from: '2026-11-02T12:00:00.000Z',
      to: '2026-12-02T12:00:00.000Z',
    });

    await store.getState().setClass('00000000-0000-4000-8000-000000000001');
    await store.getState().setPeriod(7);
    expect(fake.called('analytics.activity').at(-1)?.input).toEqual({
      classId: '00000000-0000-4000-8000-000000000001',
      from: '2026-11-25T12:00:00.000Z',
      to: '2026-12-02T12:00:00.000Z',
    });
    expect(fake.called('analytics.levels').at(-1)?.input).toEqual({
      classId: '00000000-0000-4000-8000-000000000001',
    });

    const before = fake.called('stats.get').length;
    fake.emit('data.changed', { entity: 'settings', op: 'update', ids: [] });
    fake.emit('data.changed', { entity: 'interactions', op: 'insert', ids: [] });
    await eventually(() => expect(fake.called('stats.get').length).toBe(before + 1));
    stop();
  });

  it('keeps the charts it has and reports a failed load', async () => {
    const fake = fakeBridge({
      'classes.list': () => [],
      'stats.get': () => ({
        ok: false,
        error: { name: 'LuminError', code: 'internal', message: 'stats.get: boom' },
      }),
      'analytics.activity': () => activity([1]),
      'analytics.levels': () => levels({}, {}),
    });
    const store = createAnalyticsStore(fake.bridge, () => NOW);
    await store.getState().refresh();
    expect(store.getState().error?.message).toBe('stats.get: boom');
    expect(store.getState().activity?.weeks).toHaveLength(1);
  });
});

describe('analytics view', () => {
  it('shows empty states that say what to do next', async () => {
    window.lumin = analyticsBridge({ impressions: 0, weeks: [0, 0], audit: levels({}, {}) }).bridge;
    render(<AnalyticsView />);
    expect(await screen.findByText(/No recommendations were shown in this period\./)).toBeTruthy();
    expect(screen.getByText(/No reading was logged in this period\./)).toBeTruthy();
    expect(screen.getByText(/No book or reader has a reading level yet\./)).toBeTruthy();
    expect(screen.getAllByRole('link', { name: 'Import' })[0]?.getAttribute('href')).toBe('#/import');
  });

  it('shows the charts’ numbers as tables for assistive technology, and the class selector', async () => {
    window.lumin = analyticsBridge({
      impressions: 10,
      weeks: [3, 4],
      audit: levels({ 3: 5 }, { 3: 2 }),
    }).bridge;
    render(<AnalyticsView />);
    expect(await screen.findByRole('table', { name: 'Click-through by source' })).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Reading over time' })).toBeTruthy();
    expect(screen.getByRole('table', { name: /Library audit/ })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '20%' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Room 4' })).toBeTruthy();
    const coverage = screen.getByText('Coverage', { selector: 'dt' }).nextElementSibling;
    expect(coverage?.textContent).toBe('12.5%');
  });
});
