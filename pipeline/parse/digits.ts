/**
 * Run-together digits. Some text copies print adjacent cells without a separator (6233440 for
 * 62 | 33 | 440), others split one number with a space (1 152 for 1152). Only the accounting
 * rules can tell how the digits divide: every division that keeps each rule is enumerated, and
 * the caller uses the result only when exactly one remains. A number never starts with 0
 * unless it is 0, which is what makes most splits unique.
 */

/** values[total] = Σ values[parts]. */
export interface SumRule {
  parts: number[];
  total: number;
}

export interface SplitSearch {
  solutions: number[][];
  /** True when the search stopped at its step budget: the solutions may be incomplete. */
  truncated: boolean;
}

/** A digit string may be divided; a number (decimals, separators, signs) is one value as printed. */
export type Printed = string | number;

const isWhole = (s: Printed): s is string => typeof s === 'string';
const validPart = (s: string) => s.length > 0 && (s === '0' || s[0] !== '0');

function rulesEndingAt(n: number, rules: SumRule[]): SumRule[][] {
  const byEnd: SumRule[][] = Array.from({ length: n }, () => []);
  for (const rule of rules) byEnd[Math.max(rule.total, ...rule.parts)].push(rule);
  return byEnd;
}

function holds(values: number[], rules: SumRule[]): boolean {
  for (const rule of rules) {
    let sum = 0;
    for (const p of rule.parts) sum += values[p];
    if (Math.abs(sum - values[rule.total]) > 1e-9) return false;
  }
  return true;
}

/**
 * Divides the printed digit strings into `n` values. With fewer strings than cells, strings
 * are split (run-together); with more, adjacent strings are joined (stray spaces).
 */
export function splitDigits(raws: Printed[], n: number, rules: SumRule[], options: { maxSolutions?: number; maxSteps?: number } = {}): SplitSearch {
  const maxSolutions = options.maxSolutions ?? 50;
  let steps = options.maxSteps ?? 200_000;
  const byEnd = rulesEndingAt(n, rules);
  const solutions: number[][] = [];
  const values = new Array<number>(n);
  let truncated = false;

  const emit = () => {
    solutions.push(values.slice());
    return solutions.length >= maxSolutions;
  };
  const accept = (cell: number, value: number) => {
    values[cell] = value;
    return holds(values, byEnd[cell]);
  };

  if (raws.length === n) {
    if (raws.every((r) => !isWhole(r) || validPart(r)) && raws.every((r, i) => accept(i, Number(r)))) emit();
    return { solutions, truncated };
  }

  if (raws.length < n) {
    const digitsLeft = raws.map((_, i) => raws.slice(i).reduce<number>((a, r) => a + (isWhole(r) ? r.length : 1), 0));
    // Returns true to stop the search.
    const split = (cell: number, ti: number, offset: number): boolean => {
      if (--steps < 0) return (truncated = true);
      if (cell === n) return ti === raws.length ? emit() : false;
      if (ti >= raws.length) return false;
      const tok = raws[ti];
      const cellsLeft = n - cell;
      const tokensAfter = raws.length - ti - 1;
      if (!isWhole(tok)) {
        if (offset !== 0 || cellsLeft - 1 < tokensAfter) return false;
        return accept(cell, Number(tok)) ? split(cell + 1, ti + 1, 0) : false;
      }
      const remaining = tok.length - offset;
      const digitsAfter = ti + 1 < raws.length ? digitsLeft[ti + 1] : 0;
      for (let len = 1; len <= remaining; len++) {
        const part = tok.slice(offset, offset + len);
        if (!validPart(part)) break;
        const whole = len === remaining;
        // The cells still to fill must fit the digits and strings still to read.
        const restCells = cellsLeft - 1;
        const restDigits = remaining - len + digitsAfter;
        const restTokens = whole ? tokensAfter : tokensAfter + 1;
        if (restCells < restTokens || restCells > restDigits) continue;
        if (!accept(cell, Number(part))) continue;
        if (whole ? split(cell + 1, ti + 1, 0) : split(cell + 1, ti, offset + len)) return true;
      }
      return false;
    };
    split(0, 0, 0);
    return { solutions, truncated };
  }

  const join = (cell: number, ti: number): boolean => {
    if (--steps < 0) return (truncated = true);
    if (cell === n) return ti === raws.length ? emit() : false;
    const cellsLeft = n - cell;
    for (let tj = ti; tj < raws.length && raws.length - (tj + 1) >= cellsLeft - 1; tj++) {
      const group = raws.slice(ti, tj + 1);
      if (group.length > 1 && !group.every(isWhole)) break;
      const text = group.join('');
      if (group.length > 1 && !validPart(text)) break;
      if (group.length === 1 && isWhole(group[0]) && !validPart(text)) break;
      if (accept(cell, Number(text)) && join(cell + 1, tj + 1)) return true;
    }
    return false;
  };
  join(0, 0);
  return { solutions, truncated };
}

/** Rules of one table-3 row: total = the six applicant columns. */
export const APPLICANT_ROW_RULE: SumRule[] = [{ parts: [0, 1, 2, 3, 4, 5], total: 6 }];

/** Rules of the table-4 line: each block of five is upheld+corrected+other+pending = total. */
export const REVIEW_LINE_RULES: SumRule[] = [0, 5, 10].map((s) => ({ parts: [s, s + 1, s + 2, s + 3], total: s + 4 }));
