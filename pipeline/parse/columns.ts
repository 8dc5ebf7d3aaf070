/**
 * Columns by position, for tables rebuilt from a PDF page, where a cell printed blank leaves
 * no trace in the text. The numbers of a table's rows, together, show where its columns are:
 * their positions cluster (by left edge, centre or right edge, whichever the table aligns
 * on). Columns that no row ever fills are found from the header cells above them or, failing
 * that, from the regular spacing of the others. A row with fewer numbers than columns then
 * gets each number in its column and a blank in the others.
 */
import type { Box } from '../read/document.ts';
import type { ValueToken } from './groups.ts';

type Ref = 'x0' | 'xc' | 'x1';

export interface Columns {
  ref: Ref;
  /** One per column; NaN for a column cut off at the page's edge (see `clipped`). */
  anchors: number[];
  tolerance: number;
  /** Columns the page does not show: the table ran past its edge. Their cells are unknown. */
  clipped?: number[];
}

const at = (b: Box, ref: Ref) => (ref === 'x0' ? b.x0 : ref === 'x1' ? b.x1 : (b.x0 + b.x1) / 2);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

function cluster(xs: number[], tolerance: number): number[] {
  const sorted = xs.slice().sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const x of sorted) {
    const g = groups.at(-1);
    if (g && x - g[g.length - 1] <= tolerance) g.push(x);
    else groups.push([x]);
  }
  return groups.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
}

/** Adds anchors for columns never printed: from header cells first, then from even spacing. */
function fillMissing(anchors: number[], n: number, header: Box[], ref: Ref, tolerance: number): number[] | null {
  if (anchors.length === n) return anchors;
  const spacing = median(anchors.slice(1).map((a, i) => a - anchors[i]));
  const lo = anchors[0] - spacing * 1.5;
  const hi = anchors[anchors.length - 1] + spacing * 1.5;
  const fromHeader = header
    .filter((b) => b.x1 - b.x0 <= spacing * 1.3)
    .map((b) => at(b, 'xc'))
    .filter((x) => x >= lo && x <= hi && anchors.every((a) => Math.abs(a - x) > tolerance));
  const withHeader = cluster([...anchors, ...fromHeader], tolerance);
  if (withHeader.length === n) return withHeader;
  if (spacing <= 0 || ref !== 'xc') return null;
  // Evenly spaced columns: a gap of k spacings hides k - 1 columns.
  const filled: number[] = [anchors[0]];
  for (let i = 1; i < anchors.length; i++) {
    const k = Math.round((anchors[i] - anchors[i - 1]) / spacing);
    for (let j = 1; j < k; j++) filled.push(anchors[i - 1] + ((anchors[i] - anchors[i - 1]) * j) / k);
    filled.push(anchors[i]);
  }
  return filled.length === n ? filled : null;
}

/**
 * The last header lines above the numbers that hold exactly n cells, every number sitting
 * under one of them: the most direct evidence of the columns (multi-level headers included).
 */
function columnsFromHeader(boxes: Box[], lines: Box[][], n: number, tolerance: number): number[] | null {
  for (let j = 1; j <= Math.min(4, lines.length); j++) {
    const cells = lines.slice(-j).flat();
    if (cells.length > n) return null;
    if (cells.length < n) continue;
    const centres = cells.map((b) => at(b, 'xc')).sort((a, b) => a - b);
    if (boxes.every((b) => centres.some((c) => Math.abs(c - at(b, 'xc')) <= tolerance * 2))) return centres;
  }
  return null;
}

type Placed = Extract<ValueToken, { kind: 'value' }> & { box: Box };

/** The values of the rows that carry a position on the page (PDF text); none elsewhere. */
function placedValues(rows: ValueToken[][]): Placed[] {
  const out: Placed[] = [];
  for (const row of rows) for (const t of row) if (t.kind === 'value' && t.box) out.push(t as Placed);
  return out;
}

