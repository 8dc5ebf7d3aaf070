/**
 * PDF with a text layer → document model. The words and their positions come from
 * pdf-text.ts, which reads common files directly (fast: it never opens font programs), or from
 * pdfjs-dist for every other file. Tables are rebuilt from the words' positions:
 * - rows by baseline (items within a fraction of the font size share a line);
 * - cells by horizontal gaps (characters of one cell sit close; cells are far apart);
 * - every cell keeps its x-range, so that the parser can put the numbers of a row under their
 *   columns (parse/columns.ts) and a cell printed blank stays blank in its column;
 * - a number wrapped inside a narrow cell is joined back into its row.
 * Page numbers and footers are dropped. Pages without a text layer (scans) are read by OCR when
 * it is enabled (ocr.ts); a PDF without text even so is refused with `no_text_layer`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { DEFAULT_FILE_LIMITS } from '../model/limits.ts';
import type { Warning } from '../model/record.ts';
import { cleanText, unifyRadicals, type Block, type Cell, type DocumentModel } from './document.ts';
import { noTextMessage, readScannedPages, type OcrOptions } from './ocr.ts';
import { joinedAlternates, readTextLayer, type PageText, type PdfLimits, type Piece } from './pdf-text.ts';
import { PAGE_FOOTER } from './text.ts';

const require = createRequire(import.meta.url);
const PDFJS_DIR = dirname(require.resolve('pdfjs-dist/package.json'));

interface Line {
  y: number;
  size: number;
  cells: Piece[];
  at: string;
}

/** Characters closer than this (× font size) belong to one cell. */
const CELL_GAP = 0.3;
/**
 * Digits closer than this belong to one number. The digits of a number sit next to each other
 * (their pieces touch); a gap as wide as a space between two runs of digits is two numbers in
 * neighbouring cells, and joining them would print a number nobody wrote.
 */
const DIGIT_GAP = 0.12;
const ENDS_IN_DIGIT = /[0-9０-９]$/;
const STARTS_WITH_DIGIT = /^[0-9０-９]/;
/** Baselines closer than this (× font size) are one line (numbers often sit a point lower). */
const LINE_TOLERANCE = 0.45;
/** Fewer characters than this in the whole file: no text layer. */
const MIN_TEXT = 20;

const UNIT = /^(?:万元|亿元|元|件|条|个|%)$/;
const NUMERIC = /^[-−－+]?[0-9０-９][0-9０-９,，.．]*(?:万元|元|件|条|%)?$|^[—–\-－/／无]$/;

type TextItem = { str: string; transform: number[]; width: number };

/** Splits a pdfjs text item at its spaces, spreading its width over its characters. */
function piecesOf(item: TextItem): Piece[] {
  const size = Math.hypot(item.transform[2], item.transform[3]) || Math.abs(item.transform[0]) || 10;
  const x = item.transform[4];
  const y = item.transform[5];
  const chars = [...item.str];
  const step = chars.length ? item.width / chars.length : 0;
  const out: Piece[] = [];
  let start = -1;
  chars.forEach((ch, i) => {
    const space = /\s/.test(ch);
    if (!space && start < 0) start = i;
    if ((space || i === chars.length - 1) && start >= 0) {
      const end = space ? i : i + 1;
      out.push({ text: chars.slice(start, end).join(''), x0: x + start * step, x1: x + end * step, y, size });
      start = -1;
    }
  });
  return out;
}

const isNumeric = (c: Piece) => NUMERIC.test(c.text);

