/**
 * The examples of docs/queries run exactly as committed (their variables' defaults select
 * demo data), and every number they return equals plain SQL over the release's Parquet files.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPLICATIONS_2021, OUTCOME_GROUPS } from '../../pipeline/model/codes.ts';
import type { Api } from '../../api/server.ts';
import { close12, example, get, gql, useApi } from './helpers.ts';

const ctx = useApi();

async function run(file: string) {
  const r = await gql(ctx.api(), example(file));
  expect(r.body.errors).toBeUndefined();
  expect(r.status).toBe(200);
  return r.body.data!;
}

describe('docs/queries', () => {
  it('holds the nine examples, one operation each', () => {
    const files = readdirSync('docs/queries').filter((f) => f.endsWith('.graphql'));
    expect(files).toHaveLength(9);
    for (const f of files) expect(example(f).match(/^\s*(query|mutation|subscription)\b/gm)).toHaveLength(1);
  });

  it('1: each county of 洛阳市 in 2023 — new applications, share granted, share not held', async () => {
    const data = await run('1-luoyang-counties-2023.graphql');
    const expected = await ctx.db().sql<{ code: string; name: string; reports: number; new_received: number; total_processed: number; granted_share: number; not_held_share: number }>(`
      SELECT g.code, g.name, count(DISTINCT r.report_id) AS reports,
             sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
             sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
             sum(a.value) FILTER (WHERE a.row IN ('granted', 'partially_granted')) / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS granted_share,
             sum(a.value) FILTER (WHERE a.row = 'unavailable_not_held') / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS not_held_share
      FROM counted r
      JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.city = '410300'
      JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
      WHERE r.year = 2023 AND r.scope = 'agency'
      GROUP BY g.code, g.name ORDER BY g.code`);
    expect(expected.length).toBe(14);
    const groups = data.applicationComparison.groups;
    expect(groups.map((g: any) => g.region.code)).toEqual(expected.map((e) => e.code));
    groups.forEach((g: any, i: number) => {
      const e = expected[i];
      expect(g.region.name).toBe(e.name);
      expect([g.reports, g.newReceived, g.totalProcessed]).toEqual([e.reports, e.new_received, e.total_processed]);
      expect(close12(g.grantedAnyShare, e.granted_share)).toBe(true);
      expect(close12(g.notHeldShare, e.not_held_share)).toBe(true);
    });
    expect(groups.find((g: any) => g.region.code === '410305').region.name).toBe('涧西区');
    expect(data.applicationComparison.csvUrl).toMatch(/^\/export\/comparison\.csv\?field=applicationComparison&/);
  });

  it('2: 涧西区 2019–2024 — new applications, outcome groups and the top denial reasons per year', async () => {
    const data = await run('2-jianxi-2019-2024.graphql');
    const cells = await ctx.db().sql<{ year: number; row: string; v: number | null; reports: number }>(`
      SELECT r.year, a.row, sum(a.value) AS v, count(DISTINCT r.report_id) AS reports
      FROM counted r JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
      WHERE r.region_code = '410305' AND r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024
      GROUP BY r.year, a.row`);
    const at = (year: number, row: string) => cells.find((c) => c.year === year && c.row === row)?.v ?? null;
    const groups = data.applicationComparison.groups;
    expect(groups.map((g: any) => g.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    const groupOf = new Map([...APPLICATIONS_2021.rows.map((r) => [r.code, r.group] as const), ['other_handling', 'other']]);
    for (const g of groups) {
      const total = at(g.year, 'total_processed')!;
      expect(g.reports).toBe(cells.find((c) => c.year === g.year)!.reports);
      expect(g.newReceived).toBe(at(g.year, 'new_received'));
      expect(g.totalProcessed).toBe(total);
      const prev = g.year > 2019 ? at(g.year - 1, 'new_received') : null;
      expect(g.change.previous).toBe(prev);
      expect(g.change.absolute).toBe(prev == null ? null : g.newReceived - prev);
      // outcome groups: the five groups after intake, each the sum of its rows
      const buckets = OUTCOME_GROUPS.filter((x) => x.code !== 'intake' && x.code !== 'total').map((x) => x.code);
      expect(g.outcomeGroups.map((o: any) => o.group.code)).toEqual(buckets);
      for (const o of g.outcomeGroups) {
        const sum = cells.filter((c) => c.year === g.year && groupOf.get(c.row) === o.group.code).reduce((s, c) => s + (c.v ?? 0), 0);
        expect(o.applications).toBe(sum);
        expect(close12(o.share, sum / total)).toBe(true);
      }
      // top 3 denial reasons: largest first, ties in template order
      const denied = APPLICATIONS_2021.rows
        .filter((r) => r.group === 'denied')
        .map((r, i) => ({ code: r.code, zh: r.zh, v: at(g.year, r.code) ?? 0, i }))
        .sort((a, b) => b.v - a.v || a.i - b.i)
        .slice(0, 3);
      expect(g.topDenialReasons.map((o: any) => [o.outcome.code, o.outcome.zh, o.applications])).toEqual(denied.map((d) => [d.code, d.zh, d.v]));
    }
  });

  it('3: the 10 counties of 河南省 with the most reviews in 2022, and how many were corrected', async () => {
    const data = await run('3-henan-most-reviews-2022.graphql');
    const expected = await ctx.db().sql<{ code: string; parent_name: string; total: number; corrected: number; reports: number }>(`
      SELECT g.code, p.name AS parent_name, count(DISTINCT r.report_id) AS reports,
             sum(c.value) FILTER (WHERE c."column" = 'total') AS total,
             sum(c.value) FILTER (WHERE c."column" = 'corrected') AS corrected
      FROM counted r
      JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.province = '410000'
      JOIN regions p ON p.code = g.parent
      JOIN review_litigation c ON c.report_id = r.report_id AND c.row = 'review'
      WHERE r.year = 2022 AND r.scope = 'agency'
      GROUP BY g.code, p.name ORDER BY total DESC, g.code LIMIT 10`);
    const groups = data.reviewComparison.groups;
    expect(groups).toHaveLength(10);
    groups.forEach((g: any, i: number) => {
      const e = expected[i];
      expect([g.rank, g.region.code, g.region.parent.name, g.reports, g.review.total, g.review.corrected]).toEqual([i + 1, e.code, e.parent_name, e.reports, e.total, e.corrected]);
      expect(close12(g.review.correctedShare, e.total ? e.corrected / e.total : null)).toBe(true);
    });
  });

  it('4: normative documents issued (issued ≈ made) and items published per district of 洛阳市 and year', async () => {
    const data = await run('4-normative-documents-by-district.graphql');
    const expected = await ctx.db().sql<{ code: string; year: number; reports: number; issued: number; items: number; with_items: number }>(`
      WITH docs AS (
        SELECT report_id, max(value) AS issued FROM proactive
        WHERE row = 'normative_documents' AND "column" IN ('issued', 'made') GROUP BY report_id)
      SELECT g.code, r.year, count(*) AS reports, sum(d.issued) AS issued,
             sum(r.proactive_items_published) AS items, count(r.proactive_items_published) AS with_items
      FROM counted r
      JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.city = '410300'
      LEFT JOIN docs d ON d.report_id = r.report_id
      WHERE r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024
      GROUP BY g.code, r.year ORDER BY g.code, r.year`);
    const c = data.proactiveComparison;
    expect(c.totalGroups).toBe(expected.length);
    expect(c.groups.map((g: any) => [g.region.code, g.year, g.reports, g.normativeDocumentsIssued, g.itemsPublished, g.reportsWithItemsPublished])).toEqual(
      expected.map((e) => [e.code, e.year, e.reports, e.issued, e.items, e.with_items]),
    );
    // Both layouts contribute: 2019–2020 print 本年新制作数量 (made), 2021 on 本年制发件数 (issued).
    expect(c.groups.filter((g: any) => g.year <= 2020 && g.normativeDocumentsIssued > 0).length).toBeGreaterThan(0);
    expect(c.groups.filter((g: any) => g.year >= 2021 && g.normativeDocumentsIssued > 0).length).toBeGreaterThan(0);
  });

  it('5: reports failing the accounting identity, by city and year, and the first page of them', async () => {
    const data = await run('5-identity-failures.graphql');
    const expected = await ctx.db().sql<{ city: string; year: number; reports: number; assessed: number; failing: number }>(`
      WITH per AS (
        SELECT report_id, bool_or(status = 'fail') AS fail, bool_or(status = 'pass') AS pass
        FROM checks WHERE "check" = 'identity' GROUP BY report_id)
      SELECT g.city, r.year, count(*) AS reports,
             count(*) FILTER (WHERE per.fail OR per.pass) AS assessed,
             count(*) FILTER (WHERE per.fail) AS failing
      FROM counted r
      JOIN regions g ON g.code = r.region_code AND g.province = '410000' AND g.city IS NOT NULL
      LEFT JOIN per ON per.report_id = r.report_id
      WHERE r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024
      GROUP BY g.city, r.year ORDER BY g.city, r.year`);
    const groups = data.checkComparison.groups;
    expect(groups.map((g: any) => [g.region.code, g.year, g.reports, g.assessed, g.failing])).toEqual(expected.map((e) => [e.city, e.year, e.reports, e.assessed, e.failing]));
    for (const g of groups) expect(close12(g.failingShare, g.assessed ? g.failing / g.assessed : null)).toBe(true);
    expect(groups.reduce((s: number, g: any) => s + g.failing, 0)).toBeGreaterThan(0);

    const failing = await ctx.db().sql<{ report_id: string; n: number }>(`
      SELECT r.report_id, count(*) AS n FROM reports r
      JOIN regions g ON g.code = r.region_code AND g.province = '410000'
      JOIN checks c ON c.report_id = r.report_id AND c."check" = 'identity' AND c.status = 'fail'
      WHERE r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024
      GROUP BY r.report_id, r.year, r.region_code, r.agency_id ORDER BY r.year, r.region_code, r.agency_id, r.report_id`);
    const page = data.reports;
    expect(page.totalCount).toBe(failing.length);
    expect(page.edges.map((e: any) => e.node.id)).toEqual(failing.slice(0, 20).map((f) => f.report_id));
    expect(page.pageInfo.hasNextPage).toBe(failing.length > 20);
    for (const e of page.edges) {
      const n = failing.find((f) => f.report_id === e.node.id)!.n;
      expect(e.node.checks).toHaveLength(n);
      for (const c of e.node.checks) expect(c.expected).not.toBe(c.actual);
      expect(e.node.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  /** New applications, processed and granted (or partly) per counted agency report, as plain SQL. */
  const APPLICATION_TOTALS = `
    SELECT r.report_id, r.agency_id, r.year, r.region_code, g.city, g.province,
           sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
           sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
           sum(a.value) FILTER (WHERE a.row IN ('granted', 'partially_granted')) AS granted,
           sum(a.value) FILTER (WHERE a.row LIKE 'denied_%') AS denied,
           sum(a.value) FILTER (WHERE a.row = 'unavailable_not_held') AS not_held
    FROM counted r JOIN regions g ON g.code = r.region_code
    JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
    WHERE r.scope = 'agency' GROUP BY ALL`;
  const share = (part: number | null, whole: number | null) => (whole ? (part ?? 0) / whole : null);

  it('6: the 10 agencies of 洛阳市 with the most new applications in 2023, ranked, with the change on 2022, and as CSV', async () => {
    const data = await run('6-luoyang-top-agencies-2023.graphql');
    const rows = await ctx.db().sql<{ agency_id: string; year: number; new_received: number; total_processed: number; granted: number; region_code: string }>(
      `SELECT * FROM (${APPLICATION_TOTALS}) WHERE (city = '410300' OR region_code = '410300') AND year IN (2022, 2023)`,
    );
    const y2023 = rows.filter((r) => r.year === 2023).sort((a, b) => b.new_received - a.new_received || (a.agency_id < b.agency_id ? -1 : 1));
    const c = data.applicationComparison;
    expect(c.groups.map((g: any) => [g.rank, g.agency.id, g.agency.region.code, g.reports, g.newReceived, g.totalProcessed])).toEqual(
      y2023.slice(0, 10).map((e, i) => [i + 1, e.agency_id, e.region_code, 1, e.new_received, e.total_processed]),
    );
    expect(c.groups[0].agency).toMatchObject({ id: '410300.government', kind: 'GOVERNMENT', region: { name: '洛阳市' } });
    for (const g of c.groups) {
      const e = y2023.find((r) => r.agency_id === g.agency.id)!;
      expect(close12(g.grantedAnyShare, share(e.granted, e.total_processed))).toBe(true);
      const prev = rows.find((r) => r.year === 2022 && r.agency_id === g.agency.id)?.new_received ?? null;
      expect([g.change.previous, g.change.absolute]).toEqual([prev, prev == null ? null : g.newReceived - prev]);
    }
    // Every 2023 agency report of 洛阳市 is in the ranking's sums: none set aside in the demo release.
    expect(c.accounting.matched).toBe(y2023.length);
    expect(c.accounting.counted).toBe(y2023.length);
    expect(c.accounting.setAside.every((s: any) => s.reports === 0)).toBe(true);
    const csv = await get(ctx.api(), c.csvUrl);
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^agency_id,agency_name,agency_region_code,agency_region_name,rank,reports,new_received,/);
    expect(lines).toHaveLength(11);
    expect(lines[1].startsWith(`410300.government,洛阳市人民政府,410300,洛阳市,1,1,${y2023[0].new_received},`)).toBe(true);
  });

  it('7: one agency by its short name (河南省发改委), 2019–2024, with the change on each year and outcome shares', async () => {
    const data = await run('7-agency-2019-2024.graphql');
    const rows = await ctx.db().sql<{ year: number; new_received: number; total_processed: number; granted: number; denied: number; not_held: number }>(
      `SELECT * FROM (${APPLICATION_TOTALS}) WHERE agency_id = '410000.dept.发展和改革委员会' ORDER BY year`,
    );
    expect(rows.map((r) => r.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    const groups = data.applicationComparison.groups;
    expect(groups.map((g: any) => [g.agency.id, g.year, g.reports, g.newReceived, g.totalProcessed])).toEqual(
      rows.map((r) => ['410000.dept.发展和改革委员会', r.year, 1, r.new_received, r.total_processed]),
    );
    groups.forEach((g: any, i: number) => {
      const r = rows[i];
      const prev = i > 0 ? rows[i - 1].new_received : null;
      expect([g.change.previous, g.change.absolute]).toEqual([prev, prev == null ? null : r.new_received - prev]);
      expect(close12(g.change.relative, prev ? (r.new_received - prev) / prev : null)).toBe(true);
      expect(close12(g.grantedAnyShare, share(r.granted, r.total_processed))).toBe(true);
      expect(close12(g.deniedShare, share(r.denied, r.total_processed))).toBe(true);
      expect(close12(g.notHeldShare, share(r.not_held, r.total_processed))).toBe(true);
    });
  });

  it("8: two departments of 涧西区 side by side, each named as people write it", async () => {
    const data = await run('8-two-departments-side-by-side.graphql');
    const rows = await ctx.db().sql<{ agency_id: string; year: number; new_received: number; total_processed: number }>(
      `SELECT * FROM (${APPLICATION_TOTALS}) WHERE agency_id IN ('410305.dept.民政局', '410305.dept.自然资源局') ORDER BY year, agency_id`,
    );
    expect(rows).toHaveLength(12);
    expect(data.applicationComparison.groups.map((g: any) => [g.year, g.agency.id, g.newReceived, g.totalProcessed])).toEqual(
      rows.map((r) => [r.year, r.agency_id, r.new_received, r.total_processed]),
    );
  });

  it("9: the agencies of 河南省 whose reports fail the accounting identity most often", async () => {
    const data = await run('9-agencies-failing-checks.graphql');
    const expected = await ctx.db().sql<{ agency_id: string; reports: number; assessed: number; failing: number }>(`
      WITH per AS (
        SELECT report_id, bool_or(status = 'fail') AS fail, bool_or(status = 'pass') AS pass
        FROM checks WHERE "check" = 'identity' GROUP BY report_id)
      SELECT r.agency_id, count(*) AS reports, count(*) FILTER (WHERE per.fail OR per.pass) AS assessed, count(*) FILTER (WHERE per.fail) AS failing
      FROM counted r JOIN regions g ON g.code = r.region_code AND g.province = '410000'
      LEFT JOIN per ON per.report_id = r.report_id
      WHERE r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024
      GROUP BY r.agency_id ORDER BY failing DESC, r.agency_id LIMIT 20`);
    expect(expected[0].failing).toBeGreaterThan(1);
    expect(data.checkComparison.groups.map((g: any) => [g.rank, g.agency.id, g.reports, g.assessed, g.failing])).toEqual(
      expected.map((e, i) => [i + 1, e.agency_id, e.reports, e.assessed, e.failing]),
    );
  });
});
