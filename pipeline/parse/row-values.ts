/**
 * The values read after a row's label → one value per column. Gaps left by merged header cells
 * are trimmed; a blank, dash or 无 is null with a warning; too few or too many printed numbers
 * are divided or joined by the row's accounting rule (digits.ts) and, when that is unique,
 * reported as derived values, never as printed ones.
 */
import type { ColumnDef } from '../model/codes.ts';
import type { Warning } from '../model/record.ts';
import { splitDigits, type Printed, type SumRule } from './digits.ts';
import { placeInColumns, type Columns } from './columns.ts';
import { nfkc } from '../nfkc.ts';
import type { Repair, Unit } from './numbers.ts';
import { joinWrapped, type ValueGroup, type ValueToken } from './groups.ts';

export interface RowValues {
  printed: (number | null)[];
  units: (Unit | undefined)[];
  /** Each cell as printed, when the row printed one value per column. */
  cellRaws?: string[];
  /** Cells read from a damaged print (1O → 10), kept because the row's rules hold with them. */
  repairs?: (Repair | undefined)[];
  /** Cells read by OCR: the engine's confidence in each. */
  confidences?: (number | undefined)[];
  /** Cells read by OCR: each one's other readings, where the engine named some. */
  alternates?: (string[] | undefined)[];
  /** Values recovered from run-together or split digits, when the rules leave one answer. */
  derived?: { values: number[]; raw: string; rule: string };
  /** Several divisions keep the row's rules: the table may still choose one (table3.ts). */
  candidates?: number[][];
  raw: string;
  warnings: Warning[];
}

/** Header gaps, and label text split into a second cell, are not values. */
const isGap = (t: ValueToken) => t.kind === 'blank' || (t.parsed.kind === 'invalid' && /\p{Script=Han}{4,}/u.test(t.parsed.raw));

/**
 * Text copies of a grid add empty cells around the values: a trailing separator makes one empty
 * cell at the end, and a label that spanned two columns leaves one between label and values.
 * So: one trailing gap, then leading gaps, then any further trailing gaps.
 */
function trimGaps(tokens: ValueToken[], n: number): ValueToken[] {
  const t = tokens.slice();
  if (t.length > n && isGap(t[t.length - 1])) t.pop();
  while (t.length > n && isGap(t[0])) t.shift();
  while (t.length > n && isGap(t[t.length - 1])) t.pop();
  return t;
}

const rawOf = (t: ValueToken) => (t.kind === 'blank' ? '' : t.parsed.raw);

/** A printed number as the digit splitter sees it: a bare digit string may be divided. */
function printedForm(t: ValueToken): Printed | null {
  if (t.kind !== 'value' || t.parsed.kind !== 'number') return null;
  const digits = nfkc(t.parsed.raw).replace(/\s+/g, '');
  return /^\d+$/.test(digits) ? digits : t.parsed.value;
}

/**
 * A row that printed one value per column, the common case. Its printed forms are seldom needed
 * (a unit converted, a division chosen by the columns), so they are made on demand; the getters
 * sit on the prototype, where they cost nothing per row.
 */
class OneValuePerColumn implements RowValues {
  constructor(
    readonly printed: (number | null)[],
    readonly units: (Unit | undefined)[],
    readonly warnings: Warning[],
    private readonly cells: ValueToken[],
    readonly repairs?: (Repair | undefined)[],
  ) {}
  get raw(): string {
    return this.cells.map(rawOf).join(' | ');
  }
  get cellRaws(): string[] {
    return this.cells.map(rawOf);
  }
  /** Read by OCR: each cell's other readings (a doubtful character as the engine's second choice). */
  get alternates(): (string[] | undefined)[] | undefined {
    const out = this.cells.map((c) => (c.kind === 'value' ? c.box?.alternates : undefined));
    return out.some((a) => a !== undefined) ? out : undefined;
  }
  get confidences(): (number | undefined)[] | undefined {
    const out = this.cells.map((c) => (c.kind === 'value' ? c.box?.confidence : undefined));
    return out.some((c) => c !== undefined) ? out : undefined;
  }
}

