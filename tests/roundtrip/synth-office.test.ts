/**
 * Word and PDF round trip: the generator renders print-ready HTML, LibreOffice turns it into
 * .docx and .pdf (as agencies do), and the parser must read every cell back. A scan of such a
 * PDF is made of page pictures only, its truth naming the cells under the seal; how OCR reads
 * generated scans back is measured by bench/ocr.ts and bench/fidelity.ts (a few pages of OCR
 * cost more than the suite can spend: tests/parse/office.test.ts reads a committed scan). Runs
 * where soffice (and for scans poppler, ImageMagick and img2pdf) are installed (CI does not need
 * them: tests/parse/office.test.ts covers the committed fixtures everywhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_CODES } from '../../pipeline/model/codes.ts';
import { isError } from '../../pipeline/model/record.ts';
import { parseInput } from '../../pipeline/parse/input.ts';
import { sofficeAvailable } from '../../pipeline/read/legacy.ts';
import { parseReportAsync, sha256 } from '../../pipeline/parse/report.ts';
import { runSynth, type SynthTruth } from '../../pipeline/synth/index.ts';
import { requireScanTools } from '../../pipeline/synth/scan.ts';
import { tempDirs } from '../temp.ts';

const tempDir = tempDirs();

describe.runIf(sofficeAvailable())('generated Word and PDF reports parse back to their ground truth', () => {
  it('every cell, agency, year and layout', { timeout: 300_000 }, async () => {
    const out = tempDir('gongkai-office-synth-');
    await runSynth({ out, provinces: ['41'], years: [2019, 2024], seed: 12, styles: ['docx', 'pdf'], limit: 16 });
    const paths = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(new Set(paths.map((p) => p.split('.').pop()))).toEqual(new Set(['docx', 'pdf']));
    const wrong: string[] = [];
    for (const path of paths) {
      const truth = JSON.parse(readFileSync(join(out, 'truth', `${path}.json`), 'utf8'));
      const r = await parseInput(new Uint8Array(readFileSync(join(out, path))), path);
      if (isError(r)) {
        wrong.push(`${path}: ${r.error.message}`);
        continue;
      }
      for (const t of TABLE_CODES) if (JSON.stringify(r.tables[t]) !== JSON.stringify(truth.tables[t])) wrong.push(`${path} ${t}`);
      if (JSON.stringify([r.agency, r.year, r.layout]) !== JSON.stringify([truth.agency, truth.year, truth.layout])) wrong.push(`${path} metadata`);
    }
    expect(wrong).toEqual([]);
  });
});

const scanTools = () => {
  try {
    requireScanTools();
    return sofficeAvailable();
  } catch {
    return false;
  }
};

describe.runIf(scanTools())('a generated scan', () => {
  it('holds page pictures only, and its truth names the printed cells under the seal', { timeout: 300_000 }, async () => {
    const out = tempDir('gongkai-scan-synth-');
    await runSynth({ out, provinces: ['41'], years: [2019, 2024], seed: 3, styles: ['scan'], limit: 1 });
    const [path] = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const truth = JSON.parse(readFileSync(join(out, 'truth', `${path}.json`), 'utf8')) as SynthTruth;
    expect(truth.quirks).toEqual(expect.arrayContaining(['scan', 'stamp']));
    // The seal covers printed values only, named as the truth names cells.
    expect(truth.unreadable!.length).toBeGreaterThan(0);
    for (const cell of truth.unreadable!) {
      const [t, row, col] = cell.split('.');
      expect(truth.tables[t as keyof SynthTruth['tables']]![row][col]).not.toBeNull();
    }
    // No text layer: without OCR the report is refused, saying how to enable it.
    const r = await parseReportAsync(new Uint8Array(readFileSync(join(out, path))), path);
    expect(isError(r) && r.error.code).toBe('no_text_layer');
    expect(isError(r) && r.error.message).toMatch(/OCR is off\. To read scans, install the optional OCR packages/);
    // The same seed scans alike, noise and all, to the byte.
    const again = tempDir('gongkai-scan-synth-');
    await runSynth({ out: again, provinces: ['41'], years: [2019, 2024], seed: 3, styles: ['scan'], limit: 1 });
    expect(sha256(new Uint8Array(readFileSync(join(again, path))))).toBe(sha256(new Uint8Array(readFileSync(join(out, path)))));
  });
});