function linesOf(pieces: Piece[], page: number): Line[] {
  const sorted = pieces.map((p) => ({ ...p, text: unifyRadicals(p.text) })).sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const lines: { y: number; size: number; pieces: Piece[] }[] = [];
  for (const p of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs(line.y - p.y) <= LINE_TOLERANCE * Math.max(line.size, p.size)) line.pieces.push(p);
    else lines.push({ y: p.y, size: p.size, pieces: [p] });
  }
  return lines.map((line, i) => {
    const cells: Piece[] = [];
    for (const p of line.pieces.sort((a, b) => a.x0 - b.x0)) {
      const last = cells.at(-1);
      // A unit printed apart from its number (251000 元) still belongs to it.
      const unitOfLast = last && UNIT.test(p.text) && isNumeric(last) && p.x0 - last.x1 < 1.5 * p.size;
      const gap = last ? p.x0 - last.x1 : Infinity;
      const digits = last !== undefined && ENDS_IN_DIGIT.test(last.text) && STARTS_WITH_DIGIT.test(p.text);
      if (last && (gap < (digits ? DIGIT_GAP : CELL_GAP) * p.size || unitOfLast)) {
        const alternates = joinedAlternates(last, p);
        if (alternates) last.alternates = alternates;
        last.text += p.text;
        last.x1 = Math.max(last.x1, p.x1);
        if (p.cut) last.cut = true;
        if (p.confidence !== undefined) last.confidence = Math.min(last.confidence ?? 1, p.confidence);
      } else cells.push({ ...p });
    }
    return { y: line.y, size: line.size, cells, at: `page ${page} line ${i + 1}` };
  });
}


/**
 * A running page number or footer at the top or bottom of the page, and what a browser prints
 * there: the print time and the page's title above, its address and the page count below.
 */
function isPageFurniture(line: Line, height: number): boolean {
  const text = line.cells.map((c) => c.text).join(' ');
  const nearEdge = line.y < height * 0.08 || line.y > height * 0.95;
  if (PAGE_FOOTER.test(cleanText(text))) return true;
  if (!nearEdge) return false;
  return /^\d{1,3}$/.test(text.trim()) || PRINT_FURNITURE.some((re) => re.test(text.trim()));
}

/** A browser's print header and footer, as rows: the time printed, the address, the page count. */
const PRINT_FURNITURE = [
  // The date and time, in the forms browsers print them by locale: 2023/8/4 18:16,
  // 12/7/26, 2:49 PM, 2023-08-04 18:16, 04.08.23, 18:16, 2023年8月4日 下午6:16.
  /^(?:\d{4}[/-]\d{1,2}[/-]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日)[,，]?\s*(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s|$)/,
  /^(?:file|https?):\/\/\S+(?:\s+\d+\s*\/\s*\d+)?$/,
];

/**
 * Numbers that run on past the page's right edge (a table wider than its page): the file holds
 * only their first digits. Each becomes an unreadable value (？), so that its cell is null and
 * the numbers left of it keep their columns, and is named in a warning.
 */
function markCutNumbers(lines: Line[]): Warning[] {
  const warnings: Warning[] = [];
  for (const line of lines) {
    for (const cell of line.cells) {
      if (!cell.cut || !/[0-9０-９]/.test(cell.text)) continue;
      warnings.push({ code: 'table_clipped', where: line.at, message: `a number runs past the page's right edge and is cut off (the file holds "${cell.text}"): its cell is null` });
      cell.text = '？';
    }
  }
  return warnings;
}

const toCell = (c: Piece): Cell => ({
  text: cleanText(c.text),
  origin: true,
  box: c.confidence === undefined ? { x0: c.x0, x1: c.x1, size: c.size } : { x0: c.x0, x1: c.x1, size: c.size, confidence: c.confidence, ...(c.alternates ? { alternates: c.alternates.map(cleanText) } : {}) },
});

/**
 * A number too wide for its cell wraps: "50" on the line above the row's numbers and "4" on
 * the line below, in the same column (504). The row's one-line cells sit halfway between, so
 * the three lines are evenly spaced; the fragments sit in gaps of the row and pair up above
 * and below, box over box. They are joined back into the row (top part first); label text on
 * those lines (a label wrapped the same way) stays where it is.
 */
