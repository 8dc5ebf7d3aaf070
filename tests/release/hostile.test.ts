/**
 * Good reports mixed with hostile files build: every file is accounted for, each hostile one
 * with the error of the limit it broke, and the good ones parse although some shared a batch
 * (and a worker) with a file that had to be stopped. Low limits keep it quick; the full-size
 * figures (peak memory, time) are bench/hostile.ts's.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import type { QualityReport } from '../../pipeline/release/quality.ts';
import { deepHtml, pageTreeBombPdf, slowHtml, zipBombDocx } from '../fixtures/hostile.ts';

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
    expect(summary.inputs).toBe(GOOD.length + HOSTILE.length);
    expect(summary.reports).toBe(GOOD.length);
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
