/**
 * The quality report of a real release (the real reports, a small generated corpus and a few
 * planted files), checked against SQL over the release's own Parquet files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { TOP_FAILURES, type QualityReport } from '../../pipeline/release/quality.ts';
import { runSynth } from '../../pipeline/synth/index.ts';
import { createApi } from '../../api/server.ts';

const REAL = 'data/reports/real';

/**
 * Files whose fate is known: an empty file and a note (errors), the real 测试市 report with
 * four cells altered (fails identity, outcome_sum, column_sum and review_sum) and the 涧西区
 * report without its table 4 (table_missing).
 */
function plant(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'empty.html'), '');
  writeFileSync(join(dir, 'notes.txt'), '会议纪要：今天讨论了食堂菜单。\n');
  const city = readFileSync(join(REAL, 'city-2025-standard.html'), 'utf8');
  const broken = city
    .replace('<td>13612</td>', '<td>13600</td>') // new_received.natural_person
    .replace('<td>13364</td>', '<td>13000</td>') // total_processed.natural_person
    .replace('<td>790</td>', '<td>791</td>'); // review.total
  expect(broken).not.toBe(city);
  writeFileSync(join(dir, 'broken-city.html'), broken);
  const jianxi = readFileSync(join(REAL, 'jianxi-district-office-2023.txt'), 'utf8').split('\n');
  const from = jianxi.findIndex((l) => l.startsWith('四、政府信息公开行政复议'));
  const to = jianxi.findIndex((l, i) => i > from && l.startsWith('五、'));
  expect(from).toBeGreaterThan(0);
  writeFileSync(join(dir, 'no-table4.txt'), [...jianxi.slice(0, from), ...jianxi.slice(to)].join('\n'));
}

let tmp: string;
let planted: string;
let summary: BuildSummary;
let rel: string;
let q: QualityReport;
let md: string;
let sql: <T>(text: string) => Promise<T[]>;
let close: () => void;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gongkai-quality-'));
  planted = join(tmp, 'planted');
  plant(planted);
  await runSynth({ out: join(tmp, 'synth'), provinces: ['41'], years: [2019, 2024], seed: 5, limit: 150 });
  summary = await build({ inputs: [REAL, join(tmp, 'synth'), planted], out: join(tmp, 'out'), cacheDir: null, now: new Date('2026-03-01T00:00:00Z') });
  rel = summary.dir;
  q = JSON.parse(readFileSync(join(rel, 'quality.json'), 'utf8')) as QualityReport;
  md = readFileSync(join(rel, 'QUALITY.md'), 'utf8');
  const duck = await openDuck(':memory:');
  for (const t of ['reports', 'checks', 'warnings', 'inputs', 'coverage', 'regions', 'agencies', 'proactive', 'applications', 'review_litigation']) {
    await duck.connection.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${rel}/${t}.parquet')`);
  }
  sql = <T>(text: string) => query<T>(duck.connection, text);
  close = () => {
    duck.connection.closeSync();
    duck.instance.closeSync();
  };
});

afterAll(() => {
  close?.();
  rmSync(tmp, { recursive: true, force: true });
});

const source = (name: string) => join(planted, name);

