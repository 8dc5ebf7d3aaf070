/**
 * Word and PDF round trip: the generator renders print-ready HTML, LibreOffice turns it into
 * .docx and .pdf (as agencies do), and the parser must read every cell back. Runs where
 * soffice is installed (CI does not need it: tests/parse/office.test.ts covers the committed
 * fixtures everywhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_CODES } from '../../pipeline/model/codes.ts';
import { isError } from '../../pipeline/model/record.ts';
import { parseInput } from '../../pipeline/parse/input.ts';
import { sofficeAvailable } from '../../pipeline/read/legacy.ts';
import { runSynth } from '../../pipeline/synth/index.ts';
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
