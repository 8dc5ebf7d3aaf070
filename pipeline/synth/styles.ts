/**
 * The input styles the parser reads, as data: how often each occurs, its file extension and
 * encoding, how often and how it prints blank cells, and the function that draws its look
 * and renders a report in it.
 */
import iconv from 'iconv-lite';
import type { Layout, TableCode } from '../model/codes.ts';
import { HTML_DAMAGE, PAGE_COPY_DAMAGE, type Chrome, type DamageProfile } from './damage.ts';
import { tableGrid, type Grid, type GridOptions } from './grid.ts';
import type { LabelStyle } from './labels.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import { printable } from './office.ts';
import { colorValues, markValues, scanLook, scanQuirks, type ScanRecipe } from './scan.ts';
import { renderHtml, type HtmlLook, type PageInfo } from './render-html.ts';
import { REVIEW_HEADER_FORMS, renderMarkdownPdf, type MdLook } from './render-md.ts';
import { OCR_NOISE, OCR_SEPARATORS, renderOcr, type OcrLook } from './render-ocr.ts';
import { renderPdfText } from './render-pdf.ts';
import { renderPrintPage, type Producer } from './render-print.ts';
import { renderCells, renderPipe, renderTab, type ValueText } from './render-text.ts';
import { TABLE_CODES } from '../model/codes.ts';

/** The styles a corpus mixes by default. */
export const STYLES = ['html-utf8', 'html-gbk', 'text-tab', 'text-pipe', 'text-cells', 'text-pdf'] as const;
/**
 * Word and PDF, made through LibreOffice, and PDFs of scanned pages made from those PDFs
 * (scan.ts): only when asked for (--styles docx,pdf,scan).
 */
export const OFFICE_STYLES = ['docx', 'pdf', 'scan'] as const;
/**
 * Renderings with the damage real conversions do (markdown from a PDF converter, OCR of a
 * scan): only when asked for (--styles md-pdf,text-ocr), so the default mix stays as it is.
 */
export const HARD_STYLES = ['md-pdf', 'text-ocr'] as const;
/** PDFs of the web page from three producers (render-print.ts): only when asked for. */
export const PRINT_STYLES = ['pdf-chromium', 'pdf-lo-html', 'pdf-lo-docx'] as const;
export type SynthStyle = (typeof STYLES)[number] | (typeof OFFICE_STYLES)[number] | (typeof HARD_STYLES)[number] | (typeof PRINT_STYLES)[number];

/** Every style, in the order usage messages list them. */
export const ALL_STYLES: readonly SynthStyle[] = [...STYLES, ...OFFICE_STYLES, ...HARD_STYLES, ...PRINT_STYLES];

export function isStyle(s: string): s is SynthStyle {
  return (ALL_STYLES as readonly string[]).includes(s);
}

/** Everything a renderer needs about one report. */
export interface RenderInput {
  rng: Rng;
  title: string;
  blocks: Block[];
  layout: Layout;
  labels: LabelStyle;
  value: ValueText;
  page: PageInfo;
  /** Page chrome and a wrapped title, for a damaged copy; null for a clean one. */
  chrome: Chrome | null;
}

export interface Rendered {
  text: string;
  bytes: Uint8Array;
  quirks: string[];
  /** "table.row.column" of cells the rendering lost or destroyed. */
  unreadable?: string[];
  /** Damage quirks the rendering had no place for (a fragment of a page has no <title>). */
  unapplied?: string[];
  /** For a scan: how to scan the converted PDF. */
  scan?: ScanRecipe;
}

/**
 * How the rendered HTML becomes the style's file: with LibreOffice, HTML → .docx (`docx`), → .docx
 * → .pdf (`pdf`), → .pdf by Writer/Web (`writer-web-pdf`), → .docx with the page's column widths
 * → .pdf (`word-pdf`); or printed to PDF by headless Chromium (`chromium-pdf`).
 */
