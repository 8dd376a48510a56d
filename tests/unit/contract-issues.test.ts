import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues, issueFields } from '../../shared/contract/issues';

const schema = z.strictObject({
  books: z.array(z.strictObject({ title: z.string().min(1, 'must not be empty') })),
});

describe('zod issues', () => {
  it('names each field as books[3].title and the value itself by its root', () => {
    const parsed = schema.safeParse({ books: [{ title: 'a' }, { title: '' }, { title: '' }] });
    if (parsed.success) throw new Error('expected a refusal');
    expect(issueFields(parsed.error.issues, '(input)')).toEqual([
      { field: 'books[1].title', message: 'must not be empty' },
      { field: 'books[2].title', message: 'must not be empty' },
    ]);
    expect(describeIssues(parsed.error.issues, { root: '(input)', limit: 1 })).toBe(
      'books[1].title: must not be empty (and 1 more)',
    );
    expect(describeIssues(parsed.error.issues, { root: '(body)' })).toBe(
      'books[1].title: must not be empty; books[2].title: must not be empty',
    );
    const root = z.string().safeParse(3);
    if (root.success) throw new Error('expected a refusal');
    expect(describeIssues(root.error.issues, { root: '(body)' })).toMatch(/^\(body\): /);
  });
});
