/**
 * A report saved as JSON (a crawler's page record): its body read as the page it is, its fields
 * as the page's metadata; a JSON file without a report is an error naming the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

const PAGE = readFileSync('data/reports/real/city-2025-standard.html', 'utf8');
const parse = (json: unknown, name = 'page.json') => parseReport(new Uint8Array(Buffer.from(JSON.stringify(json))), name);

describe('a report saved as JSON', () => {
  it('reads the body as the page, and the fields as its metadata', () => {
    const r = parse({ data: { title: '测试市2025年政府信息公开工作年度报告', url: 'https://www.example.gov.invalid/a/1.html', publishTime: '2026-01-20 09:00', content: PAGE } }) as ReportRecord;
    expect(isError(r)).toBe(false);
    expect(r.format).toBe('json');
    expect(r.tables).toEqual((parseReport(new Uint8Array(Buffer.from(PAGE)), 'page.html') as ReportRecord).tables);
    expect(r.page).toMatchObject({ url: 'https://www.example.gov.invalid/a/1.html', published_at: '2026-01-20' });
  });

  it('a JSON file with no report in it, or not JSON at all, is an error naming the file', () => {
    const none = parse({ name: 'datapackage', resources: [] }, 'data/config.json');
    expect(isError(none) && none.error).toMatchObject({ code: 'not_a_report', message: expect.stringMatching(/^data\/config\.json: /) });
    const broken = parseReport(new Uint8Array(Buffer.from('{"title": "x", ')), 'cut.json');
    expect(isError(broken) && broken.error).toMatchObject({ code: 'unreadable', message: expect.stringMatching(/^cut\.json: not valid JSON/) });
  });
});
