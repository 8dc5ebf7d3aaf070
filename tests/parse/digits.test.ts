import { describe, expect, it } from 'vitest';
import { APPLICANT_ROW_RULE, REVIEW_LINE_RULES, splitDigits } from '../../pipeline/parse/digits.ts';

describe('run-together digits', () => {
  it('6233440 without a rule: 62 | 33 | 440 is one of several divisions', () => {
    const r = splitDigits(['6233440'], 3, []);
    expect(r.solutions).toContainEqual([62, 33, 440]);
    expect(r.solutions.length).toBeGreaterThan(1);
  });

  it('a sum rule makes the division unique', () => {
    // 62 + 33 + 440 + 0 + 0 + 0 = 535: "6233440000535" holds 7 cells of one table-3 row.
    const r = splitDigits(['6233440000535'], 7, APPLICANT_ROW_RULE);
    expect(r.solutions).toEqual([[62, 33, 440, 0, 0, 0, 535]]);
  });

  it('never starts a number with 0 unless it is 0', () => {
    expect(splitDigits(['801000081'], 7, APPLICANT_ROW_RULE).solutions).toEqual([[80, 1, 0, 0, 0, 0, 81]]);
  });

  it('as many digits as cells: one digit each', () => {
    expect(splitDigits(['110024001510102'], 15, REVIEW_LINE_RULES).solutions).toEqual([[1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]]);
    expect(splitDigits(['000'], 3, []).solutions).toEqual([[0, 0, 0]]);
  });

  it('some strings separate, some run together', () => {
    const r = splitDigits(['6', '2', '00008'], 7, APPLICANT_ROW_RULE);
    expect(r.solutions).toEqual([[6, 2, 0, 0, 0, 0, 8]]);
  });

  it('joins a number printed in pieces (1 152) when the rule allows one way', () => {
    const r = splitDigits(['1', '152', '3', '0', '0', '0', '0', '1155'], 7, APPLICANT_ROW_RULE);
    expect(r.solutions).toEqual([[1152, 3, 0, 0, 0, 0, 1155]]);
  });

  it('decimals are never divided', () => {
    expect(splitDigits([5949.088667], 1, []).solutions).toEqual([[5949.088667]]);
    expect(splitDigits([12.5], 2, []).solutions).toEqual([]);
  });

  it('no division keeps the rules: no answer', () => {
    expect(splitDigits(['999'], 7, APPLICANT_ROW_RULE).solutions).toEqual([]);
  });

  it('stops at its step budget and says so', () => {
    const r = splitDigits(['1234567890123456789012345678901234567890'], 15, [], { maxSteps: 1000, maxSolutions: 1e9 });
    expect(r.truncated).toBe(true);
  });
});
