/**
 * A table's token stream → its number groups in document order, each with the row labels
 * printed around it. A group is a run of values and blank cells that no label text interrupts
 * (a grid row's cells, a text line's numbers, one-number-per-line cells in a row); the label
 * text between two groups is searched for every row key of the template (labels.ts), and each
 * hit remembers where it sits: on the group's own line, just before it, or after it. The
 * alignment (align.ts) weighs these; nothing here decides which row a group is.
 */
import { normalizeCell, type RowKey } from './labels.ts';
import { memoByText } from './memo.ts';
import type { Token } from './tokens.ts';

export type ValueToken = Extract<Token, { kind: 'value' | 'blank' }>;

export interface ValueGroup {
  tokens: ValueToken[];
  /** Where its first value was read. */
  at: string;
  /** Rows whose key was found in the label text since the previous group, in the order printed. */
  before: number[];
  /** The row named on the group's own line (or grid row) just before its values, if any. */
  inline: number | null;
  /** The label text printed since the previous group (normalized): header words and units included. */
  label: string;
  /** The first row named after the group, unless that text sits on the next group's line. */
  after: number | null;
  /** Every row named in the text after the group, up to the next group. */
  following: number[];
  /** Values that are numbers or printed nothing-markers (—, 无), not blank grid cells. */
  printed: number;
  /** Digits printed in the group (a run-together row prints few values but many digits). */
  digits: number;
  /**
   * On a PDF page, the group on the next line whose every number sits under a number of this
   * one: the second lines of numbers too wide for their cells (150 printed as 15 over 0).
   */
  wrapped?: ValueGroup;
}

interface TextRun {
  text: string;
  /** Where each line's text starts in `text`, and the line it came from, in order. */
  starts: number[];
  lines: string[];
}

/** The line the character at `pos` of a run came from. */
function lineAt(run: TextRun, pos: number): string | undefined {
  let k = run.starts.length - 1;
  while (k > 0 && run.starts[k] > pos) k--;
  return pos < run.text.length ? run.lines[k] : undefined;
}

interface KeyPatterns {
  /** Every key of a table as one pattern: most text (headers, notes) names no row, and one test tells so. */
  any: RegExp;
  /** The same, global: finds each position where some key starts. */
  scan: RegExp;
  /** The scan's pattern with one group per row: the row whose key starts at a position. */
  rows: RegExp;
}

const patternsByKeys = new WeakMap<RowKey[], KeyPatterns>();

function patternsOf(keys: RowKey[]): KeyPatterns {
  let p = patternsByKeys.get(keys);
  if (!p) {
    const all = keys.flatMap((k) => k.keys.map((re) => `(?:${re.source})`)).join('|');
    const byRow = keys.map((k) => `(${k.keys.map((re) => `(?:${re.source})`).join('|')})`).join('|');
    p = { any: new RegExp(all), scan: new RegExp(all, 'g'), rows: new RegExp(byRow, 'y') };
    patternsByKeys.set(keys, p);
  }
  return p;
}

interface Hit {
  row: number;
  start: number;
  end: number;
}

/** A label's part this long or longer, at the start or end of exactly one row's words, names it. */
const MIN_PART = 4;

/**
 * Rows named by a part of their label that a line break cut off from the rest: each line of
 * the run, after its enumerator, that begins (属于四类过) or ends (程性信息) exactly one row's
 * words. Keys (labels.ts) find whole labels; these find the halves of wrapped ones.
 */
/** Rows by the first and by the last MIN_PART characters of their words, made once per key list. */
const partIndexes = new WeakMap<RowKey[], { starts: Map<string, number[]>; ends: Map<string, number[]> }>();

function partIndex(keys: RowKey[]) {
  let index = partIndexes.get(keys);
  if (!index) {
    const starts = new Map<string, number[]>();
    const ends = new Map<string, number[]>();
    keys.forEach((k, r) => {
      if (k.core.length <= MIN_PART) return;
      const head = k.core.slice(0, MIN_PART);
      const tail = k.core.slice(-MIN_PART);
      starts.set(head, [...(starts.get(head) ?? []), r]);
      ends.set(tail, [...(ends.get(tail) ?? []), r]);
    });
    partIndexes.set(keys, (index = { starts, ends }));
  }
  return index;
}

