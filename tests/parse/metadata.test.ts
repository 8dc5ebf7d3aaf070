/**
 * Title and agency as web copies, PDFs and OCR print them: page chrome above the title is
 * skipped, a title wrapped over two lines is joined, OCR letter-spacing is taken out, and a
 * report that names no agency gets null with a warning — never a breadcrumb, never "".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

// The seed report without its title (printed twice, in lines 1 and 3): each case puts a
// different head on the same body.
const BODY = readFileSync('data/reports/real/jianxi-district-office-2023.txt', 'utf8').split('\n').slice(3).join('\n');
const TITLE = '洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告';

function parseWith(head: string): ReportRecord {
  const r = parseReport(new Uint8Array(Buffer.from(head + BODY)), 'head.txt');
  if (isError(r)) throw new Error(r.error.message);
  return r;
}

describe('title and agency', () => {
  it.each([
    ['a breadcrumb with pipes', `首页 | 政务公开 | 政府信息公开年报\n${TITLE}\n`],
    ['a breadcrumb with >', `当前位置：首页>政务公开>政府信息公开年报>年度报告\n${TITLE}\n`],
    ['a breadcrumb, publication line and site name', `洛阳市涧西区人民政府网\n您现在的位置：首页 » 信息公开 » 年报\n发布时间：2024-01-20  来源：区政府办  字号：[大 中 小]\n${TITLE}\n打印本页 关闭窗口\n`],
    ['a title wrapped after 政府信息', '洛阳市涧西区人民政府办公室2023年政府信息\n公开工作年度报告\n'],
    ['a title wrapped inside the name', '洛阳市涧西区人民\n政府办公室2023年政府信息公开工作年度报告\n'],
    ['OCR letter-spacing', '洛 阳 市 涧 西 区 人 民 政 府 办 公 室 2023 年 政 府 信 息 公 开 工 作 年 度 报 告\n'],
  ])('%s', (_, head) => {
    const r = parseWith(head);
    expect([r.agency, r.year, r.identity.agency_id, r.identity.region_code]).toEqual(['洛阳市涧西区人民政府办公室', 2023, '410305.general_office', '410305']);
  });

  it('the agency on the line above a title that starts with the year', () => {
    const r = parseWith('洛阳市涧西区人民政府办公室\n2023年政府信息公开工作年度报告\n');
    expect([r.agency, r.identity.agency_id]).toEqual(['洛阳市涧西区人民政府办公室', '410305.general_office']);
  });

  it('a report whose title names no agency has agency null and a warning', () => {
    const r = parseWith('首页 > 政务公开 > 政府信息公开年报\n2023年政府信息公开工作年度报告\n');
    expect(r.agency).toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain('agency_missing');
  });
});

describe("the page's own evidence for an ambiguous place", () => {
  // 鼓楼区 is in 南京市, 福州市, 开封市 and 徐州市: the page's <title> names which.
  const page = readFileSync('data/reports/real/city-2025-standard.html', 'utf8').replace(/测试市/g, '鼓楼区');
  const withTitle = (title: string) => page.replace(/<title>[^<]*<\/title>/, '').replace('<head>', `<head><title>${title}</title>`);
  const identity = (html: string) => {
    const r = parseReport(new Uint8Array(Buffer.from(html)), 'gulou.html');
    if (isError(r)) throw new Error(r.error.message);
    return r.identity;
  };

  it('a site title naming the city narrows the district', () => {
    expect(identity(withTitle('鼓楼区2025年政府信息公开工作年度报告_南京市鼓楼区人民政府'))).toMatchObject({ region_code: '320106', region_status: 'resolved' });
  });

  it('without it the district stays ambiguous, with its candidates', () => {
    const who = identity(withTitle('鼓楼区2025年政府信息公开工作年度报告'));
    expect(who.region_status).toBe('ambiguous');
    expect(who.region_candidates).toContain('320106');
    expect(who.region_candidates.length).toBeGreaterThan(1);
  });
});