export type ConvertKind = 'docx' | 'pdf' | 'writer-web-pdf' | 'word-pdf' | 'chromium-pdf';

export interface StyleDef {
  style: SynthStyle;
  /** The rendered HTML is converted by the writer (office.ts, chromium.ts). */
  convert?: ConvertKind;
  ext: string;
  encoding: 'utf-8' | 'gb18030';
  /** Relative frequency. */
  weight: number;
  /** Share of (unbroken) reports printing some zero cells blank, and the marks they use. */
  blankShare: number;
  blankMarks: readonly (readonly [string, number])[];
  /** Share of reports writing 1,234 for 1234. */
  thousandsShare: number;
  /** Share of reports with jianxi-style labels: (一) and "1. ". */
  halfWidthShare: number;
  /** How the style takes page chrome and heading damage; null: never (converted files). */
  damage: DamageProfile | null;
  render(input: RenderInput): Rendered;
}

const HTML_BLANKS = [
  ['', 3],
  ['\u00a0', 3],
  ['—', 2],
  ['/', 2],
  ['-', 1],
  ['无', 0.5],
] as const;

function grids(input: RenderInput, header: GridOptions['header'], proactiveGrid: GridOptions['proactiveGrid']): Record<TableCode, Grid> {
  const o: GridOptions = { layout: input.layout, labels: input.labels, header, proactiveGrid, value: input.value };
  const out = {} as Record<TableCode, Grid>;
  for (const t of TABLE_CODES) out[t] = tableGrid(t, o);
  return out;
}

function htmlLook(rng: Rng, gbk: boolean): { look: HtmlLook; quirks: string[] } {
  const frame = rng.weighted<HtmlLook['frame']>(
    gbk
      ? [
          ['page', 60],
          ['bare', 40],
        ]
      : [
          ['page', 45],
          ['bare', 40],
          ['fragment', 15],
        ],
  );
  const cells = rng.weighted<HtmlLook['cells']>([
    ['plain', 45],
    ['p', 30],
    ['word', 25],
  ]);
  const charsetForm = rng.chance(gbk ? 0.5 : 0.3) ? 'http-equiv' : 'meta-charset';
  const charset: HtmlLook['charset'] = gbk ? (charsetForm === 'http-equiv' ? 'gb2312' : 'gbk') : 'utf-8';
  const tableAttrs =
    cells === 'word'
      ? " class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'"
      : rng.pick(['', ' border="1" cellspacing="0" cellpadding="0"', ' align="center" border="1" cellspacing="1"', ' class="table" width="100%"']);
  const look: HtmlLook = {
    frame,
    cells,
    charset,
    charsetForm,
    headings: rng.weighted<HtmlLook['headings']>([
      ['p', 50],
      ['strong', 35],
      ['h', 15],
    ]),
    tableAttrs,
  };
  const quirks = [`frame_${frame}`, `cells_${cells}`, `charset_${charset}`];
  return { look, quirks };
}

function renderHtmlStyle(input: RenderInput, gbk: boolean): Rendered {
  const { rng } = input;
  const { look, quirks } = htmlLook(rng, gbk);
  const header = rng.chance(0.5) ? 'empty-cells' : 'rowspan';
  const five = input.layout === '2019' && rng.chance(0.35) ? 'five' : 'four';
  if (five === 'five') quirks.push('proactive_five_column_grid');
  const text = renderHtml({ title: input.title, blocks: input.blocks, grids: grids(input, header, five), page: input.page, chrome: input.chrome }, look);
  if (look.frame === 'page' && (input.page.prev || input.page.next)) quirks.push('prev_next_links');
  const unapplied = look.frame === 'fragment' && input.chrome?.headTitle ? ['head_title'] : [];
  const bytes = gbk ? new Uint8Array(iconv.encode(text, 'gb18030')) : new Uint8Array(Buffer.from(text, 'utf8'));
  return { text, bytes, quirks, ...(unapplied.length ? { unapplied } : {}) };
}

