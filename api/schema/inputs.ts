/**
 * Arguments shared by lists and comparisons, and their checks: a wrong value is refused with a
 * BAD_USER_INPUT error that names the argument, never silently widened or narrowed.
 */
import { badInput } from '../errors.ts';

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export interface YearArgs {
  year?: number | null;
  yearFrom?: number | null;
  yearTo?: number | null;
}

/** year, or yearFrom/yearTo (either may be open): → an inclusive range. */
/**
 * A checked year filter. With the release's `span`, a filter that misses every year the release
 * covers is refused with those years named (an empty answer would not say why).
 */
export function yearRange(args: YearArgs, prefix = '', span: { first: number; last: number } | null = null): { from: number | null; to: number | null } {
  const range = checkedYears(args, prefix);
  if (span && ((range.to !== null && range.to < span.first) || (range.from !== null && range.from > span.last))) {
    const asked = range.from === range.to ? `${range.from}` : `${range.from ?? '…'}–${range.to ?? '…'}`;
    const argument = prefix ? `${prefix}.${args.year != null ? 'year' : range.from !== null && range.from > span.last ? 'yearFrom' : 'yearTo'}` : 'year';
    throw badInput(`This release covers the years ${span.first}–${span.last}; the filter asks for ${asked}`, argument);
  }
  return range;
}

function checkedYears(args: YearArgs, prefix: string): { from: number | null; to: number | null } {
  const name = (n: string) => (prefix ? `${prefix}.${n}` : n);
  for (const k of ['year', 'yearFrom', 'yearTo'] as const) {
    const v = args[k];
    if (v != null && (v < MIN_YEAR || v > MAX_YEAR)) throw badInput(`"${name(k)}" must be a year between ${MIN_YEAR} and ${MAX_YEAR}, got ${v}`, name(k));
  }
  if (args.year != null) {
    if (args.yearFrom != null || args.yearTo != null) throw badInput(`Give either "${name('year')}" or "${name('yearFrom')}"/"${name('yearTo')}", not both`, name('year'));
    return { from: args.year, to: args.year };
  }
  if (args.yearFrom != null && args.yearTo != null && args.yearFrom > args.yearTo) {
    throw badInput(`"${name('yearFrom')}" (${args.yearFrom}) is after "${name('yearTo')}" (${args.yearTo})`, name('yearFrom'));
  }
  return { from: args.yearFrom ?? null, to: args.yearTo ?? null };
}

export function checkDistinct<T>(values: readonly T[], argument: string): void {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) throw badInput(`"${argument}" lists ${String(v).toUpperCase()} twice`, argument);
    seen.add(v);
  }
}

export function checkRange(value: number, min: number, max: number, argument: string, what = ''): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(`"${argument}" must be between ${min} and ${max}${what}, got ${value}`, argument);
  return value;
}
