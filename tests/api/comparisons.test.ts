/**
 * What comparisons promise beyond the examples: scopes are never added together, printed values
 * unless includeDerived, every grouping dimension, rankings within a dimension, year over year
 * with and without a year dimension — each against plain SQL.
 */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { close12, gql, useApi } from './helpers.ts';

const ctx = useApi();
/** The published reports of data/reports/real, in a release of their own. */
const real = useApi('realRelease');

const data = ctx.data;

/** Table 3 sums over counted reports of one scope, optionally with derived values. */
async function appSums(where: string, scope: string, value = 'a.value', db = ctx.db()) {
  const [row] = await db.sql<{ reports: number; new_received: number; total_processed: number }>(`
    SELECT count(DISTINCT r.report_id) AS reports,
           sum(${value}) FILTER (WHERE a.row = 'new_received') AS new_received,
           sum(${value}) FILTER (WHERE a.row = 'total_processed') AS total_processed
    FROM counted r JOIN regions g ON g.code = r.region_code
    JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
    WHERE r.scope = '${scope}' AND ${where}`);
  return row;
}

describe('scope', () => {
  it('adds up agency reports by default and region summaries only when asked, never both', async () => {
    const q = 'query ($scope: Scope!) { applicationComparison(filter: { region: "410300", year: 2023 }, scope: $scope) { scope groups { reports newReceived totalProcessed } } }';
    const agency = (await data(q, { scope: 'AGENCY' })).applicationComparison;
    const summary = (await data(q, { scope: 'REGION_SUMMARY' })).applicationComparison;
    const where = "(g.code = '410300' OR g.city = '410300') AND r.year = 2023";
    const ea = await appSums(where, 'agency');
    const es = await appSums(where, 'region_summary');
    expect(agency.scope).toBe('AGENCY');
    expect(agency.groups).toEqual([{ reports: ea.reports, newReceived: ea.new_received, totalProcessed: ea.total_processed }]);
    expect(summary.groups).toEqual([{ reports: es.reports, newReceived: es.new_received, totalProcessed: es.total_processed }]);
    expect(es.reports).toBeGreaterThan(0);
    const defaulted = (await data('{ applicationComparison(filter: { region: "410300", year: 2023 }) { groups { newReceived } } }')).applicationComparison;
    expect(defaulted.groups[0].newReceived).toBe(ea.new_received);
  });
});

describe('printed and derived values', () => {
  it('uses printed values unless includeDerived, where derived values fill unusable cells', async () => {
    // The real report of 平潭综合实验区 (350128) prints run-together digits the pipeline split.
    const q = 'query ($d: Boolean!) { applicationComparison(filter: { region: "350128", year: 2023 }, scope: REGION_SUMMARY, includeDerived: $d) { includeDerived groups { newReceived totalProcessed } } }';
    const printed = (await real.data(q, { d: false })).applicationComparison;
    const derived = (await real.data(q, { d: true })).applicationComparison;
    const where = "r.region_code = '350128' AND r.year = 2023";
    const ep = await appSums(where, 'region_summary', 'a.value', real.db());
    const ed = await appSums(where, 'region_summary', 'coalesce(a.value, a.derived_value)', real.db());
    expect(printed.groups[0].newReceived).toBe(ep.new_received);
    expect(derived.includeDerived).toBe(true);
    expect(derived.groups[0].newReceived).toBe(ed.new_received);
    expect(derived.groups[0].newReceived).not.toBe(printed.groups[0].newReceived);
  });
});