/**
 * Repairs that could read two ways — a mark inside the digits (1,52: 152, or 1 and 52?), a lone
 * l (a 1, or a ruling line?), OCR's rarer look-alikes (S, B, b, D), a number wrapped in a narrow
 * cell — stand only where a rule of the row checks them and holds. A look-alike letter inside
 * digits (1O) or a mark at the edge (80.) reads one way only and stands: a rule that fails with
 * it is reported like any other (the report may be wrong, not the reading). Numbers OCR read
 * with low confidence are judged against every rule of the tables once all are read
 * (ocr-doubt.ts).
 */
const NEEDS_RULE = new Set<Repair>(['stray_mark', 'lone_lookalike', 'rare_lookalike', 'wrapped']);

/** A repair of NEEDS_RULE stands where a rule of the row checks it and holds; otherwise it is null with a warning. */
function confirmRepairs(
  printed: (number | null)[],
  doubts: (Repair | undefined)[],
  rules: SumRule[],
  cells: ValueToken[],
  columns: readonly ColumnDef[],
  where: string,
  warnings: Warning[],
): void {
  const checked = new Set<number>();
  const failed = new Set<number>();
  for (const rule of rules) {
    const members = [...rule.parts, rule.total];
    if (!members.some((m) => doubts[m]) || members.some((m) => printed[m] === null)) continue;
    const sum = rule.parts.reduce((a, p) => a + printed[p]!, 0);
    const holds = Math.abs(sum - printed[rule.total]!) < 1e-9;
    for (const m of members) (holds ? checked : failed).add(m);
  }
  doubts.forEach((doubt, i) => {
    if (!doubt || (checked.has(i) && !failed.has(i))) return;
    const raw = cells[i].kind === 'value' ? cells[i].parsed.raw : '';
    warnings.push({
      code: 'invalid_number',
      where: `${where}.${columns[i].code}`,
      raw,
      at: cells[i].at,
      message: `"${raw}" would read as ${printed[i]}, but ${failed.has(i) ? "the row's total disagrees" : 'no rule of the row can confirm it'}`,
    });
    printed[i] = null;
    doubts[i] = undefined;
  });
}

/** A count has no decimals: the number a cell reads as in a count column (1.52 → 152). */
export function countValue(raw: string, value: number, kind: ColumnDef['kind']): number {
  return kind === 'count' && !Number.isInteger(value) ? Number(nfkc(raw).replace(/\D/g, '')) : value;
}

