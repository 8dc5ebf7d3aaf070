/**
 * A report's web page as it ends up in a PDF from three producers: a reader's browser printing
 * the page (Chromium), LibreOffice Writer/Web opening the page directly, and the page saved as a
 * Word file with the agency's narrow columns, exported by Writer. The page keeps its site chrome
 * (header, navigation, breadcrumb, footer) and gets the site's stylesheet: a font (Noto Sans or
 * Serif CJK), sizes, page margins and the tables' column widths, all drawn from the report's rng.
 *
 * Everything the truth needs follows from the HTML alone, never from a converted file: the page
 * geometry is computed here. Writer cuts a table wider than the paper at the paper's edge (glyphs
 * past it are not written at all); a clipped table is laid out so that the edge falls between two
 * columns with room to spare on both sides (every value is centred in its cell), so each value is
 * either wholly on the paper or wholly gone, and the gone ones are listed as `unreadable`.
 */
import type { TableCode } from '../model/codes.ts';
import { TABLE_CODES } from '../model/codes.ts';
import type { Cell, Grid } from './grid.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import { renderHtml, type HtmlLook, type PageInfo } from './render-html.ts';

export type Producer = 'chromium' | 'writer-web' | 'writer-docx';

export interface PrintDoc {
  title: string;
  blocks: Block[];
  grids: Record<TableCode, Grid>;
  page: PageInfo;
}

export interface PrintPage {
  html: string;
  quirks: string[];
  /** "table.row.column" of the cells the paper's edge cuts off, in template order. */
  unreadable: string[];
}

const PT_PER_MM = 72 / 25.4;
/** A4 portrait, the paper every producer here prints on. */
export const PAGE_WIDTH_PT = 210 * PT_PER_MM;
/** CSS and HTML pixels: 96 to the inch. */
const PT_PER_PX = 0.75;
/** How far every value of a clipped table stays from the paper's edge, on either side. */
export const CLIP_CLEARANCE_PT = 6;

/**
 * Digit widths in em, 0 to 9: Noto Sans CJK's Latin (tabular), Noto Serif CJK's (a narrow 1),
 * and DejaVu Serif, which stands in for the Times New Roman of Word-pasted cells.
 */
const DIGIT_EM = {
  sans: [0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555, 0.555],
  serif: [0.556, 0.471, 0.558, 0.556, 0.554, 0.558, 0.558, 0.548, 0.557, 0.561],
  dejavu: [0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636],
} as const;
type Digits = keyof typeof DIGIT_EM;

/** Advance width in em of a cell's text: CJK and full-width forms 1, digits as the font draws them. */
function textEm(text: string, digits: Digits): number {
  let w = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') w += DIGIT_EM[digits][ch.charCodeAt(0) - 48];
    else if (ch === ',' || ch === '.') w += 0.33;
    else if (ch === '-' || ch === '/') w += 0.45;
    else if (ch === ' ' || ch === '\u00a0') w += 0.3;
    else if (ch.charCodeAt(0) < 0x2000) w += 0.65;
    else w += 1;
  }
  return w;
}

interface Placed {
  cell: Cell;
  row: number;
  col: number;
  span: number;
}

/** Each cell's first grid column, the table's rowspans taken into account. */
function place(grid: Grid): { cells: Placed[]; columns: number } {
  const taken: boolean[][] = [];
  const cells: Placed[] = [];
  let columns = 0;
  grid.forEach((row, r) => {
    let c = 0;
    for (const cell of row) {
      while (taken[r]?.[c]) c++;
      const cs = cell.cs ?? 1;
      for (let dr = 0; dr < (cell.rs ?? 1); dr++) for (let dc = 0; dc < cs; dc++) (taken[r + dr] ??= [])[c + dc] = true;
      cells.push({ cell, row: r, col: c, span: cs });
      c += cs;
      columns = Math.max(columns, c);
    }
  });
  return { cells, columns };
}

