/**
 * Numbers OCR read with low confidence, judged by the accounting rules of all the tables once
 * every table is read. The engine's confidence is its probability for the cell's least certain
 * character; where it names other readings of that character (its second choices: a 6 for a 0,
 * a bracket, or no character at all), the cell could have been printed as one of them.
 *
 * A doubtful cell — confidence below LOW_CONFIDENCE and another reading that is another number
 * or no number at all (a seal's stroke or a speck read as a digit), or no other reading named —
 * is kept as printed only where a rule speaks for it:
 * - a rule over it holds: confirmed, it stands;
 * - rules over it fail, and one of its other readings would make a failing rule hold, or one of
 *   them is no number: it may be the misread cell, so it is null with a warning saying why;
 * - rules over it fail and every other reading is a number that would not help: the reading
 *   stands and the check reports the report's own error;
 * - no rule can check it (another cell of each rule is blank): null with a warning.
 * Which rules run over a cell is found by the checks themselves: those that a blank in its
 * place leaves unassessable. Pure: `tables` is changed in place, the warnings returned.
 */
import type { ColumnDef, Layout } from '../model/codes.ts';
import type { Check, Tables, Warning } from '../model/record.ts';
import { runChecks } from '../check/index.ts';
import type { CheckInput } from '../check/cells.ts';
import { parseNumber } from './numbers.ts';
import type { Statement } from './prose.ts';
import { countValue } from './row-values.ts';

/** Below this confidence an OCR'd number needs a rule to speak for it (the engine names other readings below it too). */
export const LOW_CONFIDENCE = 0.9;

export interface DoubtfulCell {
  value: number;
  confidence: number;
  /** The cell as OCR read it. */
  raw: string;
  /** The other numbers it could have been printed as; null where the engine named no other reading. */
  others: number[] | null;
  /** One of the other readings is no number: the mark may not be a digit at all. */
  blank?: boolean;
}

/** The doubt of a number OCR read, or null when it is not in doubt (confident, or every other reading is the same number). */
export function doubtOf(value: number, confidence: number, alternates: string[] | undefined, kind: ColumnDef['kind'], raw: string): DoubtfulCell | null {
  if (confidence >= LOW_CONFIDENCE) return null;
  if (!alternates) return { value, confidence, raw, others: null };
  const others = new Set<number>();
  let blank = false;
  for (const alt of alternates) {
    const read = parseNumber(alt);
    if (read.kind !== 'number') {
      blank = true;
      continue;
    }
    const other = countValue(alt, read.value, kind);
    if (other !== value) others.add(other);
  }
  if (!others.size && !blank) return null;
  const doubt: DoubtfulCell = { value, confidence, raw, others: [...others].sort((a, b) => a - b) };
  if (blank) doubt.blank = true;
  return doubt;
}

const keyOf = (c: Check) => `${c.code}:${c.row ?? ''}:${c.column ?? ''}:${c.statement ?? ''}`;
const statuses = (checks: Check[]) => new Map(checks.map((c) => [keyOf(c), c.status]));

export function judgeDoubtful(
  input: CheckInput,
  layout: Layout | null,
  said: Statement[],
  doubtful: Record<string, DoubtfulCell>,
): Warning[] {
  const warnings: Warning[] = [];
  const tables = input.tables as Tables & Record<string, Record<string, Record<string, number | null>> | null>;
  for (const [where, doubt] of Object.entries(doubtful)) {
    const [table, row, column] = where.split('.');
    const cells = tables[table]?.[row];
    if (!cells || cells[column] !== doubt.value) continue;
    const run = (value: number | null) => {
      cells[column] = value;
      const s = statuses(runChecks(input, layout, said));
      cells[column] = doubt.value;
      return s;
    };
    const asRead = run(doubt.value);
    const blank = run(null);
    // The rules over the cell: those a blank in its place leaves unassessable.
    const over = [...asRead].filter(([key, status]) => status !== 'not_assessable' && blank.get(key) === 'not_assessable');
    if (over.some(([, status]) => status === 'pass')) continue;
    const failing = over.filter(([, status]) => status === 'fail').map(([key]) => key);
    let why: string;
    if (failing.length) {
      const helps = doubt.others === null ? null : doubt.others.filter((other) => failing.some((key) => run(other).get(key) === 'pass'));
      if (helps !== null && !helps.length && !doubt.blank) continue;
      const rules = [...new Set(failing.map((key) => key.split(':')[0]))].join(', ');
      const hold = helps?.length ? `, and they would hold were it ${helps.join(' or ')}` : doubt.blank ? ', and OCR was not sure a digit is printed there' : '';
      why = `the table's rules (${rules}) disagree with it${hold}`;
    } else {
      const could = [...(doubt.others ?? []).map(String), ...(doubt.blank ? ['no digit at all'] : [])];
      why = `no rule of the tables can confirm it${could.length ? ` (it could also be ${could.join(' or ')})` : ''}`;
    }
    cells[column] = null;
    warnings.push({
      code: 'invalid_number',
      where,
      raw: doubt.raw,
      message: `"${doubt.raw}" was read by OCR as ${doubt.value} with confidence ${doubt.confidence.toFixed(2)}, but ${why}`,
    });
  }
  return warnings;
}
