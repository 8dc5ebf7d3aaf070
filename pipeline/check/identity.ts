/** identity: new_received + carried_over = total_processed + carried_forward, per column. */
import { APPLICANT_COLUMNS } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import { compare, operand, sum, type CheckInput } from './cells.ts';

export function identity(input: CheckInput): Check[] {
  return APPLICANT_COLUMNS.map(({ code: column }) => {
    const cell = (row: string) => operand(input, 'applications', row, column);
    return compare(
      { code: 'identity', table: 'applications', column },
      sum([cell('new_received'), cell('carried_over')]),
      sum([cell('total_processed'), cell('carried_forward')]),
    );
  });
}