/** How the site's stylesheet and the print settings set the page. */
interface Sheet {
  producer: Producer;
  serif: boolean;
  bodyPt: number;
  /** The tables' text as printed (Word-pasted cells carry their own 10.5 pt). */
  cellPt: number;
  /** The font the tables' digits are drawn in. */
  digits: Digits;
  /** Left and right padding of a cell, and the cellpadding attribute that gives it. */
  padPt: number;
  padPx: number;
  /** Page margins in mm: top, right, bottom, left. */
  margins: [number, number, number, number];
}

const contentWidthPt = (s: Sheet) => PAGE_WIDTH_PT - (s.margins[1] + s.margins[3]) * PT_PER_MM;

/** One table as laid out: its column widths in pt (what the quirks are computed from) and its opening markup. */
interface TableLayout {
  widthsPt: number[];
  /** Left and right padding of its cells. */
  padPt: number;
  open: string;
  /** Grid columns from this index on are past the paper's edge. */
  cutAt?: number;
}

function openTag(padPx: number, width: string, cols: string[]): string {
  return `<table border="1" cellspacing="0" cellpadding="${padPx}" width="${width}" style="border-collapse:collapse"><colgroup>${cols.map((w) => `<col width="${w}">`).join('')}</colgroup>`;
}

/** Relative column widths: label columns share `labelShare`, the value columns split the rest evenly. */
function shares(table: TableCode, columns: number, labelShare: number): number[] {
  if (table === 'review_litigation') return Array.from({ length: columns }, () => 1 / columns);
  const labels = table === 'applications' ? [0.17, 0.23, 0.6].map((f) => f * labelShare) : [labelShare];
  const values = columns - labels.length;
  return [...labels, ...Array.from({ length: values }, () => (1 - labelShare) / values)];
}

/** A table that fits the text width: percentages of it. */
function fitLayout(s: Sheet, table: TableCode, columns: number, labelShare: number): TableLayout {
  const f = shares(table, columns, labelShare);
  const cw = contentWidthPt(s);
  return { widthsPt: f.map((x) => x * cw), padPt: s.padPt, open: openTag(s.padPx, '100%', f.map((x) => `${(x * 100).toFixed(2)}%`)) };
}

/** A table of fixed pixel widths (which Writer keeps even past the paper's edge). */
function pxLayout(s: Sheet, px: number[]): TableLayout {
  const total = px.reduce((a, b) => a + b, 0);
  return { widthsPt: px.map((w) => w * PT_PER_PX), padPt: s.padPt, open: openTag(s.padPx, String(total), px.map(String)) };
}

/**
 * A table cut at the paper's edge after grid column `cutAt`, without cellpadding: Writer then
 * keeps the pixel widths exactly (with padding it widens narrow columns at the expense of wide
 * ones, by an amount that depends on the padding), so the edge falls where it was put.
 */
function cutLayout(px: number[], cutAt: number): TableLayout {
  const total = px.reduce((a, b) => a + b, 0);
  return { widthsPt: px.map((w) => w * PT_PER_PX), padPt: 0, open: openTag(0, String(total), px.map(String)), cutAt };
}

/** Splits a whole number of pixels by shares, the parts summing to it exactly. */
function splitPx(total: number, f: number[]): number[] {
  const sum = f.reduce((a, b) => a + b, 0);
  const out = f.map((x) => Math.floor((total * x) / sum));
  out[0] += total - out.reduce((a, b) => a + b, 0);
  return out;
}

/** The widest printed value of a table, in pt. */
function widestValuePt(s: Sheet, grid: Grid): number {
  let em = 0;
  for (const row of grid) for (const c of row) if (c.value) em = Math.max(em, textEm(c.text, s.digits));
  return em * s.cellPt;
}

/**
 * Writer/Web with tables wider than the paper. The review table's fifteen equal columns are cut
 * after `k` of them by choosing the left margin; table 3's label columns are sized so that its
 * cut falls between two value columns too. A table that cannot be cut cleanly within sensible
 * margins (very wide numbers) is laid out to fit instead.
 */
