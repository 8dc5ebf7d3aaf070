/**
 * The input styles the parser reads, as data: how often each occurs, its file extension and
 * encoding, how often and how it prints blank cells, and the function that draws its look
 * and renders a report in it.
 */
import iconv from 'iconv-lite';
import type { Layout, TableCode } from '../model/codes.ts';
import { tableGrid, type Grid, type GridOptions } from './grid.ts';
import type { LabelStyle } from './labels.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import { printable } from './office.ts';
import { renderHtml, type HtmlLook, type PageInfo } from './render-html.ts';
import { renderPdfText } from './render-pdf.ts';
import { renderCells, renderPipe, renderTab, type ValueText } from './render-text.ts';
import { TABLE_CODES } from '../model/codes.ts';

/** The styles a corpus mixes by default. */
export const STYLES = ['html-utf8', 'html-gbk', 'text-tab', 'text-pipe', 'text-cells', 'text-pdf'] as const;
/** Word and PDF, made through LibreOffice: only when asked for (--styles docx,pdf). */
export const OFFICE_STYLES = ['docx', 'pdf'] as const;
export type SynthStyle = (typeof STYLES)[number] | (typeof OFFICE_STYLES)[number];

export function isStyle(s: string): s is SynthStyle {
  return (STYLES as readonly string[]).includes(s) || (OFFICE_STYLES as readonly string[]).includes(s);
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
}

export interface Rendered {
  text: string;
  bytes: Uint8Array;
  quirks: string[];
}

export interface StyleDef {
  style: SynthStyle;
  /** The rendered HTML is converted by LibreOffice in the writer (office.ts). */
  convert?: 'docx' | 'pdf';
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
  const text = renderHtml({ title: input.title, blocks: input.blocks, grids: grids(input, header, five), page: input.page }, look);
  if (look.frame === 'page' && (input.page.prev || input.page.next)) quirks.push('prev_next_links');
  const bytes = gbk ? new Uint8Array(iconv.encode(text, 'gb18030')) : new Uint8Array(Buffer.from(text, 'utf8'));
  return { text, bytes, quirks };
}

/** Print-ready HTML for LibreOffice: the bare article with a title and tables that fit A4. */
function renderOfficeHtml(input: RenderInput): Rendered {
  const article = renderHtml({ title: input.title, blocks: input.blocks, grids: grids(input, 'rowspan', 'four'), page: input.page }, { frame: 'bare', cells: 'plain', charset: 'utf-8', charsetForm: 'meta-charset', headings: 'p', tableAttrs: '' });
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(article)?.[1] ?? article;
  const text = printable(input.title, body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/, ''));
  return { text, bytes: new Uint8Array(Buffer.from(text, 'utf8')), quirks: ['libreoffice'] };
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

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
    render: renderOfficeHtml,
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
    render(input) {
      const { rng } = input;
      const look = { pushedLabel: rng.chance(0.5), spacedReviewHeader: rng.chance(0.6), blankLines: rng.chance(0.8) };
      const text = renderTab({ blocks: input.blocks, grids: {} as Record<TableCode, Grid>, layout: input.layout, labels: input.labels, value: input.value }, look);
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
    render(input) {
      const { rng } = input;
      const g = grids(input, rng.chance(0.5) ? 'empty-cells' : 'rowspan', 'four');
      const text = renderPipe({ blocks: input.blocks, grids: g, layout: input.layout, labels: input.labels, value: input.value }, { outerPipes: rng.chance(0.6), blankLines: rng.chance(0.5) });
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
    render(input) {
      const g = grids(input, 'rowspan', 'four');
      const text = renderCells({ blocks: input.blocks, grids: g, layout: input.layout, labels: input.labels, value: input.value }, { blankLines: input.rng.chance(0.5) });
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
    render(input) {
      const { rng } = input;
      const look = { width: rng.int(28, 34), linesPerPage: rng.int(36, 46), spacedNumbers: rng.chance(0.75), scrambledHeaders: rng.chance(0.6) };
      const text = renderPdfText(rng, { blocks: input.blocks, layout: input.layout, labels: input.labels, value: input.value }, look);
      return { text, bytes: utf8(text), quirks: look.scrambledHeaders ? ['pdf_scrambled_headers'] : [] };
    },
  },
};
