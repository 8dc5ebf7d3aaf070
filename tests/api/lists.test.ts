/**
 * Regions, agencies and reports: the hierarchy, filters, Relay pagination, and one report down
 * to its cells (codes with zh/en labels, printed and derived values, where each row was read),
 * checks, warnings and provenance — each against plain SQL over the release.
 */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { gql, sqlDuring, useApi } from './helpers.ts';

const ctx = useApi();
/** The published reports of data/reports/real, in a release of their own (never beside generated ones). */
const real = useApi('realRelease');

const data = ctx.data;

describe('regions', () => {
  it('walks the hierarchy up and down from 涧西区', async () => {
    const d = await data('{ region(code: "410305") { code name level parent { code name level parent { code name } } ancestors { code } children { code } } }');
    expect(d.region).toEqual({
      code: '410305',
      name: '涧西区',
      level: 'COUNTY',
      parent: { code: '410300', name: '洛阳市', level: 'CITY', parent: { code: '410000', name: '河南省' } },
      ancestors: [{ code: '410000' }, { code: '410300' }],
      children: [],
    });
    const city = await data('{ region(code: "410300") { children { code } } }');
    const expected = await ctx.db().sql<{ code: string }>("SELECT code FROM regions WHERE parent = '410300' ORDER BY code");
    expect(city.region.children.map((c: { code: string }) => c.code)).toEqual(expected.map((e) => e.code));
    expect(expected).toHaveLength(14);
  });

  it('lists regions by level, parent and name; an unknown code is null', async () => {
    const d = await data('{ counties: regions(level: COUNTY, parent: "410300", first: 100) { totalCount edges { node { code } } } byName: regions(nameSearch: "洛阳") { edges { node { code name } } } none: region(code: "990000") { code } }');
    expect(d.counties.totalCount).toBe(14);
    expect(d.byName.edges.map((e: { node: { code: string } }) => e.node.code)).toEqual(['410300']);
    expect(d.none).toBeNull();
  });
});