function partialHits(run: TextRun, keys: RowKey[]): Hit[] {
  const hits: Hit[] = [];
  const { starts, ends } = partIndex(keys);
  // Text from one line may come in several tokens: a line runs to the next that differs.
  for (let k = 0; k < run.starts.length; k++) {
    if (k + 1 < run.starts.length && run.lines[k + 1] === run.lines[k]) continue;
    let first = k;
    while (first > 0 && run.lines[first - 1] === run.lines[k]) first--;
    const start = run.starts[first];
    const i = k + 1 < run.starts.length ? run.starts[k + 1] : run.text.length;
    const line = run.text.slice(start, i);
    const cut = Math.max(line.search(/\d[.、][^.、]*$/) + 2, 0);
    const part = line.slice(cut > 1 ? cut : 0);
    if (part.length >= MIN_PART) {
      let row = -1;
      for (const r of starts.get(part.slice(0, MIN_PART)) ?? []) if (keys[r].core.length > part.length && keys[r].core.startsWith(part)) row = row === -1 || row === r ? r : -2;
      for (const r of ends.get(part.slice(-MIN_PART)) ?? []) if (keys[r].core.length > part.length && keys[r].core.endsWith(part)) row = row === -1 || row === r ? r : -2;
      if (row >= 0) hits.push({ row, start: start + (cut > 1 ? cut : 0), end: i });
    }
  }
  return hits;
}

/** Every key hit in a run of label text, ordered by where it starts (then the longer first). */
/** The key hits of a text, remembered per key list by text: label runs repeat from report to report. */
const keyHitMemos = new WeakMap<RowKey[], (text: string) => readonly Hit[]>();

function keyHitsOf(keys: RowKey[]): (text: string) => readonly Hit[] {
  let memo = keyHitMemos.get(keys);
  if (!memo) {
    const { any, scan, rows } = patternsOf(keys);
    memo = memoByText(20_000, (text) => {
      const hits: Hit[] = [];
      if (!any.test(text)) return hits;
      // Each position where some key starts, and the row (the first in template order) whose
      // key starts there.
      scan.lastIndex = 0;
      for (let m = scan.exec(text); m; m = scan.exec(text)) {
        const pos = m.index;
        rows.lastIndex = pos;
        const k = rows.exec(text);
        if (k && k[0].length) {
          let row = 1;
          while (k[row] === undefined) row++;
          hits.push({ row: row - 1, start: pos, end: pos + k[0].length });
        }
        scan.lastIndex = pos + 1;
      }
      return hits;
    });
    keyHitMemos.set(keys, memo);
  }
  return memo;
}

const NO_HITS: readonly Hit[] = Object.freeze([]);

/** A row named twice in a row (two keys of one label) counts once, at its first key. */
const onceEach = (hits: readonly Hit[]) => hits.filter((h, i) => i === 0 || h.row !== hits[i - 1].row || h.start >= hits[i - 1].end);

function hitsIn(run: TextRun, keys: RowKey[]): readonly Hit[] {
  if (!run.text) return NO_HITS;
  const found = keyHitsOf(keys)(run.text);
  const partial = partialHits(run, keys);
  if (!found.length) return partial;
  // Whole keys come in order of where they start, one a position: sorted already.
  if (!partial.length) return onceEach(found);
  const hits = [...found, ...partial.filter((p) => !found.some((h) => h.start < p.end && p.start < h.end))];
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  return onceEach(hits);
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19)) n++;
  }
  return n;
}

