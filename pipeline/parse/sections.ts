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

/** The longest heading form, with room for numbering and a few stray characters. */
const MAX_HEADING_LINE = Math.max(...HEADING_FORMS.flatMap(([, forms]) => forms.map((f) => f.length))) + 14;

/** Each form with its characters, for a cheap test before the edit distance. */
const FORMS = HEADING_FORMS.flatMap(([code, forms]) => forms.map((form) => ({ code, form, chars: new Set(form) })));

/** How many characters of `core` occur in the form: a core far from it shares few. */
function shared(core: string, chars: Set<string>): number {
  let n = 0;
  for (let i = 0; i < core.length; i++) if (chars.has(core[i])) n++;
  return n;
}

/** A whole line that is a heading: its numbering off, its words one of the forms within a few edits. */
export function matchHeadingLine(text: string): { code: SectionCode; heading: string } | null {
  if (text.length > MAX_HEADING_LINE + 8) return null;
  const numbering = HEADING_NUMBERING.exec(text);
  const numbered = numbering !== null && numbering[0].trim().length > 0;
  const core = normalizeLabel(text.slice(numbering?.[0].length ?? 0)).replace(/[:：。.;；,，]+$/, '');
  if (core.length < 2 || core.length > MAX_HEADING_LINE) return null;
  let best: { code: SectionCode; distance: number } | null = null;
  for (const { code, form, chars } of FORMS) {
    // Unnumbered lines must be near-exact and long enough not to be a phrase of prose.
    const allowed = numbered ? Math.max(1, Math.round(form.length * 0.2)) : form.length >= 6 ? Math.floor(form.length * 0.12) : 0;
    if (!numbered && form.length < 4) continue;
    if (Math.abs(core.length - form.length) > allowed || shared(core, chars) < form.length - allowed * 2) continue;
    const d = withinDistance(core, form, allowed);
    if (d >= 0 && (!best || d < best.distance)) best = { code, distance: d };
  }
  return best ? { code: best.code, heading: text.trim() } : null;
}

/** Every heading candidate of the document, in order. */
function candidatesOf(items: Item[]): Candidate[] {
  const out: Candidate[] = [];
  items.forEach((item, index) => {
    if (item.kind === 'row') {
      // Reports typed inside one big table: a row holding only a heading.
      const texts = rowText(item.cells);
      if (texts.length !== 1) return;
      const hit = matchHeadingLine(texts[0]);
      if (hit) out.push({ code: hit.code, item: index, pos: 0, length: texts[0].length, heading: hit.heading });
      return;
    }
    const whole = matchHeadingLine(item.text);
    if (whole) {
      out.push({ code: whole.code, item: index, pos: 0, length: item.text.length, heading: whole.heading });
      return;
    }
    // A heading inside a longer line, after its numeral: exact forms only.
    if (!/[一二三四五六]\s*[、.．]/.test(item.text)) return;
    for (const { code, pattern } of INLINE_HEADINGS) {
      const re = new RegExp(pattern.source, 'g');
      for (const m of item.text.matchAll(re)) out.push({ code, item: index, pos: m.index, length: m[0].length, heading: m[0] });
    }
  });
  return out.sort((a, b) => a.item - b.item || a.pos - b.pos);
}

/**
 * How strongly items [from, to) look like table `code`: its words in short lines and table rows,
 * and rows of numbers. `pos`: where in the first item the section starts (a heading inside a line).
 */
function evidence(items: Item[], from: number, to: number, code: TableCode, pos = 0): number {
  const found = new Set<number>();
  let numberRows = 0;
  for (let i = from; i < to && i < from + 120; i++) {
    const item = items[i];
    const text = item.kind === 'text' ? (i === from ? item.text.slice(pos) : item.text) : rowText(item.cells).join(' ');
    const numbers = text.match(/(?:^|[\s|｜丨])\d[\d,.]*(?=$|[\s|｜丨])/g)?.length ?? 0;
    if (numbers >= 2 || (item.kind === 'row' && numbers >= 1)) numberRows++;
    // Prose sentences mention the same words; only short lines, table rows and the line a
    // heading opens (a one-line dump) count.
    if (item.kind === 'text' && text.length > 60 && !(i === from && pos > 0)) continue;
    const label = normalizeLabel(text);
    TABLE_EVIDENCE[code].forEach((re, k) => {
      if (re.test(label)) found.add(k);
    });
  }
  return found.size * 2 + Math.min(numberRows, 10);
}

/**
 * The first item in [from, to) that opens table `code` without a heading: its header words, in
 * that item or spread over it and the next two (one cell per line).
 */
function headerStart(items: Item[], from: number, to: number, code: TableCode): number {
  const textOf = (i: number) => (i < to ? normalizeLabel(items[i].kind === 'text' ? (items[i] as { text: string }).text : rowText((items[i] as { cells: Cell[] }).cells).join('')) : '');
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
  const candidates = candidatesOf(items);
  const chosen: Start[] = [];
  const firstOf = (code: SectionCode) => candidates.find((c) => c.code === code);

  const overview = firstOf('overview');
  if (overview) chosen.push(overview);

  // Each table: the candidate whose following text looks most like that table.
  const boundary = (c: Candidate) => candidates.find((d) => d.item > c.item)?.item ?? items.length;
  let after = overview ? overview.item : -1;
  for (const code of TABLE_SECTIONS) {
    let best: { c: Candidate; score: number } | null = null;
    for (const c of candidates) {
      if (c.code !== code) continue;
      const score = evidence(items, c.item, boundary(c), code, c.pos);
      if (!best || score > best.score) best = { c, score };
    }
    if (best && best.score >= 3) {
      chosen.push(best.c);
      after = Math.max(after, best.c.item);
      continue;
    }
    // No heading with the table under it: the table's own header words open it.
    const start = headerStart(items, after + 1, items.length, code);
    if (start >= 0 && evidence(items, start, Math.min(items.length, start + 60), code) >= 3) {
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
