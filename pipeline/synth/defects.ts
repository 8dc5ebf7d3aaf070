/**
 * What makes a synthetic report imperfect on purpose: one broken accounting rule in a share of
 * reports, and zero cells printed blank in a few others. Also the generator's own reading of
 * the four rules, used to make sure a broken report breaks exactly the rule it says it does.
 */
import { APPLICANT_TYPES, outcomeRows, tableDef, type Layout, type TableCode } from '../model/codes.ts';
import type { PrintedTables } from './numbers.ts';
import type { Rng } from './random.ts';

export type RuleCode = 'identity' | 'outcome_sum' | 'column_sum' | 'review_sum';
export const RULES: readonly RuleCode[] = ['identity', 'outcome_sum', 'column_sum', 'review_sum'];

/** One failing instance of a rule: per column (identity, outcome_sum) or per row (the sums). */
export interface RuleFailure {
  check: RuleCode;
  table: TableCode;
  row?: string;
  column?: string;
  expected: number;
  actual: number;
}

export interface Broken {
  check: RuleCode;
  table: TableCode;
  /** The first failing row (column_sum, review_sum) or the row changed (identity, outcome_sum). */
  row?: string;
  /** The first failing column (identity, outcome_sum) or the column changed (sums). */
  column?: string;
  /** Every cell printed differently from the consistent figures, "table.row.column". */
  cells: string[];
  /** Every instance of the rule that fails: rows for the sums, columns for the others. */
  failing: { row?: string; column?: string }[];
}

const n = (x: number | null | undefined) => x ?? 0;

/** The four rules over printed tables; blanks count as 0 (they stand for zero cells). */
export function ruleFailures(tables: PrintedTables, layout: Layout): RuleFailure[] {
  const out: RuleFailure[] = [];
  const apps = tables.applications;
  const def = tableDef('applications', layout);
  const columns = def.rows[0].columns.map((c) => c.code);
  const outcomes = outcomeRows(def);
  for (const c of columns) {
    const left = n(apps.new_received[c]) + n(apps.carried_over[c]);
    const right = n(apps.total_processed[c]) + n(apps.carried_forward[c]);
    if (left !== right) out.push({ check: 'identity', table: 'applications', column: c, expected: left, actual: right });
  }
  for (const c of columns) {
    const sum = outcomes.reduce((s, r) => s + n(apps[r][c]), 0);
    const total = n(apps.total_processed[c]);
    if (sum !== total) out.push({ check: 'outcome_sum', table: 'applications', column: c, expected: sum, actual: total });
  }
  for (const row of def.rows) {
    const sum = APPLICANT_TYPES.reduce((s, c) => s + n(apps[row.code][c]), 0);
    const total = n(apps[row.code].total);
    if (sum !== total) out.push({ check: 'column_sum', table: 'applications', row: row.code, expected: sum, actual: total });
  }
  for (const [row, r] of Object.entries(tables.review_litigation)) {
    const sum = n(r.upheld) + n(r.corrected) + n(r.other) + n(r.pending);
    if (sum !== n(r.total)) out.push({ check: 'review_sum', table: 'review_litigation', row, expected: sum, actual: n(r.total) });
  }
  return out;
}

/** A nonzero change of a printed count that keeps it non-negative. */
function delta(rng: Rng, ...floors: number[]): number {
  const room = Math.min(...floors);
  if (room >= 1 && rng.chance(0.35)) return -rng.int(1, Math.min(room, 3));
  return rng.pick([1, 1, 1, 2, 3, 10]);
}

/**
 * Breaks exactly one rule by changing as few printed cells as that takes. In table 3 every
 * cell sits in both a row rule and a column rule, so one changed cell would break two rules:
 * identity and outcome_sum change a cell and its row's total alike (the row still adds up),
 * column_sum moves a count between two outcome rows of one column (the column still adds up).
 * review_sum changes one cell of table 4.
 */
