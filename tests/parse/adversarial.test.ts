/** Bad input gets a clear error or a record with warnings — never a crash, never a silent 0. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isError, type ErrorRecord, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport, parseReportAsync } from '../../pipeline/parse/report.ts';

const CITY = readFileSync('data/reports/real/city-2025-standard.html', 'utf8');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function record(text: string, name = 'case.html'): ReportRecord {
  const r = parseReport(bytes(text), name);
  if (isError(r)) throw new Error(r.error.message);
  return r;
}
function error(input: Uint8Array, name: string): ErrorRecord {
  const r = parseReport(input, name);
  if (!isError(r)) throw new Error(`expected an error for ${name}`);
  return r;
}

describe('files that are not reports', () => {
  it('an empty file', () => {
    expect(error(new Uint8Array(), 'empty.html').error).toEqual({ code: 'empty_file', message: 'empty.html: the file is empty' });
  });
  it('a file of whitespace', () => {
    expect(error(bytes(' \n\t\n '), 'blank.txt').error.code).toBe('empty_file');
  });
  it('a binary file', () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const e = error(junk, 'image.bin');
    expect(e.error.code).toBe('binary_file');
    expect(e.error.message).toMatch(/^image\.bin: /);
    expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it('an HTML page without any report', () => {
    const page = '<html><head><title>关于开展春季植树活动的通知</title></head><body><div class="nav">首页 政务公开</div><p>各单位：现将有关事项通知如下。</p><table><tr><td>时间</td><td>3月12日</td></tr></table></body></html>';
    expect(error(bytes(page), 'news.html').error).toMatchObject({ code: 'not_a_report' });
  });
  it('a legacy Word file names what to do', () => {
    expect(error(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'report.doc').error).toMatchObject({
      code: 'unsupported_format',
      message: expect.stringContaining('soffice --headless --convert-to docx'),
    });
  });
  it('a PDF needs the asynchronous entry; a broken PDF is unreadable there', async () => {
    expect(error(bytes('%PDF-1.7\n...'), 'report.pdf').error).toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('parseReportAsync') });
    const r = await parseReportAsync(bytes('%PDF-1.7\nnot really a pdf'), 'broken.pdf');
    expect(isError(r) && r.error).toMatchObject({ code: 'unreadable', message: expect.stringMatching(/^broken\.pdf: not a readable PDF/) });
  });
  it('a zip file that is not a Word document', () => {
    expect(error(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'archive.docx').error.code).toBe('unreadable');
  });
});

describe('damaged reports still give a record, with warnings', () => {
  it('a table cut off midway (truncated file)', () => {
    const cut = CITY.slice(0, CITY.indexOf('<tr><td>2.重复申请</td>'));
    const r = record(cut, 'truncated.html');
    expect(r.tables.proactive).toEqual(record(CITY).tables.proactive);
    expect(r.tables.applications!.not_processed_petition).toEqual({ natural_person: 199, commercial: 1, research: 0, public_interest: 0, legal_services: 3, other_org: 0, total: 203 });
    expect(r.tables.applications!.not_processed_repeat.total).toBeNull();
    expect(r.tables.review_litigation).toBeNull();
    const codes = r.warnings.map((w) => `${w.code}@${w.where}`);
    expect(codes).toContain('row_missing@applications.not_processed_repeat');
    expect(codes).toContain('row_missing@applications.carried_forward');
    expect(codes).toContain('table_missing@review_litigation');
    expect(r.checks.find((c) => c.code === 'identity')!.status).toBe('not_assessable');
  });

  it('a table with a missing row', () => {
    const html = CITY.replace(/<tr><td>3\.危及“三安全一稳定”<\/td>.*?<\/tr>/, '');
    const r = record(html, 'missing-row.html');
    expect(r.tables.applications!.denied_security_stability).toEqual({ natural_person: null, commercial: null, research: null, public_interest: null, legal_services: null, other_org: null, total: null });
    expect(r.tables.applications!.denied_third_party.total).toBe(51);
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'row_missing', where: 'applications.denied_security_stability' }));
    const outcome = r.checks.filter((c) => c.code === 'outcome_sum');
    expect(outcome.every((c) => c.status === 'not_assessable')).toBe(true);
  });

  it('a cell that is not a number is null with a warning naming the cell', () => {
    const r = record(CITY.replace('<td>13612</td>', '<td>见附件</td>'), 'garbage.html');
    expect(r.tables.applications!.new_received.natural_person).toBeNull();
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'invalid_number', where: 'applications.new_received.natural_person', raw: '见附件', at: 'table 2 row 4' }));
  });

  it('a table replaced by a sentence is null, not zeros', () => {
    const start = CITY.indexOf('<p>三、收到和处理政府信息公开申请情况</p>');
    const end = CITY.indexOf('<p>四、政府信息公开行政复议、行政诉讼情况</p>');
    const html = `${CITY.slice(0, start)}<p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到政府信息公开申请。</p>${CITY.slice(end)}`;
    const r = record(html, 'no-table3.html');
    expect(r.tables.applications).toBeNull();
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'table_missing', where: 'applications' }));
    expect(r.checks.some((c) => c.code === 'identity')).toBe(false);
  });

  it('a broken rule is a failed check with expected and actual', () => {
    const r = record(CITY.replace('<td>5345</td>', '<td>5346</td>'), 'broken.html');
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      { code: 'outcome_sum', table: 'applications', column: 'natural_person', status: 'fail', expected: 13365, actual: 13364 },
      { code: 'column_sum', table: 'applications', row: 'granted', status: 'fail', expected: 5549, actual: 5548 },
    ]);
  });

  it('the covered year comes from the statistics period, not the publication date', () => {
    const html = CITY.replace('<title>测试市2025年政府信息公开工作年度报告</title>', '<title>测试市政府信息公开工作年度报告（发布于2026年1月）</title>');
    expect(record(html).year).toBe(2025);
  });
});
