/**
 * One CSV cell as every CSV Lumin writes it (the Goodreads export, the failed rows of an import, any
 * roster or list export): a cell a spreadsheet would run as a formula is defused, then the cell is
 * quoted when it needs it (RFC 4180).
 *
 * Formula injection (OWASP "CSV Injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run by Excel, LibreOffice and Google Sheets as a formula (`=HYPERLINK(…)`,
 * `@SUM(…)`, DDE). Such a cell gets a leading single quote, which spreadsheets show as text and do
 * not display; {@link unescapeCsvCell} takes it off again when Lumin reads its own files back.
 */

/** The characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A defused formula cell: the quote Lumin added in front of one of the characters above. */
const DEFUSED = /^'[=+\-@\t\r]/;

/** Prefixes a formula-leading cell with `'`; other text is returned as it is. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes {@link defuseFormula} (for reading a file Lumin wrote). */
export function unescapeCsvCell(text: string): string {
  return DEFUSED.test(text) ? text.slice(1) : text;
}

/**
 * One cell, defused and quoted when it holds a delimiter, a quote, a line break or leading or
 * trailing white space. Numbers are written as they are (a negative number is data, not a formula).
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = defuseFormula(value);
  return /[",\r\n\t]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no line break) of `values`. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
