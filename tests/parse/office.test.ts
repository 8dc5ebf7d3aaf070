/**
 * Word and PDF versions of real reports, made with LibreOffice (tests/fixtures/office/make.ts):
 * every cell must come back as in the original, blanks included, and the table that breaks
 * across pages must too; a page of one scanned, read by OCR.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseInput } from '../../pipeline/parse/input.ts';
import { parseDocumentModel, parseReport, parseReportAsync } from '../../pipeline/parse/report.ts';
import { sofficeAvailable } from '../../pipeline/read/legacy.ts';
import { ocrEngine, paddleInstalled } from '../../pipeline/read/ocr.ts';
import { readPdf } from '../../pipeline/read/pdf.ts';
import { readTextLayer } from '../../pipeline/read/pdf-text.ts';
import { CITY_2025, SHANGHAI_2019, expectTable } from '../fixtures/real-tables.ts';

const DIR = 'tests/fixtures/office';
const bytes = (name: string) => new Uint8Array(readFileSync(`${DIR}/${name}`));

async function parsed(name: string): Promise<ReportRecord> {
  const r = await parseReportAsync(bytes(name), name);
  if (isError(r)) throw new Error(r.error.message);
  return r;
}

function expectCity(r: ReportRecord) {
  expect([r.agency, r.year, r.layout]).toEqual(['测试市', 2025, '2021']);
  for (const table of TABLE_CODES) expectTable(r, table, '2021', CITY_2025[table]);
  expect(r.checks.map((c) => c.status)).toEqual(r.checks.map(() => 'pass'));
  expect(r.warnings.filter((w) => w.where !== 'identity')).toEqual([]);
}

function expectShanghai(r: ReportRecord) {
  expect([r.agency, r.year, r.layout]).toEqual(['上海市人民政府办公厅', 2019, '2019']);
  for (const table of TABLE_CODES) expectTable(r, table, '2019', SHANGHAI_2019[table]);
  expect(r.warnings.filter((w) => w.code === 'blank_cell')).toHaveLength(135);
  expect(r.warnings.filter((w) => !['blank_cell', 'unit_converted'].includes(w.code) && w.where !== 'identity')).toEqual([]);
  expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
}

describe('DOCX (merged cells from gridSpan and vMerge)', () => {
  it('city-2025.docx: every cell', async () => expectCity(await parsed('city-2025.docx')));
  it('shanghai-2019.docx: every cell, blanks null', async () => expectShanghai(await parsed('shanghai-2019.docx')));
  it('city-2025-long.docx: every cell', async () => expectCity(await parsed('city-2025-long.docx')));
  it('city-2025-full.docx (seven pages): every cell', async () => expectCity(await parsed('city-2025-full.docx')));
  it('reads synchronously too, with table locations', () => {
    const r = parseReport(bytes('city-2025.docx'), 'city-2025.docx');
    expect(!isError(r) && r.format).toBe('docx');
    expect(!isError(r) && r.locations['applications.new_received']).toBe('table 2 row 4');
  });
});

describe('PDF with a text layer (rows by baseline, columns by position)', () => {
  it('city-2025.pdf: every cell, a number wrapped in its narrow cell joined back', async () => {
    const r = await parsed('city-2025.pdf');
    expectCity(r);
    expect(r.format).toBe('pdf');
  });
  it('shanghai-2019.pdf: every cell, blank cells stay blank in their columns', async () => expectShanghai(await parsed('shanghai-2019.pdf')));
  it('city-2025-long.pdf: table 3 breaks across pages, its header repeated', async () => {
    const r = await parsed('city-2025-long.pdf');
    expectCity(r);
    const pages = new Set(Object.entries(r.locations).filter(([k]) => k.startsWith('applications.')).map(([, v]) => v.split(' line')[0]));
    expect([...pages]).toEqual(['page 2', 'page 3']);
  });
  it('city-2025-full.pdf (seven pages of prose and tables): every cell', async () => expectCity(await parsed('city-2025-full.pdf')));
  it('a PDF without a text layer is refused with no_text_layer when OCR is off, saying how to turn it on', async () => {
    const r = await parseReportAsync(bytes('scan.pdf'), 'scan.pdf');
    expect(isError(r) && r.error).toEqual({ code: 'no_text_layer', message: expect.stringMatching(/^scan\.pdf: the PDF has 1 page\(s\) but no text layer .*OCR is off\. To read scans, install the optional OCR packages/) });
  });
});

/** The default engine, loaded once for the file; its tests run where the optional packages are installed (npm ci installs them). */
const paddle = ocrEngine('paddle', 2);
const ocrInstalled = paddleInstalled();
const OCR_TIMEOUT = 300_000;

