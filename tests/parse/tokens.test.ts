import { describe, expect, it } from 'vitest';
import type { Item } from '../../pipeline/parse/sections.ts';
import { tokenize } from '../../pipeline/parse/tokens.ts';

const line = (text: string): Item => ({ kind: 'text', text, at: 'line 1' });
const row = (...cells: string[]): Item => ({ kind: 'row', cells: cells.map((text) => ({ text, origin: true })), at: 'table 1 row 1' });
const shape = (items: Item[]) =>
  tokenize(items).map((t) => (t.kind === 'text' ? `text:${t.text}` : t.kind === 'blank' ? 'blank' : t.parsed.kind === 'number' ? `value:${t.parsed.value}` : `${t.parsed.kind}:${t.parsed.raw}`));

describe('tokens of table text', () => {
  it('keeps a one-digit enumerator with its label', () => {
    expect(shape([line('1.属于国家秘密 5 0 0')])).toEqual(['text:1.属于国家秘密 ', 'value:5', 'value:0', 'value:0']);
    expect(shape([line('2、其他法律行政法规禁止公开')])).toEqual(['text:2、其他法律行政法规禁止公开 ']);
    expect(shape([row('3．不予公开', '12')])).toEqual(['text:3．不予公开 ', 'value:12']);
  });

  it('splits digits run into the next label: the last digit numbers it', () => {
    expect(shape([line('00000002.其他')])).toEqual(['value:0', 'text:2.其他 ']);
  });

  it('reads grid cells: plain digits, marks for nothing, labels and gaps', () => {
    expect(shape([row('规章', '3', '—', '', '１２', '1,234')])).toEqual(['text:规章 ', 'value:3', 'null:—', 'blank', 'value:12', 'value:1234']);
  });
});

describe('tokens of OCR text', () => {
  const values = (text: string) =>
    tokenize([{ kind: 'text', text, at: 'line 1' }]).map((t) => (t.kind === 'value' ? (t.parsed.kind === 'number' ? t.parsed.value : t.parsed.kind) : t.kind === 'text' ? `"${t.text.trim()}"` : '_'));

  it('table rules separate cells and are never digits or labels', () => {
    expect(values('0 丨 1 | 2 ｜ 3 [ 4 ] 5')).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a number with a point after it, where no label follows, is a number; before a label, an enumerator', () => {
    expect(values('（七）总计 29 8 0. 17.')).toEqual(['"（七）总计"', 29, 8, 0, 17]);
    expect(values('8. 属于行政查询事项 0 0')).toEqual(['"8. 属于行政查询事项"', 0, 0]);
  });

  it('an enumerator whose point was dropped stays with its label', () => {
    expect(values('5要求行政机关确认 0 0')).toEqual(['"5要求行政机关确认"', 0, 0]);
  });

  it('a blot over a cell keeps the cell, unreadable', () => {
    expect(values('0 ■ 0')).toEqual([0, 'invalid', 0]);
  });

  it('alone in a cell, a look-alike letter is a number and any other letter a digit no one can read', () => {
    expect(shape([row('予以公开', 'o', 'S', 'u.', '7')])).toEqual(['text:予以公开 ', 'value:0', 'value:5', 'invalid:u.', 'value:7']);
    expect(shape([line('A类 3')])).toEqual(['text:A类 ', 'value:3']);
  });
});

describe('enumerators in grid cells', () => {
  const row = (...cells: string[]) =>
    tokenize([{ kind: 'row', cells: cells.map((text) => ({ text, origin: true })), at: 'row 1' }]).map((t) =>
      t.kind === 'value' ? (t.parsed.kind === 'number' ? t.parsed.value : t.parsed.kind) : t.kind === 'text' ? `"${t.text.trim()}"` : '_',
    );

  it('"1." before a label cell numbers that label, alone in its cell or after a group label', () => {
    expect(row('1.', '属于国家秘密', '0', '0')).toEqual(['"1."', '"属于国家秘密"', 0, 0]);
    expect(row('（三）不予公开 1.', '属于国家秘密', '0')).toEqual(['"（三）不予公开 1."', '"属于国家秘密"', 0]);
  });

  it('"17." after a label in its cell, before numbers, is a number', () => {
    expect(row('（七）总计 17.', '0', '17')).toEqual(['"（七）总计"', 17, 0, 17]);
  });
});
