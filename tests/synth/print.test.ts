/**
 * The PDFs of web pages (pdf-chromium, pdf-lo-html, pdf-lo-docx): three small corpora made with
 * the real tools, each PDF read back with poppler's pdftotext and compared with its truth: every
 * readable value is printed, no cell the truth calls unreadable is, numbers wrap in their cells
 * exactly in the reports flagged number_wrapped. The pure parts (which cells a layout cuts off,
 * the Word widths) are checked without any tool. Skips what needs a missing tool, saying which.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { cellsOf, TABLE_CODES } from '../../pipeline/model/codes.ts';
import { sofficeAvailable } from '../../pipeline/read/legacy.ts';
import { findChromium } from '../../pipeline/synth/chromium.ts';
import { applyPageWidths, pageColumnWidths } from '../../pipeline/synth/docx-widths.ts';
import { runSynth, type SynthTruth } from '../../pipeline/synth/index.ts';
import { corpus } from './helpers.ts';
import { pdftotextAvailable, printedTables, readableValues } from './printed.ts';

describe('which cells a printed page loses (pure)', () => {
  const reports = corpus({ styles: ['pdf-lo-html', 'pdf-lo-docx', 'pdf-chromium'], limit: 240 });

  it('lists unreadable cells only for Writer/Web pages with clipped tables, as sorted cells of the layout', () => {
    const clipped = reports.filter((r) => r.truth.unreadable);
    expect(clipped.length).toBeGreaterThan(10);
    for (const r of reports) {
      const { truth } = r;
      expect(truth.quirks.includes('table_clipped'), truth.path).toBe(truth.unreadable !== undefined);
      if (!truth.unreadable) continue;
      expect(truth.style).toBe('pdf-lo-html');
      const cells = new Set(TABLE_CODES.flatMap((t) => cellsOf(t, truth.layout).map((c) => `${t}.${c.row.code}.${c.column.code}`)));
      expect(truth.unreadable.every((k) => cells.has(k))).toBe(true);
      expect(truth.unreadable).toEqual([...truth.unreadable].sort());
      // Only the right-hand columns of tables 3 and 4; table 2 always fits.
      expect(truth.unreadable.every((k) => !k.startsWith('proactive.'))).toBe(true);
      expect(truth.unreadable.some((k) => k.endsWith('.total'))).toBe(true);
    }
  });

  it('never marks cells unreadable in the default styles', () => {
    expect(corpus({ limit: 600 }).every((r) => r.truth.unreadable === undefined)).toBe(true);
  });

  it('names its producer, font and wrapping in the quirks', () => {
    for (const r of reports) {
      const q = r.truth.quirks;
      expect(q).toContain({ 'pdf-lo-html': 'pdf_lo_html', 'pdf-lo-docx': 'pdf_lo_docx', 'pdf-chromium': 'pdf_chromium' }[r.truth.style as string]);
      expect(q.filter((x) => x === 'font_serif' || x === 'font_sans')).toHaveLength(1);
      if (q.includes('number_wrapped')) expect(r.truth.style).toBe('pdf-lo-docx');
    }
    const all = new Set(reports.flatMap((r) => r.truth.quirks));
    for (const q of ['header_wrapped', 'number_wrapped', 'table_clipped', 'page_shrunk', 'print_header_footer']) expect(all).toContain(q);
  });
});

describe('Word column widths from the page (pure)', () => {
  const xml = (grid: number[], rows: string[]) =>
    `<w:document><w:body><w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>${grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${rows.join('')}</w:tbl></w:body></w:document>`;
  const tc = (span = 1, text = '12') => `<w:tc><w:tcPr><w:tcW w:w="999" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:tc>`;

  it('sets the grid, the table width and each cell by its span; rows with numbers stay on one page', () => {
    const rows = [`<w:tr><w:trPr></w:trPr>${tc(2, '申请人情况')}${tc(1, '总计')}</w:tr>`, `<w:tr>${tc()}${tc()}${tc(1, '2,490')}</w:tr>`];
    const docx = zipSync({ 'word/document.xml': strToU8(xml([1000, 1000, 1000], rows)) });
    const html = '<table border="1" width="100"><colgroup><col width="60"><col width="20"><col width="20"></colgroup><tr></tr></table>';
    const out = strFromU8(unzipSync(applyPageWidths(docx, html))['word/document.xml']);
    expect([...out.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]))).toEqual([900, 300, 300]);
    expect(out).toContain('<w:tblW w:w="1500" w:type="dxa"/>');
    expect([...out.matchAll(/<w:tcW w:w="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([1200, 300, 900, 300, 300]);
    const trs = out.match(/<w:tr>[\s\S]*?<\/w:tr>/g)!;
    expect(trs.map((tr) => tr.includes('<w:cantSplit/>'))).toEqual([false, true]);
  });

  it('leaves tables sized in percent alone and refuses a file whose tables do not match the page', () => {
    expect(pageColumnWidths('<table width="100%"><colgroup><col width="50%"><col width="50%"></colgroup></table><table><tr></tr></table>')).toEqual([null, null]);
    const docx = zipSync({ 'word/document.xml': strToU8(xml([1000], [`<w:tr>${tc()}</w:tr>`])) });
    expect(() => applyPageWidths(docx, '<p>no table</p>')).toThrow(/1 tables, the page 0/);
  });
});

const tools = { soffice: sofficeAvailable(), chromium: findChromium() !== null, pdftotext: pdftotextAvailable() };
const install = { soffice: 'libreoffice-writer-nogui', chromium: 'chromium', pdftotext: 'poppler-utils' };
const absent = (Object.keys(tools) as (keyof typeof tools)[]).filter((t) => !tools[t]);
if (absent.length) console.warn(`[synth print] PDF checks that need ${absent.join(', ')} skipped (apt-get install ${absent.map((t) => install[t]).join(' ')})`);
const withOffice = tools.soffice && tools.pdftotext;
const withChromium = tools.chromium && tools.pdftotext;

describe('generated PDFs show exactly what their truth says', () => {
  it.runIf(tools.pdftotext)('the committed sample (tests/fixtures/renderings)', () => {
    const dir = 'tests/fixtures/renderings';
    const names = readdirSync(dir).filter((f) => f.endsWith('.truth.json'));
    expect(names).toHaveLength(7);
    for (const name of names) check(dir, JSON.parse(readFileSync(join(dir, name), 'utf8')) as SynthTruth);
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Three reports of one style (corpus order: one agency, 2019-2021, both layouts). */
  async function make(style: string, seed: number): Promise<{ out: string; truths: SynthTruth[] }> {
    const out = mkdtempSync(join(tmpdir(), `gongkai-${style}-`));
    dirs.push(out);
    await runSynth({ out, provinces: ['41'], years: [2019, 2024], seed, styles: [style], limit: 3 });
    const paths = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    return { out, truths: paths.map((p) => JSON.parse(readFileSync(join(out, 'truth', `${p}.json`), 'utf8')) as SynthTruth) };
  }

  function check(out: string, truth: SynthTruth): void {
    const pdf = join(out, truth.path);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const printed = printedTables(pdf, truth.title, readableValues(truth));
    expect(printed.missing, `${truth.path}: values not in the PDF`).toEqual([]);
    expect(printed.extra, `${truth.path}: numbers in the PDF no readable cell accounts for`).toEqual([]);
    expect(printed.wrapped > 0, `${truth.path}: numbers wrapped in their cells`).toBe(truth.quirks.includes('number_wrapped'));
  }

  it.runIf(withOffice)('pdf-lo-html: cut-off columns are gone from the PDF, every other value is there', { timeout: 180_000 }, async () => {
    const { out, truths } = await make('pdf-lo-html', 15);
    expect(truths.filter((t) => t.unreadable).length).toBe(2);
    for (const t of truths) check(out, t);
  });

  it.runIf(withOffice)('pdf-lo-docx: long numbers wrap inside their narrow cells and read back whole', { timeout: 180_000 }, async () => {
    const { out, truths } = await make('pdf-lo-docx', 4);
    expect(truths.filter((t) => t.quirks.includes('number_wrapped')).length).toBe(2);
    for (const t of truths) check(out, t);
  });

  it.runIf(withChromium)('pdf-chromium: shrunk pages and the browser header keep every value', { timeout: 180_000 }, async () => {
    const { out, truths } = await make('pdf-chromium', 14);
    expect(truths.some((t) => t.quirks.includes('page_shrunk')) && truths.some((t) => t.quirks.includes('print_header_footer'))).toBe(true);
    for (const t of truths) check(out, t);
  });
});