/** The n columns of a table from its rows' numbers and its header cells, or null when unclear. */
export function findColumns(rows: ValueToken[][], lines: Box[][], n: number): Columns | null {
  const boxes = placedValues(rows).map((t) => t.box);
  if (boxes.length === 0 || n < 2) return null;
  const tolerance = 0.7 * median(boxes.map((b) => b.size));
  const fromHeader = columnsFromHeader(boxes, lines, n, tolerance);
  if (fromHeader) return { ref: 'xc', anchors: fromHeader, tolerance };
  const header = lines.flat();
  let best: Columns | null = null;
  for (const ref of ['xc', 'x0', 'x1'] as Ref[]) {
    const anchors = cluster(boxes.map((b) => at(b, ref)), tolerance);
    if (anchors.length > n) continue;
    const full = fillMissing(anchors, n, header, ref, tolerance);
    if (full && (!best || anchors.length < best.anchors.length)) best = { ref, anchors: full, tolerance };
  }
  return best;
}

/** A row's printed values placed in their columns, blanks where nothing was printed. */
export function placeInColumns(tokens: ValueToken[], columns: Columns, at: string): ValueToken[] | null {
  const values = tokens.filter((t) => t.kind === 'value');
  if (values.some((t) => !t.box)) return null;
  const out: ValueToken[] = columns.anchors.map(() => ({ kind: 'blank', at }));
  for (const v of values) {
    const x = v.kind === 'value' && v.box ? (columns.ref === 'x0' ? v.box.x0 : columns.ref === 'x1' ? v.box.x1 : (v.box.x0 + v.box.x1) / 2) : NaN;
    let best = -1;
    for (let i = 0; i < columns.anchors.length; i++) if (best < 0 || Math.abs(columns.anchors[i] - x) < Math.abs(columns.anchors[best] - x)) best = i;
    if (best < 0 || Math.abs(columns.anchors[best] - x) > columns.tolerance * 2 || out[best].kind !== 'blank') return null;
    out[best] = v;
  }
  return out;
}

/**
 * The header lines above a table's first row of numbers: text cells (grouped by line) whose
 * centre is not left of the leftmost number, i.e. column headers, not row labels. Only lines
 * after the numbers before them: a sub-table's header is its own, never the one of the
 * sub-table above (table 2 prints one under another, each with its own columns).
 */
export function headerLines(tokens: { kind: string; at: string; box?: Box }[], rows: ValueToken[][]): Box[][] {
  const values = placedValues(rows);
  if (!values.length) return [];
  const found = tokens.indexOf(values[0] as never);
  const first = found < 0 ? tokens.length : found;
  let from = first;
  while (from > 0 && tokens[from - 1].kind !== 'value') from--;
  const left = Math.min(...values.map((t) => (t.box.x0 + t.box.x1) / 2)) - values[0].box.size;
  const lines = new Map<string, Box[]>();
  for (const t of tokens.slice(from, first)) {
    if (t.kind !== 'text' || !t.box || (t.box.x0 + t.box.x1) / 2 < left || t.at === values[0].at) continue;
    lines.set(t.at, [...(lines.get(t.at) ?? []), t.box]);
  }
  return [...lines.values()];
}

type Token = { kind: string; at: string; box?: Box; text?: string };

/**
 * A header cell read as header words: each word with the column group it names and its centre,
 * the cell's width shared out by characters. Null when the cell is not made of header words.
 * `words`: per column, its words; columns printing the same words form one group.
 */
function headerWords(text: string, box: Box, words: readonly (readonly string[])[]): { group: string; x: number }[] | null {
  const found: { group: string; x: number }[] = [];
  const perChar = (box.x1 - box.x0) / text.length;
  for (let i = 0; i < text.length; ) {
    let best: { word: string; group: string } | null = null;
    for (const list of words) {
      for (const w of list) if (text.startsWith(w, i) && (!best || w.length > best.word.length)) best = { word: w, group: list.join('|') };
    }
    // The first line of a wrapped cell (社会公益组 over 织), alone or run together with the next
    // cell's (社会公益组法律服务机): the longest start of a word, if it is one group's only.
    if (!best) {
      let longest = 1;
      const groups = new Set<string>();
      for (const list of words) {
        for (const w of list) {
          let k = 0;
          while (k < w.length - 1 && i + k < text.length && text[i + k] === w[k]) k++;
          if (k < longest) continue;
          if (k > longest) groups.clear();
          longest = k;
          groups.add(list.join('|'));
        }
      }
      if (longest >= 2 && groups.size === 1) best = { word: text.slice(i, i + longest), group: [...groups][0] };
    }
    if (!best) return null;
    found.push({ group: best.group, x: box.x0 + perChar * (i + best.word.length / 2) });
    i += best.word.length;
  }
  return found;
}

