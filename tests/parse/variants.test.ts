/**
 * One report, many dumps: the same real report rewritten the ways copies of it are found
 * (|-separated, one cell per line, GBK, inside a site page, label variants, full-width
 * digits, separators) must give the same tables as the original.
 */
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

const JIANXI = readFileSync('data/reports/real/jianxi-district-office-2023.txt', 'utf8');
const CITY = readFileSync('data/reports/real/city-2025-standard.html', 'utf8');

function parseText(text: string | Uint8Array, name: string): ReportRecord {
  const bytes = typeof text === 'string' ? new Uint8Array(Buffer.from(text, 'utf8')) : text;
  const r = parseReport(bytes, name);
  if (isError(r)) throw new Error(r.error.message);
  return r;
}

const original = {
  jianxi: parseText(JIANXI, 'jianxi.txt'),
  city: parseText(CITY, 'city.html'),
};

function expectSameReport(r: ReportRecord, base: ReportRecord) {
  expect(r.tables).toEqual(base.tables);
  expect([r.agency, r.year, r.layout]).toEqual([base.agency, base.year, base.layout]);
  expect(r.checks.map((c) => c.status)).toEqual(base.checks.map((c) => c.status));
  expect(r.warnings.filter((w) => w.code !== 'unit_assumed' && w.where !== 'identity')).toEqual([]);
  expect(r.identity).toEqual(base.identity);
}

describe('text dumps of the seed report', () => {
  it('|-separated lines', () => {
    const piped = JIANXI.split('\n').map((l) => (l.includes('\t') ? `| ${l.split('\t').join(' | ')} |` : l)).join('\n');
    expectSameReport(parseText(piped, 'jianxi.pipe.txt'), original.jianxi);
  });

  it('one cell per line', () => {
    const cells = JIANXI.split('\n').flatMap((l) => (l.includes('\t') ? l.split('\t').filter((c) => c.trim()) : [l])).join('\n');
    expectSameReport(parseText(cells, 'jianxi.cells.txt'), original.jianxi);
  });

  it('Windows line ends and a UTF-8 BOM', () => {
    expectSameReport(parseText(`\ufeff${JIANXI.replace(/\n/g, '\r\n')}`, 'jianxi.crlf.txt'), original.jianxi);
  });

  it('GB18030-encoded text without any declaration', () => {
    expectSameReport(parseText(new Uint8Array(iconv.encode(JIANXI, 'gb18030')), 'jianxi.gbk.txt'), original.jianxi);
  });
});

describe('HTML variants of the template report', () => {
  it('GBK with <meta charset="gbk">', () => {
    const html = CITY.replace('<meta charset="utf-8">', '<meta charset="gbk">');
    expectSameReport(parseText(new Uint8Array(iconv.encode(html, 'gbk')), 'city.gbk.html'), original.city);
  });

  it('GB2312 declared through http-equiv', () => {
    const html = CITY.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
    expectSameReport(parseText(new Uint8Array(iconv.encode(html, 'gbk')), 'city.gb2312.html'), original.city);
  });

  it('inside a site page with navigation, sidebar and footer', () => {
    const html = CITY.replace(
      '<body>',
      '<body><div class="header"><ul class="nav"><li>首页</li><li>2024年政府信息公开工作年度报告</li></ul></div><div class="side"><p>二、主动公开</p><p>相关链接 2018年年度报告</p></div>',
    ).replace('</body>', '<div class="footer"><p>主办：测试市人民政府办公室 电话 0379-12345678</p></div></body>');
    expectSameReport(parseText(html, 'city.page.html'), original.city);
  });

  it('label variants real reports use', () => {
    const html = CITY.replace('>行政规范性文件<', '>规范性文件<')
      .replace('现行有效件数', '现行有效件数（历史累计）')
      .replace('>行政许可<', '>许 可<')
      .replace('>行政处罚<', '>处罚<')
      .replace('>商业企业<', '>商业 企业<')
      .replace('1.属于国家秘密', '1. 属于 国家秘密')
      .replace('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)')
      .replace('3.危及“三安全一稳定”', '3.危及"三安全一稳定"')
      .replace('四、结转下年度继续办理', '四、结转下年度继续办理数量');
    expectSameReport(parseText(html, 'city.labels.html'), original.city);
  });

  it('a label split over two cells of its row', () => {
    const html = CITY.replace('<td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>', '<td>（二）部分公开</td><td>（区分处理的，只计这一情形，不计其他情形）</td>');
    expect(html).not.toBe(CITY);
    expectSameReport(parseText(html, 'city.split-label.html'), original.city);
  });

  it('full-width digits and thousands separators', () => {
    const full = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const html = CITY.replace(/<td>(\d+)<\/td>/g, (_, n: string) => `<td>${Number(n) >= 1000 ? Number(n).toLocaleString('en-US') : full(n)}</td>`);
    expect(html).toContain('<td>13,612</td>');
    expect(html).toContain('<td>２５２</td>');
    expectSameReport(parseText(html, 'city.digits.html'), original.city);
  });

  it('units after numbers and stray spaces inside them', () => {
    const html = CITY.replace('<td>13612</td>', '<td>13 612</td>').replace('<td>252</td>', '<td>252件</td>');
    expectSameReport(parseText(html, 'city.units.html'), original.city);
  });
});
