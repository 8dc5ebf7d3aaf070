import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
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
