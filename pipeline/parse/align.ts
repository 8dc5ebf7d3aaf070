/**
 * Template alignment: the reading core every table goes through, whatever the format.
 *
 * The template fixes the order of a table's rows; a report prints its number groups in that
 * order, with labels that may be beside them, wrapped above or below, detached, damaged or
 * missing. Groups whose label is printed on their own line are anchors. Anchors in template
 * order split the table into gaps; within a gap, the groups go to the rows between the anchors
 * in order, led by whatever label text survives nearby (a label just before a group, a label
 * after it) and by whether a group looks like a row at all (a stray page number does not).
 * Where several placements score the same, the accounting rules (a judge the table supplies)
 * choose; where they cannot, the rows of that gap are left unread and the candidates are named
 * — nothing is guessed.
 */
import type { ValueGroup } from './groups.ts';

/** How a row's group was found. */
export type AlignBasis =
  /** Its label printed on its line, or just before it. */
  | 'label'
  /** Its place among labelled rows, without a label of its own. */
  | 'position'
  /** One of several placements, the only one that keeps the accounting rules. */
  | 'rules';

export interface AlignedRow {
  group: ValueGroup;
  basis: AlignBasis;
}

export interface UnreadGap {
  /** Template rows left unread. */
  rows: number[];
  /** The placements that scored alike, each as the row every group would go to. */
  candidates: number[][];
}

export interface Alignment {
  rows: Map<number, AlignedRow>;
  /** Rows whose label is printed in its place with no number after it (every cell blank). */
  empty: number[];
  unread: UnreadGap[];
  /** Groups with numbers that went to no row (page numbers, notes, stray values). */
  unplaced: ValueGroup[];
}

export interface AlignOptions {
  /** Cells per template row. */
  widths: readonly number[];
  /** Given a full placement (row → group), whether the accounting rules hold where they can be checked. */
  judge?: (rows: Map<number, ValueGroup>) => boolean;
}

/** Beyond this many placements to weigh, a gap is left unread rather than searched. */
const MAX_PLACEMENTS = 64;
const MAX_COMBINATIONS = 4096;

/** The score of placing a group that looks like a row: more than all label evidence of a gap together. */
const ROW_LIKE = 1000;

/**
 * Does a group look like a row of `width` cells: enough values, or enough digits to be divided?
 * On a PDF page a blank cell leaves no trace, so two numbers with their positions will do.
 */
function plausible(g: ValueGroup, width: number): boolean {
  if (g.printed * 2 >= width || g.digits >= width) return true;
  return g.printed >= 2 && g.tokens.every((t) => t.kind !== 'value' || t.box !== undefined);
}

/** Score of group g placed in row r within a gap whose rows are `gapRows`. */
function score(g: ValueGroup, r: number, width: number, gapRows: Set<number>): number {
  if (g.printed === 0) return -Infinity;
  // Placing every group that looks like a row comes first, whatever the labels say: labels are
  // displaced in conversions (printed after their numbers, or gathered in a cluster), numbers
  // keep their order. Labels decide which rows a gap's groups fill only when the gap has more
  // rows than groups (or more groups than rows).
  let s = plausible(g, width) ? ROW_LIKE : -4;
  const last = g.before.length ? g.before[g.before.length - 1] : null;
  if (last === r) s += 6;
  else if (g.before.includes(r)) s += 3;
  else if (last !== null && gapRows.has(last)) s -= 3;
  if (g.after === r) s += 2;
  return s;
}