/** Print-ready HTML for LibreOffice: the bare article with a title and tables that fit A4. */
function renderOfficeHtml(input: RenderInput, header: GridOptions['header'] = 'rowspan', proactiveGrid: GridOptions['proactiveGrid'] = 'four'): Rendered {
  const article = renderHtml({ title: input.title, blocks: input.blocks, grids: grids(input, header, proactiveGrid), page: input.page }, { frame: 'bare', cells: 'plain', charset: 'utf-8', charsetForm: 'meta-charset', headings: 'p', tableAttrs: '' });
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(article)?.[1] ?? article;
  const text = printable(input.title, body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/, ''));
  return { text, bytes: new Uint8Array(Buffer.from(text, 'utf8')), quirks: ['libreoffice'] };
}

/**
 * A scan: the print-ready PDF of either header form and table 2 grid, its printed values
 * coloured so that the scanner can tell which cells its seal covers (scan.ts).
 */
function renderScan(input: RenderInput): Rendered {
  const { rng } = input;
  const header = rng.chance(0.5) ? 'empty-cells' : 'rowspan';
  const five = input.layout === '2019' && rng.chance(0.35) ? 'five' : 'four';
  const marked = markValues(input.value);
  const office = renderOfficeHtml({ ...input, value: marked.value }, header, five);
  const text = colorValues(office.text);
  const look = scanLook(rng, sealText(input.title));
  const quirks = [...office.quirks, ...scanQuirks(look), ...(five === 'five' ? ['proactive_five_column_grid'] : [])];
  return { text, bytes: new Uint8Array(Buffer.from(text, 'utf8')), quirks, scan: { look, cells: marked.cells } };
}

