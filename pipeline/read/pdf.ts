/**
 * PDF with a text layer → document model, with pdfjs-dist. Tables are rebuilt from the text
 * items' positions:
 * - rows by baseline (items within a fraction of the font size share a line);
 * - cells by horizontal gaps (characters of one cell sit close; cells are far apart);
 * - columns by x-ranges: the numbers of consecutive rows are aligned to column anchors, so a
 *   cell printed blank becomes an empty cell in its column instead of shifting the next
 *   number left. A table that continues on the next page keeps its anchors.
 * Page numbers and footers are dropped. A PDF without a text layer (a scan) is refused with
 * `no_text_layer`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { cleanText, type Block, type Cell, type DocumentModel } from './document.ts';
import { PAGE_FOOTER } from './text.ts';

const require = createRequire(import.meta.url);
const PDFJS_DIR = dirname(require.resolve('pdfjs-dist/package.json'));

interface Piece {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
}

interface Line {
  y: number;
  size: number;
  cells: Piece[];
  at: string;
}

/** Characters closer than this (× font size) belong to one cell. */
const CELL_GAP = 0.3;
/** Baselines closer than this (× font size) are one line (numbers often sit a point lower). */
const LINE_TOLERANCE = 0.45;
/** A number within this distance (× font size) of a column anchor belongs to that column. */
const ANCHOR_TOLERANCE = 0.8;
/** Fewer characters than this in the whole file: no text layer. */
const MIN_TEXT = 20;

const NUMERIC = /^[-−－+]?[0-9０-９][0-9０-９,，.．]*(?:万元|元|件|条|%)?$|^[—–\-－/／无]$/;

type TextItem = { str: string; transform: number[]; width: number };

/** Splits an item at its spaces, spreading its width over its characters. */
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

function linesOf(pieces: Piece[], page: number): Line[] {
  const sorted = pieces.slice().sort((a, b) => b.y - a.y || a.x0 - b.x0);
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
      if (last && p.x0 - last.x1 < CELL_GAP * p.size) {
        last.text += p.text;
        last.x1 = Math.max(last.x1, p.x1);
      } else cells.push({ ...p });
    }
    return { y: line.y, size: line.size, cells, at: `page ${page} line ${i + 1}` };
  });
}

const isNumeric = (c: Piece) => NUMERIC.test(c.text);

/** A running page number or footer at the top or bottom of the page. */
function isPageFurniture(line: Line, height: number): boolean {
  const text = line.cells.map((c) => c.text).join(' ');
  const nearEdge = line.y < height * 0.08 || line.y > height * 0.95;
  return PAGE_FOOTER.test(cleanText(text)) || (nearEdge && /^\d{1,3}$/.test(text.trim()));
}

interface Anchor {
  x0: number;
  xc: number;
  x1: number;
}

function distance(c: Piece, a: Anchor): number {
  return Math.min(Math.abs(c.x0 - a.x0), Math.abs((c.x0 + c.x1) / 2 - a.xc), Math.abs(c.x1 - a.x1));
}

/** Maps each number to an anchor, left to right; null when a number fits none. */
function assign(numbers: Piece[], anchors: Anchor[], size: number): number[] | null {
  const slots: number[] = [];
  let from = 0;
  for (const n of numbers) {
    let best = -1;
    for (let i = from; i < anchors.length; i++) {
      if (distance(n, anchors[i]) <= ANCHOR_TOLERANCE * size && (best < 0 || distance(n, anchors[i]) < distance(n, anchors[best]))) best = i;
    }
    if (best < 0) return null;
    slots.push(best);
    from = best + 1;
  }
  return slots;
}

const anchorOf = (c: Piece): Anchor => ({ x0: c.x0, xc: (c.x0 + c.x1) / 2, x1: c.x1 });

/**
 * Lines → blocks. A line with numbers is a table row: its labels, then one cell per column
 * anchor of the run of rows it belongs to (empty where the row printed nothing). Other lines
 * of one cell are text; header lines of several cells are rows of text cells.
 */
function blocksOf(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let anchors: Anchor[] = [];
  for (const line of lines) {
    const numbers = line.cells.filter(isNumeric);
    if (numbers.length === 0) {
      if (line.cells.length === 1) blocks.push({ kind: 'text', text: cleanText(line.cells[0].text), at: line.at });
      else blocks.push({ kind: 'table', rows: [line.cells.map((c) => ({ text: cleanText(c.text), origin: true }))], at: [line.at] });
      continue;
    }
    let slots = anchors.length ? assign(numbers, anchors, line.size) : null;
    if (!slots) {
      // A new run of rows (another table, or more columns than before): its numbers set the anchors.
      anchors = numbers.map(anchorOf);
      slots = numbers.map((_, i) => i);
    }
    const labels = line.cells.filter((c) => !isNumeric(c) && c.x1 <= numbers[0].x0 + 1);
    const trailing = line.cells.filter((c) => !isNumeric(c) && c.x1 > numbers[0].x0 + 1);
    const values: Cell[] = anchors.map(() => ({ text: '', origin: true }));
    numbers.forEach((n, i) => (values[slots![i]] = { text: n.text, origin: true }));
    const row: Cell[] = [...labels.map((c) => ({ text: cleanText(c.text), origin: true })), ...values, ...trailing.map((c) => ({ text: cleanText(c.text), origin: true }))];
    blocks.push({ kind: 'table', rows: [row], at: [line.at] });
  }
  return blocks;
}

interface PdfJs {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfDocument> };
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<{ getViewport(o: { scale: number }): { height: number }; getTextContent(): Promise<{ items: unknown[] }>; cleanup(): void }>;
  destroy(): Promise<void>;
}

let pdfjs: Promise<PdfJs> | undefined;
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs') as unknown as Promise<PdfJs>);

export async function readPdf(bytes: Uint8Array, format = 'pdf'): Promise<DocumentModel> {
  const { getDocument } = await loadPdfJs();
  let doc: PdfDocument;
  try {
    doc = await getDocument({
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
  try {
    const lines: Line[] = [];
    let chars = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const height = page.getViewport({ scale: 1 }).height;
      const content = await page.getTextContent();
      const pieces = (content.items as TextItem[]).filter((i) => typeof i.str === 'string' && i.str.trim()).flatMap(piecesOf);
      chars += pieces.reduce((a, p) => a + p.text.length, 0);
      lines.push(...linesOf(pieces, n).filter((l) => !isPageFurniture(l, height)));
      page.cleanup();
    }
    if (chars < MIN_TEXT) {
      throw new InputError('no_text_layer', `the PDF has ${doc.numPages} page(s) but no text layer (a scan or images): it needs OCR, which is not done yet`);
    }
    return { format, meta: {}, blocks: blocksOf(lines) };
  } finally {
    await doc.destroy();
  }
}