/**
 * The columns of a table from the header words printed over them (自然人, 商业企业 … 总计): each
 * word's centre is its column's, a word that several columns print (table 4's 维持 ×3) going to
 * them in order, left to right. Columns without a word between two found ones lie evenly
 * between them. Trailing columns whose words are nowhere, with no number right of the last
 * column found, were cut off at the page's edge: they are `clipped`, and no number is ever
 * shifted into them. Null when the words do not give a consistent set (the caller then reads
 * columns from the numbers alone).
 */
export function headerColumns(tokens: Token[], rows: ValueToken[][], headers: readonly (readonly string[])[]): Columns | null {
  const values = placedValues(rows);
  if (!values.length) return null;
  const first = tokens.indexOf(values[0] as never);
  const tolerance = 0.7 * median(values.map((v) => v.box.size));
  // Header words: text with a position before the table's first number.
  const hits = new Map<string, number[]>();
  for (const t of tokens.slice(0, first < 0 ? tokens.length : first)) {
    if (t.kind !== 'text' || !t.box || !t.text) continue;
    const text = t.text.replace(/\s+/g, '');
    if (!text) continue;
    for (const w of headerWords(text, t.box, headers) ?? []) hits.set(w.group, [...(hits.get(w.group) ?? []), w.x]);
  }
  const anchors: number[] = new Array(headers.length).fill(NaN);
  const groups = new Map<string, number[]>();
  headers.forEach((list, c) => groups.set(list.join('|'), [...(groups.get(list.join('|')) ?? []), c]));
  for (const [group, columns] of groups) {
    const distinct = cluster(hits.get(group) ?? [], tolerance);
    if (distinct.length > columns.length) return null;
    // Fewer words than columns printing them: the first ones (the others may be cut off).
    distinct.forEach((x, k) => (anchors[columns[k]] = x));
  }
  const found = anchors.map((x, c) => (Number.isNaN(x) ? -1 : c)).filter((c) => c >= 0);
  // Most columns up to the last one found: trailing ones may be cut off.
  if (found.length < 3 || found.length < Math.ceil((found[found.length - 1] + 1) * 0.6)) return null;
  for (let k = 1; k < found.length; k++) if (anchors[found[k]] <= anchors[found[k - 1]]) return null;
  // Columns between two found ones: evenly between.
  for (let k = 1; k < found.length; k++) {
    const [a, b] = [found[k - 1], found[k]];
    for (let c = a + 1; c < b; c++) anchors[c] = anchors[a] + ((anchors[b] - anchors[a]) * (c - a)) / (b - a);
  }
  const lastFound = found[found.length - 1];
  const spacing = median(found.slice(1).map((c, k) => (anchors[c] - anchors[found[k]]) / (c - found[k])));
  const xs = values.map((v) => at(v.box, 'xc'));
  if (xs.some((x) => x < anchors[found[0]] - spacing / 2)) return null;
  const clipped: number[] = [];
  if (lastFound < headers.length - 1) {
    // Numbers right of the last column found: the columns are there, only their words are not.
    if (xs.some((x) => x > anchors[lastFound] + spacing / 2)) return null;
    for (let c = lastFound + 1; c < headers.length; c++) clipped.push(c);
  }
  for (let c = 0; c < found[0]; c++) anchors[c] = anchors[found[0]] - spacing * (found[0] - c);
  // Every number must sit under a column.
  const near = (x: number) => anchors.some((a) => Math.abs(a - x) <= Math.max(tolerance * 2, spacing / 2.5));
  if (!xs.every(near)) return null;
  return clipped.length ? { ref: 'xc', anchors, tolerance: Math.max(tolerance, spacing / 5), clipped } : { ref: 'xc', anchors, tolerance: Math.max(tolerance, spacing / 5) };
}
