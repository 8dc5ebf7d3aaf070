/**
 * Good reports mixed with hostile files build: every file is accounted for, each hostile one
 * with the error of the limit it broke, and the good ones parse although some shared a batch
 * (and a worker) with a file that had to be stopped. Low limits keep it quick; the full-size
 * figures (peak memory, time) are bench/hostile.ts's. Two good reports are hostile in other
 * ways: one titled as a spreadsheet formula, one with a damaged UTF-8 byte.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { csvText } from '../../pipeline/release/write.ts';
import type { QualityReport } from '../../pipeline/release/quality.ts';
import { deepHtml, pageTreeBombPdf, slowHtml, zipBombDocx } from '../fixtures/hostile.ts';

const FORMULA_TITLE = '=HYPERLINK("http://evil.example/","涧西区人民政府办公室")2023年政府信息公开工作年度报告';
const FORMULA_FILE = 'formula-title.txt';
const DAMAGED_FILE = 'damaged-utf8.txt';

async function releaseSql<T>(text: string): Promise<T[]> {
  const { instance, connection } = await openDuck(':memory:');
  try {
    return await query<T>(connection, text);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const GOOD = [
  'data/reports/real/city-2025-standard.html',
  'data/reports/real/huaian-city-2024.pdf.txt',
  'data/reports/real/jianxi-district-office-2023.txt',
  'data/reports/real/pingtan-zone-2023.page.txt',
  'data/reports/real/shanghai-general-office-2019.html',
  'tests/fixtures/office/city-2025.docx',
  'tests/fixtures/office/city-2025.pdf',
];

/** Each hostile file and the error it must end with. */
const HOSTILE: { name: string; bytes: () => Buffer; error: string; why: RegExp }[] = [
  { name: 'page-tree-bomb.pdf', bytes: () => pageTreeBombPdf(100_000), error: 'too_large', why: /says it has 100000 pages/ },
  { name: 'zip-bomb.docx', bytes: () => zipBombDocx(2048), error: 'too_large', why: /inflates to 2147483648 bytes/ },
  { name: 'nested.html', bytes: () => deepHtml(100_000), error: 'too_deep', why: /nested more than 1000 deep/ },
  { name: 'slow-pages.pdf', bytes: () => pageTreeBombPdf(10_000), error: 'timeout', why: /took longer than 5 s/ },
];

