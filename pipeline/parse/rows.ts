/**
 * Token stream → table rows, by label and order. Text accumulates until it holds the key of a
 * row a few places ahead of the last row found; the values that follow belong to that row. A
 * label broken around its numbers (PDF text) still works: its start names the row, and the
 * tail, arriving after the numbers, only closes the row.
 */
import { normalizeLabel, type RowKey } from './labels.ts';
import type { Token } from './tokens.ts';

export type ValueToken = Extract<Token, { kind: 'value' | 'blank' }>;

export interface RowRead {
  code: string;
  /** The label text that named the row (normalized). */
  label: string;
  at: string;
  values: ValueToken[];
  /** The label was a grid cell: later cells of its row are value positions. */
  matchedInCell: boolean;
}

/** How many rows ahead of the last match a label may be: rows can be missing, not reordered. */
const WINDOW = 10;

/** Longer than any key's match, so a key split between two tokens is still seen whole. */
const LONGEST_KEY = 24;

function findRow(buffer: string, keys: RowKey[], after: number): number {
  let best = -1;
  let bestPos = -1;
  for (let i = after + 1; i < keys.length && i <= after + WINDOW; i++) {
    for (const key of keys[i].keys) {
      const m = key.exec(buffer);
      // The latest label in the buffer is the one the numbers follow.
      if (m && m.index > bestPos) {
        best = i;
        bestPos = m.index;
      }
    }
  }
  return best;
}

const anyKeys = new WeakMap<RowKey[], RegExp | null>();

/**
 * Every key of a table as one pattern, made once per key list: most text (headers, notes) names
 * no row, and one test tells so. Null when the keys' flags differ and cannot be joined.
 */
function anyKeyOf(keys: RowKey[]): RegExp | null {
  let any = anyKeys.get(keys);
  if (any === undefined) {
    const all = keys.flatMap((k) => k.keys);
    any = all.every((k) => k.flags === '') ? new RegExp(all.map((k) => `(?:${k.source})`).join('|')) : null;
    anyKeys.set(keys, any);
  }
  return any;
}

export function readRows(tokens: Token[], keys: RowKey[]): Map<string, RowRead> {
  const rows = new Map<string, RowRead>();
  const any = anyKeyOf(keys);
  let current: RowRead | null = null;
  let currentIndex = -1;
  let buffer = '';
  // Text after a row's values closes it: later stray numbers (a note under the table) are not its.
  let closed = false;
  for (const token of tokens) {
    if (token.kind === 'text') {
      // Text in a cell of the row whose label was just read sits where a value belongs (见附件).
      // Not in PDF rows (cells with a position), where a long label breaks into several cells.
      if (current && !closed && token.cell && !token.box && token.at === current.at && current.matchedInCell) {
        current.values.push({ kind: 'value', parsed: { kind: 'invalid', raw: token.text.trim() }, at: token.at });
        continue;
      }
      if (current && current.values.some((v) => v.kind === 'value')) closed = true;
      // Text already in the buffer was tried against the same rows; only keys that reach into
      // the new text can match now (keys are shorter than LONGEST_KEY).
      const from = Math.max(0, buffer.length - LONGEST_KEY);
      buffer += normalizeLabel(token.text);
      const recent = buffer.slice(from);
      const found = any === null || any.test(recent) ? findRow(recent, keys, currentIndex) : -1;
      if (found >= 0) {
        currentIndex = found;
        current = { code: keys[found].code, label: buffer, at: token.at, values: [], matchedInCell: token.cell === true };
        rows.set(current.code, current);
        buffer = '';
        closed = false;
      }
      continue;
    }
    // A value ends the label text; an empty cell (a header gap) does not.
    if (token.kind === 'value') buffer = '';
    if (!current || closed) continue;
    // Empty cells at the start of the next line are that line's label area, not this row's values.
    if (token.kind === 'blank' && token.at !== (current.values.at(-1)?.at ?? current.at)) continue;
    current.values.push(token);
  }
  return rows;
}