describe('agencies', () => {
  it('filters by region subtree, kind and name, with their reports', async () => {
    const d = await data(`{
      offices: agencies(filter: { region: "410305", kinds: [GENERAL_OFFICE] }) { totalCount edges { node { id name kind level region { code } firstYear lastYear reportCount reports(filter: { yearFrom: 2022 }) { totalCount edges { node { year } } } } } }
      civil: agencies(filter: { region: "410300", nameSearch: "民政" }, first: 100) { totalCount edges { node { id name } } }
    }`);
    expect(d.offices.totalCount).toBe(1);
    const office = d.offices.edges[0].node;
    expect(office).toMatchObject({ id: '410305.general_office', kind: 'GENERAL_OFFICE', level: 'COUNTY', region: { code: '410305' }, firstYear: 2019, lastYear: 2024, reportCount: 6 });
    expect(office.reports.edges.map((e: { node: { year: number } }) => e.node.year)).toEqual([2022, 2023, 2024]);
    const civil = await ctx.db().sql<{ agency_id: string }>(`
      SELECT a.agency_id FROM agencies a JOIN regions g ON g.code = a.region_code
      WHERE (g.code = '410300' OR g.city = '410300') AND contains(replace(a.name, '人民政府', ''), '民政') ORDER BY a.agency_id`);
    // 民政 is what 民政局 is, not the 民 of every 人民政府.
    expect(civil.length).toBeGreaterThan(1);
    expect(civil.every((c) => c.agency_id.endsWith('.dept.民政局'))).toBe(true);
    expect(d.civil.totalCount).toBe(civil.length);
    expect(d.civil.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(civil.map((c) => c.agency_id));
  });
});

describe('names as people write them', () => {
  it('finds agencies by full, short and abbreviated names and pinyin, the right one first', async () => {
    const d = await data(`{
      short: agencies(filter: { nameSearch: "涧西区政府办公室" }, first: 1) { edges { node { id match } } }
      full: agencies(filter: { nameSearch: "洛阳市涧西区人民政府办公室" }, first: 1) { edges { node { id match } } }
      ndrc: agencies(filter: { nameSearch: "发改委", region: "河南省" }, first: 2) { totalCount edges { node { id match } } }
      pinyin: agencies(filter: { nameSearch: "jianxi" }, first: 100) { totalCount edges { node { id match } } }
      hrss: agencies(filter: { nameSearch: "人社局", region: "洛阳市" }) { totalCount edges { node { id } } }
    }`);
    expect(d.short.edges[0].node).toEqual({ id: '410305.general_office', match: 'EXACT' });
    expect(d.full.edges[0].node).toEqual({ id: '410305.general_office', match: 'EXACT' });
    // 发改委 within 河南省: the province's own commission first, then the cities'.
    const ndrc = await ctx.db().sql<{ n: number }>(`SELECT count(*) AS n FROM agencies WHERE agency_id LIKE '41%.dept.发展和改革委员会'`);
    expect(d.ndrc.totalCount).toBe(ndrc[0].n);
    expect(d.ndrc.edges.map((e: any) => e.node)).toEqual([{ id: '410000.dept.发展和改革委员会', match: 'KIND' }, expect.objectContaining({ match: 'KIND' })]);
    // jianxi: every agency of 涧西区, its government first.
    const jianxi = await ctx.db().sql<{ agency_id: string }>(`SELECT agency_id FROM agencies WHERE region_code = '410305'`);
    expect(d.pinyin.totalCount).toBe(jianxi.length);
    expect(d.pinyin.edges[0].node).toEqual({ id: '410305.government', match: 'PLACE' });
    expect(new Set(d.pinyin.edges.map((e: any) => e.node.id))).toEqual(new Set(jianxi.map((a) => a.agency_id)));
    const hrss = await ctx.db().sql<{ agency_id: string }>(`
      SELECT a.agency_id FROM agencies a JOIN regions g ON g.code = a.region_code
      WHERE (g.code = '410300' OR g.city = '410300') AND a.agency_id LIKE '%.dept.人力资源和社会保障局' ORDER BY a.agency_id`);
    expect(hrss.length).toBeGreaterThan(0);
    expect(d.hrss.edges.map((e: any) => e.node.id).sort()).toEqual(hrss.map((a) => a.agency_id));
  });

  it('takes a region by code or name, and answers an ambiguous name with its candidates', async () => {
    const d = await data('{ byName: region(code: "洛阳") { code } pinyin: region(code: "jianxi") { code } counties: regions(parent: "洛阳市", level: COUNTY) { totalCount } }');
    expect(d).toEqual({ byName: { code: '410300' }, pinyin: { code: '410305' }, counties: { totalCount: 14 } });
    const r = await gql(ctx.api(), '{ applicationComparison(filter: { region: "鼓楼区" }) { totalGroups } }');
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.region' });
    const candidates = r.body.errors![0].extensions!.candidates;
    expect(candidates.length).toBeGreaterThan(1);
    expect(candidates).toContainEqual({ code: '410204', name: '河南省开封市鼓楼区', inRelease: true });
    expect(r.body.errors![0].message).toMatch(/^"filter\.region": "鼓楼区" is the name of \d+ regions: .*410204 河南省开封市鼓楼区.*Give the code/);
  });

  it("reads an agency's name, and its row, by SQL once per release", async () => {
    const q = (year: number) => `{ applicationComparison(filter: { agencies: ["河南省发改委"], year: ${year} }, groupBy: [AGENCY]) { groups { agency { id } newReceived } } }`;
    const first = await sqlDuring(() => gql(ctx.api(), q(2022)));
    const again = await sqlDuring(() => gql(ctx.api(), q(2023)));
    expect(first.result.body.data!.applicationComparison.groups[0].agency.id).toBe('410000.dept.发展和改革委员会');
    expect(again.result.body.data!.applicationComparison.groups[0].agency.id).toBe('410000.dept.发展和改革委员会');
    // Asked again (another year): neither the name nor the agency's row is read again.
    expect(again.queries).toBe(first.queries - 2);
  });

  it("refuses a comparison's agency name that means several agencies, listing them", async () => {
    const r = await gql(ctx.api(), '{ applicationComparison(filter: { region: "涧西区", agencies: ["局"] }) { totalGroups } }');
    const bureaus = await ctx.db().sql<{ agency_id: string }>(`SELECT agency_id FROM agencies WHERE region_code = '410305' AND agency_id LIKE '%局' ORDER BY agency_id`);
    expect(bureaus.length).toBeGreaterThan(1);
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.agencies', matches: bureaus.length });
    expect(r.body.errors![0].extensions!.candidates.map((c: any) => c.id).sort()).toEqual(bureaus.map((b) => b.agency_id));
  });
});

describe('SQL parameters', () => {
  it('binds text from requests as values: quotes and wildcards match literally', async () => {
    const d = await data(`{
      evil: agencies(filter: { nameSearch: "民政'; DROP TABLE agency_index; --" }) { totalCount }
      percent: agencies(filter: { nameSearch: "%" }) { totalCount }
      after: agencies(filter: { region: "410305" }) { totalCount }
    }`);
    expect(d.evil.totalCount).toBe(0);
    expect(d.percent.totalCount).toBe(0);
    expect(d.after.totalCount).toBeGreaterThan(0);
  });
});

describe('reports: pagination', () => {
  const query = `query ($first: Int, $after: String, $last: Int, $before: String) {
    reports(filter: { region: "410300", year: 2023, agencyKinds: [GOVERNMENT, GENERAL_OFFICE] }, first: $first, after: $after, last: $last, before: $before) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }`;

  it('pages forward through every report in a stable order, and back', async () => {
    const expected = await ctx.db().sql<{ report_id: string }>(`
      SELECT r.report_id FROM reports r JOIN regions g ON g.code = r.region_code
      WHERE (g.code = '410300' OR g.city = '410300') AND r.year = 2023 AND r.agency_kind IN ('government', 'general_office')
      ORDER BY r.year, r.region_code, r.agency_id, r.report_id`);
    expect(expected.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const d = await data(query, { first: 7, after });
      const c = d.reports;
      expect(c.totalCount).toBe(expected.length);
      expect(c.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...c.edges.map((e: { node: { id: string } }) => e.node.id));
      pages++;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((e) => e.report_id));
    expect(pages).toBe(Math.ceil(expected.length / 7));

    const middle = await data(query, { first: 10 });
    const back = await data(query, { last: 3, before: middle.reports.edges[9].cursor });
    expect(back.reports.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected.slice(6, 9).map((e) => e.report_id));
  });

  it('filters by scope, status and failing check', async () => {
    const d = await data(`{
      summaries: reports(filter: { scope: REGION_SUMMARY }, first: 100) { totalCount edges { node { scope } } }
      failed: reports(filter: { statuses: [FAILED], region: "410000" }) { totalCount }
      columnSum: reports(filter: { failingCheck: COLUMN_SUM }) { totalCount edges { node { failedChecks } } }
    }`);
    const [counts] = await ctx.db().sql<{ summaries: number; failed: number; column_sum: number }>(`
      SELECT (SELECT count(*) FROM reports WHERE scope = 'region_summary') AS summaries,
             (SELECT count(*) FROM reports r JOIN regions g ON g.code = r.region_code WHERE r.status = 'failed' AND g.province = '410000') AS failed,
             (SELECT count(DISTINCT report_id) FROM checks WHERE "check" = 'column_sum' AND status = 'fail') AS column_sum`);
    expect(d.summaries.totalCount).toBe(counts.summaries);
    expect(new Set(d.summaries.edges.map((e: { node: { scope: string } }) => e.node.scope))).toEqual(new Set(['REGION_SUMMARY']));
    expect(d.failed.totalCount).toBe(counts.failed);
    expect(d.columnSum.totalCount).toBe(counts.column_sum);
    for (const e of d.columnSum.edges) expect(e.node.failedChecks).toContain('COLUMN_SUM');
  });
});

describe('one report', () => {
  it('gives the seed report of 涧西区人民政府办公室 2023 with labels, locations and provenance', async () => {
    const [seed] = await real.db().sql<{ report_id: string }>("SELECT report_id FROM reports WHERE source_path LIKE '%jianxi-district-office-2023.txt'");
    const d = await real.data(
      `query ($id: String!) { report(id: $id) { id agencyId agencyName year layout scope agencyKind agencyLevel region { name } proactiveItemsPublished
        source { path url sha256 format }
        intake: cells(table: APPLICATIONS, rows: ["new_received"], columns: ["total", "natural_person"]) { table row { code zh en } column { code zh en } value derivedValue location }
        docs: cells(table: PROACTIVE, rows: ["normative_documents"]) { row { zh } column { code zh } value }
        all: cells(table: APPLICATIONS) { row { code } column { code } }
        review: cells(table: REVIEW_LITIGATION) { value } } }`,
      { id: seed.report_id },
    );
    const r = d.report;
    expect(r).toMatchObject({
      agencyId: '410305.general_office',
      agencyName: '涧西区人民政府办公室',
      year: 2023,
      layout: 'LAYOUT_2021',
      scope: 'AGENCY',
      agencyKind: 'GENERAL_OFFICE',
      agencyLevel: 'COUNTY',
      region: { name: '涧西区' },
      proactiveItemsPublished: 1152,
      source: { path: 'data/reports/real/jianxi-district-office-2023.txt', sha256: '13b617ed74f9c5a6a9d7b469cb34ad505965620fe2277e01c251d673f06893ed', format: 'text' },
    });
    expect(r.intake).toEqual([
      {
        table: 'APPLICATIONS',
        row: { code: 'new_received', zh: '一、本年新收政府信息公开申请数量', en: 'New applications received' },
        column: { code: 'natural_person', zh: '自然人', en: 'Natural persons' },
        value: 0,
        derivedValue: null,
        location: 'line 51',
      },
      {
        table: 'APPLICATIONS',
        row: { code: 'new_received', zh: '一、本年新收政府信息公开申请数量', en: 'New applications received' },
        column: { code: 'total', zh: '总计', en: 'Total' },
        value: 0,
        derivedValue: null,
        location: 'line 51',
      },
    ]);
    expect(r.docs).toEqual([
      { row: { zh: '行政规范性文件' }, column: { code: 'issued', zh: '本年制发件数' }, value: 1 },
      { row: { zh: '行政规范性文件' }, column: { code: 'repealed', zh: '本年废止件数' }, value: 0 },
      { row: { zh: '行政规范性文件' }, column: { code: 'in_force', zh: '现行有效件数' }, value: 14 },
    ]);
    expect(r.all).toHaveLength(25 * 7); // template order: 25 rows × 7 columns
    expect(r.all[0]).toEqual({ row: { code: 'new_received' }, column: { code: 'natural_person' } });
    expect(r.all.at(-1)).toEqual({ row: { code: 'carried_forward' }, column: { code: 'total' } });
    expect(r.review).toHaveLength(15);
  });

  it('labels 2019-layout rows as the 2019 template prints them', async () => {
    const [old] = await ctx.db().sql<{ report_id: string }>("SELECT report_id FROM reports WHERE layout = '2019' AND region_code = '410305' ORDER BY report_id LIMIT 1");
    const d = await data('query ($id: String!) { report(id: $id) { layout cells(table: PROACTIVE, rows: ["normative_documents"], columns: ["made"]) { row { zh } column { zh } } } }', { id: old.report_id });
    expect(d.report.layout).toBe('LAYOUT_2019');
    expect(d.report.cells).toEqual([{ row: { zh: '规范性文件' }, column: { zh: '本年新制作数量' } }]);
  });

  it('keeps a derived value apart from the printed one, with its rule', async () => {
    const [cell] = await real.db().sql<{ report_id: string; row: string; column: string; derived_value: number; derived_rule: string; location: string }>(
      'SELECT report_id, row, "column", derived_value, derived_rule, location FROM applications WHERE derived_value IS NOT NULL ORDER BY report_id, row, "column" LIMIT 1',
    );
    const d = await real.data('query ($id: String!, $row: String!, $col: String!) { report(id: $id) { cells(table: APPLICATIONS, rows: [$row], columns: [$col]) { value derivedValue derivedRule location } } }', {
      id: cell.report_id,
      row: cell.row,
      col: cell.column,
    });
    expect(d.report.cells).toEqual([{ value: null, derivedValue: cell.derived_value, derivedRule: cell.derived_rule, location: cell.location }]);
  });

  it('lists checks and warnings as the release holds them', async () => {
    const [worst] = await ctx.db().sql<{ report_id: string }>("SELECT report_id FROM checks WHERE status = 'fail' GROUP BY report_id ORDER BY count(*) DESC, report_id LIMIT 1");
    const checks = await ctx.db().sql<{ check: string; status: string; expected: number; actual: number }>(`SELECT "check", status, expected, actual FROM checks WHERE report_id = '${worst.report_id}' ORDER BY seq`);
    const [warned] = await ctx.db().sql<{ report_id: string; n: number }>('SELECT report_id, count(*) AS n FROM warnings GROUP BY report_id ORDER BY n DESC, report_id LIMIT 1');
    const d = await data(
      `query ($a: String!, $b: String!) {
        a: report(id: $a) { all: checks { check { code } status expected actual } fails: checks(statuses: [FAIL]) { check { code zh } status } checksFailed }
        b: report(id: $b) { warningCount warnings { seq code where } } }`,
      { a: worst.report_id, b: warned.report_id },
    );
    expect(d.a.all.map((c: { check: { code: string }; status: string; expected: number; actual: number }) => [c.check.code, c.status.toLowerCase(), c.expected, c.actual])).toEqual(
      checks.map((c) => [c.check, c.status, c.expected, c.actual]),
    );
    expect(d.a.fails).toHaveLength(checks.filter((c) => c.status === 'fail').length);
    expect(d.b.warnings).toHaveLength(warned.n);
    expect(d.b.warningCount).toBe(warned.n);
  });
});

describe('release and codebook', () => {
  it('describes the release and the codes', async () => {
    const d = await data('{ release { version builtAt counts { reports } years } codebook(layout: LAYOUT_2019) { tables { code layout rows { code } } outcomeGroups { code zh } applicantTypes { code } checks { code } } }');
    const [n] = await ctx.db().sql<{ n: number }>('SELECT count(*) AS n FROM reports');
    expect(d.release.counts.reports).toBe(n.n);
    expect(d.release.version).toBe(ctx.api().state.release.version);
    expect(d.release.years).toEqual(expect.arrayContaining([2019, 2020, 2021, 2022, 2023, 2024]));
    const apps = d.codebook.tables.find((t: { code: string }) => t.code === 'applications');
    expect(apps.layout).toBe('LAYOUT_2019');
    expect(apps.rows).toHaveLength(23);
    expect(d.codebook.applicantTypes.map((a: { code: string }) => a.code)).toEqual(['natural_person', 'commercial', 'research', 'public_interest', 'legal_services', 'other_org', 'total']);
  });
});