export function breakOneRule(rng: Rng, tables: PrintedTables, layout: Layout): Broken {
  const apps = tables.applications as Record<string, Record<string, number>>;
  const def = tableDef('applications', layout);
  const outcomes = outcomeRows(def);
  const nonzeroOutcome: [string, string][] = [];
  for (const r of outcomes) for (const c of APPLICANT_TYPES) if (apps[r][c] > 0) nonzeroOutcome.push([r, c]);

  const check = rng.weighted<RuleCode>([
    ['identity', 30],
    ['outcome_sum', 25],
    ['column_sum', nonzeroOutcome.length > 0 ? 25 : 0],
    ['review_sum', 20],
  ]);

  const pickColumn = (row: string) => {
    const live = APPLICANT_TYPES.filter((c) => apps[row][c] > 0);
    return live.length > 0 && rng.chance(0.8) ? rng.pick(live) : rng.chance(0.7) ? 'natural_person' : rng.pick(APPLICANT_TYPES);
  };

  switch (check) {
    case 'identity': {
      const row = 'new_received';
      const c = pickColumn(row);
      const d = delta(rng, apps[row][c], apps[row].total);
      apps[row][c] += d;
      apps[row].total += d;
      return { check, table: 'applications', row, column: c, cells: [`applications.${row}.${c}`, `applications.${row}.total`], failing: [{ column: c }, { column: 'total' }] };
    }
    case 'outcome_sum': {
      const live = nonzeroOutcome.length > 0 && rng.chance(0.7);
      const [row, c] = live ? rng.pick(nonzeroOutcome) : [rng.pick(outcomes), 'natural_person'];
      const d = delta(rng, apps[row][c], apps[row].total);
      apps[row][c] += d;
      apps[row].total += d;
      return { check, table: 'applications', row, column: c, cells: [`applications.${row}.${c}`, `applications.${row}.total`], failing: [{ column: c }, { column: 'total' }] };
    }
    case 'column_sum': {
      const [from, c] = rng.pick(nonzeroOutcome);
      const to = rng.pick(outcomes.filter((r) => r !== from));
      const d = rng.int(1, Math.min(apps[from][c], 2));
      apps[from][c] -= d;
      apps[to][c] += d;
      const rows = outcomes.filter((r) => r === from || r === to);
      return {
        check,
        table: 'applications',
        row: rows[0],
        column: c,
        cells: rows.map((r) => `applications.${r}.${c}`),
        failing: rows.map((r) => ({ row: r })),
      };
    }
    case 'review_sum': {
      const review = tables.review_litigation as Record<string, Record<string, number>>;
      const rows = Object.keys(review);
      const live = rows.filter((r) => review[r].total > 0);
      const row = live.length > 0 && rng.chance(0.6) ? rng.pick(live) : rng.pick(rows);
      const column = rng.chance(0.6) ? 'total' : rng.pick(['upheld', 'corrected', 'other', 'pending']);
      review[row][column] += delta(rng, review[row][column]);
      return { check, table: 'review_litigation', row, column, cells: [`review_litigation.${row}.${column}`], failing: [{ row }] };
    }
  }
}

export type BlankMode = 'sparse' | 'zeros' | 'regulations';

/** Prints some zero cells blank: sets them to null and returns their keys in table order. */
export function blankZeroCells(rng: Rng, tables: PrintedTables, mode: BlankMode): string[] {
  const zeros: string[] = [];
  for (const [table, rows] of Object.entries(tables)) {
    for (const [row, cols] of Object.entries(rows)) {
      for (const [col, value] of Object.entries(cols)) if (value === 0) zeros.push(`${table}.${row}.${col}`);
    }
  }
  let chosen: string[];
  if (mode === 'zeros') chosen = zeros.filter((k) => k.startsWith('applications.') && rng.chance(0.9));
  else if (mode === 'regulations') chosen = zeros.filter((k) => k.startsWith('proactive.regulations.'));
  else chosen = rng.shuffle(zeros).slice(0, rng.int(1, 6));
  if (chosen.length === 0 && zeros.length > 0) chosen = [rng.pick(zeros)];
  const set = new Set(chosen);
  const ordered = zeros.filter((k) => set.has(k));
  for (const key of ordered) {
    const [table, row, col] = key.split('.');
    tables[table as TableCode][row][col] = null;
  }
  return ordered;
}
