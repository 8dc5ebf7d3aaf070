/**
 * Section items → a stream of tokens: label text, printed values and blank grid cells, in
 * reading order. Tables are then read from the stream by label and order, so a grid, a
 * tab-separated copy, one cell per line and PDF text with labels broken around the numbers
 * all look alike here.
 */
import type { Box } from '../read/document.ts';
import type { Item } from './sections.ts';
import { isNullMarker, parseNumber, type ParsedNumber } from './numbers.ts';

export type Token =
  /** `cell` is set for the text of a grid cell: one token per cell, never merged with the next. */
  | { kind: 'text'; text: string; at: string; cell?: true; box?: Box }
  /** A printed value: a number, or a marker for nothing (—, /, 无). `box`: where it sits (PDF). */
  | { kind: 'value'; parsed: ParsedNumber; at: string; box?: Box }
  /** An empty grid cell: a blank value, or a gap left by merged cells. */
  | { kind: 'blank'; at: string };

const DIGIT = '[0-9０-９]';
/** A number inside running text: digits with separators, a decimal part and a unit. */
const NUMBER_IN_TEXT = new RegExp(
  `(?:(?<=^|\\s)[-−－])?${DIGIT}+(?:[,，]${DIGIT}{3})*(?:[.．]${DIGIT}+)?(?:\\s?(?:万元|亿元|元|%|件|条|个))?`,
  'g',
);
/** 1. / 2、 before a label: an enumerator, part of the label. */
const ENUMERATOR_AFTER = /^[.、．](?:$|(?=[^0-9０-９\s]))/;

/** Blocks and geometric shapes standing alone: what OCR makes of a blot over a cell. */
const SMUDGE = /^(?:[\u2580-\u259f\u25a0-\u25ff]+|[※?？]+)$/;
/** A lone letter (with a speck) alone in a cell: what OCR makes of a digit a seal or a blot covers. */
const SMUDGED_DIGIT = /^[A-Za-z][.,、]?$/;

/** A digit next to a letter OCR reads for one. */
const LOOKALIKE_MIX = /[0-9０-９][OoIl]|[OoIl][0-9０-９]/;

