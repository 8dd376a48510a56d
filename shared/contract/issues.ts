/**
 * One way to say what zod refused, for every boundary (the contract's arguments, the sync server's
 * requests, the sync client's answers): `books[3].isbn13: must be an ISBN-13`.
 */
import type { z } from 'zod';

/** One refused field: its path (`books[3].isbn13`, or `root` for the value itself) and why. */
export interface IssueField {
  field: string;
  message: string;
}

/** Formats a zod issue path as `books[3].isbn13` ('' for the value itself). */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
  return out;
}

/** The issues as fields and messages; `root` names the value itself (`(input)`, `(body)`). */
export function issueFields(issues: readonly z.core.$ZodIssue[], root: string): IssueField[] {
  return issues.map((issue) => ({ field: issuePath(issue.path) || root, message: issue.message }));
}

/**
 * One sentence naming the first `limit` refused fields:
 * `events[3].reader: must be …; events[4].day: must be … (and 2 more)`.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  options: { root: string; limit?: number },
): string {
  const fields = issueFields(issues, options.root);
  const limit = options.limit ?? 5;
  const shown = fields.slice(0, limit).map((issue) => `${issue.field}: ${issue.message}`);
  const more = fields.length > limit ? ` (and ${fields.length - limit} more)` : '';
  return `${shown.join('; ') || `${options.root}: invalid`}${more}`;
}
