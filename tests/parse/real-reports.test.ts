/**
 * Every real report in data/reports/real parses to its reviewed golden record in
 * tests/fixtures/real/<file>.expected.json: metadata, every cell, derived values, checks,
 * warnings and locations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../pipeline/parse/report.ts';
import { golden } from '../golden.ts';

const dir = 'data/reports/real';
const files = readdirSync(dir).filter((f) => f !== 'README.md').sort();

describe('real reports match their golden records', () => {
  it('covers every real fixture', () => {
    expect(files).toEqual([
      'city-2025-standard.html',
      'huaian-city-2024.pdf.txt',
      'jianxi-district-office-2023.txt',
      'pingtan-zone-2023.page.txt',
      'shanghai-general-office-2019.html',
      'shanghai-stcsm-2024.pdf.md',
    ]);
  });
  for (const file of files) {
    it(file, () => {
      const record = parseReport(readFileSync(join(dir, file)), `${dir}/${file}`);
      const { expected, actual } = golden(`tests/fixtures/real/${file}.expected.json`, record);
      expect(actual).toEqual(expected);
    });
  }
});
