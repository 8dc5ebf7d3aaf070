/** nfkc() is String.prototype.normalize('NFKC') with fast paths: it must agree with it on every character. */
import { describe, expect, it } from 'vitest';
import { nfkc } from '../../pipeline/nfkc.ts';

describe('nfkc', () => {
  it('agrees with normalize("NFKC") on every BMP character, alone and beside full-width forms', () => {
    const differs: string[] = [];
    for (let cp = 0; cp < 0x10000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCharCode(cp);
      for (const text of [c, `（${c}）`, `１${c}`]) if (nfkc(text) !== text.normalize('NFKC')) differs.push(text);
    }
    expect(differs).toEqual([]);
  });

  it('maps the full-width punctuation of Chinese prose and keeps the rest', () => {
    expect(nfkc('（一）主动公开：１２３，共计')).toBe('(一)主动公开:123,共计');
    expect(nfkc('本年新收\u3000政府信息')).toBe('本年新收 政府信息');
  });
});