describe('dimensions', () => {
  it('groups by applicant type in template order', async () => {
    const d = await data('{ applicationComparison(filter: { region: "410305" }, groupBy: [APPLICANT_TYPE]) { groups { applicantType { code zh } newReceived } } }');
    const expected = await ctx.db().sql<{ col: string; v: number }>(`
      SELECT a."column" AS col, sum(a.value) AS v FROM counted r JOIN applications a ON a.report_id = r.report_id AND a.row = 'new_received'
      WHERE r.region_code = '410305' AND r.scope = 'agency' AND a."column" <> 'total' GROUP BY 1`);
    const order = ['natural_person', 'commercial', 'research', 'public_interest', 'legal_services', 'other_org'];
    expect(d.applicationComparison.groups.map((g: { applicantType: { code: string } }) => g.applicantType.code)).toEqual(order);
    for (const g of d.applicationComparison.groups) expect(g.newReceived).toBe(expected.find((e) => e.col === g.applicantType.code)!.v);
    expect(d.applicationComparison.groups[0].applicantType.zh).toBe('自然人');
  });

  it('groups by agency kind and agency level, and filters by them', async () => {
    const d = await data('{ applicationComparison(filter: { region: "410300", year: 2022, agencyLevels: [COUNTY, TOWNSHIP] }, groupBy: [AGENCY_KIND, AGENCY_LEVEL]) { groups { agencyKind agencyLevel reports newReceived } } }');
    const expected = await ctx.db().sql<{ kind: string; level: string; reports: number; v: number }>(`
      SELECT r.agency_kind AS kind, r.level, count(DISTINCT r.report_id) AS reports, sum(a.value) AS v
      FROM counted r JOIN regions g ON g.code = r.region_code JOIN applications a ON a.report_id = r.report_id AND a.row = 'new_received' AND a."column" = 'total'
      WHERE (g.code = '410300' OR g.city = '410300') AND r.year = 2022 AND r.scope = 'agency' AND r.level IN ('county', 'township')
      GROUP BY 1, 2 ORDER BY 1, 2`);
    expect(d.applicationComparison.groups.map((g: any) => [g.agencyKind.toLowerCase(), g.agencyLevel.toLowerCase(), g.reports, g.newReceived])).toEqual(
      expected.map((e) => [e.kind, e.level, e.reports, e.v]),
    );
  });

  it('groups by outcome group and ranks outcomes within each year', async () => {
    const d = await data(`{
      byGroup: applicationComparison(filter: { region: "410305", year: 2023 }, groupBy: [OUTCOME_GROUP]) { groups { outcomeGroup { code } outcomeApplications outcomeShare totalProcessed } }
      topDenied: applicationComparison(filter: { region: "410305", yearFrom: 2022, yearTo: 2023 }, groupBy: [YEAR, OUTCOME], outcomeGroups: [DENIED],
                 rank: { by: OUTCOME_APPLICATIONS, top: 2, within: [YEAR] }) { groups { year rank outcome { code } outcomeGroup { code } outcomeApplications } }
    }`);
    const cells = await ctx.db().sql<{ year: number; row: string; v: number }>(`
      SELECT r.year, a.row, sum(a.value) AS v FROM counted r JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
      WHERE r.region_code = '410305' AND r.scope = 'agency' AND r.year IN (2022, 2023) GROUP BY 1, 2`);
    const sum = (year: number, prefix: string) => cells.filter((c) => c.year === year && c.row.startsWith(prefix)).reduce((s, c) => s + c.v, 0);
    const groups = d.byGroup.applicationComparison?.groups ?? d.byGroup.groups;
    expect(groups.map((g: { outcomeGroup: { code: string } }) => g.outcomeGroup.code)).toEqual(['outcome', 'denied', 'unavailable', 'not_processed', 'other']);
    const total = sum(2023, 'total_processed');
    expect(groups[0].outcomeApplications).toBe(sum(2023, 'granted') + sum(2023, 'partially_granted'));
    expect(groups[1].outcomeApplications).toBe(sum(2023, 'denied_'));
    expect(close12(groups[1].outcomeShare, sum(2023, 'denied_') / total)).toBe(true);
    const top = d.topDenied.groups;
    expect(top.map((g: { year: number; rank: number }) => [g.year, g.rank])).toEqual([
      [2022, 1],
      [2022, 2],
      [2023, 1],
      [2023, 2],
    ]);
    for (const year of [2022, 2023]) {
      const denied = cells.filter((c) => c.year === year && c.row.startsWith('denied_')).map((c) => c.v).sort((a, b) => b - a);
      expect(top.filter((g: { year: number }) => g.year === year).map((g: { outcomeApplications: number }) => g.outcomeApplications)).toEqual(denied.slice(0, 2));
    }
    for (const g of top) expect(g.outcomeGroup.code).toBe('denied');
  });

  it('groups by city, ranks in ascending order and bounds the rows', async () => {
    const d = await data('{ proactiveComparison(filter: { region: "410000", year: 2021 }, groupBy: [REGION], regionLevel: CITY, rank: { by: LICENSING_DECISIONS, top: 3, order: ASC }) { totalGroups groups { rank region { code level } licensingDecisions } } }');
    const expected = await ctx.db().sql<{ city: string; v: number }>(`
      SELECT g.city, sum(p.value) AS v FROM counted r JOIN regions g ON g.code = r.region_code
      LEFT JOIN proactive p ON p.report_id = r.report_id AND p.row = 'licensing' AND p."column" = 'decisions'
      WHERE g.province = '410000' AND g.city IS NOT NULL AND r.year = 2021 AND r.scope = 'agency' GROUP BY 1 ORDER BY v ASC NULLS LAST, g.city LIMIT 3`);
    const c = d.proactiveComparison;
    expect(c.totalGroups).toBe(3);
    expect(c.groups.map((g: any) => [g.rank, g.region.code, g.region.level, g.licensingDecisions])).toEqual(expected.map((e, i) => [i + 1, e.city, 'CITY', e.v]));
    // A limit below top cuts the ranking; totalGroups still counts the top 3.
    const cut = await data('{ proactiveComparison(filter: { region: "410000", year: 2021 }, groupBy: [REGION], regionLevel: CITY, rank: { by: LICENSING_DECISIONS, top: 3, order: ASC }, limit: 2) { totalGroups truncated groups { rank region { code } } } }');
    expect(cut.proactiveComparison).toEqual({ totalGroups: 3, truncated: true, groups: expected.slice(0, 2).map((e, i) => ({ rank: i + 1, region: { code: e.city } })) });
  });
});

