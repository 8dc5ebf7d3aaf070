/**
 * Table 3 — applications received and how they were handled (收到和处理政府信息公开申请情况):
 * 25 rows in the 2021 layout, 23 in 2019, seven applicant columns. A row whose digits ran
 * together is divided by its own rule (total = the six applicant columns); where several
 * divisions keep that rule, the column rules (identity, outcome_sum) choose among them.
 */
import { APPLICANT_COLUMNS, keyOf, outcomeRows, tableDef, type Layout, type TableDef } from '../model/codes.ts';
import { APPLICANT_ROW_RULE } from './digits.ts';
import { APPLICANT_HEADERS, templateKeys } from './labels.ts';
import { detectLayout } from './layout.ts';
import { findColumns, headerColumns, headerLines } from './columns.ts';
import { resolveGroup, resolveRow, type RowValues } from './row-values.ts';
import { alignGroups } from './align.ts';
import { valueGroups, type ValueGroup } from './groups.ts';
import { clippedWarning, noteRepairs, unplacedWarning, unreadWarning } from './table-read.ts';
import { emptyRead, type TableRead } from './table-read.ts';
import type { Token } from './tokens.ts';

const MAX_COMBINATIONS = 100_000;

type Known = Map<string, (number | null)[]>;

/** Does a full assignment keep identity and outcome_sum in every column where all operands are known? */
function columnsHold(def: TableDef, known: Known): boolean {
  const outcomes = outcomeRows(def);
  for (let c = 0; c < APPLICANT_COLUMNS.length; c++) {
    const v = (row: string) => known.get(row)?.[c] ?? null;
    const identity = [v('new_received'), v('carried_over'), v('total_processed'), v('carried_forward')];
    if (identity.every((x) => x !== null) && identity[0]! + identity[1]! !== identity[2]! + identity[3]!) return false;
    const parts = outcomes.map(v);
    const total = v('total_processed');
    if (total !== null && parts.every((x) => x !== null) && parts.reduce((a, b) => a! + b!, 0) !== total) return false;
  }
  return true;
}

/** Chooses among the candidate divisions of ambiguous rows with the column rules. */
function chooseByColumns(def: TableDef, resolved: Map<string, RowValues>): Map<string, number[]> | null {
  const known: Known = new Map();
  const open: [string, number[][]][] = [];
  for (const [code, rv] of resolved) {
    if (rv.candidates) open.push([code, rv.candidates]);
    else known.set(code, rv.derived ? rv.derived.values : rv.printed);
  }
  if (open.length === 0) return null;
  if (open.reduce((n, [, c]) => n * c.length, 1) > MAX_COMBINATIONS) return null;
  let found: Map<string, number[]> | null = null;
  let count = 0;
  const walk = (i: number): void => {
    if (count > 1) return;
    if (i === open.length) {
      if (columnsHold(def, known)) {
        count++;
        found = new Map(open.map(([code]) => [code, known.get(code) as number[]]));
      }
      return;
    }
    for (const candidate of open[i][1]) {
      known.set(open[i][0], candidate);
      walk(i + 1);
    }
    known.delete(open[i][0]);
  };
  walk(0);
  return count === 1 ? found : null;
}

/** The rules a placement of groups must keep: identity and outcome_sum wherever every operand is printed. */
function placementJudge(def: TableDef, resolve: (row: string, g: ValueGroup) => RowValues) {
  return (placed: Map<number, ValueGroup>): boolean => {
    const known: Known = new Map();
    for (const [r, g] of placed) {
      const code = def.rows[r].code;
      const rv = resolve(code, g);
      if (rv.candidates) continue;
      known.set(code, rv.derived ? rv.derived.values : rv.printed);
    }
    return columnsHold(def, known);
  };
}

