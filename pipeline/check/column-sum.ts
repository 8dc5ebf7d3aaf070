/** column_sum: the total column = the six applicant columns, per row of table 3. */
import { APPLICANT_TYPES, tableDef, type Layout } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import { compare, operand, sum, type CheckInput } from './cells.ts';

export function columnSum(input: CheckInput, layout: Layout): Check[] {
  return tableDef('applications', layout).rows.map(({ code: row }) =>
    compare(
      { code: 'column_sum', table: 'applications', row },
      sum(APPLICANT_TYPES.map((column) => operand(input, 'applications', row, column))),
      operand(input, 'applications', row, 'total'),
    ),
  );
}