describe('quality.json', () => {
  it('summarises inputs and reports as the tables count them, and as build() reported', async () => {
    const [s] = await sql<QualityReport['summary']>(`
      SELECT (SELECT count(*) FROM inputs WHERE outcome NOT IN ('not_fetched', 'ignored')) AS inputs, (SELECT count(*) FROM reports) AS reports,
             (SELECT count(*) FROM inputs WHERE outcome = 'error') AS errors,
             (SELECT count(*) FROM inputs WHERE outcome = 'not_fetched') AS not_fetched,
             (SELECT count(*) FROM inputs WHERE outcome = 'ignored') AS ignored,
             (SELECT count(*) FROM reports WHERE status = 'ok') AS reports_ok,
             (SELECT count(*) FROM reports WHERE status = 'warnings') AS reports_with_warnings,
             (SELECT count(*) FROM reports WHERE status = 'failed') AS reports_failed,
             (SELECT count(*) FROM reports WHERE generated) AS generated_reports,
             (SELECT count(*) FROM reports WHERE counted) AS reports_counted,
             (SELECT count(*) FROM reports WHERE NOT counted) AS reports_set_aside`);
    expect(q.summary).toEqual(s);
    expect(q.summary.generated_reports).toBe(150);
    expect(q.summary.reports_counted + q.summary.reports_set_aside).toBe(q.summary.reports);
    expect(q.summary.inputs).toBe(6 + 150 + 4);
    expect(q.summary.ignored).toBe(summary.ignored);
    expect(q.summary.errors).toBe(2);
    expect(summary.failed).toBe(q.summary.reports_failed);
    expect(summary.warnings).toBe(q.summary.reports_with_warnings);
    const [c] = await sql<{ agencies: number; regions: number; warnings: number; applications: number; checks: number }>(`
      SELECT (SELECT count(*) FROM agencies) AS agencies, (SELECT count(*) FROM regions) AS regions,
             (SELECT count(*) FROM warnings) AS warnings, (SELECT count(*) FROM applications) AS applications,
             (SELECT count(*) FROM checks) AS checks`);
    expect(q.counts).toMatchObject({ agencies: c.agencies, regions: c.regions, warnings: c.warnings, checks: { total: c.checks } });
    expect(q.counts.cells.applications).toBe(c.applications);
    const [bytes] = await sql<{ n: number }>(`SELECT sum(bytes) AS n FROM inputs WHERE outcome NOT IN ('not_fetched', 'ignored')`);
    expect(q.sources.bytes).toBe(bytes.n);
    expect(q.sources.by_format.find((f) => f.format === null)).toMatchObject({ files: 2 });
    expect(q.sources.by_format.reduce((a, f) => a + f.files, 0)).toBe(q.summary.inputs);
  });

  it('counts checks by code and status, per-report and release-level', async () => {
    const rows = await sql<{ check: string; status: string; n: number }>(`SELECT "check", status, count(*) AS n FROM checks GROUP BY ALL`);
    for (const c of q.checks_by_code) {
      const n = (status: string) => rows.find((r) => r.check === c.check && r.status === status)?.n ?? 0;
      expect([c.pass, c.fail, c.not_assessable], c.check).toEqual([n('pass'), n('fail'), n('not_assessable')]);
      expect(c.total).toBe(c.pass + c.fail + c.not_assessable);
    }
    expect(new Set(q.checks_by_code.map((c) => c.check))).toEqual(new Set(rows.map((r) => r.check)));
    expect(q.checks_by_code.map((c) => c.check)).toEqual(expect.arrayContaining(['identity', 'carry_over', 'rollup']));
    expect(q.checks_by_code.find((c) => c.check === 'carry_over')?.level).toBe('release');
    expect(q.checks_by_code.find((c) => c.check === 'identity')?.level).toBe('report');
    const [failing] = await sql<{ n: number }>(`SELECT count(DISTINCT report_id) AS n FROM checks WHERE "check" = 'review_sum' AND status = 'fail'`);
    expect(q.checks_by_code.find((c) => c.check === 'review_sum')?.reports_failing).toBe(failing.n);
  });

  it('groups checks by year', async () => {
    const rows = await sql<{ year: number; reports: number; failed: number; fail: number; pass: number }>(`
      SELECT r.year, count(DISTINCT r.report_id) AS reports,
             count(DISTINCT r.report_id) FILTER (WHERE r.status = 'failed') AS failed,
             count(c.status) FILTER (WHERE c.status = 'fail') AS fail,
             count(c.status) FILTER (WHERE c.status = 'pass') AS pass
      FROM reports r LEFT JOIN checks c USING (report_id) GROUP BY ALL ORDER BY r.year`);
    expect(q.checks_by_year.map((y) => [y.year, y.reports, y.reports_failed, y.fail, y.pass])).toEqual(rows.map((r) => [r.year, r.reports, r.failed, r.fail, r.pass]));
    const y2025 = q.checks_by_year.find((y) => y.year === 2025)!;
    expect(y2025.failed_by_check).toMatchObject({ identity: expect.any(Number), review_sum: 1 });
  });

  it('groups checks by province and city, with unsettled regions apart', async () => {
    const rows = await sql<{ province: string | null; reports: number; fail: number }>(`
      SELECT g.province, count(DISTINCT r.report_id) AS reports, count(c.status) FILTER (WHERE c.status = 'fail') AS fail
      FROM reports r LEFT JOIN regions g ON g.code = r.region_code LEFT JOIN checks c USING (report_id)
      GROUP BY ALL ORDER BY g.province NULLS LAST`);
    expect(q.checks_by_region.province.map((p) => [p.code, p.reports, p.fail])).toEqual(rows.map((r) => [r.province, r.reports, r.fail]));
    const henan = q.checks_by_region.province.find((p) => p.code === '410000')!;
    expect(henan).toMatchObject({ kind: 'province', name: '河南省' });
    // The two 测试市 reports (the real one and the planted copy) have no region.
    expect(q.checks_by_region.province.at(-1)).toMatchObject({ kind: 'unresolved', code: null, reports: 2, reports_failed: 1 });

    const cities = await sql<{ city: string; reports: number }>(`
      SELECT g.city, count(*) AS reports FROM reports r JOIN regions g ON g.code = r.region_code
      WHERE g.city IS NOT NULL GROUP BY ALL ORDER BY g.city`);
    expect(q.checks_by_region.city.filter((c) => c.kind === 'city').map((c) => [c.code, c.reports])).toEqual(cities.map((c) => [c.city, c.reports]));
    expect(q.checks_by_region.city.find((c) => c.code === '410300')?.name).toBe('河南省洛阳市');
    const sum = (list: { reports: number }[]) => list.reduce((a, g) => a + g.reports, 0);
    expect(sum(q.checks_by_region.city)).toBe(q.summary.reports);
    expect(sum(q.checks_by_region.province)).toBe(q.summary.reports);
  });

  it('names the reports with the most failures, the planted one first, with the checks that fail', async () => {
    const top = await sql<{ report_id: string; checks_failed: number }>(
      `SELECT report_id, checks_failed FROM reports WHERE checks_failed > 0 ORDER BY checks_failed DESC, source_path LIMIT ${TOP_FAILURES}`,
    );
    expect(q.top_failures.map((r) => [r.report_id, r.checks_failed])).toEqual(top.map((r) => [r.report_id, r.checks_failed]));
    const first = q.top_failures[0];
    expect(first).toMatchObject({ source_path: source('broken-city.html'), agency: '测试市', year: 2025 });
    expect(new Set(first.failing.map((f) => f.check))).toEqual(new Set(['identity', 'outcome_sum', 'column_sum', 'review_sum']));
    expect(first.failing).toContainEqual(expect.objectContaining({ check: 'review_sum', table: 'review_litigation', row: 'review', expected: 790, actual: 791 }));
    for (const r of q.top_failures) expect(r.failing.length).toBe(r.checks_failed);
  });

  it('lists missing tables, unsettled regions and errors with their files', () => {
    expect(q.missing_tables).toEqual([
      { table: 'review_litigation', count: 1, reports: [expect.objectContaining({ source_path: source('no-table4.txt'), agency: '涧西区人民政府办公室', year: 2023 })] },
    ]);
    expect(q.unsettled_regions.map((r) => [r.region_status, r.source_path])).toEqual([
      ['unresolved', `${REAL}/city-2025-standard.html`],
      ['unresolved', source('broken-city.html')],
    ].sort((a, b) => (a[1] < b[1] ? -1 : 1)));
    expect(q.errors).toEqual([
      { error_code: 'empty_file', count: 1, files: [{ path: source('empty.html'), message: expect.stringContaining('empty') }] },
      { error_code: 'not_a_report', count: 1, files: [{ path: source('notes.txt'), message: expect.any(String) }] },
    ]);
  });

  it('counts warnings by code', async () => {
    const rows = await sql<{ code: string; warnings: number; reports: number }>(
      `SELECT code, count(*) AS warnings, count(DISTINCT report_id) AS reports FROM warnings GROUP BY ALL ORDER BY warnings DESC, code`,
    );
    expect(q.warnings_by_code).toEqual(rows);
    expect(q.warnings_by_code.map((w) => w.code)).toContain('table_missing');
  });

  it('summarises coverage by year', async () => {
    const rows = await sql<{ year: number; n: number; missing: number; passing: number; parsed: number }>(`
      SELECT year, count(*) AS n, count(*) FILTER (WHERE status = 'missing') AS missing,
             count(*) FILTER (WHERE status = 'passing') AS passing, count(*) FILTER (WHERE status = 'parsed') AS parsed
      FROM coverage GROUP BY ALL ORDER BY year`);
    expect(q.coverage.by_year.map((y) => [y.year, y.agency_years, y.missing, y.passing, y.parsed])).toEqual(rows.map((r) => [r.year, r.n, r.missing, r.passing, r.parsed]));
    expect(q.coverage.total.agency_years).toBe(rows.reduce((a, r) => a + r.n, 0));
    // 涧西区 2023 has two reports: the real one and the planted copy without table 4.
    expect(q.coverage.by_year.find((y) => y.year === 2023)?.duplicates).toBeGreaterThanOrEqual(1);
  });
});

