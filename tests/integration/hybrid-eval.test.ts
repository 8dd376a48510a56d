/**
 * `lumin eval --cold` on a tiny synthetic MovieLens-shaped pair (u.data, u.item) written to a temp dir: the
 * report's shape, and that the tuned hybrid is not worse than ALS for cold readers on data where content
 * clearly helps. The real ML-100K run lives outside the tests (../shared/data is never required).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/ml/random';
import {
  COLD_GROUPS,
  HYBRID_METHODS,
  type HybridEvalReport,
  runHybridEval,
} from '../../workers/offline/hybrid-eval';

const folder = mkdtempSync(join(tmpdir(), 'lumin-hybrid-eval-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** u.item's 19 genre columns. */
const GENRE_COLUMNS = 19;
/** Six tastes, each a pair of genre columns (Horror+Thriller, Romance+Drama, Animation+Children's, …). */
const TASTES = [
  [11, 16],
  [14, 8],
  [3, 4],
  [18, 17],
  [15, 9],
  [7, 10],
];
const USERS = 40;
const ITEMS = 60;

/**
 * 60 films, 10 per taste, flagged with their taste's two genres and neutral titles, so the only content
 * signal is the genre. 40 users, each of one taste, rate 4 of its 10 films 4–5★, 2 films of other tastes
 * 4–5★ too (a friend's tip: positives that follow no taste) and 3 others 1–2★ (not positives). With ~5
 * training readers per taste and a third of the positives off-taste, co-occurrence is thin and noisy and
 * ALS (λ = 50) learns little, while the genre words tell content which films the reader may like.
 */
function writeDataset(): { data: string; items: string } {
  const random = seededRandom(7);
  const itemLines = Array.from({ length: ITEMS }, (_, item) => {
    const flags = Array.from({ length: GENRE_COLUMNS }, (_, column) =>
      (TASTES[item % TASTES.length] as number[]).includes(column) ? 1 : 0,
    );
    return `${item + 1}|Film ${item + 1} (1990)|01-Jan-1990||http://example.invalid/${item + 1}|${flags.join('|')}`;
  });
  const dataLines: string[] = [];
  for (let user = 0; user < USERS; user += 1) {
    const taste = user % TASTES.length;
    const own = Array.from({ length: ITEMS / TASTES.length }, (_, index) => index * TASTES.length + taste);
    const others = Array.from({ length: ITEMS }, (_, item) => item).filter(
      (item) => item % TASTES.length !== taste,
    );
    const pick = (pool: number[], count: number) =>
      pool
        .map((item) => ({ item, key: random() }))
        .sort((a, b) => a.key - b.key)
        .slice(0, count)
        .map(({ item }) => item);
    const line = (item: number, stars: number) => dataLines.push(`${user + 1}\t${item + 1}\t${stars}\t0`);
    for (const item of pick(own, 4)) line(item, 4 + Math.round(random()));
    pick(others, 5).forEach((item, index) => line(item, (index < 2 ? 4 : 1) + Math.round(random())));
  }
  const data = join(folder, 'u.data');
  const items = join(folder, 'u.item');
  writeFileSync(data, `${dataLines.join('\n')}\n`);
  // Latin-1, as MovieLens ships it.
  writeFileSync(items, Buffer.from(`${itemLines.join('\n')}\n`, 'latin1'));
  return { data, items };
}

const { data, items } = writeDataset();

describe('runHybridEval', () => {
  it('reports every method per cold group, and the tuned hybrid is not worse than ALS for cold readers', async () => {
    const report: HybridEvalReport = await runHybridEval({ data, items, seed: 3 });
    expect(report).toMatchObject({
      seed: 3,
      k: 10,
      recallK: 20,
      coldShare: 0.3,
      users: USERS,
      catalogue: ITEMS,
    });
    expect(report.positives).toBe(USERS * 6);
    expect(report.split).toMatchObject({
      testUsers: 12,
      validationUsers: 8,
      trainingUsers: 28,
      warmUsers: 0,
    });
    expect(report.embedding).toBe('lumin-glove-100d');
    expect(report.weights.grid).toBeGreaterThan(1);
    for (const weights of [report.weights.chosen, report.weights.withoutContent])
      expect(Object.keys(weights).sort()).toEqual(['collaborative', 'content', 'popular', 'similar']);
    expect(report.weights.withoutContent.content).toBe(0);
    expect(report.weights.validation.chosen).toBeGreaterThanOrEqual(report.weights.validation.als);
    expect(Object.keys(report.cold).sort()).toEqual([...HYBRID_METHODS].sort());
    for (const method of HYBRID_METHODS) {
      expect(Object.keys(report.cold[method]).sort()).toEqual([...COLD_GROUPS].sort());
      for (const group of COLD_GROUPS) {
        const scores = report.cold[method][group];
        expect(scores.cases).toBe(group === 'all' ? 48 : 12);
        for (const value of [scores.ndcg, scores.recall]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }
      expect(report.warm[method].cases).toBe(0);
    }
    for (const phase of ['embed', 'fit', 'tune', 'evaluate', 'total'] as const)
      expect(report.seconds[phase]).toBeGreaterThanOrEqual(0);

    // Content knows the genre from one film; the tuned blend must keep that advantage.
    expect(report.cold.content.all.ndcg).toBeGreaterThan(report.cold.als.all.ndcg);
    expect(report.weights.chosen.content).toBeGreaterThan(0);
    expect(report.cold.hybrid.all.ndcg).toBeGreaterThanOrEqual(report.cold.als.all.ndcg);
    expect(report.hybridVsAls.cold.all.ndcgDelta).toBeGreaterThanOrEqual(0);
  });

  it('fails in one line on a u.data item missing from u.item', async () => {
    const stray = join(folder, 'stray.data');
    writeFileSync(stray, '1\t999\t5\t0\n');
    await expect(runHybridEval({ data: stray, items })).rejects.toThrow(/item 999 is not in/);
  });
});

describe('lumin eval --cold', () => {
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
  const lumin = (...args: string[]) => {
    const result = spawnSync(process.execPath, [bin, '--data-dir', join(folder, 'none'), 'eval', ...args], {
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
  };

  it('prints one JSON report with --json, and refuses --items without --cold', () => {
    const result = lumin('--data', data, '--items', items, '--cold', '--json', '--seed', '3');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as HybridEvalReport;
    expect(report.split.testUsers).toBe(12);
    expect(report.cold.hybrid.all.cases).toBe(48);
    const stray = lumin('--data', data, '--items', items);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--items .*--cold/);
  });
});
