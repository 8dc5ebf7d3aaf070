/**
 * A row's printed values → one value per column: a repaired cell (OCR look-alikes, a stray mark)
 * stands only where the row's own rule holds with it; otherwise it is null with a warning.
 */
import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS } from '../../pipeline/model/codes.ts';
import { APPLICANT_ROW_RULE } from '../../pipeline/parse/digits.ts';
import type { ValueToken } from '../../pipeline/parse/groups.ts';
import { parseNumber } from '../../pipeline/parse/numbers.ts';
import { resolveRow } from '../../pipeline/parse/row-values.ts';

const row = (...cells: string[]): ValueToken[] => cells.map((c) => ({ kind: 'value', parsed: parseNumber(c), at: 'line 1' }));
const read = (...cells: string[]) => resolveRow(row(...cells), APPLICANT_COLUMNS, 'applications.granted', APPLICANT_ROW_RULE);

describe('repaired cells', () => {
  it('a stray point in a count is taken out when the row total agrees', () => {
    const rv = read('1.52', '3', '0', '0', '0', '0', '155');
    expect(rv.printed).toEqual([152, 3, 0, 0, 0, 0, 155]);
    expect(rv.repairs?.[0]).toBe('stray_mark');
  });

  it('a stray point whose reading the total contradicts leaves the cell null with a warning', () => {
    const rv = read('1.52', '3', '0', '0', '0', '0', '20');
    expect(rv.printed[0]).toBeNull();
    expect(rv.warnings.map((w) => [w.code, w.where])).toEqual([['invalid_number', 'applications.granted.natural_person']]);
  });

  it('O for 0 inside digits stands when the row holds', () => {
    const rv = read('1O', '0', 'O', '0', '0', '0', '10');
    expect(rv.printed).toEqual([10, 0, 0, 0, 0, 0, 10]);
    expect(rv.repairs?.filter(Boolean)).toHaveLength(2);
  });

  it('O for 0 reads one way only: it stands, and the row total that disagrees is for the checks to report', () => {
    const rv = read('1O', '0', '0', '0', '0', '0', '1');
    expect(rv.printed).toEqual([10, 0, 0, 0, 0, 0, 1]);
    expect(rv.repairs?.[0]).toBe('lookalike');
  });

  it('a lone l stands only where the row total confirms it', () => {
    expect(read('l', '0', '0', '0', '0', '0', '1').printed[0]).toBe(1);
    expect(read('l', '0', '0', '0', '0', '0', '2').printed[0]).toBeNull();
  });
});