/** Text that begins a label: an ideograph or an opening bracket. */
const LABEL_START = /^[\u4e00-\u9fff（(“"]/;

/** "1." or "2、" standing alone before a label (1. 属于国家秘密). */
const ENUMERATOR = /^[0-9０-９]{1,2}[.、．]$/;

/** One digit, 、 or a dot, and no other digit: what the loop below would keep whole as text. */
const ENUMERATED_LABEL = /^[0-9０-９][.、．][^0-9０-９]*$/;

const HAS_DIGIT = /[0-9０-９]/;
const HAS_SPACE = /\s/;

/**
 * Appends label text, joining it to the text token before it when both come from the same
 * place; `from` is the first token that may be joined (a grid cell's tokens never join the
 * previous cell's).
 */
function appendText(out: Token[], s: string, at: string, from: number, cell: Box | true | undefined): void {
  if (!s) return;
  const prev = out.length > from ? out[out.length - 1] : undefined;
  if (prev?.kind === 'text' && prev.at === at) prev.text += s;
  else if (cell === undefined) out.push({ kind: 'text', text: s, at });
  else out.push(cell === true ? { kind: 'text', text: s, at, cell } : { kind: 'text', text: s, at, cell: true, box: cell });
}

/**
 * Splits running text into label text and the numbers printed inside it. `cell`: the text is
 * one grid cell (true, or its box on a PDF page); its text tokens are marked as such.
 */
/** Table rules as OCR and text copies print them between cells: separators, never digits or labels. */
const TABLE_RULES = /[|｜丨¦[\]]+/g;
const HAS_TABLE_RULE = /[|｜丨¦[\]]/;
/** Letters standing where a number belongs (OCR's O for 0, l for 1), with dust around them. */
const LONE_LOOKALIKE = /^[,.、]*[OoIl]{1,3}[,.、]*$/;
/** OCR's rarer confusions (S for 5, B for 8, b for 6, D for 0), taken for a number only alone in a cell. */
const LONE_RARE_LOOKALIKE = /^[SBbD]$/;

function tokenizeText(text: string, at: string, out: Token[], cell?: Box | true, nextCell = ''): void {
  const from = cell === undefined ? 0 : out.length;
  if (HAS_TABLE_RULE.test(text)) text = text.replace(TABLE_RULES, ' ');
  // Most cells and many lines are one word: nothing to split.
  const chunks = HAS_SPACE.test(text) ? text.split(/\s+/) : [text];
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    if (!chunk) continue;
    // "8." alone: the enumerator of the label after it — in this text or, at the end of a
    // grid cell, in the next cell — or, with no label after it, a number with a stray mark (OCR).
    const after = c + 1 < chunks.length ? chunks[c + 1] : nextCell;
    if (ENUMERATOR.test(chunk) && !LABEL_START.test(after) && (c + 1 < chunks.length || cell === undefined || c > 0)) {
      out.push({ kind: 'value', parsed: parseNumber(chunk), at });
      continue;
    }
    // A smudge or a blot where a number was printed (OCR): an unreadable cell, not a label. A
    // # that begins a line is markdown (## 表二).
    if (SMUDGE.test(chunk) || (c > 0 && /^#{1,2}$/.test(chunk)) || (cell !== undefined && chunks.length === 1 && SMUDGED_DIGIT.test(chunk) && !LONE_LOOKALIKE.test(chunk) && !LONE_RARE_LOOKALIKE.test(chunk))) {
      out.push({ kind: 'value', parsed: { kind: 'invalid', raw: chunk }, at });
      continue;
    }
    // Most chunks are label text: without a digit, only a null marker (—, 无) can be a value;
    // "1.属于国家秘密", a one-digit enumerator and label words, is all label text (see below).
    if (LONE_LOOKALIKE.test(chunk) || (cell !== undefined && chunks.length === 1 && LONE_RARE_LOOKALIKE.test(chunk))) {
      out.push({ kind: 'value', parsed: parseNumber(chunk), at });
      continue;
    }
    if ((!HAS_DIGIT.test(chunk) && !isNullMarker(chunk)) || ENUMERATED_LABEL.test(chunk)) {
      appendText(out, chunk + ' ', at, from, cell);
      continue;
    }
    const whole = parseNumber(chunk);
    if (whole.kind !== 'invalid' && !ENUMERATOR.test(chunk)) {
      out.push({ kind: 'value', parsed: whole, at });
      continue;
    }
    // Digits mixed with look-alike letters that make no number: one unreadable cell, never
    // the digits picked out of it (5O4O.2 is not 5).
    if (LOOKALIKE_MIX.test(chunk)) {
      out.push({ kind: 'value', parsed: whole, at });
      continue;
    }
    let last = 0;
    for (const m of chunk.matchAll(NUMBER_IN_TEXT)) {
      let digits = m[0];
      let end = m.index + digits.length;
      // "5要求行政机关…": an enumerator whose point OCR dropped belongs to its label.
      if (digits.length === 1 && m.index === 0 && LABEL_START.test(chunk.slice(end))) continue;
      if (ENUMERATOR_AFTER.test(chunk.slice(end)) && /^[0-9０-９]+$/.test(digits)) {
        // "00000002.其他…": the last digit numbers the next label; the rest ends the row before.
        if (digits.length === 1) continue;
        digits = digits.slice(0, -1);
        end -= 1;
      }
      appendText(out, chunk.slice(last, m.index), at, from, cell);
      out.push({ kind: 'value', parsed: parseNumber(digits), at });
      last = end;
    }
    appendText(out, chunk.slice(last), at, from, cell);
    // Chunks of one line are separate words: keep a space between text tokens of one line.
    if (out.length > from) {
      const prev = out[out.length - 1];
      if (prev.kind === 'text') prev.text += ' ';
    }
  }
}

export function tokenize(items: Item[]): Token[] {
  const out: Token[] = [];
  for (const item of items) {
    if (item.kind === 'text') {
      // A line of a PDF page keeps its position (a header word alone on its line); others do not.
      if (item.box) tokenizeText(item.text, item.at, out, item.box);
      else tokenizeText(item.text, item.at, out);
      continue;
    }
    const cells = item.cells;
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k];
      if (!cell.origin) continue;
      const text = cell.text;
      if (!text) {
        out.push({ kind: 'blank', at: item.at });
        continue;
      }
      let n = k + 1;
      while (n < cells.length && !cells[n].origin) n++;
      const next = n < cells.length ? cells[n].text : '';
      // Label cells (no digit, not a dash or 无) skip number parsing; "1." before a label cell
      // numbers that label.
      if ((HAS_DIGIT.test(text) || isNullMarker(text)) && !(ENUMERATOR.test(text) && LABEL_START.test(next))) {
        const whole = parseNumber(text);
        if (whole.kind !== 'invalid') {
          out.push(cell.box ? { kind: 'value', parsed: whole, at: item.at, box: cell.box } : { kind: 'value', parsed: whole, at: item.at });
          continue;
        }
      }
      tokenizeText(text, item.at, out, cell.box ?? true, next);
    }
  }
  return out;
}
