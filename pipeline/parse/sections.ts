/**
 * Document → sections, found by content rather than by exact heading text.
 *
 * A line is a heading candidate when, with its numbering taken off (二、 （二） 2. 第二部分 ##
 * 表二：), it is one of the template's heading forms give or take a character or two — a typo,
 * a missing 情况, a space inside. A heading printed in the middle of a line (a crawler's one-line
 * dump) is found by its exact form after a numeral. Candidates are not trusted by their numbers:
 * reports renumber their sections (一、主动公开… after a prose 一..六) and prose sub-heads repeat
 * heading words. Each table's section is the candidate whose text holds that table's words and
 * numbers; a table printed without any heading is found by its header words. A section runs to
 * the next chosen section.
 */
import type { SectionCode, TableCode } from '../model/codes.ts';
import type { Block, Box, Cell } from '../read/document.ts';
import { HEADING_FORMS, HEADING_NUMBERING, INLINE_HEADINGS, normalizeLabel, TABLE_EVIDENCE, TABLE_START } from './labels.ts';
import { withinDistance } from './fuzzy.ts';
import { memoByText } from './memo.ts';

export type Item = { kind: 'text'; text: string; at: string; box?: Box } | { kind: 'row'; cells: Cell[]; at: string };

export interface Section {
  code: SectionCode;
  heading: string;
  at: string;
  items: Item[];
}

export interface Sections {
  /** Title, dates and the opening sentence before the first section. */
  preamble: Item[];
  byCode: Partial<Record<SectionCode, Section>>;
}

export function itemsOf(blocks: Block[]): Item[] {
  const items: Item[] = [];
  for (const block of blocks) {
    if (block.kind === 'text') items.push(block);
    else block.rows.forEach((cells, r) => items.push({ kind: 'row', cells, at: block.at[r] }));
  }
  return items;
}

/** A heading found in item `item`, starting at `pos` of its text, `length` long. */
interface Candidate {
  code: SectionCode;
  item: number;
  pos: number;
  length: number;
  heading: string;
}

const TABLE_SECTIONS: readonly TableCode[] = ['proactive', 'applications', 'review_litigation'];

const rowText = (cells: Cell[]) => cells.filter((c) => c.origin && c.text).map((c) => c.text);
/** The text of a row holding text in one cell only, or null. */
const soleText = (cells: Cell[]) => {
  const texts = rowText(cells);
  return texts.length === 1 ? texts[0] : null;
};

/** The longest heading form, with room for numbering and a few stray characters. */
const MAX_HEADING_LINE = Math.max(...HEADING_FORMS.flatMap(([, forms]) => forms.map((f) => f.length))) + 14;

/** Characters every heading form holds at least one of, two in most (a typo leaves one). */
const HEADING_CHARS = /[总概基主申复诉问事体述况动请议讼题项]/;

/** The heading forms, and for each character the forms it occurs in (one bit each). */
const FORMS = HEADING_FORMS.flatMap(([code, forms]) => forms.map((form) => ({ code, form })));
const FORMS_OF_CHAR = new Map<string, number>();
FORMS.forEach(({ form }, f) => {
  for (const ch of new Set(form)) FORMS_OF_CHAR.set(ch, (FORMS_OF_CHAR.get(ch) ?? 0) | (1 << f));
});
const shared = new Int8Array(FORMS.length);

/**
 * How many characters of `core` occur in each form, in one pass: a line far from every form
 * shares few characters with each, and is ruled out before any edit distance.
 */
function countShared(core: string): Int8Array {
  shared.fill(0);
  for (let i = 0; i < core.length; i++) {
    for (let bits = FORMS_OF_CHAR.get(core[i]) ?? 0; bits; bits &= bits - 1) shared[31 - Math.clz32(bits & -bits)]++;
  }
  return shared;
}

/** A whole line that is a heading: its numbering off, its words one of the forms within a few edits. */
export const matchHeadingLine = memoByText(20_000, headingOfLine);

