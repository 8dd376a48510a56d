/** `lumin offline-recs` and `lumin eval` as a user runs them: files in, files out, no data directory. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'lumin.js');
const folder = mkdtempSync(join(tmpdir(), 'lumin-offline-'));
// A data directory that must never be created: these commands do not open the core.
const dataDir = join(folder, 'no-data-dir');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function lumin(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, '--data-dir', dataDir, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** 36 readers in 3 taste groups of 8 books, each with 5 of their group's books; ids are strings. */
function tasteGroups(header: boolean): { text: string; training: Map<string, Set<string>> } {
  const lines: string[] = header ? ['user\titem\tweight'] : [];
  const training = new Map<string, Set<string>>();
  for (let reader = 0; reader < 36; reader += 1) {
    const group = reader % 3;
    const books = new Set<string>();
    for (let index = 0; index < 5; index += 1) {
      const book = `isbn-${group}-${(reader + index * 3) % 8}`;
      books.add(book);
      lines.push(`reader ${reader}\t${book}\t${1 + (index % 3)}`);
    }
    training.set(`reader ${reader}`, books);
  }
  return { text: `${lines.join('\n')}\n`, training };
}

function readRecommendations(path: string): Map<string, { item: string; rank: number }[]> {
  const byUser = new Map<string, { item: string; rank: number }[]>();
  for (const line of readFileSync(path, 'utf8').trimEnd().split('\n')) {
    const [user, item, rank, ...rest] = line.split('\t');
    expect(rest).toEqual([]);
    const list = byUser.get(user as string) ?? [];
    list.push({ item: item as string, rank: Number(rank) });
    byUser.set(user as string, list);
  }
  return byUser;
}

