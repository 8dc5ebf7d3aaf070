/**
 * The cells of the real reports, typed from the source files by hand (not from the parser's
 * output): a second, independent statement of what the golden records hold. "-" is a cell
 * printed blank (null); for the pingtan dump, whose digits run together, the values are the
 * derived ones and every printed cell of the run-together rows is null.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableDef, type Layout, type TableCode } from '../../pipeline/model/codes.ts';
import { CITY_2025, SHANGHAI_2019, cells, expectTable } from '../fixtures/real-tables.ts';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

function parse(file: string): ReportRecord {
  const outcome = parseReport(readFileSync(`data/reports/real/${file}`), file);
  if (isError(outcome)) throw new Error(outcome.error.message);
  return outcome;
}

function expectDerived(record: ReportRecord, table: TableCode, layout: Layout, rows: string[]) {
  tableDef(table, layout).rows.forEach((row, i) => {
    const want = cells(rows[i]);
    const got = row.columns.map((c) => record.derived[`${table}.${row.code}.${c.code}`]?.value ?? null);
    expect({ row: row.code, values: got }).toEqual({ row: row.code, values: want });
  });
}

const ZERO_APPLICATIONS = Array.from({ length: 25 }, () => '0 0 0 0 0 0 0');

describe('涧西区人民政府办公室 2023 (tab-separated copy)', () => {
  const r = parse('jianxi-district-office-2023.txt');
  it('metadata and figures', () => {
    expect([r.agency, r.year, r.layout, r.figures.proactive_items_published]).toEqual(['涧西区人民政府办公室', 2023, '2021', 1152]);
  });
  it('table 2', () => expectTable(r, 'proactive', '2021', ['0 0 0', '1 0 14', '0', '0', '0', '0']));
  it('table 3: all 25 rows zero', () => expectTable(r, 'applications', '2021', ZERO_APPLICATIONS));
  it('table 4', () => expectTable(r, 'review_litigation', '2021', ['0 0 0 0 0', '0 0 0 0 0', '0 0 0 0 0']));
  it('every check passes, the narrative ones from 未收到/未发生 sentences', () => {
    expect(r.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(r.checks.filter((c) => c.code === 'narrative').map((c) => [c.row, c.actual])).toEqual([
      ['new_received', 0],
      ['review', 0],
      ['litigation_direct+litigation_after_review', 0],
    ]);
  });
});

describe('测试市 2025 (HTML template, rowspan/colspan)', () => {
  const r = parse('city-2025-standard.html');
  it('metadata', () => expect([r.agency, r.year, r.layout, r.figures.proactive_items_published]).toEqual(['测试市', 2025, '2021', null]));
  it('table 2', () => expectTable(r, 'proactive', '2021', CITY_2025.proactive));
  it('table 3', () => expectTable(r, 'applications', '2021', CITY_2025.applications));
  it('table 4', () => expectTable(r, 'review_litigation', '2021', CITY_2025.review_litigation));
  it('every accounting rule holds', () => expect(r.checks.map((c) => c.status)).toEqual(r.checks.map(() => 'pass')));
});

describe('上海市人民政府办公厅 2019 (2019 layout, &nbsp; blanks)', () => {
  const r = parse('shanghai-general-office-2019.html');
  it('metadata', () => expect([r.agency, r.year, r.layout]).toEqual(['上海市人民政府办公厅', 2019, '2019']));
  it('table 2, procurement 251000元 converted to 25.1 万元', () => {
    expectTable(r, 'proactive', '2019', SHANGHAI_2019.proactive);
    expect(r.warnings.find((w) => w.code === 'unit_converted')).toMatchObject({ where: 'proactive.procurement.amount_10k_yuan', raw: '251000元' });
  });
  it('table 3, blanks stay null', () => expectTable(r, 'applications', '2019', SHANGHAI_2019.applications));
  it('table 4', () => expectTable(r, 'review_litigation', '2019', SHANGHAI_2019.review_litigation));
  it('a blank cell is a warning, never 0', () => {
    const blanks = r.warnings.filter((w) => w.code === 'blank_cell');
    expect(blanks).toContainEqual(expect.objectContaining({ where: 'applications.granted.total' }));
    expect(blanks).toHaveLength(135);
  });
  it('checks over blank cells are not assessable; identity holds where printed', () => {
    const identity = r.checks.filter((c) => c.code === 'identity');
    expect(identity.find((c) => c.column === 'natural_person')).toMatchObject({ status: 'pass', expected: 839, actual: 839 });
    expect(identity.find((c) => c.column === 'total')).toMatchObject({ status: 'pass', expected: 877, actual: 877 });
    expect(identity.filter((c) => c.status === 'not_assessable')).toHaveLength(5);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});

describe('淮安市人民政府 2024 (PDF text)', () => {
  const r = parse('huaian-city-2024.pdf.txt');
  it('metadata: the title spans two lines', () => {
    expect([r.agency, r.year, r.layout, r.figures.proactive_items_published]).toEqual(['淮安市人民政府', 2024, '2021', 5500]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'approximate_figure' })]);
  });
  it('table 2', () => expectTable(r, 'proactive', '2021', ['1 0 11', '8 26 66', '447228', '3985758', '88283', '96171.6']));
  it('table 3: labels wrapped around their numbers, across pages', () =>
    expectTable(r, 'applications', '2021', [
      '3001 53 0 0 61 4 3119',
      '34 0 0 0 0 0 34',
      '1288 21 0 0 50 3 1362',
      '447 7 0 0 0 0 454',
      '2 0 0 0 0 0 2',
      '30 1 0 0 0 0 31',
      '5 0 0 0 0 0 5',
      '6 0 0 0 0 0 6',
      '7 1 0 0 0 0 8',
      '12 0 0 0 0 0 12',
      '9 0 0 0 0 0 9',
      '105 0 0 0 0 0 105',
      '746 12 0 0 10 1 769',
      '11 0 0 0 0 0 11',
      '1 0 0 0 0 0 1',
      '56 6 0 0 0 0 62',
      '25 0 0 0 0 0 25',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '67 3 0 0 1 0 71',
      '6 0 0 0 0 0 6',
      '108 2 0 0 0 0 110',
      '2932 53 0 0 61 4 3050',
      '103 0 0 0 0 0 103',
    ]));
  it('table 4: one line of 15 numbers', () => expectTable(r, 'review_litigation', '2021', ['72 64 178 37 351', '13 4 8 1 26', '12 1 1 6 20']));
  it('narrative figures agree with the tables', () => {
    expect(r.checks.filter((c) => c.code === 'narrative').map((c) => [c.status, c.actual])).toEqual([
      ['pass', 3119],
      ['pass', 351],
      ['pass', 46],
    ]);
  });
});

describe('平潭综合实验区 2023 (crawler dump, digits run together)', () => {
  const r = parse('pingtan-zone-2023.page.txt');
  it('metadata from the dump header', () => {
    expect([r.agency, r.year, r.layout, r.figures.proactive_items_published]).toEqual(['平潭综合实验区', 2023, '2021', 13561]);
    expect(r.page.url).toBe('https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm');
  });
  it('table 2: single-number rows are printed; 000 divides by digit count; 77132470 stays unknown', () => {
    expectTable(r, 'proactive', '2021', ['- - -', '- - -', '2629', '1330', '54', '5949.088667']);
    expectDerived(r, 'proactive', '2021', ['0 0 0', '- - -', '-', '-', '-', '-']);
    expect(r.warnings.find((w) => w.code === 'run_together_ambiguous')).toMatchObject({ where: 'proactive.normative_documents', raw: '77132470' });
  });
  it('table 3: nothing printed separately, every cell recovered into derived', () => {
    expectTable(r, 'applications', '2021', Array.from({ length: 25 }, () => '- - - - - - -'));
    expectDerived(r, 'applications', '2021', [
      '80 1 0 0 0 0 81',
      '0 0 0 0 0 0 0',
      '22 0 0 0 0 0 22',
      '19 1 0 0 0 0 20',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '1 0 0 0 0 0 1',
      '2 0 0 0 0 0 2',
      '31 0 0 0 0 0 31',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '0 0 0 0 0 0 0',
      '1 0 0 0 0 0 1',
      '80 1 0 0 0 0 81',
      '0 0 0 0 0 0 0',
    ]);
    expect(r.derived['applications.new_received.natural_person']).toEqual({ value: 80, rule: 'split_digits:accounting', raw: '801000081' });
  });
  it('table 4: 15 digits for 15 cells', () => {
    expectDerived(r, 'review_litigation', '2021', ['1 1 0 0 2', '4 0 0 1 5', '1 0 1 0 2']);
  });
  it('checks run on derived values and say so', () => {
    expect(r.checks.every((c) => c.status === 'pass' && c.basis === 'derived')).toBe(true);
    expect(r.checks.filter((c) => c.code === 'narrative').map((c) => c.actual)).toEqual([81, 2, 7]);
  });
});

describe('上海市科委 2024 (a PDF-to-markdown conversion)', () => {
  // The expected values were read by hand from the published report and checked against the
  // accounting rules (tests/fixtures/real/*.truth.json); cells the conversion makes doubtful are
  // left out of the truth, and the reader must print them null or as the truth says.
  const truth = JSON.parse(readFileSync('tests/fixtures/real/shanghai-stcsm-2024.pdf.md.truth.json', 'utf8'));
  const r = parse('shanghai-stcsm-2024.pdf.md');

  it('agency, year, layout, items published', () => {
    expect([r.agency, r.year, r.layout, r.figures.proactive_items_published]).toEqual([truth.agency, truth.year, truth.layout, truth.figures.proactive_items_published]);
    expect(r.identity.region_code).toBe(truth.region_code);
  });

  it('every cell of the truth, and nothing else printed', () => {
    for (const table of ['proactive', 'applications', 'review_litigation'] as TableCode[]) {
      for (const [row, columns] of Object.entries(r.tables[table]!)) {
        for (const [column, value] of Object.entries(columns)) {
          const want = truth.tables[table]?.[row]?.[column];
          expect({ cell: `${table}.${row}.${column}`, value }).toEqual({ cell: `${table}.${row}.${column}`, value: want === undefined ? null : want });
        }
      }
    }
  });

  it('rows read by their place among labelled rows are marked so', () => {
    expect(Object.keys(r.readings).sort()).toEqual(
      [
        'partially_granted',
        'denied_prohibited_by_law',
        'denied_internal_affairs',
        'unavailable_not_held',
        'unavailable_needs_creation',
        'unavailable_unclear',
        'not_processed_mass_repeat',
        'not_processed_confirmation',
        'other_no_correction',
        'other_fee_unpaid',
      ]
        .map((row) => `applications.${row}`)
        .sort(),
    );
    expect(Object.values(r.readings).every((x) => x.basis === 'position')).toBe(true);
  });

  it('no check fails: the narrative statements are tied to the cells they are about', () => {
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.checks.filter((c) => c.code === 'narrative').map((c) => [c.row, c.column, c.status])).toEqual([
      ['new_received', 'total', 'pass'],
      ['review', 'total', 'pass'],
      ['litigation_direct+litigation_after_review', 'total', 'pass'],
      ['review', 'corrected', 'pass'],
    ]);
  });
});