function headingOfLine(text: string): { code: SectionCode; heading: string } | null {
  // A heading has no sentence punctuation inside it: most lines of prose do.
  // Nor digits past its numbering: a line of a table does. And every heading holds one of a
  // few characters (总体 概述 基本 主动 申请 复议 诉讼 问题 事项) even with a typo elsewhere.
  if (text.length > MAX_HEADING_LINE + 8 || !HEADING_CHARS.test(text) || /[。，；](?=.)/.test(text) || /[0-9０-９]/.test(text.slice(3))) return null;
  const numbering = HEADING_NUMBERING.exec(text);
  const numbered = numbering !== null && numbering[0].trim().length > 0;
  const core = normalizeLabel(text.slice(numbering?.[0].length ?? 0)).replace(/[:：。.;；,，]+$/, '');
  // A heading has no sentence punctuation inside it: most lines of prose do.
  if (core.length < 2 || core.length > MAX_HEADING_LINE || /[。，,；;]/.test(core)) return null;
  let best: { code: SectionCode; distance: number } | null = null;
  const counts = countShared(core);
  for (let f = 0; f < FORMS.length; f++) {
    const { code, form } = FORMS[f];
    // Unnumbered lines must be near-exact and long enough not to be a phrase of prose.
    const allowed = numbered ? Math.max(1, Math.round(form.length * 0.2)) : form.length >= 6 ? Math.floor(form.length * 0.12) : 0;
    if (!numbered && form.length < 4) continue;
    if (Math.abs(core.length - form.length) > allowed || counts[f] < form.length - allowed * 2) continue;
    const d = withinDistance(core, form, allowed);
    if (d >= 0 && (!best || d < best.distance)) best = { code, distance: d };
  }
  return best ? { code: best.code, heading: text.trim() } : null;
}

/** Every heading candidate of the document, in order. */
const INLINE_GLOBAL = INLINE_HEADINGS.map(({ code, pattern }) => ({ code, global: new RegExp(pattern.source, 'g') }));

/** Headings printed as the template prints them, after a numeral: in a line or opening it. */
function exactCandidates(items: Item[]): Candidate[] {
  const out: Candidate[] = [];
  items.forEach((item, index) => {
    const text = item.kind === 'text' ? item.text : soleText(item.cells);
    if (text === null || !/[一二三四五六]\s*[、.．]/.test(text)) return;
    for (const { code, global } of INLINE_GLOBAL) {
      global.lastIndex = 0;
      for (let m = global.exec(text); m; m = global.exec(text)) out.push({ code, item: index, pos: m.index, length: m[0].length, heading: m[0] });
    }
  });
  return out;
}

/** Whole lines that are headings give or take numbering and a character or two. */
function fuzzyCandidates(items: Item[]): Candidate[] {
  const out: Candidate[] = [];
  items.forEach((item, index) => {
    const texts = item.kind === 'text' ? [item.text] : rowText(item.cells);
    // Reports typed inside one big table: a row holding only a heading.
    if (texts.length !== 1) return;
    const hit = matchHeadingLine(texts[0]);
    if (hit) out.push({ code: hit.code, item: index, pos: 0, length: texts[0].length, heading: hit.heading });
  });
  return out;
}

/**
 * Every heading candidate of the document, in order. A report that prints its three table
 * headings as the template does, once each and in order, needs nothing more; any other is
 * searched line by line for headings with other numbering, typos or none.
 */
