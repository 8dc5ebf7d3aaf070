/** Every per-report check, in a fixed order. A table the report lacks yields no checks of it. */
import type { Layout } from '../model/codes.ts';
import type { Check } from '../model/record.ts';
import type { Statement } from '../parse/prose.ts';
import { NO_DERIVED, type CheckInput } from './cells.ts';
import { columnSum } from './column-sum.ts';
import { identity } from './identity.ts';
import { narrative } from './narrative.ts';
import { outcomeSum } from './outcome-sum.ts';
import { reviewSum } from './review-sum.ts';

export function runChecks(given: CheckInput, applicationsLayout: Layout | null, statements: Statement[]): Check[] {
  // Most reports derive nothing; the checks look up every blank cell among the derived values.
  const input = Object.keys(given.derived).length === 0 ? { tables: given.tables, derived: NO_DERIVED } : given;
  const checks: Check[] = [];
  if (input.tables.applications && applicationsLayout) {
    checks.push(...identity(input), ...outcomeSum(input, applicationsLayout), ...columnSum(input, applicationsLayout));
  }
  if (input.tables.review_litigation) checks.push(...reviewSum(input));
  checks.push(...narrative(input, statements));
  return checks;
}
