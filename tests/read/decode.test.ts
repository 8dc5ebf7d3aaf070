import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isError } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';
import { decode } from '../../pipeline/read/decode.ts';

const TEXT = '洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告';
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const gbk = (s: string) => new Uint8Array(iconv.encode(s, 'gbk'));

describe('charset decision', () => {
  it('UTF-8 with a BOM', () => {
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(TEXT)]))).toEqual({ text: TEXT, charset: 'utf-8', by: 'bom' });
  });
  it('UTF-16LE with a BOM', () => {
    expect(decode(new Uint8Array([0xff, 0xfe, ...Buffer.from(TEXT, 'utf16le')])).text).toBe(TEXT);
  });
  it('GBK declared by <meta charset>', () => {
    const html = `<html><head><meta charset="gbk"></head><body>${TEXT}</body></html>`;
    const d = decode(gbk(html));
    expect(d).toMatchObject({ charset: 'gb18030', by: 'meta' });
    expect(d.text).toContain(TEXT);
  });
  it('GB2312 declared by http-equiv Content-Type', () => {
    const html = `<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>${TEXT}</p>`;
    expect(decode(gbk(html))).toMatchObject({ charset: 'gb18030', by: 'meta' });
  });
  it('undeclared GBK: strict UTF-8 fails, GB18030 is tried', () => {
    const d = decode(gbk(TEXT));
    expect(d).toEqual({ text: TEXT, charset: 'gb18030', by: 'fallback' });
  });
  it('a page that claims UTF-8 but is GBK', () => {
    const d = decode(gbk(`<meta charset="utf-8"><p>${TEXT}</p>`));
    expect(d.charset).toBe('gb18030');
    expect(d.text).toContain(TEXT);
  });
  it('GB18030 four-byte characters survive (gbk would lose them)', () => {
    const rare = '𠀀涧西';
    const bytes = new Uint8Array(iconv.encode(`<meta charset="gb18030">${rare}`, 'gb18030'));
    expect(decode(bytes).text).toContain(rare);
  });
  it('plain UTF-8', () => expect(decode(utf8(TEXT))).toEqual({ text: TEXT, charset: 'utf-8', by: 'utf-8 valid' }));
});

describe('UTF-8 with a few invalid bytes', () => {
  const report = readFileSync('data/reports/real/jianxi-district-office-2023.txt');
  /** The report with one byte of a character in its prose replaced by 0xFF (never valid UTF-8). */
  const damaged = () => {
    const bytes = Buffer.from(report);
    const at = bytes.indexOf(Buffer.from('总体情况')) + 3; // the first byte of 体 (e4 bd 93): three bad bytes now
    bytes[at] = 0xff;
    return new Uint8Array(bytes);
  };

  it('stays UTF-8: the bad sequence becomes U+FFFD, the rest of the text is intact', () => {
    const d = decode(damaged());
    expect(d).toMatchObject({ charset: 'utf-8', by: 'utf-8 repaired', replaced: 3 });
    expect(d.text).toContain('涧西区人民政府办公室');
    expect(d.text).toContain('总\ufffd\ufffd\ufffd情况');
  });

  it('keeps the report, with a decoding_replaced warning', () => {
    const original = parseReport(new Uint8Array(report), 'jianxi.txt');
    const outcome = parseReport(damaged(), 'jianxi.txt');
    expect(isError(outcome)).toBe(false);
    if (isError(outcome) || isError(original)) return;
    expect(outcome.tables).toEqual(original.tables);
    expect(outcome.warnings).toContainEqual({ code: 'decoding_replaced', where: 'encoding', message: expect.stringMatching(/^3 invalid UTF-8 byte sequence/) });
  });

  it('GBK is still GBK, with or without a few invalid bytes of its own', () => {
    const bytes = gbk(`${TEXT}\n${TEXT}`);
    bytes[3] = 0xff;
    const d = decode(bytes);
    expect(d.charset).toBe('gb18030');
    expect(d.text).toContain(TEXT.slice(4));
    expect(decode(gbk(TEXT)).replaced).toBeUndefined();
  });
});