export function resolveRow(
  tokens: ValueToken[],
  columns: readonly ColumnDef[],
  where: string,
  rules: SumRule[],
  layout?: Columns | null,
  rowAt?: string,
): RowValues {
  const n = columns.length;
  let cells = trimGaps(tokens, n);
  // A PDF row with blank cells: its numbers go to the columns they sit under.
  if (cells.length !== n && layout) cells = placeInColumns(cells, layout, cells[0]?.at ?? rowAt ?? '') ?? cells;
  const warnings: Warning[] = [];
  const printed: (number | null)[] = new Array(n).fill(null);
  const units: (Unit | undefined)[] = new Array(n).fill(undefined);
  const at = tokens[0]?.at;

  if (cells.length === n) {
    let doubts: (Repair | undefined)[] | undefined;
    let repairs: (Repair | undefined)[] | undefined;
    const clipped = layout?.clipped;
    cells.forEach((cell, i) => {
      // A column cut off at the page's edge printed nothing here: the table says so once.
      if (clipped?.includes(i)) return;
      if (cell.kind === 'blank') warnings.push({ code: 'blank_cell', where: `${where}.${columns[i].code}`, at: cell.at });
      else if (cell.parsed.kind === 'null') warnings.push({ code: 'blank_cell', where: `${where}.${columns[i].code}`, raw: cell.parsed.raw, at: cell.at });
      else if (cell.parsed.kind === 'invalid') warnings.push({ code: 'invalid_number', where: `${where}.${columns[i].code}`, raw: cell.parsed.raw, at: cell.at, message: `not a number: "${cell.parsed.raw}"` });
      else {
        const value = countValue(cell.parsed.raw, cell.parsed.value, columns[i].kind);
        // A point inside a count is a stray mark (1.52 for 152).
        const repair = value !== cell.parsed.value ? 'stray_mark' : cell.parsed.repair;
        if (repair === 'stray_mark' && columns[i].kind !== 'count') {
          warnings.push({ code: 'invalid_number', where: `${where}.${columns[i].code}`, raw: cell.parsed.raw, at: cell.at, message: `not a number: "${cell.parsed.raw}"` });
          return;
        }
        printed[i] = value;
        units[i] = cell.parsed.unit;
        if (repair) (repairs ??= new Array(n).fill(undefined))[i] = repair;
        if (repair && NEEDS_RULE.has(repair)) (doubts ??= new Array(n).fill(undefined))[i] = repair;
      }
    });
    if (doubts) confirmRepairs(printed, doubts, rules, cells, columns, where, warnings);
    // A cell nulled by its rules keeps no repair.
    repairs?.forEach((_, i) => printed[i] === null && (repairs![i] = undefined));
    return new OneValuePerColumn(printed, units, warnings, cells, repairs?.some(Boolean) ? repairs : undefined);
  }

  const raw = cells.map(rawOf).join(' | ');

  const forms = cells.map(printedForm);
  if (cells.length === 0) {
    warnings.push({ code: 'row_values_mismatch', where, at, message: `no values printed for ${n} columns` });
    return { printed, units, raw, warnings };
  }
  if (forms.some((f) => f === null)) {
    warnings.push({ code: 'row_values_mismatch', where, raw, at, message: `${cells.length} values printed for ${n} columns` });
    return { printed, units, raw, warnings };
  }
  const search = splitDigits(forms as Printed[], n, rules);
  const how = cells.length < n ? 'digits run together' : 'one number printed in pieces';
  const ruleName = rules.length ? 'accounting' : 'digit_count';
  if (search.solutions.length === 1 && !search.truncated) {
    warnings.push({ code: 'run_together_digits', where, raw, at, message: `${how}; recovered from the ${ruleName === 'accounting' ? 'accounting rules' : 'number of digits'}` });
    return { printed, units, raw, warnings, derived: { values: search.solutions[0], raw, rule: `split_digits:${ruleName}` } };
  }
  if (search.solutions.length === 0) {
    warnings.push({ code: 'row_values_mismatch', where, raw, at, message: `${cells.length} values printed for ${n} columns and no division keeps the accounting rules` });
    return { printed, units, raw, warnings };
  }
  warnings.push({
    code: 'run_together_ambiguous',
    where,
    raw,
    at,
    message: rules.length
      ? `${how}; ${search.truncated ? 'too many' : search.solutions.length} ways to divide them keep the row's rules`
      : `${how}; no accounting rule covers this row, and ${search.truncated ? 'too many' : search.solutions.length} ways to divide them remain`,
  });
  return { printed, units, raw, warnings, candidates: search.truncated ? undefined : search.solutions };
}

/** Do the row's rules hold, each with every operand read? False when none can be checked. */
function rulesHold(rv: RowValues, rules: SumRule[]): boolean {
  const values = rv.derived?.values ?? rv.printed;
  let checked = false;
  for (const rule of rules) {
    const members = [...rule.parts, rule.total];
    if (members.some((m) => values[m] === null || values[m] === undefined)) continue;
    checked = true;
    if (Math.abs(rule.parts.reduce((a, p) => a + values[p]!, 0) - values[rule.total]!) > 1e-9) return false;
  }
  return checked;
}

/**
 * A group's values, its numbers wrapped onto the next line (a PDF's narrow cells) joined back
 * when the row as printed does not keep its rules. A joined number stands only where a rule
 * confirms it; otherwise its cell is null with a warning — never the first line alone.
 */
export function resolveGroup(g: ValueGroup, columns: readonly ColumnDef[], where: string, rules: SumRule[], layout?: Columns | null): RowValues {
  const rv = resolveRow(g.tokens, columns, where, rules, layout, g.at);
  if (!g.wrapped || rulesHold(rv, rules)) return rv;
  return resolveRow(joinWrapped(g)!, columns, where, rules, layout, g.at);
}