/** Every best placement of `groups` into `rows` (in order, each at most once), up to the cap. */
function bestPlacements(groups: ValueGroup[], rows: number[], widths: readonly number[]): { placements: number[][]; truncated: boolean } {
  const k = groups.length;
  const m = rows.length;
  if (k === 0 || m === 0) return { placements: [new Array(k).fill(-1)], truncated: false };
  const gapRows = new Set(rows);
  const s = groups.map((g) => rows.map((r) => score(g, r, widths[r], gapRows)));
  // best[i][j]: best total for groups i.. and rows j..
  const best: number[][] = Array.from({ length: k + 1 }, () => new Array(m + 1).fill(0));
  for (let i = k - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      best[i][j] = Math.max(best[i + 1][j], best[i][j + 1], s[i][j] > 0 ? s[i][j] + best[i + 1][j + 1] : -Infinity);
    }
  }
  const out = new Map<string, number[]>();
  let truncated = false;
  const assign = new Array<number>(k).fill(-1);
  const walk = (i: number, j: number) => {
    if (out.size >= MAX_PLACEMENTS) {
      truncated = true;
      return;
    }
    if (i === k || j === m) {
      const key = assign.join(',');
      if (!out.has(key)) out.set(key, assign.slice());
      return;
    }
    const here = best[i][j];
    if (s[i][j] > 0 && s[i][j] + best[i + 1][j + 1] === here) {
      assign[i] = rows[j];
      walk(i + 1, j + 1);
      assign[i] = -1;
    }
    if (best[i + 1][j] === here) walk(i + 1, j);
    if (best[i][j + 1] === here) walk(i, j + 1);
  };
  walk(0, 0);
  return { placements: [...out.values()], truncated };
}

/** Indices of a longest strictly increasing subsequence of `rows` (anchors in template order). */
function increasing(rows: number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(rows.length).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[tails[mid]] < rows[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) keep.add(i);
  return keep;
}

interface Gap {
  groups: ValueGroup[];
  rows: number[];
  placements: number[][];
  truncated: boolean;
}

