/**
 * Table 4 — administrative review and litigation: one printed line of 15 values under a
 * multi-line header (复议 ×5, 直接起诉 ×5, 复议后起诉 ×5). The line is the run of values with the
 * most printed numbers in the section; header gaps and notes do not form such a run.
 */
import { keyOf, REVIEW_LITIGATION, type ColumnDef } from '../model/codes.ts';
import { REVIEW_LINE_RULES } from './digits.ts';
import { findColumns, headerColumns, headerLines } from './columns.ts';
import { REVIEW_HEADERS } from './labels.ts';
import { resolveRow } from './row-values.ts';
import type { ValueToken } from './groups.ts';
import { clippedWarning, emptyRead, noteRepairs, type TableRead } from './table-read.ts';
import type { Token } from './tokens.ts';

/** The 15 printed positions, named row.column so that warnings point at the cell. */
const LINE: ColumnDef[] = REVIEW_LITIGATION.rows.flatMap((row) => row.columns.map((c) => ({ ...c, code: `${row.code}.${c.code}` })));
/** The table's row and column of each position. */
const CELLS: [string, string][] = REVIEW_LITIGATION.rows.flatMap((row) => row.columns.map((c) => [row.code, c.code] as [string, string]));

function valueRuns(tokens: Token[]): ValueToken[][] {
  const runs: ValueToken[][] = [];
  let run: ValueToken[] = [];
  for (const t of tokens) {
    if (t.kind === 'text') {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(t);
  }
  if (run.length) runs.push(run);
  return runs;
}

const printedCount = (run: ValueToken[]) => run.filter((t) => t.kind === 'value' && t.parsed.kind !== 'invalid').length;

export function readReviewLitigation(tokens: Token[]): TableRead {
  const read = emptyRead();
  let best: ValueToken[] | null = null;
  for (const run of valueRuns(tokens)) if (printedCount(run) > 0 && (!best || printedCount(run) >= printedCount(best))) best = run;
  if (!best) return read;

  const columns = headerColumns(tokens, [best], REVIEW_HEADERS) ?? findColumns([best], headerLines(tokens, [best]), LINE.length);
  read.warnings.push(...clippedWarning('review_litigation', LINE, columns?.clipped));
  const rv = resolveRow(best, LINE, 'review_litigation', REVIEW_LINE_RULES, columns);
  noteRepairs(read, 'review_litigation', LINE, rv);
  read.warnings.push(...rv.warnings);
  const values: NonNullable<TableRead['values']> = {};
  LINE.forEach((col, i) => {
    const [row, column] = CELLS[i];
    (values[row] ??= {})[column] = rv.printed[i];
    if (rv.derived) read.derived[keyOf('review_litigation', col.code)] = { value: rv.derived.values[i], rule: rv.derived.rule, raw: rv.derived.raw };
  });
  for (const row of REVIEW_LITIGATION.rows) read.locations[keyOf('review_litigation', row.code)] = best[0].at;
  read.values = values;
  return read;
}
