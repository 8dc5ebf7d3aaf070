/**
 * PDFs of web pages from other producers (tests/fixtures/renderings, made by make.ts with
 * Chromium and LibreOffice): every cell read as printed, none printed where the page cut it
 * off, and agency, year and layout right. Independent of the parser: the truth comes from the
 * generator's own templates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_CODES } from '../../pipeline/model/codes.ts';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReportAsync } from '../../pipeline/parse/report.ts';

const DIR = 'tests/fixtures/renderings';
const files = readdirSync(DIR).filter((f) => f.endsWith('.pdf')).sort();

describe('PDFs of web pages from Chromium and LibreOffice', () => {
  it('covers each producer, with a clipped table and wrapped numbers among them', () => {
    expect(files).toHaveLength(7);
    const quirks = files.flatMap((f) => JSON.parse(readFileSync(`${DIR}/${f.replace(/\.pdf$/, '.truth.json')}`, 'utf8')).quirks as string[]);
    for (const q of ['pdf_chromium', 'pdf_lo_html', 'pdf_lo_docx', 'table_clipped', 'number_wrapped']) expect(quirks).toContain(q);
  });

  for (const file of files) {
    it(file, async () => {
      const truth = JSON.parse(readFileSync(`${DIR}/${file.replace(/\.pdf$/, '.truth.json')}`, 'utf8'));
      const outcome = await parseReportAsync(readFileSync(`${DIR}/${file}`), file);
      if (isError(outcome)) throw new Error(outcome.error.message);
      const r = outcome as ReportRecord;
      expect([r.agency, r.year, r.layout]).toEqual([truth.agency, truth.year, truth.layout]);
      const unreadable = new Set<string>(truth.unreadable ?? []);
      const wrong: string[] = [];
      for (const table of TABLE_CODES) {
        for (const [row, columns] of Object.entries<Record<string, number | null>>(truth.tables[table])) {
          for (const [column, want] of Object.entries(columns)) {
            const key = `${table}.${row}.${column}`;
            const got = r.tables[table]?.[row]?.[column] ?? null;
            const expected = unreadable.has(key) ? null : want;
            if (got !== expected) wrong.push(`${key}: ${got} (printed ${unreadable.has(key) ? 'nothing, cut off' : want})`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
