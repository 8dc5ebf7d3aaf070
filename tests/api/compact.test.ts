/**
 * Comparisons over named agencies answer from one SELECT, with the previous year, the order and
 * the cut made in process (runCompact); every answer must be the one the all-SQL form gives, row
 * for row, on the demo release.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isCompact, runComparison, runComparisonSql, type ComparisonQuery } from '../../api/data/comparisons.ts';
import { Database } from '../../api/data/db.ts';
import { loadRelease } from '../../api/release.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open(loadRelease(inject('demoRelease')), { threads: 1 });
});
afterAll(() => db.close());

const NDRC = '410000.dept.发展和改革委员会';
const CIVIL = '410305.dept.民政局';
const LAND = '410305.dept.自然资源局';
const base: ComparisonQuery = {
  subject: 'applications',
  filter: { agencies: [NDRC, CIVIL, LAND], yearFrom: 2020, yearTo: 2024 },
  scope: 'agency',
  groupBy: ['agency', 'year'],
  regionLevel: 'county',
  includeDerived: false,
  applicant: 'total',
  outcomeGroups: null,
  check: 'identity',
  rank: null,
  limit: 100,
};

const CASES: [string, ComparisonQuery][] = [
  ['by agency and year, with the previous year', { ...base, withPrevious: true }],
  ['by year and agency, some measures, cut at 4 groups', { ...base, groupBy: ['year', 'agency'], measures: ['new_received', 'granted_any_share'], limit: 4 }],
  ['by year and applicant type, with the previous year, no year filter', { ...base, filter: { agencies: [CIVIL] }, groupBy: ['year', 'applicant_type'], withPrevious: true }],
  ['derived values, by agency over the range', { ...base, includeDerived: true, groupBy: ['agency'] }],
  ['review and litigation by agency and year', { ...base, subject: 'review', withPrevious: true }],
  ['proactive disclosure by year and layout', { ...base, subject: 'proactive', groupBy: ['year', 'layout'] }],
  ['a check by agency kind', { ...base, subject: 'checks', groupBy: ['agency_kind'] }],
];

describe('comparisons over named agencies', () => {
  it.each(CASES)('%s: the same rows as all-SQL', async (_, q) => {
    expect(isCompact(q)).toBe(true);
    const session = db.session(60_000);
    try {
      const compact = await runComparison(session, q);
      const sql = await runComparisonSql(session, q);
      expect(compact.rows.length).toBeGreaterThan(0);
      expect(compact.rows).toEqual(sql.rows);
      expect(compact.truncated).toBe(sql.truncated);
      expect(await compact.totalGroups()).toBe(await sql.totalGroups());
    } finally {
      await session.close();
    }
  });

  it('ranked ones, by outcome or region, or over a closed range with its previous period, stay in SQL', () => {
    expect(isCompact({ ...base, rank: { by: 'new_received', top: 3, order: 'desc', within: [] } })).toBe(false);
    expect(isCompact({ ...base, groupBy: ['agency', 'outcome_group'] })).toBe(false);
    expect(isCompact({ ...base, groupBy: ['region'] })).toBe(false);
    expect(isCompact({ ...base, groupBy: ['agency'], withPrevious: true })).toBe(false);
    expect(isCompact({ ...base, filter: { yearFrom: 2020 } })).toBe(false);
  });
});

describe('agency rows kept per release', () => {
  it('are the release’s rows, read once; an id the release lacks has none', async () => {
    const { AgencyRows, agenciesByIds } = await import('../../api/data/agencies.ts');
    const kept = new AgencyRows();
    const session = db.session(60_000);
    try {
      const first = await kept.get(session, [NDRC, CIVIL, 'no.such.agency']);
      expect([...first.keys()]).toEqual([NDRC, CIVIL]);
      expect(first.get(CIVIL)).toEqual((await agenciesByIds(session, [CIVIL]))[0]);
      const reads: string[] = [];
      const counting = new Proxy(session, { get: (s, k) => (k === 'query' ? (sql: string, ...rest: unknown[]) => (reads.push(sql), (s.query as Function).call(s, sql, ...rest)) : Reflect.get(s, k)) });
      expect((await kept.get(counting, [CIVIL, NDRC, 'no.such.agency'])).size).toBe(2);
      expect(reads).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
