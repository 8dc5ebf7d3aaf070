/** identity: new_received + carried_over = total_processed + carried_forward, per column. */
import { APPLICANT_COLUMNS } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import { compare, operand, sum, type CheckInput } from './cells.ts';

export function identity(input: CheckInput): Check[] {
  return APPLICANT_COLUMNS.map(({ code: column }) =>
    compare(
      { code: 'identity', table: 'applications', column },
      sum([operand(input, 'applications', 'new_received', column), operand(input, 'applications', 'carried_over', column)]),
      sum([operand(input, 'applications', 'total_processed', column), operand(input, 'applications', 'carried_forward', column)]),
    ),
  );
}
