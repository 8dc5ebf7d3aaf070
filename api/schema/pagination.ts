/**
 * Relay connections over LIMIT/OFFSET queries, with page sizes checked up front: `first` or
 * `last` above the maximum, a negative size or a cursor this API did not issue is a
 * BAD_USER_INPUT error (the relay plugin alone would clamp silently or fail with an
 * unexpected error).
 */
import { cursorToOffset, resolveOffsetConnection } from '@pothos/plugin-relay';
import type { ApiContext } from '../context.ts';
import { badInput } from '../errors.ts';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

function checkCursor(cursor: string | null | undefined, name: string): void {
  if (cursor == null) return;
  let offset: number;
  try {
    offset = cursorToOffset(cursor);
  } catch {
    offset = Number.NaN;
  }
  if (!Number.isInteger(offset) || offset < 0) throw badInput(`"${name}" is not a cursor from this API: use pageInfo.endCursor (or startCursor) of a previous page`, name);
}

export function checkPageArgs(args: PageArgs, ctx: ApiContext): void {
  const max = ctx.state.limits.maxPageSize;
  for (const name of ['first', 'last'] as const) {
    const n = args[name];
    if (n != null && (n < 0 || n > max)) throw badInput(`"${name}" must be between 0 and ${max} (the maximum page size), got ${n}`, name);
  }
  if (args.last != null && args.before == null && args.first == null) throw badInput('"last" needs "before" (or "first"): page backwards from a cursor', 'last');
  checkCursor(args.after, 'after');
  checkCursor(args.before, 'before');
}

/** Page size a connection will return, for the complexity estimate. */
export function pageSize(args: PageArgs, ctx: ApiContext): number {
  return Math.min(args.first ?? args.last ?? ctx.state.limits.defaultPageSize, ctx.state.limits.maxPageSize);
}

/** A connection complexity: the page size multiplies the cost of the selection. */
export const connectionComplexity = (args: PageArgs, ctx: ApiContext) => ({ field: 1, multiplier: pageSize(args, ctx) });

export async function offsetConnection<T>(
  args: PageArgs,
  ctx: ApiContext,
  fetch: (limit: number, offset: number) => Promise<T[]>,
  count: () => Promise<number>,
) {
  checkPageArgs(args, ctx);
  let counted: Promise<number> | null = null;
  const totalCount = () => (counted ??= count());
  const { defaultPageSize, maxPageSize } = ctx.state.limits;
  const connection = await resolveOffsetConnection({ args, defaultSize: defaultPageSize, maxSize: maxPageSize }, ({ limit, offset }) => fetch(limit, offset));
  return { ...connection, totalCount };
}
