/**
 * Small pieces of Markdown for the release's readable pages (QUALITY.md, CHANGES.md): numbers
 * with thousands separators, tables with escaped cells, long lists cut with a pointer to the
 * file that has them whole.
 */

/** Lists longer than this are cut in a page; the JSON or the table it points to has them whole. */
export const MD_LIST_LIMIT = 50;

export const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
export const pct = (part: number, whole: number): string => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' '));
export const code = (s: string | null | undefined): string => (s ? `\`${s}\`` : '');

export function mdTable(headers: string[], rows: unknown[][], align?: ('l' | 'r')[]): string {
  const sep = headers.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [headers, sep, ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The first `limit` items of a list, and a note naming how many more are in `whole`. */
export function cut<T>(list: T[], what: string, whole: string, limit = MD_LIST_LIMIT): { shown: T[]; note: string } {
  if (list.length <= limit) return { shown: list, note: '' };
  return { shown: list.slice(0, limit), note: `\n\n… and ${fmt(list.length - limit)} more ${what} (see ${whole}).` };
}
