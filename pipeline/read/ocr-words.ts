/**
 * An OCR engine's text lines → words with positions, the form a PDF's text layer gives
 * (pdf-text.ts's Piece), so that the table rebuild of pdf.ts and the parser read a scan as they
 * read a text PDF. An engine's line is often longer than a cell: it may run over several cells
 * of a table row ("0 0 3 0"), or over a label and its number. It is cut
 * - where a ruling line of the table passes between two characters;
 * - where the gap between two characters is wider than a space inside one cell;
 * and a number too wide for its narrow cell, printed on two lines inside it ("1406" over "9"),
 * is joined back into one word.
 */
import type { Rules } from './ocr-image.ts';
import { joinedAlternates, type Piece } from './pdf-text.ts';

/** One character (or, from engines that give no finer boxes, a run of them) on a line. */
export interface OcrGlyph {
  text: string;
  /** Its left and right edge in the page's pixels; equal when the engine gives only its centre. */
  x0: number;
  x1: number;
  /** The engine's probability for it, 0–1. */
  confidence: number;
  /** A doubtful character's other readings, likeliest first ('' for none at all). */
  alternatives?: string[];
}

/** A line of text as an engine reads it, in the pixels of the upright page. */
export interface OcrLine {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The height of its characters (an em), in pixels. */
  textHeight: number;
  glyphs: OcrGlyph[];
}

/** A word on the page, in pixels, with the engine's lowest confidence over its characters. */
export interface OcrWord {
  text: string;
  x0: number;
  x1: number;
  /** Top and bottom of its line. */
  y0: number;
  y1: number;
  textHeight: number;
  confidence: number;
  /** The word with one doubtful character read otherwise, one entry per such reading. */
  alternates?: string[];
}

/** Characters wider than a digit: ideographs, full-width forms, CJK punctuation. */
const WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** A gap between characters wider than this (× the text height) ends a word. */
const WORD_GAP = 0.55;
/** A space the engine read ends a word once the gap is a little wider than letters' own spacing. */
const SPACE_GAP = 0.2;

/** Edges of a glyph given only by its centre: half an em for ideographs, less for digits and letters. */
function extent(g: OcrGlyph, em: number): [number, number] {
  if (g.x1 > g.x0) return [g.x0, g.x1];
  const half = (WIDE.test(g.text) ? 0.5 : 0.28) * em;
  return [g.x0 - half, g.x0 + half];
}

/** A vertical rule passes between x `a` and x `b` across the band y0–y1. */
function ruleBetween(rules: Rules, a: number, b: number, y0: number, y1: number): boolean {
  const mid = (y0 + y1) / 2;
  return rules.vertical.some((r) => r.at + r.thickness / 2 > a && r.at + r.thickness / 2 < b && r.from <= mid && r.to >= mid);
}

/** What is left of a rule after wiping, read as text: never a character printed in a cell. */
const RULE_LIKE = /^[|Il1[\]丨｜!]$/;

/** A vertical rule passes within `reach` of x across the band y0–y1. */
function onRule(rules: Rules, x: number, reach: number, y0: number, y1: number): boolean {
  const mid = (y0 + y1) / 2;
  return rules.vertical.some((r) => Math.abs(r.at + r.thickness / 2 - x) <= reach + r.thickness / 2 && r.from <= mid && r.to >= mid);
}