/** What a seal says: the agency of the title (its first ten characters). */
function sealText(title: string): string {
  const agency = title.replace(/\s+/g, '').replace(/^\d{4}年(?:度)?/, '').split(/\d{4}年/)[0] || title;
  return [...agency.replace(/政府信息公开.*$/, '')].slice(0, 10).join('');
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** The web page with its site chrome and stylesheet, laid out for one PDF producer. */
function renderPrintStyle(input: RenderInput, producer: Producer): Rendered {
  const { rng } = input;
  const header = rng.chance(0.5) ? 'empty-cells' : 'rowspan';
  const five = input.layout === '2019' && rng.chance(0.35) ? 'five' : 'four';
  const page = renderPrintPage(rng, { title: input.title, blocks: input.blocks, grids: grids(input, header, five), page: input.page }, producer);
  const quirks = five === 'five' ? [...page.quirks, 'proactive_five_column_grid'] : page.quirks;
  return { text: page.html, bytes: utf8(page.html), quirks, ...(page.unreadable.length ? { unreadable: page.unreadable } : {}) };
}

/** What the three PDF producers share: blanks and number forms as on the web page they print. */
const PRINT_BASE = {
  ext: 'pdf',
  encoding: 'utf-8',
  weight: 10,
  blankShare: 0.08,
  blankMarks: HTML_BLANKS,
  thousandsShare: 0.04,
  halfWidthShare: 0.05,
  damage: null,
} as const;

export const STYLE_DEFS: Record<SynthStyle, StyleDef> = {
  'html-utf8': {
    style: 'html-utf8',
    ext: 'html',
    encoding: 'utf-8',
    weight: 34,
    blankShare: 0.08,
    blankMarks: HTML_BLANKS,
    thousandsShare: 0.04,
    halfWidthShare: 0.05,
    damage: HTML_DAMAGE,
    render: (input) => renderHtmlStyle(input, false),
  },
  docx: {
    style: 'docx',
    ext: 'docx',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.05,
    blankMarks: HTML_BLANKS,
    thousandsShare: 0.02,
    halfWidthShare: 0.05,
    convert: 'docx',
    damage: null,
    render: renderOfficeHtml,
  },
  pdf: {
    style: 'pdf',
    ext: 'pdf',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.05,
    blankMarks: HTML_BLANKS,
    thousandsShare: 0.02,
    halfWidthShare: 0.05,
    convert: 'pdf',
    damage: null,
    render: renderOfficeHtml,
  },
  'pdf-chromium': { ...PRINT_BASE, style: 'pdf-chromium', convert: 'chromium-pdf', render: (input) => renderPrintStyle(input, 'chromium') },
  'pdf-lo-html': { ...PRINT_BASE, style: 'pdf-lo-html', convert: 'writer-web-pdf', render: (input) => renderPrintStyle(input, 'writer-web') },
  'pdf-lo-docx': { ...PRINT_BASE, style: 'pdf-lo-docx', convert: 'word-pdf', render: (input) => renderPrintStyle(input, 'writer-docx') },
  scan: {
    style: 'scan',
    ext: 'pdf',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.05,
    blankMarks: HTML_BLANKS,
    thousandsShare: 0.02,
    halfWidthShare: 0.05,
    convert: 'pdf',
    damage: null,
    render: renderScan,
  },
  'html-gbk': {
    style: 'html-gbk',
    ext: 'html',
    encoding: 'gb18030',
    weight: 12,
    blankShare: 0.08,
    blankMarks: HTML_BLANKS,
    thousandsShare: 0.04,
    halfWidthShare: 0.05,
    damage: HTML_DAMAGE,
    render: (input) => renderHtmlStyle(input, true),
  },
  'text-tab': {
    style: 'text-tab',
    ext: 'txt',
    encoding: 'utf-8',
    weight: 16,
    blankShare: 0.08,
    blankMarks: [
      ['—', 3],
      ['/', 3],
      ['', 1],
      ['-', 1],
    ],
    thousandsShare: 0.04,
    halfWidthShare: 0.7,
    damage: PAGE_COPY_DAMAGE,
    render(input) {
      const { rng } = input;
      const look = { pushedLabel: rng.chance(0.5), spacedReviewHeader: rng.chance(0.6), blankLines: rng.chance(0.8) };
      const text = renderTab({ blocks: input.blocks, grids: {} as Record<TableCode, Grid>, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, look);
      return { text, bytes: utf8(text), quirks: look.pushedLabel && input.layout === '2021' ? ['pushed_label'] : [] };
    },
  },
  'text-pipe': {
    style: 'text-pipe',
    ext: 'txt',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.03,
    blankMarks: [
      ['—', 2],
      ['/', 2],
      ['', 1],
    ],
    thousandsShare: 0.02,
    halfWidthShare: 0.1,
    damage: PAGE_COPY_DAMAGE,
    render(input) {
      const { rng } = input;
      const g = grids(input, rng.chance(0.5) ? 'empty-cells' : 'rowspan', 'four');
      const text = renderPipe({ blocks: input.blocks, grids: g, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, { outerPipes: rng.chance(0.6), blankLines: rng.chance(0.5) });
      return { text, bytes: utf8(text), quirks: [] };
    },
  },
  'text-cells': {
    style: 'text-cells',
    ext: 'txt',
    encoding: 'utf-8',
    weight: 8,
    blankShare: 0.03,
    blankMarks: [
      ['—', 1],
      ['/', 1],
    ],
    thousandsShare: 0.02,
    halfWidthShare: 0.1,
    damage: PAGE_COPY_DAMAGE,
    render(input) {
      const g = grids(input, 'rowspan', 'four');
      const text = renderCells({ blocks: input.blocks, grids: g, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, { blankLines: input.rng.chance(0.5) });
      return { text, bytes: utf8(text), quirks: [] };
    },
  },
  'text-pdf': {
    style: 'text-pdf',
    ext: 'pdf.txt',
    encoding: 'utf-8',
    weight: 20,
    blankShare: 0,
    blankMarks: [['—', 1]],
    thousandsShare: 0,
    halfWidthShare: 0,
    damage: PAGE_COPY_DAMAGE,
    render(input) {
      const { rng } = input;
      const look = { width: rng.int(28, 34), linesPerPage: rng.int(36, 46), spacedNumbers: rng.chance(0.75), scrambledHeaders: rng.chance(0.6) };
      const text = renderPdfText(rng, { blocks: input.blocks, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, look);
      return { text, bytes: utf8(text), quirks: look.scrambledHeaders ? ['pdf_scrambled_headers'] : [] };
    },
  },
  'md-pdf': {
    style: 'md-pdf',
    ext: 'md.txt',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.03,
    blankMarks: [
      ['—', 2],
      ['/', 1],
    ],
    thousandsShare: 0.02,
    halfWidthShare: 0.05,
    // The converter's own damage is in the look; a share of the PDFs were printed from web pages.
    damage: { share: 0.4, markdown: 0.3, renumber: 0.5, headTitle: 0 },
    render(input) {
      const { rng } = input;
      const look = mdLook(rng, input.layout);
      const out = renderMarkdownPdf(rng, { blocks: input.blocks, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, look);
      return { text: out.text, bytes: utf8(out.text), quirks: out.quirks, unreadable: out.unreadable };
    },
  },
  'text-ocr': {
    style: 'text-ocr',
    ext: 'ocr.txt',
    encoding: 'utf-8',
    weight: 10,
    blankShare: 0.03,
    blankMarks: [
      ['—', 2],
      ['/', 1],
    ],
    thousandsShare: 0.02,
    halfWidthShare: 0.1,
    damage: { share: 0.3, markdown: 0, renumber: 0.15, headTitle: 0 },
    render(input) {
      const { rng } = input;
      const look = ocrLook(rng);
      const out = renderOcr(rng, { blocks: input.blocks, layout: input.layout, labels: input.labels, value: input.value, chrome: input.chrome }, look);
      return { text: out.text, bytes: utf8(out.text), quirks: [...out.quirks, `ocr_${look.level}`], unreadable: out.unreadable };
    },
  },
};

/** One converter run's look: cell widths, page length, what it loses. */
function mdLook(rng: Rng, layout: Layout): MdLook {
  const dropped: string[] = [];
  if (rng.chance(0.35)) dropped.push('carried_forward');
  if (rng.chance(0.15)) dropped.push(rng.pick(layout === '2021' ? ['granted', 'unavailable_not_held', 'other_other', 'total_processed'] : ['granted', 'unavailable_not_held', 'total_processed']));
  return {
    width: rng.int(26, 32),
    titleWidth: rng.int(14, 20),
    labelWidth: rng.int(10, 13),
    groupWidth: rng.int(3, 4),
    headerWidth: rng.int(3, 3),
    spacedNumbers: rng.chance(0.8),
    bodyMarker: rng.chance(0.3),
    proactiveTablesLast: rng.chance(0.5),
    captions: rng.chance(0.6),
    trailingCell: rng.chance(0.4),
    clustered: rng.chance(0.5),
    linesPerPage: rng.int(26, 38),
    footer: rng.weighted<MdLook['footer']>([
      ['emdash', 35],
      ['dash', 30],
      ['of', 25],
      ['bare', 10],
    ]),
    droppedTotals: dropped,
    reviewHeader: rng.int(0, REVIEW_HEADER_FORMS - 1),
  };
}

/** One scan's look: its quality, page width and what its ruling lines became. */
function ocrLook(rng: Rng): OcrLook & { level: keyof typeof OCR_NOISE } {
  const level = rng.weighted<keyof typeof OCR_NOISE>([
    ['light', 40],
    ['medium', 40],
    ['heavy', 20],
  ]);
  return {
    level,
    noise: OCR_NOISE[level],
    width: rng.int(28, 36),
    linesPerPage: rng.int(34, 46),
    separators: rng.weighted(OCR_SEPARATORS),
    titleSpaces: rng.weighted([
      [0, 30],
      [1, 30],
      [2, 25],
      [4, 15],
    ]),
    labelWidth: rng.int(12, 18),
  };
}
