/** The failed rows of an import as CSV (row, field, reason), for the user to fix and import again. */
import type { RowProblem } from '../contract/imports';
import { csvLine } from '../domain/csv-cell';

/** The CSV text (LF line ends, header first); every cell goes through the shared formula-safe helper. */
export function failedRowsCsv(failed: readonly RowProblem[]): string {
  const lines = [
    'row,field,reason',
    ...failed.map((problem) => csvLine([problem.row, problem.field, problem.reason])),
  ];
  return `${lines.join('\n')}\n`;
}