/** A word of dots and ticks alone: dust, a seal's ring or the end of a rule, never a value (a dash or slash for nothing is kept). */
const SPECKS = /^[.,·'`"、。:;_~^*]+$/;

/** A line cut into words at rules and gaps; spaces, specks and remnants of rules are dropped. */
export function splitLine(line: OcrLine, rules: Rules): OcrWord[] {
  const em = line.textHeight;
  const words: OcrWord[] = [];
  let word: OcrWord | null = null;
  let prevEdge = -Infinity;
  let prevCentre = -Infinity;
  let spaced = false;
  for (const g of line.glyphs) {
    if (!g.text.trim()) {
      spaced = true;
      continue;
    }
    const [x0, x1] = extent(g, em);
    const centre = (x0 + x1) / 2;
    // Cells keep their text a padding away from their rules; a stroke on a rule is the rule.
    if (RULE_LIKE.test(g.text) && onRule(rules, centre, 0.25 * em, line.y0, line.y1)) {
      spaced = true;
      continue;
    }
    const gap = x0 - prevEdge;
    const cut = !word || gap > WORD_GAP * em || (spaced && gap > SPACE_GAP * em) || ruleBetween(rules, prevCentre, centre, line.y0, line.y1);
    if (cut) {
      if (word && !SPECKS.test(word.text)) words.push(word);
      word = { text: g.text, x0, x1, y0: line.y0, y1: line.y1, textHeight: em, confidence: g.confidence };
      if (g.alternatives) word.alternates = g.alternatives;
    } else {
      const alternates = joinedAlternates(word!, { text: g.text, alternates: g.alternatives });
      if (alternates) word!.alternates = alternates;
      word!.text += g.text;
      word!.x1 = Math.max(word!.x1, x1);
      word!.confidence = Math.min(word!.confidence, g.confidence);
    }
    prevEdge = x1;
    prevCentre = centre;
    spaced = false;
  }
  if (word && !SPECKS.test(word.text)) words.push(word);
  return words;
}

/** Words taller than this (× the page's usual text height) inside a table are a seal's, not the table's. */
const SEAL_HEIGHT = 1.6;

/**
 * Words inside a ruled table that stand far taller than the page's text: the characters of an
 * official seal stamped across the table (公章), its star, a signature. A table's own text is
 * all of one size; left in, a seal's character lands among a row's numbers.
 */
export function dropSealText(words: OcrWord[], rules: Rules): OcrWord[] {
  if (words.length === 0) return words;
  const heights = words.map((w) => w.textHeight).sort((a, b) => a - b);
  const usual = heights[Math.floor(heights.length / 2)];
  return words.filter((w) => w.textHeight <= SEAL_HEIGHT * usual || !cellAround(rules, (w.x0 + w.x1) / 2, w.y0, w.y1));
}

const DIGITS = /^[0-9]+$/;

/** The rules left and right of x across the band y0–y1: the cell x sits in, or null outside a ruled table. */
function cellAround(rules: Rules, x: number, y0: number, y1: number): [number, number] | null {
  const mid = (y0 + y1) / 2;
  let left = -Infinity;
  let right = Infinity;
  for (const r of rules.vertical) {
    if (r.from > mid || r.to < mid) continue;
    const at = r.at + r.thickness / 2;
    if (at < x) left = Math.max(left, at);
    else right = Math.min(right, at);
  }
  return Number.isFinite(left) && Number.isFinite(right) ? [left, right] : null;
}

/**
 * Numbers wrapped inside a narrow ruled cell: a word of digits with, right under it (less than a
 * line apart, no rule between), another word of digits in the same cell, and nothing else in
 * that cell's lines. The two are one number, read top part first, placed between the two lines
 * (where the row's other numbers sit).
 */
export function joinWrappedNumbers(words: OcrWord[], rules: Rules): OcrWord[] {
  const used = new Set<OcrWord>();
  const out: OcrWord[] = [];
  const sorted = words.slice().sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  for (const top of sorted) {
    if (used.has(top)) continue;
    const cell = DIGITS.test(top.text) ? cellAround(rules, (top.x0 + top.x1) / 2, top.y0, top.y1) : null;
    const inCell = (w: OcrWord) => cell !== null && (w.x0 + w.x1) / 2 > cell[0] && (w.x0 + w.x1) / 2 < cell[1];
    const below = cell
      ? sorted.filter((w) => w !== top && !used.has(w) && inCell(w) && w.y0 > top.y0 + top.textHeight * 0.5 && w.y0 - top.y1 < top.textHeight * 0.8)
      : [];
    const ruled = (w: OcrWord) => rules.horizontal.some((r) => r.at > top.y1 - top.textHeight * 0.3 && r.at < w.y0 + w.textHeight * 0.3 && r.from < w.x1 && r.to > w.x0);
    if (below.length === 1 && DIGITS.test(below[0].text) && !ruled(below[0])) {
      const bottom = below[0];
      used.add(bottom);
      const mid = (top.y1 + bottom.y1) / 2;
      const alternates = joinedAlternates(top, bottom);
      out.push({
        ...(alternates ? { alternates } : {}),
        text: top.text + bottom.text,
        x0: Math.min(top.x0, bottom.x0),
        x1: Math.max(top.x1, bottom.x1),
        y0: mid - (top.y1 - top.y0),
        y1: mid,
        textHeight: top.textHeight,
        confidence: Math.min(top.confidence, bottom.confidence),
      });
    } else out.push(top);
  }
  return out;
}

/** Where a page image sits on its page: pixels → PDF points (y up). */
export interface Placement {
  width: number;
  height: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The baseline sits this far below the middle of a line's box (× the text height): about the
 * same for a line of digits and one of ideographs, whatever margin the engine left around them.
 */
const BASELINE = 0.35;

/** Words in pixels → words in PDF points, as the text layer gives them, each with its confidence. */
export function toPieces(words: OcrWord[], at: Placement): Piece[] {
  const sx = (at.x1 - at.x0) / at.width;
  const sy = (at.y1 - at.y0) / at.height;
  return words.map((w) => ({
    text: w.text,
    x0: at.x0 + w.x0 * sx,
    x1: at.x0 + w.x1 * sx,
    y: at.y1 - ((w.y0 + w.y1) / 2 + BASELINE * w.textHeight) * sy,
    size: w.textHeight * sy,
    confidence: Math.round(w.confidence * 1000) / 1000,
    ...(w.alternates ? { alternates: w.alternates } : {}),
  }));
}
