/**
 * The document model every reader produces: a sequence of blocks, each a line of prose or a
 * table given as a grid of cell texts (rowspan/colspan already expanded). Parsing works on
 * this model only, whatever the file format was.
 */
import type { Warning } from '../model/record.ts';

export interface Cell {
  text: string;
  /** False for a grid position filled by another cell's rowspan or colspan. */
  origin: boolean;
  /** Where the text sits on the page (PDF): lets the parser align numbers to columns. */
  box?: Box;
}

/** Horizontal extent and font size of a cell's text, in PDF points. */
export interface Box {
  x0: number;
  x1: number;
  size: number;
  /** Read by OCR: the engine's confidence in the cell's weakest character, 0–1. */
  confidence?: number;
  /** Read by OCR: the cell's other readings, each with one doubtful character as the engine's second choice. */
  alternates?: string[];
}

export interface TextBlock {
  kind: 'text';
  text: string;
  /** Where it was read: "line 12", "paragraph 4". */
  at: string;
  /** Where it sits on the page (PDF): a header word alone on its line still marks its column. */
  box?: Box;
}

export interface TableBlock {
  kind: 'table';
  rows: Cell[][];
  /** One location per row: "table 2 row 5", "line 63". */
  at: string[];
}

export type Block = TextBlock | TableBlock;

export interface DocumentMeta {
  /** The page's or dump's own title (HTML <title>, a crawler's 标题: line). */
  title?: string;
  url?: string;
  published_at?: string;
  publisher?: string;
}

export interface DocumentModel {
  format: string;
  meta: DocumentMeta;
  blocks: Block[];
  /** What reading the bytes found worth saying (text decoded with replacements); the record carries it. */
  warnings?: Warning[];
}

/** Whitespace that real pages put in cells and prose: NBSP, ideographic space, zero-width marks. */
export const SPACE_LIKE = /[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+/g;

/** SPACE_LIKE without the g flag: a test keeps no position between calls. */
const HAS_SPACE_LIKE = new RegExp(SPACE_LIKE.source);

export function cleanText(text: string): string {
  // Most cell texts (a number, a short label) hold no space at all: nothing to replace or trim.
  return HAS_SPACE_LIKE.test(text) ? text.replace(SPACE_LIKE, ' ').trim() : text;
}

/**
 * CJK radicals some PDF fonts map their glyphs to (⼈ ⺠ ⾸⻚ for 人 民 首页): the Kangxi radicals
 * become ideographs by NFKC; the radicals supplement has no such mapping, so its common forms
 * are listed here, one row per character.
 */
const RADICAL_FORMS: Record<string, string> = {
  '⺟': '母', '⺠': '民', '⺬': '示', '⺮': '竹', '⺳': '网', '⺶': '羊', '⻄': '西', '⻅': '见', '⻆': '角',
  '⻈': '讠', '⻉': '贝', '⻊': '足', '⻋': '车', '⻌': '辶', '⻍': '辶', '⻏': '阝', '⻐': '金', '⻑': '長',
  '⻓': '长', '⻔': '门', '⻕': '門', '⻖': '阝', '⻗': '雨', '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风',
  '⻜': '飞', '⻝': '食', '⻞': '饣', '⻟': '食', '⻠': '饣', '⻡': '首', '⻢': '马', '⻣': '骨', '⻤': '鬼',
  '⻥': '鱼', '⻦': '鸟', '⻧': '鸟', '⻨': '麦', '⻩': '黄', '⻪': '黾', '⻫': '齐', '⻬': '齐', '⻭': '齿',
  '⻮': '齿', '⻯': '龙', '⻰': '龍', '⻱': '龜', '⻲': '龟', '⻳': '龟', '⺇': '几', '⺌': '小', '⺍': '小',
  '⺝': '月', '⺡': '水', '⺢': '水', '⺣': '火', '⺤': '爪', '⺥': '爪', '⺩': '王', '⺪': '疋', '⺫': '目',
  '⺯': '糸', '⺰': '纟', '⺸': '羊', '⺾': '艹', '⺿': '艹', '⻀': '艹', '⻁': '虎', '⻂': '衣', '⻃': '覀',
};
const RADICALS = /[\u2e80-\u2eff\u2f00-\u2fdf]/;
const RADICAL_CHARS = /[\u2e80-\u2eff\u2f00-\u2fdf]/g;

/** Text with radicals standing for ideographs mapped back to the ideographs. */
export function unifyRadicals(text: string): string {
  if (!RADICALS.test(text)) return text;
  return text.replace(RADICAL_CHARS, (c) => RADICAL_FORMS[c] ?? c.normalize('NFKC'));
}