function candidatesOf(items: Item[]): Candidate[] {
  const exact = exactCandidates(items);
  const tables = TABLE_SECTIONS.map((code) => exact.filter((c) => c.code === code));
  const clean = tables.every((t) => t.length === 1) && tables[0][0].item <= tables[1][0].item && tables[1][0].item <= tables[2][0].item;
  const out = clean ? exact : [...fuzzyCandidates(items), ...exact.filter((c) => !(c.pos === 0 && c.length >= (items[c.item] as { text?: string }).text?.trim().length!))];
  // A line found both ways is one candidate.
  const seen = new Set<string>();
  return out
    .sort((a, b) => a.item - b.item || a.pos - b.pos)
    .filter((c) => {
      const key = `${c.item}:${c.pos}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Numbers standing alone in a text (between spaces or table rules), counted up to two. */
const LONE_NUMBER = /(?:^|[\s|｜丨])\d[\d,.]*(?=$|[\s|｜丨])/g;
function countNumbers(text: string): number {
  LONE_NUMBER.lastIndex = 0;
  let n = 0;
  while (n < 2 && LONE_NUMBER.test(text)) n++;
  return n;
}

/**
 * What the section finder asks of each item, worked out once per item when first asked: its
 * normalized text, whether it is a row of numbers, and which table words it holds.
 */
class ItemFacts {
  private readonly normalized: (string | undefined)[] = [];
  private readonly numbers: (boolean | undefined)[] = [];
  private readonly words = new Map<TableCode, (number | undefined)[]>();
  constructor(private readonly items: Item[]) {}

  text(i: number): string {
    let t = this.normalized[i];
    if (t === undefined) {
      const item = this.items[i];
      t = this.normalized[i] = normalizeLabel(item.kind === 'text' ? item.text : rowText(item.cells).join(''));
    }
    return t;
  }

  /** The item's text as printed: a row's cells joined by spaces. */
  raw(i: number): string {
    const item = this.items[i];
    return item.kind === 'text' ? item.text : rowText(item.cells).join(' ');
  }

  /** A row of numbers: two or more numbers standing alone, or one in a table row. */
  numberRow(i: number): boolean {
    let n = this.numbers[i];
    if (n === undefined) {
      const count = countNumbers(this.raw(i));
      n = this.numbers[i] = count >= 2 || (this.items[i].kind === 'row' && count >= 1);
    }
    return n;
  }

  /** The table words an item holds, one bit each (labels.ts TABLE_EVIDENCE). */
  wordBits(i: number, code: TableCode): number {
    let bits = this.words.get(code);
    if (!bits) this.words.set(code, (bits = []));
    let b = bits[i];
    if (b === undefined) b = bits[i] = WORD_BITS[code](this.raw(i));
    return b;
  }
}

/** Each table's words as one pattern: most items hold none, and one test tells so. */
const ANY_EVIDENCE = Object.fromEntries(
  Object.entries(TABLE_EVIDENCE).map(([code, res]) => [code, new RegExp(res.map((re) => `(?:${re.source})`).join('|'))]),
) as Record<TableCode, RegExp>;

/** The table words a text holds, one bit each, remembered by text (header and label lines repeat). */
const WORD_BITS = Object.fromEntries(
  (Object.keys(TABLE_EVIDENCE) as TableCode[]).map((code) => [
    code,
    memoByText(20_000, (raw) => {
      const text = normalizeLabel(raw);
      let b = 0;
      if (ANY_EVIDENCE[code].test(text)) TABLE_EVIDENCE[code].forEach((re, k) => (b |= re.test(text) ? 1 << k : 0));
      return b;
    }),
  ]),
) as Record<TableCode, (text: string) => number>;

const popcount = (x: number) => {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
};

/**
 * How strongly items [from, to) look like table `code`: its words in short lines and table
 * rows, and rows of numbers. `pos`: where in the first item the section starts (a heading
 * inside a line).
 */
function evidence(items: Item[], facts: ItemFacts, from: number, to: number, code: TableCode, pos = 0): number {
  let found = 0;
  let numberRows = 0;
  for (let i = from; i < to && i < from + 120; i++) {
    const item = items[i];
    if (i === from && pos > 0 && item.kind === 'text') {
      // The line a heading opens (a one-line dump): its words after the heading count.
      const rest = normalizeLabel(item.text.slice(pos));
      TABLE_EVIDENCE[code].forEach((re, k) => {
        if (re.test(rest)) found |= 1 << k;
      });
      if (facts.numberRow(i)) numberRows++;
      continue;
    }
    if (facts.numberRow(i)) numberRows++;
    // Prose sentences mention the same words; only short lines and table rows count.
    if (item.kind === 'text' && item.text.length > 60) continue;
    found |= facts.wordBits(i, code);
    // Past this, more items cannot raise the score.
    if (numberRows >= 10 && popcount(found) === TABLE_EVIDENCE[code].length) break;
  }
  return popcount(found) * 2 + Math.min(numberRows, 10);
}

/**
 * The first item in [from, to) that opens table `code` without a heading: its header words, in
 * that item or spread over it and the next two (one cell per line).
 */
function headerStart(facts: ItemFacts, from: number, to: number, code: TableCode): number {
  const textOf = (i: number) => (i < to ? facts.text(i) : '');
  for (let i = from; i < to; i++) {
    const text = textOf(i);
    if (text.length > 80) continue;
    if (TABLE_START[code].test(text)) return i;
    // The header words may run on into the next items, but they start in this one.
    const window = text + textOf(i + 1) + textOf(i + 2);
    const m = window.length <= 80 ? TABLE_START[code].exec(window) : null;
    if (m && m.index < text.length) return i;
  }
  return -1;
}

interface Start {
  code: SectionCode;
  item: number;
  pos: number;
  length: number;
  heading: string;
}

export function splitSections(blocks: Block[]): Sections {
  const items = itemsOf(blocks);
  const facts = new ItemFacts(items);
  const candidates = candidatesOf(items);
  const chosen: Start[] = [];
  const firstOf = (code: SectionCode) => candidates.find((c) => c.code === code);

  const overview = firstOf('overview');
  if (overview) chosen.push(overview);

  // Each table: the candidate whose following text looks most like that table.
  const boundary = (c: Candidate) => candidates.find((d) => d.item > c.item)?.item ?? items.length;
  let after = overview ? overview.item : -1;
  for (const code of TABLE_SECTIONS) {
    const mine = candidates.filter((c) => c.code === code);
    // One heading with rows of numbers under it: nothing to weigh.
    if (mine.length === 1 && mine[0].item >= after) {
      const c = mine[0];
      const end = Math.min(boundary(c), c.item + 60);
      let numbers = false;
      for (let i = c.item; i < end && !numbers; i++) numbers = facts.numberRow(i);
      if (numbers) {
        chosen.push(c);
        after = c.item;
        continue;
      }
    }
    let best: { c: Candidate; score: number } | null = null;
    for (const c of mine) {
      const score = evidence(items, facts, c.item, boundary(c), code, c.pos);
      if (!best || score > best.score) best = { c, score };
    }
    if (best && best.score >= 3) {
      chosen.push(best.c);
      after = Math.max(after, best.c.item);
      continue;
    }
    // No heading with the table under it: the table's own header words open it.
    const start = headerStart(facts, after + 1, items.length, code);
    if (start >= 0 && evidence(items, facts, start, Math.min(items.length, start + 60), code) >= 3) {
      chosen.push({ code, item: start, pos: 0, length: 0, heading: '' });
      after = start;
    } else if (best) {
      // A heading without a table (a sentence in its place): the section exists, its table not.
      chosen.push(best.c);
    }
  }
  // The prose sections after the last table (a heading inside the same line counts by position).
  const tables = chosen.filter((s) => s.code !== 'overview');
  const last = tables.reduce<Start | null>((a, s) => (!a || s.item > a.item || (s.item === a.item && s.pos > a.pos) ? s : a), null);
  for (const code of ['problems', 'other_matters'] as const) {
    const c = last ? candidates.find((d) => d.code === code && (d.item > last.item || (d.item === last.item && d.pos > last.pos))) : firstOf(code);
    if (c) chosen.push(c);
  }
  chosen.sort((a, b) => a.item - b.item || a.pos - b.pos);

  const preamble: Item[] = [];
  const byCode: Sections['byCode'] = {};
  let target = preamble;
  let next = 0;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const here: Start[] = [];
    while (next < chosen.length && chosen[next].item === index) here.push(chosen[next++]);
    if (!here.length) {
      target.push(item);
      continue;
    }
    if (item.kind === 'row' || here[0].length === 0) {
      // A heading row, or a table opened by its header words (the row is the table's).
      const s = here[here.length - 1];
      const section: Section = { code: s.code, heading: s.heading, at: item.at, items: [] };
      byCode[s.code] ??= section;
      target = byCode[s.code]!.items;
      if (s.length === 0) target.push(item);
      continue;
    }
    let text = item.text;
    let offset = 0;
    for (const s of here) {
      const before = text.slice(0, s.pos - offset).trim();
      if (before) target.push({ kind: 'text', text: before, at: item.at });
      byCode[s.code] ??= { code: s.code, heading: s.heading, at: item.at, items: [] };
      target = byCode[s.code]!.items;
      text = text.slice(s.pos - offset + s.length);
      offset = s.pos + s.length;
    }
    if (text.trim()) target.push({ kind: 'text', text: text.trim(), at: item.at });
  }
  return { preamble, byCode };
}

/** The prose of items joined as one string; lines of CJK text join without a space. */
export function proseOf(items: Item[]): string {
  return items
    .map((item) => (item.kind === 'text' ? item.text : item.cells.filter((c) => c.origin).map((c) => c.text).join(' ')))
    .join('\n');
}