describe('a corpus of good reports and hostile files', () => {
  let dir: string;
  let summary: BuildSummary;
  let quality: QualityReport;
  let sizes: Record<string, number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongkai-hostile-'));
    const inputs = join(dir, 'inputs');
    mkdirSync(inputs);
    // Interleaved by name, so that hostile files share batches with good ones.
    GOOD.forEach((file, i) => copyFileSync(file, join(inputs, `${i}-${basename(file)}`)));
    const jianxi = readFileSync('data/reports/real/jianxi-district-office-2023.txt', 'utf8');
    writeFileSync(join(inputs, `9-${FORMULA_FILE}`), jianxi.replace(/^\s*/, `${FORMULA_TITLE}\n`));
    const damaged = Buffer.from(jianxi.replace('涧西区', '洛阳市涧西区'));
    damaged[damaged.indexOf(Buffer.from('总体情况')) + 3] = 0xff;
    writeFileSync(join(inputs, `9-${DAMAGED_FILE}`), damaged);
    sizes = {};
    HOSTILE.forEach((h, i) => {
      const bytes = h.bytes();
      sizes[h.name] = bytes.length;
      writeFileSync(join(inputs, `${i}-${h.name}`), bytes);
    });
    summary = await build({
      inputs: [inputs],
      out: join(dir, 'out'),
      jobs: 2,
      cacheDir: null,
      now: new Date('2026-02-01T08:00:00Z'),
      limits: { timeoutMs: 5000, pdfPages: 50_000, pdfPageTree: 50_000 },
    });
    quality = JSON.parse(readFileSync(join(summary.dir, 'quality.json'), 'utf8'));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the hostile files are small on disk', () => {
    expect(sizes['page-tree-bomb.pdf']).toBeLessThan(700_000);
    expect(sizes['zip-bomb.docx']).toBeLessThan(2_500_000);
    expect(Math.max(...Object.values(sizes))).toBeLessThan(2_500_000);
  });

  it('accounts for every file: the good ones as reports, each hostile one with its error', () => {
    expect(summary.inputs).toBe(GOOD.length + 2 + HOSTILE.length);
    expect(summary.reports).toBe(GOOD.length + 2);
    expect(summary.errors).toBe(HOSTILE.length);
    const errors = new Map(quality.errors.flatMap((e) => e.files.map((f) => [basename(f.path).replace(/^\d+-/, ''), { code: e.error_code, message: f.message ?? '' }])));
    for (const h of HOSTILE) {
      expect(errors.get(h.name)?.code, h.name).toBe(h.error);
      expect(errors.get(h.name)?.message, h.name).toMatch(h.why);
    }
  });

  it('lists them in QUALITY.md', () => {
    const md = readFileSync(join(summary.dir, 'QUALITY.md'), 'utf8');
    for (const h of HOSTILE) expect(md).toContain(h.name);
    expect(md).toMatch(/### timeout: 1 files/);
  });

  it('keeps a report with a damaged UTF-8 byte, with a decoding_replaced warning', async () => {
    const rows = await releaseSql<{ title: string; code: string }>(
      `SELECT r.title, w.code FROM read_parquet('${summary.dir}/reports.parquet') r JOIN read_parquet('${summary.dir}/warnings.parquet') w USING (report_id)
       WHERE r.source_path LIKE '%${DAMAGED_FILE}' AND w.code = 'decoding_replaced'`,
    );
    expect(rows).toEqual([{ title: expect.stringContaining('涧西区人民政府办公室'), code: 'decoding_replaced' }]);
  });

  it('neutralises a title that is a spreadsheet formula in the CSV files, not in Parquet', async () => {
    const csv = (table: string) => readFileSync(join(summary.dir, `${table}.csv`), 'utf8');
    const cell = `"'${FORMULA_TITLE.replace(/"/g, '""')}"`;
    expect(csv('reports')).toContain(cell);
    expect(csv('agencies')).toContain(`"'=HYPERLINK(""`);
    for (const table of ['reports', 'agencies', 'inputs', 'warnings', 'checks', 'applications_wide']) {
      const cells = csv(table).split(/[\r\n]+/).flatMap((line) => line.split(','));
      expect(cells.filter((c) => /^"?[=+@]/.test(c)), table).toEqual([]);
    }
    const [parquet] = await releaseSql<{ title: string; year: number }>(`SELECT title, year FROM read_parquet('${summary.dir}/reports.parquet') WHERE source_path LIKE '%${FORMULA_FILE}'`);
    expect(parquet).toEqual({ title: FORMULA_TITLE, year: 2023 });
  });

  it('stops a file that needs more memory than a worker may use, and parses the rest', { timeout: 120_000 }, async () => {
    // Alone with two good files and a long time limit, so that the heap limit is what stops it.
    const inputs = join(dir, 'memory');
    mkdirSync(inputs);
    writeFileSync(join(inputs, '1-span-grid.html'), slowHtml(2000));
    for (const file of GOOD.slice(0, 2)) copyFileSync(file, join(inputs, `2-${basename(file)}`));
    const s = await build({ inputs: [inputs], out: join(dir, 'out-memory'), jobs: 1, cacheDir: null, limits: { heapMb: 96, timeoutMs: 120_000 } });
    const q: QualityReport = JSON.parse(readFileSync(join(s.dir, 'quality.json'), 'utf8'));
    expect(s.reports).toBe(2);
    expect(q.errors).toEqual([{ error_code: 'too_large', count: 1, files: [{ path: expect.stringMatching(/1-span-grid\.html$/), message: expect.stringMatching(/more than the 96 MB of memory/) }] }]);
  });
});

describe('a CSV text cell', () => {
  it('is neutralised when a spreadsheet would take it for a formula, and only then', async () => {
    const cases: [string, string][] = [
      ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
      ['+cmd|calc', `'+cmd|calc`],
      ['-2+3', `'-2+3`],
      ['@SUM(A1)', `'@SUM(A1)`],
      ['\tx', `'\tx`],
      ['\rx', `'\rx`],
      ['-3', '-3'],
      ['+4.5', '+4.5'],
      ['-', '-'],
      ['涧西区', '涧西区'],
    ];
    const values = cases.map(([v]) => `('${v.replace(/'/g, "''")}')`).join(', ');
    const rows = await releaseSql<{ out: string }>(`SELECT ${csvText('v')} AS out FROM (VALUES ${values}) t(v)`);
    expect(rows.map((r) => r.out)).toEqual(cases.map(([, out]) => out));
  });
});
