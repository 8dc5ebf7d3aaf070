import { describe, expect, it } from 'vitest';
import { parseNumber, toTenThousandYuan, unitInHeader } from '../../pipeline/parse/numbers.ts';

const value = (raw: string) => {
  const p = parseNumber(raw);
  return p.kind === 'number' ? p.value : p.kind;
};

describe('numbers as real reports print them', () => {
  it.each([
    ['0', 0],
    ['1152', 1152],
    ['１１５２', 1152], // full-width digits
    ['1,234', 1234],
    ['1，234', 1234], // full-width comma
    ['12,345,678', 12345678],
    ['0.00', 0],
    ['0.35', 0.35],
    ['96171.6', 96171.6],
    ['-3', -3], // 2019 本年增/减
    ['－3', -3], // full-width minus
    ['+2', 2],
    ['5件', 5],
    ['1152条', 1152],
    ['1 152', 1152], // stray space inside a number
    [' 7 ', 7],
    ['1\n152', 1152], // a cell split across lines
    ['3\u00a0', 3], // &nbsp; after the number
  ])('%j → %j', (raw, expected) => expect(value(raw)).toBe(expected));

  it.each(['', ' ', '\u00a0', '-', '—', '——', '/', '／', '无', '－'])('%j → null (a blank, never 0)', (raw) => {
    expect(parseNumber(raw).kind).toBe('null');
  });

  it.each(['见附件', 'abc', '1.2.3', '12a', '约10'])('%j → invalid', (raw) => expect(parseNumber(raw).kind).toBe('invalid'));

  it('reads plain digits of any length the same way, leading zeros included', () => {
    // Up to 15 digits take the fast path; longer ones the general one.
    expect(parseNumber('007')).toEqual({ kind: 'number', value: 7, raw: '007' });
    expect(parseNumber('123456789012345')).toEqual({ kind: 'number', value: 123456789012345, raw: '123456789012345' });
    expect(parseNumber('1234567890123456')).toEqual({ kind: 'number', value: 1234567890123456, raw: '1234567890123456' });
  });

  it('keeps the unit of money', () => {
    expect(parseNumber('251000元')).toMatchObject({ value: 251000, unit: '元' });
    expect(parseNumber('0.35万元')).toMatchObject({ value: 0.35, unit: '万元' });
    expect(parseNumber('1.2亿元')).toMatchObject({ value: 1.2, unit: '亿元' });
  });

  it('converts money to 万元', () => {
    expect(toTenThousandYuan(251000, '元')).toEqual({ value: 25.1, converted: true });
    expect(toTenThousandYuan(1.2, '亿元')).toEqual({ value: 12000, converted: true });
    expect(toTenThousandYuan(3.5, '万元')).toEqual({ value: 3.5, converted: false });
    expect(toTenThousandYuan(3.5, undefined)).toEqual({ value: 3.5, converted: false });
  });

  it('reads the unit a header states', () => {
    expect(unitInHeader('本年收费金额（单位：万元）')).toBe('万元');
    expect(unitInHeader('采购总金额（元）')).toBe('元');
    expect(unitInHeader('采购总金额(单位:元)')).toBe('元');
    expect(unitInHeader('采购总金额')).toBeUndefined();
  });
});

describe('numbers as OCR and converters print them', () => {
  it.each([
    ['1O', 10],
    ['l2', 12],
    ['2I0', 210],
    ['O', 0],
    ['o', 0],
  ])('%j → %j, marked as read from look-alike letters', (raw, expected) => {
    expect(parseNumber(raw)).toMatchObject({ kind: 'number', value: expected, repair: 'lookalike' });
  });

  it('a mark that is no thousands separator is a stray mark, taken out and marked', () => {
    expect(parseNumber('12,34')).toMatchObject({ kind: 'number', value: 1234, repair: 'stray_mark' });
    expect(parseNumber('1,234')).toEqual({ kind: 'number', value: 1234, raw: '1,234' });
  });

  it('letters without a digit stay unreadable, never a number', () => {
    expect(parseNumber('lO').kind).toBe('invalid');
    expect(parseNumber('Ol').kind).toBe('invalid');
  });
});

describe('damaged prints: marks at the edges and letters together', () => {
  it.each([
    ['80.', 80, 'edge_mark'],
    ['.80', 80, 'edge_mark'],
    ['O,', 0, 'lookalike'],
    ['O.', 0, 'lookalike'],
    ['l', 1, 'lone_lookalike'],
    ['1,5,', 15, 'stray_mark'],
  ])('%j → %j (%s)', (raw, value, repair) => expect(parseNumber(raw)).toMatchObject({ kind: 'number', value, repair }));
});