describe('lumin offline-recs', () => {
  const withHeader = tasteGroups(true);
  const train = file('train.tsv', withHeader.text);

  it.each(['als', 'pop', 'knn', 'rp3', 'ease', 'auto'])(
    '--algo %s writes ranks 1..k for every user and never a training item',
    (algo) => {
      const out = join(folder, `recs-${algo}.tsv`);
      // ALS's default 64 factors would overfit 24 books: give it as many factors as there are groups.
      const sized = algo === 'als' ? ['--factors', '3', '--regularization', '0.1'] : [];
      const result = lumin(
        'offline-recs',
        '--train',
        train,
        '--out',
        out,
        '--k',
        '3',
        '--algo',
        algo,
        ...sized,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Wrote 108 recommendations for 36 users .*header skipped/);
      const recommendations = readRecommendations(out);
      expect([...recommendations.keys()].sort()).toEqual([...withHeader.training.keys()].sort());
      for (const [user, list] of recommendations) {
        expect(list.map((entry) => entry.rank)).toEqual([1, 2, 3]);
        for (const { item } of list) expect(withHeader.training.get(user)?.has(item)).toBe(false);
        if (algo !== 'pop') {
          // Personalised models recommend the reader's own group's unread books.
          const group = Number(user.split(' ')[1]) % 3;
          expect(list.every(({ item }) => item.startsWith(`isbn-${group}-`))).toBe(true);
        }
      }
      // Written through a temporary file, none left behind; and no data directory was created.
      expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it('reads a file without a header and honours the ALS options', () => {
    const out = join(folder, 'plain.tsv');
    const plain = file('plain-train.tsv', tasteGroups(false).text);
    const result = lumin(
      'offline-recs',
      '--train',
      plain,
      '--out',
      out,
      ...['--factors', '4', '--iterations', '5', '--regularization', '0.5', '--alpha', '2', '--seed', '9'],
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('header skipped');
    expect(result.stdout).toContain('als(factors=4, iterations=5, regularization=0.5, alpha=2)');
    // --k defaults to 20; each reader has 24 − 5 = 19 unread books, so gets all of them.
    expect([...readRecommendations(out).values()].map((list) => list.length)).toEqual(new Array(36).fill(19));
  });

  it.each([
    ['an empty file', 'empty.tsv', '', /^lumin: .*empty\.tsv: no users: the file is empty/],
    [
      'a line with one column',
      'one-column.tsv',
      'reader 1\tbook\nreader 2\n',
      /^lumin: .*one-column\.tsv: line 2, item: missing: the line has one column/,
    ],
    [
      'a non-numeric weight',
      'weight.tsv',
      'a\tx\t1\nb\ty\tmany\n',
      /^lumin: .*weight\.tsv: line 2, weight: 'many' is not a number$/,
    ],
    [
      'a file with no users',
      'no-users.tsv',
      'user\titem\tweight\n\n',
      /^lumin: .*no-users\.tsv: no users: the file has only a header line$/,
    ],
  ])('refuses %s with one line on stderr', (_label, name, text, message) => {
    const path = file(name, text);
    const out = join(folder, 'never.tsv');
    const result = lumin('offline-recs', '--train', path, '--out', out);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('--algo auto --json reports every candidate’s validation score and fit time, the choice and why', () => {
    const out = join(folder, 'recs-auto-json.tsv');
    const result = lumin(
      'offline-recs',
      '--train',
      train,
      '--out',
      out,
      '--algo',
      'auto',
      '--json',
      '--budget-s',
      '60',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      model: string;
      search: {
        choice: string;
        validationNdcg: number;
        reason: string;
        budgetSeconds: number;
        trials: {
          algo: string;
          model: string;
          validationNdcg?: number;
          fitSeconds?: number;
          skipped?: string;
        }[];
        blends: { model: string; validationNdcg: number }[];
      };
    };
    expect(summary.search.choice).toBe(summary.model);
    expect(summary.search.budgetSeconds).toBe(60);
    expect(summary.search.reason).toContain(`${summary.model} had the best validation NDCG@10`);
    expect(new Set(summary.search.trials.map((trial) => trial.algo))).toEqual(
      new Set(['pop', 'knn', 'rp3', 'ease', 'als']),
    );
    for (const trial of summary.search.trials) {
      if (trial.skipped !== undefined) continue;
      expect(trial.validationNdcg).toBeGreaterThanOrEqual(0);
      expect(trial.fitSeconds).toBeGreaterThanOrEqual(0);
    }
    const best = Math.max(
      ...summary.search.trials.map((trial) => trial.validationNdcg ?? 0),
      ...summary.search.blends.map((blend) => blend.validationNdcg),
    );
    expect(summary.search.validationNdcg).toBe(best);
  });

  it('refuses a budget for anything but auto, and a budget that is not positive', () => {
    const out = join(folder, 'never-budget.tsv');
    const other = lumin('offline-recs', '--train', train, '--out', out, '--algo', 'knn', '--budget-s', '10');
    expect(other.stderr).toMatch(/^lumin: --budget-s applies only to --algo auto$/);
    const zero = lumin('offline-recs', '--train', train, '--out', out, '--algo', 'auto', '--budget-s', '0');
    expect(zero.stderr).toMatch(/^lumin: --budget-s: '0' is not a number > 0$/);
    expect(zero.code).toBe(2);
  });

  it('refuses bad options and a missing file with one line on stderr', () => {
    const out = join(folder, 'never.tsv');
    const cases: [string[], RegExp, number][] = [
      [
        ['--algo', 'svd'],
        /^lumin: --algo: 'svd' is not an algorithm; use one of pop, knn, rp3, ease, sansa, als, auto$/,
        2,
      ],
      [['--k', '0'], /^lumin: --k: '0' is not a whole number ≥ 1$/, 2],
      [
        ['--algo', 'knn', '--factors', '8'],
        /^lumin: --factors applies only to --algo als or auto, not knn$/,
        2,
      ],
      [['--alpha', 'high'], /^lumin: --alpha: 'high' is not a number ≥ 0$/, 2],
    ];
    for (const [args, message, code] of cases) {
      const result = lumin('offline-recs', '--train', train, '--out', out, ...args);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(code);
    }
    const missing = lumin('offline-recs', '--train', join(folder, 'absent.tsv'), '--out', out);
    expect(missing.stderr).toMatch(/^lumin: .*absent\.tsv: no such file$/);
    expect(missing.code).toBe(3);
    const noOut = lumin('offline-recs', '--train', train);
    expect(noOut.stderr).toBe("lumin: required option '--out <file>' not specified");
    expect(noOut.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('lumin eval', () => {
  it('prints precision@10, recall@20, NDCG@10, coverage and fit seconds per algorithm as JSON', () => {
    // Repeated lines and a rating column: every pair counts once, weights are ignored.
    const data = file('ratings.tsv', tasteGroups(false).text + 'reader 0\tisbn-0-0\t5\n');
    const result = lumin('eval', '--data', data, '--json', '--seed', '3');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      users: number;
      items: number;
      seed: number;
      k: number;
      testUsers: number;
      results: {
        algo: string;
        model: string;
        metrics: Record<string, number>;
        fitSeconds: number;
        ndcgInterval: { low: number; high: number };
      }[];
    };
    expect(report).toMatchObject({ users: 36, items: 24, seed: 3, k: 10, testUsers: 36 });
    expect(report.results.map((result) => result.algo)).toEqual(['pop', 'knn', 'rp3', 'ease', 'als']);
    for (const entry of report.results) {
      expect(Object.keys(entry.metrics).sort()).toEqual([
        'coverage@10',
        'ndcg@10',
        'precision@10',
        'recall@20',
      ]);
      for (const value of Object.values(entry.metrics)) expect(value).toBeGreaterThanOrEqual(0);
      for (const value of Object.values(entry.metrics)) expect(value).toBeLessThanOrEqual(1);
      expect(entry.fitSeconds).toBeGreaterThanOrEqual(0);
      expect(entry.ndcgInterval.low).toBeLessThanOrEqual(entry.metrics['ndcg@10'] as number);
      expect(entry.ndcgInterval.high).toBeGreaterThanOrEqual(entry.metrics['ndcg@10'] as number);
    }
    const ndcg = (algo: string) =>
      report.results.find((entry) => entry.algo === algo)?.metrics['ndcg@10'] ?? 0;
    expect(ndcg('ease')).toBeGreaterThan(ndcg('pop'));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('shows auto beside its tuned peers, each with a bootstrap interval over users', () => {
    const data = file('peers.tsv', tasteGroups(false).text);
    const result = lumin('eval', '--data', data, '--algo', 'auto', '--json', '--budget-s', '60');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      results: { algo: string; tuned?: boolean; validationNdcg: number; ndcgInterval: object }[];
    };
    expect(report.results.map((entry) => [entry.algo, entry.tuned ?? false])).toEqual([
      ['auto', false],
      ['pop', true],
      ['knn', true],
      ['rp3', true],
      ['ease', true],
      ['als', true],
    ]);
    for (const entry of report.results) {
      expect(entry.validationNdcg).toBeGreaterThanOrEqual(0);
      expect(entry.ndcgInterval).toBeDefined();
    }
    const table = lumin('eval', '--data', data, '--algo', 'auto', '--budget-s', '60');
    expect(table.stdout).toMatch(/NDCG@10 95% CI\s+VALID NDCG/);
    expect(table.stdout).toMatch(/^ease \(tuned\)/m);
  });

  it('prints a table without --json, and refuses bad input in one line', () => {
    const data = file('table.tsv', tasteGroups(false).text);
    const table = lumin('eval', '--data', data, '--algo', 'pop,knn', '--k', '5');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/ALGO\s+PRECISION@5\s+RECALL@10\s+NDCG@5\s+COVERAGE@5/);
    const bad = lumin('eval', '--data', file('bad.tsv', 'a\tb\nc\n'), '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lumin: .*bad\.tsv: line 2, item: missing/);
    expect(lumin('eval', '--data', data, '--algo', 'magic').stderr).toMatch(/^lumin: --algo: 'magic' is not/);
  });
});