export function valueGroups(tokens: Token[], keys: RowKey[]): ValueGroup[] {
  // Whether a cell names a row: the key hits of its text, remembered (label cells repeat).
  const hitsOfText = keyHitsOf(keys);
  const groups: ValueGroup[] = [];
  const runs: TextRun[] = [];
  let run: TextRun = { text: '', starts: [], lines: [] };
  let current: ValueToken[] = [];
  // Grid rows: once a row's label cell (or a value) was read, its later text cells are values
  // printed as words (见附件), not labels. Not in PDF rows, where long labels break into cells.
  let rowAt: string | null = null;
  let rowLabelled = false;

  const closeGroup = () => {
    if (!current.length) return;
    // A lone value on the line before a row of values (a stray number, a cell pushed out of its
    // row) is not that row's first value.
    const first = current[0];
    if (current.length > 2 && current[1].at !== first.at && current[2].at === current[1].at) {
      const rest = current.slice(1);
      current = [first];
      closeGroup();
      current = rest;
    }
    runs.push(run);
    // Only a value ends the label text: after a group of blank cells (the empty cells of a
    // header line), the text before it still leads to the next group (a unit in the header).
    const valued = current.some((t) => t.kind === 'value');
    run = valued ? { text: '', starts: [], lines: [] } : { text: run.text, starts: run.starts.slice(), lines: run.lines.slice() };
    let printed = 0;
    let digits = 0;
    for (const t of current) {
      if (t.kind === 'value' && t.parsed.kind !== 'invalid') printed++;
      if (t.kind === 'value') digits += countDigits(t.parsed.raw);
    }
    groups.push({ tokens: current, at: current.find((t) => t.kind === 'value')?.at ?? current[0].at, before: [], inline: null, label: '', after: null, following: [], printed, digits });
    current = [];
  };

  for (const token of tokens) {
    if (token.kind === 'text') {
      const inGridRow = token.cell === true && !token.box && token.at === rowAt;
      if (inGridRow && (rowLabelled || current.some((t) => t.kind === 'value' && t.at === token.at))) {
        current.push({ kind: 'value', parsed: { kind: 'invalid', raw: token.text.trim() }, at: token.at });
        continue;
      }
      closeGroup();
      const text = normalizeCell(token.text);
      if (token.cell && !token.box) {
        if (token.at !== rowAt) {
          rowAt = token.at;
          rowLabelled = false;
        }
        if (hitsOfText(text).length) rowLabelled = true;
      }
      if (text) {
        run.starts.push(run.text.length);
        run.lines.push(token.at);
        run.text += text;
      }
      continue;
    }
    if (token.at !== rowAt) {
      rowAt = token.at;
      rowLabelled = false;
    }
    // An empty cell at the start of a line before any value is that line's label area.
    if (token.kind === 'blank' && current.length === 0 && groups.length && run.text === '' && groups[groups.length - 1].at !== token.at) continue;
    // A new line after a line of several values is a new row, even with no label between them
    // (rows of numbers only); lines of one value each (one cell per line) stay one group.
    const prev = current[current.length - 1];
    if (prev && prev.at !== token.at && current.length >= 2 && current[current.length - 2].at === prev.at) {
      closeGroup();
      if (token.kind === 'blank') continue;
    }
    current.push(token);
  }
  closeGroup();
  runs.push(run);

  // Label hits: runs[i] is the text before group i; runs[i + 1] the text after it.
  const hits = runs.map((r) => hitsIn(r, keys));
  groups.forEach((g, i) => {
    const before = hits[i];
    const text = runs[i];
    g.before = before.map((h) => h.row);
    const last = before[before.length - 1];
    // Printed beside the values: the last label of the text before, ending on the group's line.
    if (last && lineAt(text, last.end - 1) === g.at) g.inline = last.row;
    g.label = text.text;
    g.following = (hits[i + 1] ?? []).map((h) => h.row);
    const next = hits[i + 1]?.[0];
    const nextGroup = groups[i + 1];
    if (next && !(nextGroup && lineAt(runs[i + 1], next.start) === nextGroup.at)) g.after = next.row;
    if (nextGroup && nextGroup.printed * 2 <= g.printed && !hits[i + 1]?.length && wrapsUnder(g, nextGroup)) g.wrapped = nextGroup;
  });
  return groups;
}

type Placed = Extract<ValueToken, { kind: 'value' }> & { box: NonNullable<Extract<ValueToken, { kind: 'value' }>['box']> };
const placed = (g: ValueGroup) => g.tokens.filter((t): t is Placed => t.kind === 'value' && t.box !== undefined);

/** Does every number of `next` sit under a number of `g`, one each, on a following line? */
function wrapsUnder(g: ValueGroup, next: ValueGroup): boolean {
  const above = placed(g);
  const below = placed(next);
  if (!below.length || below.length !== next.tokens.length || below.length * 2 > above.length || next.at === g.at) return false;
  const used = new Set<Placed>();
  for (const b of below) {
    const over = above.filter((a) => a.box.x0 < b.box.x1 && b.box.x0 < a.box.x1);
    if (over.length !== 1 || used.has(over[0]) || !/^\d+$/.test(b.parsed.raw) || !/^\d+$/.test(over[0].parsed.raw)) return false;
    used.add(over[0]);
  }
  return true;
}

/**
 * The group with its wrapped second lines joined to the numbers above them (15 over 0 → 150),
 * or null when it has none. Only the row's rules can say whether the join is right.
 */
export function joinWrapped(g: ValueGroup): ValueToken[] | null {
  if (!g.wrapped) return null;
  const below = placed(g.wrapped);
  return g.tokens.map((t) => {
    if (t.kind !== 'value' || !t.box) return t;
    const b = below.find((x) => t.box!.x0 < x.box.x1 && x.box.x0 < t.box!.x1);
    if (!b) return t;
    const raw = t.parsed.raw + b.parsed.raw;
    return { ...t, parsed: { kind: 'number', value: Number(raw), raw: `${t.parsed.raw}/${b.parsed.raw}`, repair: 'wrapped' } };
  });
}