describe('year over year', () => {
  it('compares a single year with the one before, two levels back', async () => {
    const d = await data(`{ applicationComparison(filter: { region: "410305", year: 2023 }) { groups {
      newReceived change(measure: GRANTED_SHARE) { current previous absolute }
      previous { year newReceived grantedShare previous { newReceived } } } } }`);
    const g = d.applicationComparison.groups[0];
    const by = async (year: number) => appSums(`r.region_code = '410305' AND r.year = ${year}`, 'agency');
    const [y23, y22, y21] = [await by(2023), await by(2022), await by(2021)];
    expect(g.newReceived).toBe(y23.new_received);
    expect(g.previous.year).toBeNull(); // not grouped by year: the group has no year
    expect(g.previous.newReceived).toBe(y22.new_received);
    expect(g.previous.previous.newReceived).toBe(y21.new_received);
    expect(close12(g.change.previous, g.previous.grantedShare)).toBe(true);
    expect(close12(g.change.absolute, g.change.current - g.change.previous)).toBe(true);
  });

  it('matches each group to the same group a year earlier when grouped by year and region', async () => {
    const d = await data(`{ reviewComparison(filter: { region: "410300", yearFrom: 2020, yearTo: 2021 }, groupBy: [REGION, YEAR]) { groups {
      region { code } year review { total } previous { year review { total } } change(measure: REVIEW_TOTAL) { previous absolute } } } }`);
    const totals = await ctx.db().sql<{ code: string; year: number; v: number }>(`
      SELECT g.code, r.year, sum(c.value) AS v FROM counted r JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.city = '410300'
      JOIN review_litigation c ON c.report_id = r.report_id AND c.row = 'review' AND c."column" = 'total'
      WHERE r.scope = 'agency' AND r.year BETWEEN 2019 AND 2021 GROUP BY 1, 2`);
    const at = (code: string, year: number) => totals.find((t) => t.code === code && t.year === year)?.v ?? null;
    const groups = d.reviewComparison.groups;
    expect(groups).toHaveLength(28);
    for (const g of groups) {
      expect(g.review.total).toBe(at(g.region.code, g.year));
      expect(g.previous.year).toBe(g.year - 1);
      expect(g.previous.review.total).toBe(at(g.region.code, g.year - 1));
      expect(g.change.absolute).toBe(g.review.total - at(g.region.code, g.year - 1)!);
    }
  });

  it('has no previous without a year dimension or a closed year range', async () => {
    const d = await data('{ applicationComparison(filter: { region: "410305" }) { groups { previous { newReceived } change(measure: NEW_RECEIVED) { current previous } } } }');
    expect(d.applicationComparison.groups[0].previous).toBeNull();
    expect(d.applicationComparison.groups[0].change.previous).toBeNull();
  });
});

describe('check comparison', () => {
  it('counts reports failing another check, by agency kind', async () => {
    const d = await data('{ checkComparison(check: OUTCOME_SUM, groupBy: [AGENCY_KIND], filter: { region: "410000" }) { groups { agencyKind reports failing assessed } } }');
    const expected = await ctx.db().sql<{ kind: string; reports: number; failing: number }>(`
      WITH per AS (SELECT report_id, bool_or(status = 'fail') AS fail FROM checks WHERE "check" = 'outcome_sum' GROUP BY 1)
      SELECT r.agency_kind AS kind, count(*) AS reports, count(*) FILTER (WHERE per.fail) AS failing
      FROM counted r JOIN regions g ON g.code = r.region_code LEFT JOIN per ON per.report_id = r.report_id
      WHERE g.province = '410000' AND r.scope = 'agency' GROUP BY 1 ORDER BY 1`);
    expect(d.checkComparison.groups.map((g: any) => [g.agencyKind.toLowerCase(), g.reports, g.failing])).toEqual(expected.map((e) => [e.kind, e.reports, e.failing]));
  });
});