function clippedLayouts(rng: Rng, s: Sheet, doc: PrintDoc): Partial<Record<TableCode, TableLayout>> {
  const out: Partial<Record<TableCode, TableLayout>> = {};
  const minPx = (t: TableCode) => Math.ceil((widestValuePt(s, doc.grids[t]) + 2 * CLIP_CLEARANCE_PT) / PT_PER_PX);
  const clipReview = rng.chance(0.85);
  const clipApps = !clipReview || rng.chance(0.6);
  let x0 = s.margins[3] * PT_PER_MM;
  if (clipReview) {
    const w = Math.max(minPx('review_litigation'), rng.int(56, 80));
    const wPt = w * PT_PER_PX;
    // Columns that fit beside a left margin of 12-35 mm; the margin then puts the edge exactly after k of them.
    const kMax = Math.min(14, Math.floor((PAGE_WIDTH_PT - 12 * PT_PER_MM) / wPt));
    const kMin = Math.max(1, Math.ceil((PAGE_WIDTH_PT - 35 * PT_PER_MM) / wPt));
    if (kMin <= kMax) {
      const k = rng.int(kMin, kMax);
      x0 = PAGE_WIDTH_PT - k * wPt;
      s.margins[3] = Math.round((x0 / PT_PER_MM) * 100) / 100;
      x0 = s.margins[3] * PT_PER_MM;
      out.review_litigation = cutLayout(Array.from({ length: 15 }, () => w), k);
    }
  }
  if (clipApps) {
    const w = Math.max(minPx('applications'), rng.int(60, 100));
    // Label columns of 170-380 px; the values after the k-th are past the edge.
    const room = (PAGE_WIDTH_PT - x0) / PT_PER_PX;
    const ks = [1, 2, 3, 4, 5, 6].filter((k) => room - k * w >= 170 && room - k * w <= 380);
    if (ks.length) {
      const k = rng.pick(ks);
      const labels = Math.round(room - k * w);
      out.applications = cutLayout([...splitPx(labels, [0.17, 0.23, 0.6]), ...Array.from({ length: 7 }, () => w)], 3 + k);
    }
  }
  return out;
}

/** Word with narrow value columns: `fit` digits fit on a line, longer numbers wrap inside their cell. The widths are the same for tables 3 and 4 (unless 4 needs narrower ones to fit the page). */
function narrowLayouts(rng: Rng, s: Sheet, doc: PrintDoc): Partial<Record<TableCode, TableLayout>> {
  const cwPx = Math.floor(contentWidthPt(s) / PT_PER_PX);
  const fit = rng.weighted([
    [2, 25],
    [3, 50],
    [4, 25],
  ] as const);
  // Half a digit to spare each way, so a number either fits or clearly wraps; a width that leaves
  // some printed number (with its separators) within a point of filling the line is widened.
  const values = [...doc.grids.applications, ...doc.grids.review_litigation].flat().filter((c) => c.value).map((c) => textEm(c.text, s.digits) * s.cellPt);
  const clear = (px: number) => values.every((v) => Math.abs(px * PT_PER_PX - 2 * s.padPt - 1 - v) > 1);
  let w = Math.ceil(((fit + 0.5) * DIGIT_EM[s.digits][0] * s.cellPt + 2 * s.padPt + 1) / PT_PER_PX);
  while (!clear(w)) w++;
  let wReview = Math.min(w, Math.floor(cwPx / 15));
  while (!clear(wReview)) wReview--;
  const layouts: Partial<Record<TableCode, TableLayout>> = {};
  layouts.review_litigation = pxLayout(s, Array.from({ length: 15 }, () => wReview));
  const labels = Math.min(cwPx - 7 * w, rng.int(200, 360));
  layouts.applications = pxLayout(s, [...splitPx(labels, [0.17, 0.23, 0.6]), ...Array.from({ length: 7 }, () => w)]);
  const proactiveColumns = place(doc.grids.proactive).columns;
  layouts.proactive = pxLayout(s, splitPx(cwPx - rng.int(0, 60), shares('proactive', proactiveColumns, rng.pick([0.3, 0.35, 0.4]))));
  return layouts;
}

