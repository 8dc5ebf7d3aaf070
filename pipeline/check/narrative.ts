/**
 * narrative: a figure section 一 states and a table also holds must agree. `expected` is what
 * the table says, `actual` what the prose says.
 */
import type { TableCode } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import type { Statement, StatementSubject } from '../parse/prose.ts';
import { compare, operand, sum, type CheckInput, type Operand } from './cells.ts';

const TABLE_SIDE: Record<StatementSubject, { table: TableCode; row: string; column: string; value: (input: CheckInput) => Operand }> = {
  applications_received: {
    table: 'applications',
    row: 'new_received',
    column: 'total',
    value: (input) => operand(input, 'applications', 'new_received', 'total'),
  },
  review_cases: {
    table: 'review_litigation',
    row: 'review',
    column: 'total',
    value: (input) => operand(input, 'review_litigation', 'review', 'total'),
  },
  review_corrected: {
    table: 'review_litigation',
    row: 'review',
    column: 'corrected',
    value: (input) => operand(input, 'review_litigation', 'review', 'corrected'),
  },
  litigation_lost: {
    table: 'review_litigation',
    row: 'litigation_direct+litigation_after_review',
    column: 'corrected',
    value: (input) =>
      sum([operand(input, 'review_litigation', 'litigation_direct', 'corrected'), operand(input, 'review_litigation', 'litigation_after_review', 'corrected')]),
  },
  litigation_cases: {
    table: 'review_litigation',
    row: 'litigation_direct+litigation_after_review',
    column: 'total',
    value: (input) =>
      sum([operand(input, 'review_litigation', 'litigation_direct', 'total'), operand(input, 'review_litigation', 'litigation_after_review', 'total')]),
  },
};

export function narrative(input: CheckInput, statements: Statement[]): Check[] {
  return statements.map((s) => {
    const side = TABLE_SIDE[s.subject];
    if (!input.tables[side.table]) return { code: 'narrative', table: side.table, row: side.row, column: side.column, status: 'not_assessable', expected: null, actual: s.value, statement: s.text };
    return { ...compare({ code: 'narrative', table: side.table, row: side.row, column: side.column }, side.value(input), { value: s.value, derived: false }), statement: s.text };
  });
}
