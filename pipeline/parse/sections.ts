/**
 * Document → sections 一–六. Headings are searched in order in every line of text (and at the
 * start of a table row, for reports typed inside one big table); a heading in the middle of a
 * line — a crawler's one-line dump — splits the line there.
 */
import type { SectionCode } from '../model/codes.ts';
import type { Block, Cell } from '../read/document.ts';
import { SECTION_HEADINGS } from './labels.ts';

export type Item = { kind: 'text'; text: string; at: string } | { kind: 'row'; cells: Cell[]; at: string };

export interface Section {
  code: SectionCode;
  heading: string;
  at: string;
  items: Item[];
}

export interface Sections {
  /** Title, dates and the opening sentence before 一、总体情况. */
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

interface Hit {
  index: number;
  pos: number;
  length: number;
}

/** Every heading pattern starts with its numeral and 、 or a dot: text without one holds none. */
const NUMERAL_MARK = /[一二三四五六]\s*[、.．]/;

function firstHeading(text: string, from: number): Hit | null {
  if (!NUMERAL_MARK.test(text)) return null;
  let best: Hit | null = null;
  for (let index = from; index < SECTION_HEADINGS.length; index++) {
    const m = SECTION_HEADINGS[index].pattern.exec(text);
    if (m && (!best || m.index < best.pos)) best = { index, pos: m.index, length: m[0].length };
  }
  return best;
}

export function splitSections(blocks: Block[]): Sections {
  const preamble: Item[] = [];
  const byCode: Sections['byCode'] = {};
  let target = preamble;
  let next = 0;
  const open = (hit: Hit, heading: string, at: string) => {
    const code = SECTION_HEADINGS[hit.index].code;
    const section: Section = { code, heading, at, items: [] };
    byCode[code] = section;
    target = section.items;
    next = hit.index + 1;
  };

  for (const item of itemsOf(blocks)) {
    if (item.kind === 'row') {
      const first = item.cells.find((c) => c.origin && c.text);
      const hit = first && next < SECTION_HEADINGS.length ? firstHeading(first.text, next) : null;
      if (hit && hit.pos === 0 && item.cells.filter((c) => c.origin && c.text).length === 1) {
        open(hit, first!.text, item.at);
        continue;
      }
      target.push(item);
      continue;
    }
    let text = item.text;
    for (;;) {
      const hit = next < SECTION_HEADINGS.length ? firstHeading(text, next) : null;
      if (!hit) break;
      const before = text.slice(0, hit.pos).trim();
      if (before) target.push({ kind: 'text', text: before, at: item.at });
      open(hit, text.slice(hit.pos, hit.pos + hit.length), item.at);
      text = text.slice(hit.pos + hit.length);
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