function joinWrappedNumbers(lines: Line[]): Line[] {
  const numbersY = (l: Line) => {
    const ys = l.cells.filter(isNumeric).map((c) => c.y);
    return ys.reduce((a, b) => a + b, 0) / ys.length;
  };
  const samePage = (a: Line, b: Line) => a.at.split(' line')[0] === b.at.split(' line')[0];
  const overlaps = (a: Piece, b: Piece) => a.x0 < b.x1 && b.x0 < a.x1;
  const drop = new Set<Line>();
  // The nearest line above or below with a number, past lines of label text only (a row-group
  // label printed down its own column interleaves its characters with the rows).
  const neighbour = (i: number, step: -1 | 1, size: number): Line | undefined => {
    for (let j = i + step; j >= 0 && j < lines.length; j += step) {
      if (!samePage(lines[j], lines[i]) || Math.abs(lines[j].y - numbersY(lines[i])) > 2 * size) return undefined;
      if (lines[j].cells.some(isNumeric)) return Math.abs(numbersY(lines[j]) - numbersY(lines[i])) <= 1.5 * size ? lines[j] : undefined;
    }
    return undefined;
  };
  lines.forEach((line, i) => {
    const numbers = line.cells.filter(isNumeric);
    if (!numbers.length || drop.has(line)) return;
    const above = neighbour(i, -1, line.size);
    const below = neighbour(i, 1, line.size);
    if (!above || !below || drop.has(above)) return;
    // Measured on the numbers: a label character of another column can share the line.
    const up = numbersY(above) - numbersY(line);
    const down = numbersY(line) - numbersY(below);
    const size = Math.max(above.size, line.size, below.size);
    if (up <= 0 || down <= 0 || up > 1.5 * size || down > 1.5 * size || Math.abs(up - down) > 0.25 * size) return;
    const tops = above.cells.filter(isNumeric);
    const bottoms = below.cells.filter(isNumeric);
    if (!tops.length || tops.length !== bottoms.length) return;
    // Label text on the fragment lines must lie left of the row's numbers.
    const firstNumber = Math.min(...numbers.map((c) => c.x0));
    if ([...above.cells, ...below.cells].some((c) => !isNumeric(c) && c.x1 > firstNumber)) return;
    const pairs = tops.map((t) => [t, bottoms.find((b) => overlaps(t, b))] as const);
    if (pairs.some(([t, b]) => !b || numbers.some((c) => overlaps(c, t)))) return;
    if (new Set(pairs.map(([, b]) => b)).size !== pairs.length) return;
    for (const [t, b] of pairs) {
      const joined = { ...t, text: t.text + b!.text, x0: Math.min(t.x0, b!.x0), x1: Math.max(t.x1, b!.x1), y: line.y };
      if (b!.confidence !== undefined) joined.confidence = Math.min(t.confidence ?? 1, b!.confidence);
      const alternates = joinedAlternates(t, b!);
      if (alternates) joined.alternates = alternates;
      line.cells.push(joined);
    }
    line.cells.sort((a, b) => a.x0 - b.x0);
    above.cells = above.cells.filter((c) => !tops.includes(c));
    below.cells = below.cells.filter((c) => !bottoms.includes(c));
    if (!above.cells.length) drop.add(above);
    if (!below.cells.length) drop.add(below);
  });
  return lines.filter((l) => !drop.has(l));
}

/** Lines → blocks: a line of one cell is text; a line of several cells is a table row. */
function blocksOf(lines: Line[]): Block[] {
  return joinWrappedNumbers(lines).map((line): Block =>
    line.cells.length === 1 && !isNumeric(line.cells[0])
      ? { kind: 'text', text: cleanText(line.cells[0].text), at: line.at, box: toCell(line.cells[0]).box }
      : { kind: 'table', rows: [line.cells.map(toCell)], at: [line.at] },
  );
}

interface PdfJs {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfDocument> };
  OPS: Record<string, number>;
}
export interface PdfPage {
  getViewport(o: { scale: number }): { height: number; width: number };
  getTextContent(): Promise<{ items: unknown[] }>;
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: { get(id: string, callback: (data: unknown) => void): void };
  commonObjs: { get(id: string, callback: (data: unknown) => void): void };
  cleanup(): void;
}
export interface PdfDocument {
  numPages: number;
  getMetadata(): Promise<{ info?: unknown }>;
  getPage(n: number): Promise<PdfPage>;
  destroy(): Promise<void>;
}

/**
 * pdfjs-dist's Node build carries core-js polyfills that replace some built-ins even where
 * Node has them (Array.prototype.push, JSON.parse/stringify, Function.prototype.toString),
 * which slows every array push and JSON call in the whole process. Built-ins it replaces are
 * put back after loading; those it adds (Promise.withResolvers, Set methods…) stay, pdfjs
 * needs them on Node 20.
 */