export function alignGroups(groups: ValueGroup[], options: AlignOptions): Alignment {
  const { widths } = options;
  const n = widths.length;
  const rows = new Map<number, AlignedRow>();
  const unread: UnreadGap[] = [];

  // Anchors: groups whose row is named on their own line. Those in template order fix the
  // frame; one out of order (a sub-table printed apart) keeps its row if no other claims it.
  const anchored = groups.map((g, i) => ({ g, i })).filter(({ g }) => g.inline !== null);
  const inOrder = increasing(anchored.map(({ g }) => g.inline!));
  const frame: { i: number; row: number }[] = [];
  const claimed = new Set<number>();
  anchored.forEach(({ g, i }, k) => {
    if (!inOrder.has(k)) return;
    frame.push({ i, row: g.inline! });
    claimed.add(g.inline!);
    rows.set(g.inline!, { group: g, basis: 'label' });
  });
  const aside = new Set<number>(frame.map((f) => f.i));
  anchored.forEach(({ g, i }, k) => {
    if (inOrder.has(k) || claimed.has(g.inline!)) return;
    claimed.add(g.inline!);
    aside.add(i);
    rows.set(g.inline!, { group: g, basis: 'label' });
  });

  // Gaps between consecutive anchors of the frame, and before the first and after the last.
  const gaps: Gap[] = [];
  const bounds = [{ i: -1, row: -1 }, ...frame, { i: groups.length, row: n }];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const from = bounds[b];
    const to = bounds[b + 1];
    const gapGroups = groups.slice(from.i + 1, to.i).filter((_, k) => !aside.has(from.i + 1 + k));
    const gapRows: number[] = [];
    for (let r = from.row + 1; r < to.row; r++) if (!claimed.has(r)) gapRows.push(r);
    if (!gapGroups.length) continue;
    if (!gapRows.length) continue;
    const { placements, truncated } = bestPlacements(gapGroups, gapRows, widths);
    gaps.push({ groups: gapGroups, rows: gapRows, placements, truncated });
  }

  const decided = gaps.filter((g) => g.placements.length === 1 && !g.truncated);
  const open = gaps.filter((g) => g.placements.length !== 1 || g.truncated);
  const place = (gap: Gap, placement: number[], basis: (g: ValueGroup, r: number) => AlignBasis) => {
    placement.forEach((r, k) => {
      if (r >= 0) rows.set(r, { group: gap.groups[k], basis: basis(gap.groups[k], r) });
    });
  };
  const byLabel = (g: ValueGroup, r: number): AlignBasis => (g.before.length && g.before[g.before.length - 1] === r ? 'label' : 'position');
  for (const gap of decided) place(gap, gap.placements[0], byLabel);

  // Gaps with several best placements: the accounting rules choose, over every combination.
  if (open.length) {
    const combos = open.reduce((a, g) => a * g.placements.length, 1);
    let chosen: number[] | null = null;
    if (options.judge && !open.some((g) => g.truncated) && combos <= MAX_COMBINATIONS) {
      const fits: number[][] = [];
      const pick = new Array<number>(open.length).fill(0);
      const trial = (d: number): void => {
        if (fits.length > 1) return;
        if (d === open.length) {
          const assignment = new Map<number, ValueGroup>([...rows].map(([r, a]) => [r, a.group]));
          open.forEach((gap, q) => gap.placements[pick[q]].forEach((r, k) => r >= 0 && assignment.set(r, gap.groups[k])));
          if (options.judge!(assignment)) fits.push(pick.slice());
          return;
        }
        for (let p = 0; p < open[d].placements.length; p++) {
          pick[d] = p;
          trial(d + 1);
        }
      };
      trial(0);
      if (fits.length === 1) chosen = fits[0];
    }
    open.forEach((gap, q) => {
      if (chosen) {
        place(gap, gap.placements[chosen[q]], (g, r) => (byLabel(g, r) === 'label' ? 'label' : 'rules'));
        return;
      }
      // Rows every best placement agrees on are read; the others are left unread.
      const agreed = gap.truncated ? [] : gap.rows.filter((r) => gap.placements.every((p) => p.indexOf(r) === gap.placements[0].indexOf(r)));
      const undecided = gap.rows.filter((r) => !agreed.includes(r));
      for (const r of agreed) {
        const k = gap.placements[0].indexOf(r);
        if (k >= 0) rows.set(r, { group: gap.groups[k], basis: byLabel(gap.groups[k], r) });
      }
      if (undecided.length) unread.push({ rows: undecided, candidates: gap.truncated ? [] : gap.placements });
    });
  }

  const used = new Set<ValueGroup>();
  for (const a of rows.values()) used.add(a.group);
  const widest = Math.max(...widths);
  const unplaced = groups.filter((g) => !used.has(g) && g.printed > 0 && plausible(g, widest));
  return { rows, empty: emptyRows(groups, rows, unread, n), unread, unplaced };
}

/**
 * Rows named in their place (after the group of every earlier row read, before the group of
 * every later one) without a number of their own: a PDF drops blank cells, leaving the label.
 */
function emptyRows(groups: ValueGroup[], rows: Map<number, AlignedRow>, unread: UnreadGap[], n: number): number[] {
  const skip = new Set(unread.flatMap((u) => u.rows));
  const out: number[] = [];
  // Where each aligned row's group stands, worked out when some row is left to place.
  let at: Map<number, number> | null = null;
  for (let r = 0; r < n; r++) {
    if (rows.has(r) || skip.has(r)) continue;
    // The group the label precedes; a label in the text after the last group counts as after it.
    const named = groups.findIndex((g) => g.before.includes(r));
    const where = named >= 0 ? named : groups.length && groups[groups.length - 1].following.includes(r) ? groups.length : -1;
    if (where < 0) continue;
    if (!at) {
      const index = new Map(groups.map((g, i) => [g, i]));
      at = new Map([...rows].map(([x, a]) => [x, index.get(a.group)!]));
    }
    let fits = true;
    for (const [x, i] of at) if ((x < r && i >= where) || (x > r && i < where)) fits = false;
    if (fits) out.push(r);
  }
  return out;
}