export function readApplications(tokens: Token[], fallback: Layout | null): TableRead {
  const detected = detectLayout('applications', tokens);
  const layout = detected ?? fallback;
  const read = emptyRead(layout);
  if (!layout) return read;

  const def = tableDef('applications', layout);
  const groups = valueGroups(tokens, templateKeys('applications', def));
  if (!groups.some((g) => g.printed > 0 || g.inline !== null)) return read;
  if (!detected) read.warnings.push({ code: 'layout_uncertain', where: 'applications', message: `layout not evident from the table; taken as ${layout}` });

  const printed = groups.filter((g) => g.printed > 0).map((g) => g.tokens);
  const layoutColumns = headerColumns(tokens, printed, APPLICANT_HEADERS) ?? findColumns(printed, headerLines(tokens, printed), APPLICANT_COLUMNS.length);
  read.warnings.push(...clippedWarning('applications', APPLICANT_COLUMNS, layoutColumns?.clipped));
  const cache = new Map<ValueGroup, RowValues>();
  const resolve = (code: string, g: ValueGroup) => {
    let rv = cache.get(g);
    if (!rv) cache.set(g, (rv = resolveGroup(g, APPLICANT_COLUMNS, keyOf('applications', code), APPLICANT_ROW_RULE, layoutColumns)));
    return rv;
  };
  const alignment = alignGroups(groups, { widths: def.rows.map(() => APPLICANT_COLUMNS.length), judge: placementJudge(def, resolve) });
  if (alignment.rows.size === 0) return read;

  const resolved = new Map<string, RowValues>();
  def.rows.forEach((rowDef, r) => {
    const where = keyOf('applications', rowDef.code);
    const aligned = alignment.rows.get(r);
    if (!aligned && alignment.empty.includes(r)) {
      // The label is printed in its place with nothing after it: every cell blank.
      resolved.set(rowDef.code, resolveRow([], APPLICANT_COLUMNS, where, APPLICANT_ROW_RULE, layoutColumns, ''));
      return;
    }
    if (!aligned) {
      const gap = alignment.unread.find((u) => u.rows.includes(r));
      if (gap) read.warnings.push(unreadWarning(where, rowDef.zh, gap, def));
      else read.warnings.push({ code: 'row_missing', where, message: `row ${rowDef.zh} not found` });
      return;
    }
    read.locations[where] = aligned.group.at;
    if (aligned.basis !== 'label') read.readings[where] = { basis: aligned.basis };
    // Warnings name the row the group was placed in.
    const rv = resolveGroup(aligned.group, APPLICANT_COLUMNS, where, APPLICANT_ROW_RULE, layoutColumns);
    noteRepairs(read, where, APPLICANT_COLUMNS, rv);
    resolved.set(rowDef.code, rv);
  });
  for (const g of alignment.unplaced) read.warnings.push(unplacedWarning('applications', g));

  const chosen = chooseByColumns(def, resolved);
  const values: NonNullable<TableRead['values']> = {};
  for (const rowDef of def.rows) {
    const where = keyOf('applications', rowDef.code);
    const rv = resolved.get(rowDef.code);
    const cells: Record<string, number | null> = (values[rowDef.code] = {});
    for (let i = 0; i < APPLICANT_COLUMNS.length; i++) cells[APPLICANT_COLUMNS[i].code] = rv?.printed[i] ?? null;
    if (!rv) continue;
    const choice = chosen?.get(rowDef.code);
    if (choice) {
      // The row's own rule left several divisions; the column rules left one.
      for (const w of rv.warnings) if (w.code === 'run_together_ambiguous') Object.assign(w, { code: 'run_together_digits', message: 'digits run together; recovered from the row and column accounting rules' });
      APPLICANT_COLUMNS.forEach((c, i) => (read.derived[keyOf(where, c.code)] = { value: choice[i], rule: 'split_digits:accounting+columns', raw: rv.raw }));
    } else if (rv.derived) {
      APPLICANT_COLUMNS.forEach((c, i) => (read.derived[keyOf(where, c.code)] = { value: rv.derived!.values[i], rule: rv.derived!.rule, raw: rv.derived!.raw }));
    }
    read.warnings.push(...rv.warnings);
  }
  read.values = values;
  return read;
}