const PROTECTED: object[] = [Array.prototype, Array, Object, Object.prototype, JSON, Function.prototype, String.prototype, Math, Reflect, Promise, Promise.prototype];

async function importKeepingBuiltins(): Promise<PdfJs> {
  const saved = PROTECTED.map((target) => new Map(Reflect.ownKeys(target).map((k) => [k, Object.getOwnPropertyDescriptor(target, k)!])));
  const lib = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as PdfJs;
  // The parsing half of pdfjs, loaded here (not lazily by pdfjs itself) so that its polyfills
  // are undone too; pdfjs uses a worker module it finds on globalThis instead of loading one.
  const worker: string = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(worker);
  PROTECTED.forEach((target, i) => {
    for (const [key, before] of saved[i]) {
      const now = Object.getOwnPropertyDescriptor(target, key);
      if (now && (now.value !== before.value || now.get !== before.get || now.set !== before.set)) Object.defineProperty(target, key, before);
    }
  });
  return lib;
}

let pdfjs: Promise<PdfJs> | undefined;
export const loadPdfJs = () => (pdfjs ??= importKeepingBuiltins());

/** The file opened by pdfjs (the caller destroys it), or the reason it cannot be. */
export async function openPdfJs(bytes: Uint8Array): Promise<PdfDocument> {
  const { getDocument } = await loadPdfJs();
  try {
    return await getDocument({
      data: new Uint8Array(bytes),
      cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
      cMapPacked: true,
      standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new InputError('unreadable', 'the PDF is encrypted with a password');
    throw new InputError('unreadable', `not a readable PDF: ${(err as Error).message}`);
  }
}

/** The words of every page, through pdfjs (files pdf-text.ts leaves to it). */
async function readWithPdfJs(bytes: Uint8Array, limits: PdfLimits): Promise<{ pages: PageText[]; title?: string }> {
  const doc = await openPdfJs(bytes);
  try {
    if (doc.numPages > limits.pdfPages) throw new InputError('too_large', `the PDF has ${doc.numPages} pages, more than the limit of ${limits.pdfPages} (--max-pdf-pages)`);
    const pages: PageText[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const height = page.getViewport({ scale: 1 }).height;
      const content = await page.getTextContent();
      pages.push({ height, pieces: (content.items as TextItem[]).filter((i) => typeof i.str === 'string' && i.str.trim()).flatMap(piecesOf) });
      page.cleanup();
    }
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    return { pages, title: typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined };
  } finally {
    await doc.destroy();
  }
}

/**
 * `engine`: 'auto' reads the text layer directly and leaves to pdfjs the files it cannot;
 * 'pdfjs' always uses pdfjs (the tests hold the two to the same records).
 */
export async function readPdf(
  bytes: Uint8Array,
  format = 'pdf',
  engine: 'auto' | 'pdfjs' = 'auto',
  limits: PdfLimits = DEFAULT_FILE_LIMITS,
  ocr?: OcrOptions,
): Promise<DocumentModel> {
  const layer = engine === 'auto' ? readTextLayer(bytes, limits) : null;
  const { pages, title } = layer && 'pages' in layer ? layer : await readWithPdfJs(bytes, limits);
  // Pages without a text layer go to OCR, which adds the words it reads to them.
  const scan = await readScannedPages(bytes, pages, ocr);
  const lines: Line[] = [];
  let chars = 0;
  pages.forEach((page, i) => {
    chars += page.pieces.reduce((a, p) => a + p.text.length, 0);
    lines.push(...linesOf(page.pieces, i + 1).filter((l) => !isPageFurniture(l, page.height)));
  });
  if (chars < MIN_TEXT) throw new InputError(scan.engine ? 'empty_file' : 'no_text_layer', noTextMessage(pages.length, scan));
  const warnings = markCutNumbers(lines);
  return {
    format: scan.read.length ? `${format} (ocr: ${scan.engine})` : format,
    meta: title ? { title } : {},
    blocks: blocksOf(lines),
    ...(warnings.length ? { warnings } : {}),
  };
}