/** Chromium laying out a table wider than the paper: the whole page is printed smaller to fit (up to 4/3). */
function wideLayout(s: Sheet, table: TableCode, columns: number, factor: number, labelShare: number): TableLayout {
  const px = Math.round((contentWidthPt(s) / PT_PER_PX) * factor);
  return pxLayout(s, splitPx(px, shares(table, columns, labelShare)));
}

const FAMILIES = { sans: '"Noto Sans CJK SC", "Noto Sans CJK", sans-serif', serif: '"Noto Serif CJK SC", "Noto Serif CJK", serif' };

/** The date a reader printed the page (the browser's header), some days after publication. */
function printedAt(rng: Rng, publishedAt: string): string {
  const d = new Date(`${publishedAt}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rng.int(0, 400));
  const hh = String(rng.int(8, 18)).padStart(2, '0');
  const mm = String(rng.int(0, 59)).padStart(2, '0');
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()} ${hh}:${mm}`;
}

const cssString = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function stylesheet(s: Sheet, marginBoxes: string): string {
  const [t, r, b, l] = s.margins;
  return `@page { size: A4; margin: ${t}mm ${r}mm ${b}mm ${l}mm;${marginBoxes} }
body { font-family: ${FAMILIES[s.serif ? 'serif' : 'sans']}; font-size: ${s.bodyPt}pt; line-height: 1.5; }
.logo a { font-size: 18pt; font-weight: bold; color: #b5121b; text-decoration: none; }
.nav { list-style: none; padding: 0; }
.nav li { display: inline; margin-right: 1.5em; }
.crumb { font-size: 9pt; color: #555555; }
.article-title { font-size: ${s.bodyPt + 4}pt; text-align: center; }
.article-info { font-size: 9pt; color: #666666; text-align: center; }
.article-info span { margin: 0 0.8em; }
table { border-collapse: collapse; }
td { font-size: ${s.cellPt}pt; text-align: center; vertical-align: middle; }
.footer { font-size: 9pt; text-align: center; color: #555555; }
`;
}

/** Header rows' cells (no value in their row) wider than their column, or values wider than theirs. */
function wraps(s: Sheet, grid: Grid, { widthsPt, padPt }: TableLayout): { header: boolean; number: boolean } {
  const { cells } = place(grid);
  const valueRows = new Set(cells.filter((p) => p.cell.value).map((p) => p.row));
  let header = false;
  let number = false;
  for (const p of cells) {
    const room = widthsPt.slice(p.col, p.col + p.span).reduce((a, b) => a + b, 0) - 2 * padPt - 1;
    const need = textEm(p.cell.text, s.digits) * s.cellPt;
    if (p.cell.value && need > room) number = true;
    if (!p.cell.value && !valueRows.has(p.row) && need > room) header = true;
  }
  return { header, number };
}

export function renderPrintPage(rng: Rng, doc: PrintDoc, producer: Producer): PrintPage {
  const quirks: string[] = [{ chromium: 'pdf_chromium', 'writer-web': 'pdf_lo_html', 'writer-docx': 'pdf_lo_docx' }[producer]];
  // Word files carry the article only; a page saved from the site keeps its chrome.
  const frame: HtmlLook['frame'] = producer === 'writer-docx' && rng.chance(0.6) ? 'bare' : 'page';
  // Word-pasted cells print values in Times New Roman at 10.5 pt, which Writer's Word export would keep; the narrow Word columns are sized for the site's own font.
  const cells = rng.weighted<HtmlLook['cells']>([
    ['plain', 40],
    ['p', 35],
    ['word', producer === 'writer-docx' ? 0 : 25],
  ]);
  const serif = rng.chance(0.5);
  const word = cells === 'word';
  const padPx = word ? 0 : rng.pick([2, 3, 4, 6]);
  // Word-pasted cells carry padding:0 5.4pt, which browsers honour and Writer ignores.
  const sideMm = () => rng.int(producer === 'chromium' ? 8 : 12, 30);
  const sheet: Sheet = {
    producer,
    serif,
    bodyPt: rng.pick([10.5, 12, 14]),
    cellPt: word ? 10.5 : rng.pick([7.5, 9, 10.5]),
    digits: word ? 'dejavu' : serif ? 'serif' : 'sans',
    padPt: word && producer === 'chromium' ? 5.4 : padPx * PT_PER_PX,
    padPx,
    margins: [rng.int(12, 25), sideMm(), rng.int(12, 25), sideMm()],
  };
  quirks.push(serif ? 'font_serif' : 'font_sans', `frame_${frame}`, `cells_${cells}`);

  const columns = Object.fromEntries(TABLE_CODES.map((t) => [t, place(doc.grids[t]).columns])) as Record<TableCode, number>;
  const labelShare = rng.pick([0.35, 0.4, 0.45, 0.5]);
  const fit = (t: TableCode) => fitLayout(sheet, t, columns[t], t === 'proactive' ? 0.3 : labelShare);
  let layouts: Partial<Record<TableCode, TableLayout>> = {};
  let marginBoxes = '';
  switch (producer) {
    case 'chromium': {
      if (rng.chance(0.4)) {
        const factor = 1.05 + rng.int(0, 20) / 100;
        layouts.applications = wideLayout(sheet, 'applications', columns.applications, factor, labelShare);
        layouts.review_litigation = wideLayout(sheet, 'review_litigation', columns.review_litigation, factor, 0);
        quirks.push('page_shrunk');
      }
      if (rng.chance(0.6)) {
        // What the browser prints around each page unless told not to: date, title, address, page count.
        const box = (content: string) => `font-family: ${FAMILIES.sans}; font-size: 8pt; content: ${content};`;
        marginBoxes = `\n  @top-left { ${box(cssString(printedAt(rng, doc.page.publishedAt)))} }\n  @top-center { ${box(cssString(doc.title))} }\n  @bottom-left { ${box(cssString(doc.page.url))} }\n  @bottom-right { ${box('counter(page) "/" counter(pages)')} }\n`;
        quirks.push('print_header_footer');
      }
      break;
    }
    case 'writer-web':
      if (rng.chance(0.5)) layouts = clippedLayouts(rng, sheet, doc);
      break;
    case 'writer-docx':
      layouts = narrowLayouts(rng, sheet, doc);
      break;
  }
  const all = Object.fromEntries(TABLE_CODES.map((t) => [t, layouts[t] ?? fit(t)])) as Record<TableCode, TableLayout>;

  const unreadable: string[] = [];
  let header = false;
  let number = false;
  for (const t of TABLE_CODES) {
    const { cutAt } = all[t];
    const w = wraps(sheet, doc.grids[t], all[t]);
    header ||= w.header;
    // Only Word breaks a number inside its cell; browsers and Writer/Web widen the column instead.
    number ||= w.number && producer === 'writer-docx';
    if (cutAt === undefined) continue;
    for (const p of place(doc.grids[t]).cells) if (p.cell.key && p.col + p.span > cutAt) unreadable.push(p.cell.key);
  }
  if (unreadable.length) quirks.push('table_clipped');
  if (header) quirks.push('header_wrapped');
  if (number) quirks.push('number_wrapped');

  const look: HtmlLook = {
    frame,
    cells,
    charset: 'utf-8',
    charsetForm: 'meta-charset',
    headings: rng.weighted<HtmlLook['headings']>([
      ['p', 50],
      ['strong', 35],
      ['h', 15],
    ]),
    tableAttrs: '',
    tableOpen: Object.fromEntries(TABLE_CODES.map((t) => [t, all[t].open])) as Record<TableCode, string>,
    style: stylesheet(sheet, marginBoxes),
  };
  const html = renderHtml({ title: doc.title, blocks: doc.blocks, grids: doc.grids, page: doc.page }, look);
  // Grid by grid in reading order: template order for these grids.
  return { html, quirks, unreadable };
}
