/** The fidelity benchmark's scoring, on hand-made records: exact, missed, wrong, unreadable, doubtful. */
import { describe, expect, it } from 'vitest';
import type { Check, ErrorRecord, ReportRecord, Tables } from '../../pipeline/model/record.ts';
import { addToTally, classifyCell, emptyTally, scoreReport, worstQuirks, type Expected } from '../../bench/fidelity-score.ts';

function record(tables: Partial<Tables>, o: { agency?: string | null; year?: number | null; layout?: '2019' | '2021' | null; checks?: Check[] } = {}): ReportRecord {
  return {
    source: 'x.txt',
    sha256: '0',
    format: 'text',
    title: null,
    agency: o.agency === undefined ? '某县人民政府' : o.agency,
    year: o.year === undefined ? 2023 : o.year,
    layout: o.layout === undefined ? '2021' : o.layout,
    layouts: {},
    tables: { proactive: null, applications: null, review_litigation: null, ...tables },
    figures: { proactive_items_published: null },
    derived: {},
    checks: o.checks ?? [],
    warnings: [],
    locations: {},
    readings: {},
    page: {},
    identity: { agency_id: 'x', region_code: null, region_candidates: [], region_status: 'unresolved', region_source: null, agency_kind: 'government', level: null, scope: 'agency', scope_evidence: null },
  };
}

const review = (total: number | null, upheld: number | null = total) => ({ review: { upheld, corrected: 0, other: 0, pending: 0, total } });

const expected = (o: Partial<Expected> = {}): Expected => ({
  agency: '某县人民政府',
  year: 2023,
  layout: '2021',
  tables: { review_litigation: { ...review(3), litigation_direct: { upheld: 0, corrected: 0, other: null, pending: 0, total: 0 } } },
  ...o,
});

describe('classifyCell', () => {
  it.each([
    [5, 5, false, 'exact'],
    [null, null, false, 'exact'],
    [null, 5, false, 'missed'],
    [6, 5, false, 'wrong'],
    [0, null, false, 'wrong'],
    [null, 5, true, 'exact'],
    [5, 5, true, 'exact'],
    [4, 5, true, 'wrong'],
    [null, undefined, false, 'exact'],
    [1, undefined, false, 'unverified'],
    [0.35, 0.35, false, 'exact'],
  ] as const)('got %j, want %j, unreadable %j → %s', (got, want, unreadable, outcome) => {
    expect(classifyCell(got, want, unreadable)).toBe(outcome);
  });
});