describe.runIf(ocrInstalled)('scanned pages, read by OCR', () => {
  // OCR takes seconds a page, many more on a loaded machine: these tests wait for it.
  it('scan.pdf, whose one page holds neither text nor a picture: OCR finds nothing to read (empty_file)', { timeout: OCR_TIMEOUT }, async () => {
    const r = await parseReportAsync(bytes('scan.pdf'), 'scan.pdf', { ocr: { engine: paddle, maxPages: 40 } });
    expect(isError(r) && r.error).toEqual({ code: 'empty_file', message: expect.stringMatching(/OCR \(paddle\) found no text on it: it holds no pictures/) });
  });

  it('city-2025-scan.pdf: the text pages read from their text layer, the page scanned in colour under a red seal by OCR', { timeout: OCR_TIMEOUT }, async () => {
    const pages: number[] = [];
    const r = await parseReportAsync(bytes('city-2025-scan.pdf'), 'city-2025-scan.pdf', { ocr: { engine: paddle, maxPages: 1, onPage: () => pages.push(1) } });
    if (isError(r)) throw new Error(r.error.message);
    expect(pages).toHaveLength(1);
    expect([r.format, r.agency, r.year, r.layout]).toEqual(['pdf (ocr: paddle)', '测试市', 2025, '2021']);
    for (const table of ['proactive', 'review_litigation'] as const) expectTable(r, table, '2021', CITY_2025[table]);
    // Table 3, scanned: every number as printed, or null with a warning where the seal's ring
    // crosses a digit; never another number.
    const def = tableDef('applications', '2021');
    const unread: string[] = [];
    def.rows.forEach((row, i) => {
      const printed = CITY_2025.applications[i].split(' ').map(Number);
      row.columns.forEach((c, j) => {
        const got = r.tables.applications![row.code][c.code];
        if (got === null) unread.push(`${row.code}.${c.code}`);
        else expect({ cell: `${row.code}.${c.code}`, got }).toEqual({ cell: `${row.code}.${c.code}`, got: printed[j] });
      });
    });
    expect(unread.length).toBeLessThanOrEqual(4);
    for (const cell of unread) expect(r.warnings.some((w) => w.where === `applications.${cell}` && ['invalid_number', 'blank_cell'].includes(w.code))).toBe(true);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    // Every number read by OCR keeps the engine's confidence; nothing else was OCR'd.
    const ocrNotes = Object.entries(r.readings).filter(([, n]) => n.confidence !== undefined);
    expect(ocrNotes.length).toBe(25 * 7 - unread.length);
    expect(ocrNotes.every(([k, n]) => k.startsWith('applications.') && n.confidence! > 0 && n.confidence! <= 1)).toBe(true);
    // A cell read from a damaged print ("0." by the seal's ring) is marked with what was printed.
    for (const n of Object.values(r.readings)) if (n.basis === 'repaired') expect(n.raw).toMatch(/\d/);
  });

  it('a file with more scanned pages than the limit is too_large', async () => {
    const r = await parseReportAsync(bytes('city-2025-scan.pdf'), 'city-2025-scan.pdf', { ocr: { engine: paddle, maxPages: 0 } });
    expect(isError(r) && r.error.code).toBe('too_large');
  });
});

describe('PDF text layer read directly, pdfjs for the rest', () => {
  const PDFS = ['city-2025.pdf', 'shanghai-2019.pdf', 'city-2025-long.pdf', 'city-2025-full.pdf'];
  it.each(PDFS)('%s is read without pdfjs (no silent fallback)', (name) => {
    const layer = readTextLayer(bytes(name));
    expect('fallback' in layer ? layer.fallback : null).toBeNull();
    expect('pages' in layer && layer.pages.every((p) => p.pieces.length > 0 && p.height > 800)).toBe(true);
  });
  // Checks quote section 一 (statement): pdfjs puts spaces around numbers in prose ("申请 859 件"), the direct reader does not.
  it.each(PDFS)('%s: pdfjs makes the same record (tables, derived values, checks, locations)', async (name) => {
    const record = async (engine: 'auto' | 'pdfjs') => parseDocumentModel(await readPdf(bytes(name), 'pdf', engine), name, 'x');
    const [direct, viaPdfjs] = await Promise.all([record('auto'), record('pdfjs')]);
    for (const key of ['agency', 'year', 'layout', 'tables', 'derived', 'locations'] as const) expect(direct[key]).toEqual(viaPdfjs[key]);
    expect(direct.checks.map(({ statement: _, ...c }) => c)).toEqual(viaPdfjs.checks.map(({ statement: _, ...c }) => c));
  });
  it('damaged or unusual files are left to pdfjs, never an exception', () => {
    const city = bytes('city-2025.pdf');
    const deep = new TextEncoder().encode(`%PDF-1.4\n1 0 obj\n${'['.repeat(100_000)}\nendobj\n`);
    for (const input of [city.subarray(0, city.length / 2), city.subarray(0, 200), new Uint8Array(1000), deep]) {
      expect(readTextLayer(input)).toEqual({ fallback: expect.any(String) });
    }
  });
});

describe('legacy .doc', () => {
  it.runIf(sofficeAvailable())('is converted through LibreOffice when soffice is present', async () => {
    const r = await parseInput(bytes('city-2025.doc'), 'city-2025.doc');
    if (isError(r)) throw new Error(r.error.message);
    expectCity(r);
    expect(r.format).toBe('doc (converted to docx)');
    expect(r.sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(bytes('city-2025.doc')).digest('hex'),
    );
  });
  it('without LibreOffice, the synchronous parser names how to convert it', () => {
    const r = parseReport(bytes('city-2025.doc'), 'city-2025.doc');
    expect(isError(r) && r.error).toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('soffice --headless --convert-to docx') });
  });
});
