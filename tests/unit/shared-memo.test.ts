/** The db worker's memo of shared serving results: reuse, expiry, refresh behind a request, drops. */
import { describe, expect, it } from 'vitest';
import { SharedMemo } from '../../workers/db/recommend/cache';

describe('SharedMemo', () => {
  it('reuses a value within its lifetime and computes it again once old without a refresher', async () => {
    const memo = new SharedMemo();
    let calls = 0;
    const compute = async () => (calls += 1);
    expect(await memo.memo('key', 1000, compute, { now: 0 })).toBe(1);
    expect(await memo.memo('key', 1000, compute, { now: 999 })).toBe(1);
    expect(await memo.memo('key', 1000, compute, { now: 2000 })).toBe(2);
  });

  it('serves an old value at once and refreshes it behind the request, once', async () => {
    const memo = new SharedMemo();
    let calls = 0;
    const compute = async () => (calls += 1);
    const scheduled: (() => Promise<void>)[] = [];
    const refresh = (task: () => Promise<void>) => void scheduled.push(task);
    await memo.memo('key', 1000, compute, { refresh, now: 0 });
    expect(await memo.memo('key', 1000, compute, { refresh, now: 5000 })).toBe(1);
    expect(await memo.memo('key', 1000, compute, { refresh, now: 5001 })).toBe(1);
    expect(scheduled).toHaveLength(1); // one refresh, however many requests saw the old value
    await scheduled[0]?.();
    expect(await memo.memo('key', 1000, compute, { refresh })).toBe(2);
  });

  it('computes in the request after a drop, and a refresh that finishes after the drop is discarded', async () => {
    const memo = new SharedMemo();
    let calls = 0;
    const compute = async () => (calls += 1);
    const scheduled: (() => Promise<void>)[] = [];
    const refresh = (task: () => Promise<void>) => void scheduled.push(task);
    await memo.memo('key', 1000, compute, { refresh, now: 0 });
    expect(await memo.memo('key', 1000, compute, { refresh, now: 5000 })).toBe(1);
    memo.clear();
    expect(await memo.memo('key', 1000, compute, { refresh })).toBe(2); // not the dropped value
    await scheduled[0]?.(); // computes 3, but the value it replaced is gone: 2 stays
    expect(await memo.memo('key', 1000, compute, { refresh })).toBe(2);
  });
});