describe('scoreReport', () => {
  it('counts every expected cell once, wrong numbers apart from missed ones', () => {
    const got = record({ review_litigation: { review: { upheld: 3, corrected: 0, other: null, pending: 0, total: 4 }, litigation_direct: { upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 } } });
    const s = scoreReport(got, expected());
    expect(s.cells).toEqual({ total: 10, exact: 7, missed: 1, wrong: 2, unverified: 0 });
    expect(s.missed).toEqual(['review_litigation.review.other']);
    // total 4 for 3, and 0 where the report prints a blank.
    expect(s.wrong).toEqual([
      { cell: 'review_litigation.review.total', got: 4, want: 3 },
      { cell: 'review_litigation.litigation_direct.other', got: 0, want: null },
    ]);
    expect([s.agency, s.year, s.layout]).toEqual([true, true, true]);
  });

  it('takes null or the true value in an unreadable cell, and counts any other number wrong', () => {
    const want = expected({ unreadable: ['review_litigation.review.total'] });
    const blank = scoreReport(record({ review_litigation: { ...review(null, 3), litigation_direct: { upheld: 0, corrected: 0, other: null, pending: 0, total: 0 } } }), want);
    expect(blank.cells.exact).toBe(10);
    const guessed = scoreReport(record({ review_litigation: { ...review(7, 3), litigation_direct: { upheld: 0, corrected: 0, other: null, pending: 0, total: 0 } } }), want);
    expect(guessed.wrong).toEqual([{ cell: 'review_litigation.review.total', got: 7, want: 3 }]);
  });

  it('scores every template cell when asked, a cell the expectation leaves out as doubtful', () => {
    const want: Expected = { agency: null, year: 2023, layout: '2021', template: true, tables: { review_litigation: { review: { upheld: 1, corrected: 0, other: 0, pending: 0 } } } };
    const s = scoreReport(record({ review_litigation: { ...review(1, 1) } }), want);
    // 15 template cells: review.total is doubtful and read as 1 (unverified); the litigation
    // rows the expectation leaves out are doubtful too, and read as null (exact).
    expect(s.cells).toEqual({ total: 15, exact: 14, missed: 0, wrong: 0, unverified: 1 });
    expect(s.unverified).toEqual([{ cell: 'review_litigation.review.total', got: 1 }]);
    expect(s.agency).toBeNull();
  });

  it('compares agencies without spaces and counts an error record as nothing read', () => {
    expect(scoreReport(record({}, { agency: '某县 人民政府' }), expected()).agency).toBe(true);
    expect(scoreReport(record({}, { agency: '首页 | 政务公开' }), expected()).agency).toBe(false);
    const error: ErrorRecord = { source: 'x.txt', error: { code: 'not_a_report', message: 'x.txt: no tables' } };
    const s = scoreReport(error, expected());
    expect(s.error).toBe('not_a_report');
    expect(s.cells).toEqual({ total: 10, exact: 1, missed: 9, wrong: 0, unverified: 0 });
    expect([s.agency, s.year, s.layout]).toEqual([false, false, false]);
  });

  it('tells false alarms from the broken rule, and finds broken instances no check caught', () => {
    const fail = (code: Check['code'], row?: string, column?: string): Check => ({ code, table: 'applications', row, column, status: 'fail', expected: 1, actual: 2 });
    const checks = [fail('identity', undefined, 'natural_person'), fail('review_sum', 'review')];
    const clean = scoreReport(record({}, { checks }), expected());
    expect(clean.falseAlarms).toEqual(['identity:natural_person', 'review_sum:review']);
    const broken = scoreReport(record({}, { checks }), expected({ broken: { check: 'identity', failing: [{ column: 'natural_person' }, { column: 'total' }] } }));
    expect(broken.falseAlarms).toEqual(['review_sum:review']);
    expect(broken.brokenMissed).toEqual(['identity:total']);
    expect(scoreReport(record({}, { checks }), expected({ acceptedFails: ['review_sum:review:'] })).falseAlarms).toEqual(['identity:natural_person']);
    // A rule over a cell the rendering destroyed cannot be checked: not assessable, not missed.
    const destroyed = scoreReport(
      record({}, { checks }),
      expected({ unreadable: ['applications.carried_forward.total'], broken: { check: 'identity', failing: [{ column: 'natural_person' }, { column: 'total' }] } }),
    );
    expect([destroyed.brokenMissed, destroyed.brokenUnassessable]).toEqual([[], ['identity:total']]);
  });
});

describe('tally', () => {
  it('adds reports up and ranks the quirks by the share of bad cells', () => {
    const tally = emptyTally();
    const good = scoreReport(record({ review_litigation: { ...review(3), litigation_direct: { upheld: 0, corrected: 0, other: null, pending: 0, total: 0 } } }), expected());
    const bad = scoreReport(record({}), expected());
    for (let i = 0; i < 3; i++) {
      addToTally(tally, good, ['cells_plain']);
      addToTally(tally, bad, ['cells_plain', 'breadcrumb'], i === 0);
    }
    expect(tally.reports).toBe(6);
    expect(tally.cells).toEqual({ total: 60, exact: 33, missed: 27, wrong: 0, unverified: 0 });
    expect(tally.brokenReports).toBe(1);
    expect(worstQuirks(tally, 5).map(([q]) => q)).toEqual(['breadcrumb', 'cells_plain']);
  });
});
