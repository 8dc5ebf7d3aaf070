/** review_sum: total = upheld + corrected + other + pending, per row of table 4. */
import { REVIEW_LITIGATION } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import { compare, operand, sum, type CheckInput } from './cells.ts';

const PARTS = ['upheld', 'corrected', 'other', 'pending'];

export function reviewSum(input: CheckInput): Check[] {
  return REVIEW_LITIGATION.rows.map(({ code: row }) =>
    compare(
      { code: 'review_sum', table: 'review_litigation', row },
      sum(PARTS.map((column) => operand(input, 'review_litigation', row, column))),
      operand(input, 'review_litigation', row, 'total'),
    ),
  );
}
