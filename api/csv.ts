/**
 * CSV cells of the API's exports (comparisons, chart data). A text that a spreadsheet would run
 * as a formula — beginning with =, +, -, @, a tab or a carriage return — gets a leading
 * apostrophe, which spreadsheets show as text; numbers (a negative one included), text that is
 * just a number and a lone character are written as they are. The release CSVs follow the same
 * rule (pipeline/release/write.ts).
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?[0-9]+(\.[0-9]+)?$/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && s.length > 1 && FORMULA_START.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
