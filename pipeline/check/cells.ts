/**
 * What the checks read: a printed cell, or, where the cell printed nothing usable, the value
 * the parser derived for it (run-together digits). A check that used a derived value says so.
 */
import { keyOf, type TableCode } from '../model/codes.ts';
import type { Check, Derived, Tables } from '../model/record.ts';

export interface CheckInput {
  tables: Tables;
  derived: Record<string, Derived>;
}

export interface Operand {
  value: number | null;
  derived: boolean;
}

/** The derived values of a report that has none: operand then builds no key to look up. */
export const NO_DERIVED: Record<string, Derived> = Object.freeze({});

export function operand(input: CheckInput, table: TableCode, row: string, column: string): Operand {
  const printed = input.tables[table]?.[row]?.[column];
  if (printed !== null && printed !== undefined) return { value: printed, derived: false };
  const d = input.derived === NO_DERIVED ? undefined : input.derived[keyOf(keyOf(table, row), column)];
  return d ? { value: d.value, derived: true } : { value: null, derived: false };
}

export function sum(operands: Operand[]): Operand {
  if (operands.some((o) => o.value === null)) return { value: null, derived: operands.some((o) => o.derived) };
  return { value: operands.reduce((a, o) => a + (o.value as number), 0), derived: operands.some((o) => o.derived) };
}

/** Compares two sides: pass, fail, or not_assessable when a side has an unknown cell. */
export function compare(base: Omit<Check, 'status' | 'expected' | 'actual'>, expected: Operand, actual: Operand): Check {
  const status = expected.value === null || actual.value === null ? 'not_assessable' : expected.value === actual.value ? 'pass' : 'fail';
  // Built field by field: one object shape for every check keeps this hot path fast.
  const check = { code: base.code, table: base.table } as Check;
  if (base.row !== undefined) check.row = base.row;
  if (base.column !== undefined) check.column = base.column;
  check.status = status;
  check.expected = expected.value;
  check.actual = actual.value;
  if (expected.derived || actual.derived) check.basis = 'derived';
  return check;
}
