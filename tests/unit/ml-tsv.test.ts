/** Interaction files: `user<TAB>item[<TAB>weight]`, headers, defaults and one-line errors. */
import { describe, expect, it } from 'vitest';
import type { InteractionMatrix } from '../../shared/ml/recommender';
import { TsvError, formatRecommendations, parseInteractions } from '../../shared/ml/tsv';

function entries(matrix: InteractionMatrix, userIds: string[], itemIds: string[]): string[] {
  const found: string[] = [];
  for (let user = 0; user < matrix.users; user += 1)
    for (
      let entry = matrix.userIndptr[user] as number;
      entry < (matrix.userIndptr[user + 1] as number);
      entry += 1
    )
      found.push(
        `${userIds[user]} ${itemIds[matrix.userIndices[entry] as number]} ${matrix.userWeights[entry]}`,
      );
  return found.sort();
}

function problem(text: string): string {
  try {
    parseInteractions(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TsvError);
    return (error as Error).message;
  }
  throw new Error('expected a TsvError');
}

describe('parseInteractions', () => {
  it('reads ids as strings, weights as numbers defaulting to 1, and ignores extra columns', () => {
    const parsed = parseInteractions('u1\tbook a\t2.5\t881250949\nu1\t007\nu2\tbook a\t\n');
    expect(parsed.userIds).toEqual(['u1', 'u2']);
    expect(parsed.itemIds).toEqual(['book a', '007']);
    expect(parsed.interactions).toBe(3);
    expect(parsed.header).toBe(false);
    expect(entries(parsed.matrix, parsed.userIds, parsed.itemIds)).toEqual([
      'u1 007 1',
      'u1 book a 2.5',
      'u2 book a 1',
    ]);
  });

  it('sums repeated pairs, skips blank lines, and accepts CRLF and a byte-order mark', () => {
    const parsed = parseInteractions('\ufeffa\tx\t1\r\n\r\na\tx\t2\r\n  \nb\ty\r\n');
    expect(entries(parsed.matrix, parsed.userIds, parsed.itemIds)).toEqual(['a x 3', 'b y 1']);
  });

  it('takes a first line that does not parse as data, or names its columns, as a header', () => {
    expect(parseInteractions('user\titem\tweight\na\tx\t2\n').header).toBe(true);
    expect(parseInteractions('user_id\tbook_id\na\tx\n').userIds).toEqual(['a']);
    expect(parseInteractions('reader\tbook\na\tx\n').header).toBe(true);
    const data = parseInteractions('196\t242\t3\t881250949\n');
    expect(data.header).toBe(false);
    expect(data.userIds).toEqual(['196']);
    // Only the first line can be a header.
    expect(problem('a\tx\nuser\titem\tweight\n')).toBe("line 2, weight: 'weight' is not a number");
  });

  it('names the line and field of a bad line', () => {
    expect(problem('a\tx\t1\nb\ty\tlots\n')).toBe("line 2, weight: 'lots' is not a number");
    expect(problem('a\tx\nb\n')).toMatch(/^line 2, item: missing: the line has one column/);
    expect(problem('a\tx\nb,y\n')).toMatch(/^line 2, item: .*columns are separated by tabs$/);
    expect(problem('a\tx\n\ty\n')).toBe('line 2, user: is empty');
    expect(problem('a\tx\nb\t\n')).toBe('line 2, item: is empty');
    expect(problem('a\tx\t-2\n')).toMatch(/^line 1, weight: -2 is negative/);
    expect(problem('a\tx\t1\nb\ty\tInfinity\n')).toBe("line 2, weight: 'Infinity' is not a number");
  });

  it('refuses a file without users', () => {
    expect(problem('')).toMatch(/^no users: the file is empty/);
    expect(problem('\n\n')).toMatch(/^no users: the file is empty/);
    expect(problem('user\titem\tweight\n')).toBe('no users: the file has only a header line');
    // A lone one-column line is a bad line, not a header.
    expect(problem('justone\n')).toMatch(/^line 1, item: missing: the line has one column/);
  });
});

describe('formatRecommendations', () => {
  it('writes user, item and rank from 1, one line each', () => {
    expect(
      formatRecommendations([
        { user: 'a', items: ['x', 'y'] },
        { user: 'b', items: [] },
        { user: 'c', items: ['z'] },
      ]),
    ).toBe('a\tx\t1\na\ty\t2\nc\tz\t1\n');
    expect(formatRecommendations([])).toBe('');
  });
});
