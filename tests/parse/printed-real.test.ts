/**
 * Real reports printed to PDF by other producers (tests/fixtures/renderings/real), read against
 * the reviewed golden records of the pages they were printed from (tests/fixtures/real): every
 * cell as on the page, and the agency from the document or null — never a header line or a
 * sentence. Made from data/reports/real with
 *
 *   chromium --headless --print-to-pdf=city-2025-standard.chromium.pdf city-2025-standard.html
 *     (an en-US browser: its header prints "12/7/26, 2:49 PM" beside the page's title, and the
 *     columns of table 3 sit a space apart: 13612 and 252 in neighbouring cells)
 *   soffice --headless --convert-to pdf:writer_web_pdf_Export <page>.html   (→ *.lo.pdf)
 *   soffice --headless --convert-to docx:"MS Word 2007 XML" <page>.html    (→ *.lo.docx, then
 *     soffice --convert-to pdf of it → *.lo-docx.pdf)
 *   soffice --headless --convert-to pdf <page>.txt                         (→ *.page.lo.pdf)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TABLE_CODES } from '../../pipeline/model/codes.ts';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReportAsync } from '../../pipeline/parse/report.ts';

const DIR = 'tests/fixtures/renderings/real';

/** `cut`: cells whose numbers run past the page's edge: null, with a table_clipped warning. */
const PRINTED: { file: string; page: string; agency: string | null; why: string; cut?: string[] }[] = [
  { file: 'city-2025-standard.chromium.pdf', page: 'city-2025-standard.html', agency: '测试市', why: 'the title beside the print header, past its date' },
  { file: 'city-2025-standard.lo.pdf', page: 'city-2025-standard.html', agency: '测试市', why: "the body prints no title: the PDF's own /Title" },
  { file: 'city-2025-standard.lo.docx', page: 'city-2025-standard.html', agency: '测试市', why: "the body prints no title: the document's properties" },
  {
    file: 'city-2025-standard.lo-docx.pdf',
    page: 'city-2025-standard.html',
    agency: '测试市',
    why: 'through Word: table 3 runs past the page, its totals cut to their first digits',
    cut: ['new_received', 'granted', 'partially_granted', 'unavailable_not_held', 'total_processed'].map((row) => `applications.${row}.total`).concat('review_litigation.litigation_after_review.total'),
  },
  { file: 'pingtan-zone-2023.page.lo.pdf', page: 'pingtan-zone-2023.page.txt', agency: '平潭综合实验区', why: "a crawler's 标题: line printed as text" },
  { file: 'shanghai-general-office-2019.lo.pdf', page: 'shanghai-general-office-2019.html', agency: null, why: 'no title printed or recorded; a sentence naming the 年度报告 is not one' },
];

describe('real reports printed to PDF', () => {
  for (const { file, page, agency, why, cut = [] } of PRINTED) {
    it(`${file}: every cell of the page, agency ${agency ?? 'null'} (${why})`, async () => {
      const outcome = await parseReportAsync(readFileSync(`${DIR}/${file}`), file);
      if (isError(outcome)) throw new Error(outcome.error.message);
      const r = outcome as ReportRecord;
      const golden = JSON.parse(readFileSync(`tests/fixtures/real/${page}.expected.json`, 'utf8'));
      expect([r.agency, r.year, r.layout]).toEqual([agency, golden.year, golden.layout]);
      if (agency === null) expect(r.warnings.map((w) => w.code)).toContain('agency_missing');
      const differ: string[] = [];
      for (const table of TABLE_CODES) {
        for (const [row, columns] of Object.entries<Record<string, number | null>>(golden.tables[table])) {
          for (const [column, want] of Object.entries(columns)) {
            const got = r.tables[table]?.[row]?.[column] ?? null;
            const expected = cut.includes(`${table}.${row}.${column}`) ? null : want;
            if (got !== expected) differ.push(`${table}.${row}.${column}: ${got}, the page prints ${want}${expected === null ? ', cut off' : ''}`);
          }
        }
      }
      expect(differ).toEqual([]);
      // One warning per number cut short, and one per table whose last column is gone altogether.
      if (cut.length) expect(r.warnings.filter((w) => w.code === 'table_clipped').length).toBeGreaterThanOrEqual(cut.length);
    });
  }
});