describe('duplicate claims', () => {
  // 涧西区人民政府办公室 2023 is claimed twice: the real report and the planted copy without table 4.
  const JIANXI = `agency_id = '410305.general_office' AND scope = 'agency' AND year = 2023`;

  it('counts one report of a claimed agency-year by the documented rule and keeps the other, set aside with its reason', async () => {
    const claims = await sql<{ report_id: string; source_path: string; counted: boolean; set_aside: string | null; counted_instead: string | null; choice: string }>(
      `SELECT report_id, source_path, counted, set_aside, counted_instead, choice FROM reports WHERE ${JIANXI} ORDER BY NOT counted`,
    );
    // Same published date (none), so the rule that decides is completeness: the real report has table 4.
    expect(claims.map((c) => [c.source_path, c.counted, c.set_aside, c.choice])).toEqual([
      [`${REAL}/jianxi-district-office-2023.txt`, true, null, 'completeness'],
      [source('no-table4.txt'), false, 'duplicate', 'completeness'],
    ]);
    expect(claims[1].counted_instead).toBe(claims[0].report_id);
    const [cov] = await sql(`SELECT report_id, reports, set_aside, choice FROM coverage WHERE ${JIANXI}`);
    expect(cov).toEqual({ report_id: claims[0].report_id, reports: 2, set_aside: claims[1].report_id, choice: 'completeness' });
    expect(q.set_aside.duplicates).toContainEqual(
      expect.objectContaining({ agency_id: '410305.general_office', year: 2023, choice: 'completeness', counted: expect.objectContaining({ report_id: claims[0].report_id }), set_aside: [expect.objectContaining({ report_id: claims[1].report_id })] }),
    );
    expect(md).toContain(`\`${claims[1].report_id}\` \`${source('no-table4.txt')}\``);
    // Every report of the release is counted or set aside with a reason, never both, never neither.
    const [n] = await sql<{ counted: number; aside: number; n: number }>(
      `SELECT count(*) FILTER (WHERE counted AND set_aside IS NULL) AS counted, count(*) FILTER (WHERE NOT counted AND set_aside IS NOT NULL) AS aside, count(*) AS n FROM reports`,
    );
    expect([n.counted, n.aside]).toEqual([q.summary.reports_counted, q.summary.reports_set_aside]);
    expect(n.counted + n.aside).toBe(n.n);
  });

  it("is in the API's answers: a comparison counts one and says it set the other aside", async () => {
    const api = await createApi({ release: rel, logErrors: false, threads: 1 });
    try {
      const res = await api.fetch(
        new Request('http://api.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{
              applicationComparison(filter: { region: "涧西区", year: 2023 }, groupBy: [AGENCY]) { groups { agency { id } reports } accounting { matched counted setAside { reason reports } } }
              reports(filter: { counted: false, region: "410305" }) { totalCount edges { node { agencySource: source { path } setAside choice countedInstead { source { path } } } } }
            }`,
          }),
        }),
      );
      const { data, errors } = await res.json();
      expect(errors).toBeUndefined();
      const [all] = await sql<{ n: number; counted: number }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE counted) AS counted FROM reports r WHERE r.region_code = '410305' AND r.year = 2023 AND r.scope = 'agency'`,
      );
      const c = data.applicationComparison;
      expect(c.groups.find((g: any) => g.agency.id === '410305.general_office').reports).toBe(1);
      expect(c.accounting.matched).toBe(all.n);
      expect(c.accounting.counted).toBe(c.groups.reduce((a: number, g: any) => a + g.reports, 0));
      expect(c.accounting.counted + c.accounting.setAside.reduce((a: number, s: any) => a + s.reports, 0)).toBe(all.n);
      expect(c.accounting.setAside.find((s: any) => s.reason === 'DUPLICATE').reports).toBe(all.n - all.counted);
      expect(data.reports.edges.map((e: any) => e.node)).toContainEqual({
        agencySource: { path: source('no-table4.txt') },
        setAside: 'DUPLICATE',
        choice: 'COMPLETENESS',
        countedInstead: { source: { path: `${REAL}/jianxi-district-office-2023.txt` } },
      });
    } finally {
      await api.close();
    }
  });
});

describe('QUALITY.md', () => {
  it('has every section and names the files to look at', () => {
    for (const heading of [
      '## Summary',
      '## Checks by rule',
      '## Checks by year',
      '## Checks by province',
      '## Checks by city',
      '## Reports with the most failed checks',
      '## Missing tables',
      '## Ambiguous and unresolved regions',
      '## Errors',
      '## Warnings by code',
      '## Coverage',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain(`| 1 | \`${q.top_failures[0].report_id}\` | 测试市 | 2025 | \`${source('broken-city.html')}\``);
    expect(md).toContain('review_sum (review_litigation.review: 790 ≠ 791)');
    expect(md).toContain(`\`${source('empty.html')}\``);
    expect(md).toContain('### empty_file: 1 files');
    expect(md).toContain('| 河南省 |');
  });

  it('carries no build time or version, so that rebuilds give the same bytes', () => {
    expect(md).not.toMatch(/2026-03-01/);
    expect(readFileSync(join(rel, 'quality.json'), 'utf8')).not.toMatch(/2026-03-01/);
  });
});
