/** outcome_sum: total_processed = the outcome rows from granted to the last other_* row, per column. */
import { APPLICANT_COLUMNS, outcomeRows, tableDef, type Layout } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import { compare, operand, sum, type CheckInput } from './cells.ts';

export function outcomeSum(input: CheckInput, layout: Layout): Check[] {
  const rows = outcomeRows(tableDef('applications', layout));
  return APPLICANT_COLUMNS.map(({ code: column }) =>
    compare(
      { code: 'outcome_sum', table: 'applications', column },
      sum(rows.map((row) => operand(input, 'applications', row, column))),
      operand(input, 'applications', 'total_processed', column),
    ),
  );
}
