/**
 * Numbers OCR read with low confidence stand only where the tables' rules speak for them: a rule
 * over the cell that holds confirms it; a failing rule that one of its other readings would
 * mend makes it null; a failing rule no other reading mends is the report's own error; a cell
 * no rule can check is null. Tables of a real report (city-2025-standard.html, consistent).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../pipeline/check/index.ts';
import { doubtOf, judgeDoubtful } from '../../pipeline/parse/ocr-doubt.ts';
import type { ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

const record = parseReport(readFileSync('data/reports/real/city-2025-standard.html'), 'city-2025-standard.html') as ReportRecord;
const fresh = () => ({ tables: structuredClone(record.tables), derived: {} });
const CELL = 'applications.carried_forward.public_interest'; // printed 2
const doubt = (value: number, others: number[] | null) => ({ [CELL]: { value, confidence: 0.72, raw: String(value), others } });
const cell = (input: ReturnType<typeof fresh>) => input.tables.applications!.carried_forward.public_interest;
const fails = (input: ReturnType<typeof fresh>) => runChecks(input, '2021', []).filter((c) => c.status === 'fail').map((c) => `${c.code}:${c.row ?? c.column}`);

describe('numbers OCR read with low confidence', () => {
  it('are in doubt only when another reading is another number, or no number', () => {
    expect(doubtOf(2, 0.95, ['7'], 'count', '2')).toBeNull();
    expect(doubtOf(0, 0.7, ['O', 'o'], 'count', '0')).toBeNull();
    expect(doubtOf(0, 0.7, ['6', 'O'], 'count', '0')).toEqual({ value: 0, confidence: 0.7, raw: '0', others: [6] });
    expect(doubtOf(0, 0.7, ['6', 'O', ''], 'count', '0')).toEqual({ value: 0, confidence: 0.7, raw: '0', others: [6], blank: true });
    // A seal's stroke read as 1: the engine's other readings are a letter, nothing and a bracket.
    expect(doubtOf(1, 0.24, ['i', '', ')'], 'count', '1')).toMatchObject({ others: [], blank: true });
    expect(doubtOf(44, 0.7, ['4'], 'count', '44')).toEqual({ value: 44, confidence: 0.7, raw: '44', others: [4] });
    expect(doubtOf(44, 0.7, undefined, 'count', '44')?.others).toBeNull();
  });

  it('stand where a rule over them holds', () => {
    const input = fresh();
    expect(judgeDoubtful(input, '2021', [], doubt(2, [7]))).toEqual([]);
    expect(cell(input)).toBe(2);
  });

  it('are null where a failing rule would hold with one of their other readings', () => {
    const input = fresh();
    input.tables.applications!.carried_forward.public_interest = 22;
    const warnings = judgeDoubtful(input, '2021', [], doubt(22, [2, 27]));
    expect(cell(input)).toBeNull();
    expect(warnings).toMatchObject([{ code: 'invalid_number', where: CELL, raw: '22' }]);
    expect(warnings[0].message).toMatch(/would hold were it 2\b/);
    expect(fails(input)).toEqual([]);
  });

  it('stand where no other reading mends the failing rule: the check reports the report', () => {
    const input = fresh();
    input.tables.applications!.carried_forward.public_interest = 22;
    expect(judgeDoubtful(input, '2021', [], doubt(22, [27]))).toEqual([]);
    expect(cell(input)).toBe(22);
    expect(fails(input)).toEqual(expect.arrayContaining(['identity:public_interest', 'column_sum:carried_forward']));
  });

  it('are null where a failing rule is mended by no other number, but one other reading is no number', () => {
    const input = fresh();
    input.tables.applications!.carried_forward.public_interest = 7;
    const warnings = judgeDoubtful(input, '2021', [], { [CELL]: { value: 7, confidence: 0.52, raw: '7', others: [1], blank: true } });
    expect(cell(input)).toBeNull();
    expect(warnings[0].message).toMatch(/disagree with it, and OCR was not sure a digit is printed there/);
    expect(fails(input)).toEqual([]);
  });

  it('with no other reading named, are null where a rule over them fails', () => {
    const input = fresh();
    input.tables.applications!.carried_forward.public_interest = 22;
    judgeDoubtful(input, '2021', [], doubt(22, null));
    expect(cell(input)).toBeNull();
  });

  it('are null where no rule can check them', () => {
    const input = fresh();
    // Blanks in its row and its column leave column_sum and identity unassessable.
    input.tables.applications!.carried_forward.total = null;
    input.tables.applications!.new_received.public_interest = null;
    const warnings = judgeDoubtful(input, '2021', [], doubt(2, [7]));
    expect(cell(input)).toBeNull();
    expect(warnings[0].message).toMatch(/no rule of the tables can confirm it \(it could also be 7\)/);
  });
});
