/**
 * Interaction files for offline training: one `user<TAB>item[<TAB>weight]` line per interaction. Ids are
 * opaque strings; columns after the third (MovieLens' timestamp) are ignored.
 */
import { IdMap, buildMatrix } from './matrix';
import type { InteractionMatrix } from './recommender';

/** A problem in an interaction file, at a 1-based line and a field. */
export class TsvError extends Error {
  override readonly name = 'TsvError';
  constructor(
    readonly line: number | null,
    readonly field: string | null,
    reason: string,
  ) {
    super(line === null ? reason : `line ${line}${field ? `, ${field}` : ''}: ${reason}`);
  }
}

/** A parsed interaction file. */
export interface ParsedInteractions {
  /** Users × items; repeated (user, item) lines add their weights. */
  matrix: InteractionMatrix;
  /** String id of each user index, in first-seen order. */
  userIds: string[];
  /** String id of each item index, in first-seen order. */
  itemIds: string[];
  /** Interaction lines read (not counting the header and blank lines). */
  interactions: number;
  /** Whether the first line was taken as a header. */
  header: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Column names a two-column header typically uses; such a line would otherwise parse as data. */
const HEADER_NAME = /^(user|reader|student|customer|item|book|movie|product)s?([ _-]?(id|name))?$/i;

type Parsed = { user: string; item: string; weight: number } | TsvError;

function parseLine(text: string, line: number): Parsed {
  const fields = text.split('\t').map((field) => field.trim());
  const user = fields[0] ?? '';
  if (fields.length < 2) {
    const hint = /[,; ]/.test(text) ? '; columns are separated by tabs' : '';
    return new TsvError(
      line,
      'item',
      `missing: the line has one column, expected user<TAB>item[<TAB>weight]${hint}`,
    );
  }
  const item = fields[1] ?? '';
  if (user === '') return new TsvError(line, 'user', 'is empty');
  if (item === '') return new TsvError(line, 'item', 'is empty');
  const rawWeight = fields[2] ?? '';
  if (rawWeight === '') return { user, item, weight: 1 };
  if (!NUMBER.test(rawWeight))
    return new TsvError(line, 'weight', `'${rawWeight.slice(0, 40)}' is not a number`);
  const weight = Number(rawWeight);
  if (!Number.isFinite(weight))
    return new TsvError(line, 'weight', `'${rawWeight.slice(0, 40)}' is not finite`);
  if (weight < 0)
    return new TsvError(line, 'weight', `${rawWeight} is negative; weights are confidences ≥ 0`);
  return { user, item, weight };
}

/**
 * Parses an interaction file. The first non-blank line is a header when it does not parse as data (e.g.
 * `user<TAB>item<TAB>weight`) or names its columns (`user_id<TAB>book_id`). Blank lines are skipped; a
 * missing weight is 1. Throws a `TsvError` naming the line and field for a one-column line, an empty id,
 * a weight that is not a non-negative number, or a file without interactions.
 */
export function parseInteractions(text: string): ParsedInteractions {
  const users = new IdMap();
  const items = new IdMap();
  const triples = { users: [] as number[], items: [] as number[], weights: [] as number[] };
  let header = false;
  /** Why the first line was taken as a header, when it had a single column (then it is more likely bad data). */
  let headerProblem: TsvError | null = null;
  let first = true;
  let lineNumber = 0;
  let start = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    lineNumber += 1;
    const line = body.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim() === '') continue;
    const parsed = parseLine(line, lineNumber);
    if (first) {
      first = false;
      const fields = line.split('\t').map((field) => field.trim());
      // A number that is not a valid weight (negative) is bad data, not a column name.
      const badNumber =
        parsed instanceof TsvError && parsed.field === 'weight' && NUMBER.test(fields[2] ?? '');
      if (
        (parsed instanceof TsvError && !badNumber) ||
        (HEADER_NAME.test(fields[0] ?? '') && HEADER_NAME.test(fields[1] ?? ''))
      ) {
        header = true;
        if (parsed instanceof TsvError && fields.length < 2) headerProblem = parsed;
        continue;
      }
    }
    if (parsed instanceof TsvError) throw parsed;
    triples.users.push(users.add(parsed.user));
    triples.items.push(items.add(parsed.item));
    triples.weights.push(parsed.weight);
  }
  if (triples.users.length === 0 && headerProblem) throw headerProblem;
  if (triples.users.length === 0)
    throw new TsvError(
      null,
      null,
      header
        ? 'no users: the file has only a header line'
        : 'no users: the file is empty (expected user<TAB>item[<TAB>weight] lines)',
    );
  return {
    matrix: buildMatrix(triples, users.size, items.size),
    userIds: users.ids,
    itemIds: items.ids,
    interactions: triples.users.length,
    header,
  };
}

/** Formats recommendation rows as `user<TAB>item<TAB>rank` lines (ranks from 1), newline-terminated. */
export function formatRecommendations(rows: Iterable<{ user: string; items: readonly string[] }>): string {
  const lines: string[] = [];
  for (const row of rows)
    row.items.forEach((item, index) => lines.push(`${row.user}\t${item}\t${index + 1}`));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
