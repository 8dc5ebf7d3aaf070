/**
 * The release's quality report: what the checks found, where, and which reports need a look.
 * Load: aggregate the loaded DuckDB tables (SQL does the counting; only summaries reach JS).
 * Process: shape them into one QualityReport. Save: quality.json (for programs) and QUALITY.md
 * (for people). Both are deterministic: every list has a fixed order and neither carries the
 * build time or the version, so two builds of the same inputs write the same bytes.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS, TABLE_CODES, type TableCode } from '../model/codes.ts';
import { loadRegions } from '../normalize/regions.ts';
import { query } from './duck.ts';
import { generatedNotice } from './generated.ts';
import { code, cut, fmt, mdTable, pct } from './markdown.ts';

/** Checks that compare reports with each other, run once every report is loaded (derive.ts). */
export const RELEASE_CHECKS: readonly string[] = ['carry_over', 'rollup'];

/** How many reports the "most failures" list names. */
export const TOP_FAILURES = 20;

export interface StatusCounts {
  pass: number;
  fail: number;
  not_assessable: number;
}

/** Check outcomes of a group of reports (a year, a province, a city). */
export interface CheckGroup extends StatusCounts {
  reports: number;
  /** Reports of the group with status failed. */
  reports_failed: number;
  /** Failed checks by check code, codes in the order of codes.ts CHECKS; only codes that fail. */
  failed_by_check: Record<string, number>;
}

export interface YearGroup extends CheckGroup {
  /** null: reports whose year could not be read. */
  year: number | null;
}

export interface RegionGroup extends CheckGroup {
  /**
   * province: a province's code; city: a city's code; province_level: the reports of the
   * province's own agencies (no city), under the province's code; ambiguous / unresolved:
   * reports without a region, code null.
   */
  kind: 'province' | 'city' | 'province_level' | 'ambiguous' | 'unresolved';
  code: string | null;
  province: string | null;
  name: string;
}

export interface CheckCodeRow extends StatusCounts {
  check: string;
  zh: string;
  /** report: checked within one report; release: across reports (carry_over, rollup). */
  level: 'report' | 'release';
  total: number;
  reports_failing: number;
}

export interface ReportRef {
  report_id: string;
  agency: string | null;
  agency_id: string;
  year: number | null;
  source_path: string;
}

export interface FailedCheck {
  seq: number;
  check: string;
  table: string | null;
  row: string | null;
  column: string | null;
  expected: number | null;
  actual: number | null;
  detail: string | null;
}

export interface CoverageCounts {
  agency_years: number;
  missing: number;
  unfetched: number;
  found: number;
  parsed: number;
  passing: number;
  /** Agency-years with more than one report. */
  duplicates: number;
}

export interface ErrorGroup {
  error_code: string;
  count: number;
  files: { path: string; message: string | null }[];
}

export interface QualityReport {
  /** build.ts reads this block for the build summary. */
  summary: {
    /** Input files (reports a manifest lists as not fetched are counted apart). */
    inputs: number;
    reports: number;
    errors: number;
    /** Reports a manifest lists as not fetched: no file. */
    not_fetched: number;
    /** Files and folders under the inputs set aside as not reports, each with its reason. */
    ignored: number;
    reports_ok: number;
    reports_with_warnings: number;
    reports_failed: number;
    /** Reports made by gongkai synth (reports.generated). */
    generated_reports: number;
    /** Reports that sums count: one per agency, scope and year. reports = reports_counted + reports_set_aside. */
    reports_counted: number;
    /** Reports set aside: duplicate claims and reports without a year (set_aside below). */
    reports_set_aside: number;
  };
  counts: {
    agencies: number;
    regions: number;
    /** Rows of each long cell table: one per printed cell. */
    cells: Record<TableCode, number>;
    checks: StatusCounts & { total: number };
    warnings: number;
  };
  /** The input files: how many and how large, by the format they were read as (null: no report). */
  sources: { files: number; bytes: number; by_format: { format: string | null; files: number; bytes: number }[] };
  checks_by_code: CheckCodeRow[];
  checks_by_year: YearGroup[];
  checks_by_region: { province: RegionGroup[]; city: RegionGroup[] };
  /** Reports with the most failed checks, most first, then by source path. */
  top_failures: (ReportRef & { checks_failed: number; failing: FailedCheck[] })[];
  /** Reports that lack a table (warning table_missing), by table. */
  missing_tables: { table: string; count: number; reports: ReportRef[] }[];
  region_status: { status: string; reports: number }[];
  /** Reports whose region is ambiguous (with its candidates) or could not be found. */
  unsettled_regions: (ReportRef & { region_status: string; candidates: { code: string; name: string }[] })[];
  /** Inputs that gave no report, by error code. */
  errors: ErrorGroup[];
  /** Reports the listings promised that could not be fetched, by fetch outcome; `message` says why, with the URL. */
  not_fetched: ErrorGroup[];
  /** Files and folders set aside, by reason code. */
  ignored: ErrorGroup[];
  warnings_by_code: { code: string; warnings: number; reports: number }[];
  /**
   * Reports not counted, each with its reason: for every agency, scope and year that several
   * reports claim, the one counted, the rule that chose it and the others; and the reports
   * whose year could not be read.
   */
  set_aside: {
    duplicates: { agency_id: string; scope: string; year: number; choice: string; counted: ReportRef; set_aside: (ReportRef & { choice: string })[] }[];
    year_unknown: ReportRef[];
  };
  coverage: { total: CoverageCounts; by_year: (CoverageCounts & { year: number })[] };
}

// ---------------------------------------------------------------------------------------------
// Load: SQL over the release tables

const STATUS_SUMS = `
  count(c.status) FILTER (WHERE c.status = 'pass') AS pass,
  count(c.status) FILTER (WHERE c.status = 'fail') AS fail,
  count(c.status) FILTER (WHERE c.status = 'not_assessable') AS not_assessable`;

/** Each report with its year, province and city (null when its region is not settled). */
const PLACED_REPORTS = `
  SELECT r.report_id, r.status, r.year, r.region_status, g.province, g.city
  FROM reports r LEFT JOIN regions g ON g.code = r.region_code`;

type Keyed = Record<string, string | number | null>;

/**
 * Check outcomes grouped by `keys` (alias → SQL over PLACED_REPORTS as `p`), in `order`.
 * Every report of a group counts, with or without checks.
 */
async function checkGroups(con: DuckDBConnection, keys: Record<string, string>, order: string): Promise<{ key: Keyed; group: CheckGroup }[]> {
  const aliases = Object.keys(keys);
  const select = Object.entries(keys).map(([alias, sql]) => `${sql} AS ${alias}`).join(', ');
  const rows = await query<Keyed>(
    con,
    `WITH p AS (${PLACED_REPORTS}),
     per AS (
       SELECT p.report_id, ${select}, any_value(p.status) AS status, ${STATUS_SUMS}
       FROM p LEFT JOIN checks c ON c.report_id = p.report_id
       GROUP BY ALL
     )
     SELECT ${aliases.join(', ')}, count(*) AS reports, count(*) FILTER (WHERE status = 'failed') AS reports_failed,
            sum(pass) AS pass, sum(fail) AS fail, sum(not_assessable) AS not_assessable
     FROM per GROUP BY ALL ORDER BY ${order}`,
  );
  const failed = await query<Keyed>(
    con,
    `WITH p AS (${PLACED_REPORTS})
     SELECT ${select}, c."check", count(*) AS n
     FROM p JOIN checks c ON c.report_id = p.report_id
     WHERE c.status = 'fail' GROUP BY ALL`,
  );
  const keyOf = (row: Keyed) => JSON.stringify(aliases.map((k) => row[k]));
  const byGroup = new Map<string, Map<string, number>>();
  for (const row of failed) {
    const k = keyOf(row);
    if (!byGroup.has(k)) byGroup.set(k, new Map());
    byGroup.get(k)!.set(row.check as string, row.n as number);
  }
  return rows.map((row) => ({
    key: Object.fromEntries(aliases.map((k) => [k, row[k]])),
    group: {
      reports: row.reports as number,
      reports_failed: row.reports_failed as number,
      pass: row.pass as number,
      fail: row.fail as number,
      not_assessable: row.not_assessable as number,
      failed_by_check: inCheckOrder(byGroup.get(keyOf(row)) ?? new Map()),
    },
  }));
}

/** Check codes in the order codes.ts lists them; unknown codes after, alphabetically. */
function checkOrder(codes: Iterable<string>): string[] {
  const known = CHECKS.map((c) => c.code as string);
  const rank = (c: string) => (known.includes(c) ? known.indexOf(c) : known.length);
  return [...codes].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function inCheckOrder(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries(checkOrder(counts.keys()).map((c) => [c, counts.get(c)!]));
}

const REPORT_REF = `r.report_id, r.agency, r.agency_id, r.year, r.source_path`;

/**
 * "河南省洛阳市涧西区": the names from the province down, a municipality's 市辖区 folded in
 * ("北京市 (市辖区)", "河南省 (省直辖县级行政区划)" when the region itself is such a grouping).
 */
function regionName(code: string): string {
  const chain = loadRegions().ancestors(code);
  if (chain.length === 0) return code;
  const names = chain.map((r) => r.displayName).filter((n, i, all) => i === 0 || n !== all[i - 1]);
  const self = chain[chain.length - 1];
  return names.join('') + (self.name !== self.displayName ? ` (${self.name})` : '');
}

async function collectRegions(con: DuckDBConnection): Promise<QualityReport['checks_by_region']> {
  const unsettled = `CASE WHEN p.province IS NULL THEN p.region_status END`;
  const province = await checkGroups(con, { province: 'p.province', unsettled }, 'province NULLS LAST, unsettled');
  const city = await checkGroups(con, { province: 'p.province', city: 'p.city', unsettled }, 'province NULLS LAST, city NULLS FIRST, unsettled');
  const place = ({ key, group }: { key: Keyed; group: CheckGroup }, level: 'province' | 'city'): RegionGroup => {
    const prov = key.province as string | null;
    const cityCode = (key.city ?? null) as string | null;
    if (!prov) {
      const kind = key.unsettled === 'ambiguous' ? 'ambiguous' : 'unresolved';
      return { kind, code: null, province: null, name: kind === 'ambiguous' ? '(region ambiguous)' : '(region unresolved)', ...group };
    }
    if (level === 'province') return { kind: 'province', code: prov, province: prov, name: regionName(prov), ...group };
    if (!cityCode) return { kind: 'province_level', code: prov, province: prov, name: `${regionName(prov)} (province-level agencies)`, ...group };
    return { kind: 'city', code: cityCode, province: prov, name: regionName(cityCode), ...group };
  };
  return { province: province.map((g) => place(g, 'province')), city: city.map((g) => place(g, 'city')) };
}

/**
 * Reads every aggregate of the quality report from the loaded release tables; the cell counts
 * of the long tables come from `published` (rows written per table, see write.ts).
 */
export async function collectQuality(con: DuckDBConnection, published: Record<string, number>): Promise<QualityReport> {
  const [summary] = await query<QualityReport['summary']>(
    con,
    `SELECT (SELECT count(*) FROM inputs WHERE outcome NOT IN ('not_fetched', 'ignored')) AS inputs,
            (SELECT count(*) FROM reports) AS reports,
            (SELECT count(*) FROM inputs WHERE outcome = 'error') AS errors,
            (SELECT count(*) FROM inputs WHERE outcome = 'not_fetched') AS not_fetched,
            (SELECT count(*) FROM inputs WHERE outcome = 'ignored') AS ignored,
            (SELECT count(*) FROM reports WHERE status = 'ok') AS reports_ok,
            (SELECT count(*) FROM reports WHERE status = 'warnings') AS reports_with_warnings,
            (SELECT count(*) FROM reports WHERE status = 'failed') AS reports_failed,
            (SELECT count(*) FROM reports WHERE generated) AS generated_reports,
            (SELECT count(*) FROM reports WHERE counted) AS reports_counted,
            (SELECT count(*) FROM reports WHERE NOT counted) AS reports_set_aside`,
  );

  const [counts] = await query<{ agencies: number; regions: number; warnings: number } & StatusCounts & { total: number }>(
    con,
    `SELECT (SELECT count(*) FROM agencies) AS agencies,
            (SELECT count(*) FROM regions) AS regions,
            (SELECT count(*) FROM warnings) AS warnings,
            (SELECT count(*) FROM checks) AS total,
            (SELECT count(*) FROM checks WHERE status = 'pass') AS pass,
            (SELECT count(*) FROM checks WHERE status = 'fail') AS fail,
            (SELECT count(*) FROM checks WHERE status = 'not_assessable') AS not_assessable`,
  );

  const byFormat = await query<{ format: string | null; files: number; bytes: number }>(
    con,
    `SELECT r.format, count(*) AS files, coalesce(sum(i.bytes), 0) AS bytes
     FROM inputs i LEFT JOIN reports r ON r.report_id = i.report_id
     WHERE i.outcome NOT IN ('not_fetched', 'ignored')
     GROUP BY ALL ORDER BY r.format NULLS LAST`,
  );

  const codes = await query<StatusCounts & { check: string; total: number; reports_failing: number }>(
    con,
    `SELECT "check", count(*) AS total, ${STATUS_SUMS},
            count(DISTINCT c.report_id) FILTER (WHERE c.status = 'fail') AS reports_failing
     FROM checks c GROUP BY ALL`,
  );
  const codeRows = new Map(codes.map((c) => [c.check, c]));
  const checksByCode: CheckCodeRow[] = checkOrder(codeRows.keys()).map((code) => {
    const c = codeRows.get(code)!;
    return {
      check: code,
      zh: CHECKS.find((x) => x.code === code)?.zh ?? '',
      level: RELEASE_CHECKS.includes(code) ? 'release' : 'report',
      total: c.total,
      pass: c.pass,
      fail: c.fail,
      not_assessable: c.not_assessable,
      reports_failing: c.reports_failing,
    };
  });

  const years = await checkGroups(con, { year: 'p.year' }, 'year NULLS LAST');

  const top = await query<ReportRef & { checks_failed: number }>(
    con,
    `SELECT ${REPORT_REF}, r.checks_failed FROM reports r
     WHERE r.checks_failed > 0 ORDER BY r.checks_failed DESC, r.source_path LIMIT ${TOP_FAILURES}`,
  );
  const failing = await query<FailedCheck & { report_id: string }>(
    con,
    `WITH top AS (SELECT report_id FROM reports WHERE checks_failed > 0 ORDER BY checks_failed DESC, source_path LIMIT ${TOP_FAILURES})
     SELECT c.report_id, c.seq, c."check", c."table", c.row, c."column", c.expected, c.actual, c.detail
     FROM checks c SEMI JOIN top ON top.report_id = c.report_id
     WHERE c.status = 'fail' ORDER BY c.report_id, c.seq`,
  );

  const missing = await query<ReportRef & { table: string }>(
    con,
    `SELECT w."where" AS "table", ${REPORT_REF}
     FROM warnings w JOIN reports r ON r.report_id = w.report_id
     WHERE w.code = 'table_missing' ORDER BY w."where", r.source_path, r.report_id`,
  );
  const missingTables = [...new Set(missing.map((m) => m.table))]
    .sort((a, b) => tableRank(a) - tableRank(b) || (a < b ? -1 : 1))
    .map((table) => {
      const reports = missing.filter((m) => m.table === table).map(({ table: _t, ...ref }) => ref);
      return { table, count: reports.length, reports };
    });

  const regionStatus = await query<{ status: string; reports: number }>(con, `SELECT region_status AS status, count(*) AS reports FROM reports GROUP BY ALL ORDER BY status`);
  const unsettled = await query<ReportRef & { region_status: string; region_candidates: string | null }>(
    con,
    `SELECT ${REPORT_REF}, r.region_status, r.region_candidates FROM reports r
     WHERE r.region_status IN ('ambiguous', 'unresolved') ORDER BY r.region_status, r.source_path, r.report_id`,
  );

  const errorGroups = async (outcome: string): Promise<ErrorGroup[]> => {
    const rows = await query<{ error_code: string; path: string; message: string | null }>(
      con,
      `SELECT coalesce(error_code, 'unknown') AS error_code, path, message FROM inputs WHERE outcome = '${outcome}' ORDER BY error_code, path`,
    );
    return [...new Set(rows.map((e) => e.error_code))].map((code) => {
      const files = rows.filter((e) => e.error_code === code).map(({ path, message }) => ({ path, message }));
      return { error_code: code, count: files.length, files };
    });
  };

  const warningsByCode = await query<{ code: string; warnings: number; reports: number }>(
    con,
    `SELECT code, count(*) AS warnings, count(DISTINCT report_id) AS reports FROM warnings GROUP BY ALL ORDER BY warnings DESC, code`,
  );

  const claims = await query<ReportRef & { scope: string; counted: boolean; choice: string }>(
    con,
    `SELECT ${REPORT_REF}, r.scope, r.counted, r.choice FROM reports r
     WHERE r.choice IS NOT NULL ORDER BY r.agency_id, r.scope, r.year, NOT r.counted, r.source_path`,
  );
  const duplicates: QualityReport['set_aside']['duplicates'] = [];
  for (const { scope, counted, choice, ...ref } of claims) {
    if (counted) duplicates.push({ agency_id: ref.agency_id, scope, year: ref.year!, choice, counted: ref, set_aside: [] });
    else duplicates.at(-1)!.set_aside.push({ ...ref, choice });
  }
  const yearUnknown = await query<ReportRef>(con, `SELECT ${REPORT_REF} FROM reports r WHERE r.set_aside = 'year_unknown' ORDER BY r.source_path`);

  const coverageByYear = await query<CoverageCounts & { year: number }>(
    con,
    `SELECT year, count(*) AS agency_years,
            count(*) FILTER (WHERE status = 'missing') AS missing,
            count(*) FILTER (WHERE status = 'unfetched') AS unfetched,
            count(*) FILTER (WHERE status = 'found') AS found,
            count(*) FILTER (WHERE status = 'parsed') AS parsed,
            count(*) FILTER (WHERE status = 'passing') AS passing,
            count(*) FILTER (WHERE reports > 1) AS duplicates
     FROM coverage GROUP BY ALL ORDER BY year`,
  );
  const coverageTotal: CoverageCounts = { agency_years: 0, missing: 0, unfetched: 0, found: 0, parsed: 0, passing: 0, duplicates: 0 };
  for (const row of coverageByYear) for (const k of Object.keys(coverageTotal) as (keyof CoverageCounts)[]) coverageTotal[k] += row[k];

  return {
    summary,
    counts: {
      agencies: counts.agencies,
      regions: counts.regions,
      cells: Object.fromEntries(TABLE_CODES.map((t) => [t, published[t]])) as Record<TableCode, number>,
      checks: { total: counts.total, pass: counts.pass, fail: counts.fail, not_assessable: counts.not_assessable },
      warnings: counts.warnings,
    },
    sources: {
      files: byFormat.reduce((s, f) => s + f.files, 0),
      bytes: byFormat.reduce((s, f) => s + f.bytes, 0),
      by_format: byFormat,
    },
    checks_by_code: checksByCode,
    checks_by_year: years.map(({ key, group }) => ({ year: key.year as number | null, ...group })),
    checks_by_region: await collectRegions(con),
    top_failures: top.map((r) => ({
      ...r,
      failing: failing.filter((f) => f.report_id === r.report_id).map(({ report_id: _id, ...f }) => f),
    })),
    missing_tables: missingTables,
    region_status: regionStatus,
    unsettled_regions: unsettled.map(({ region_candidates, ...r }) => ({
      ...r,
      candidates: (region_candidates ?? '')
        .split('|')
        .filter(Boolean)
        .map((code) => ({ code, name: regionName(code) })),
    })),
    errors: await errorGroups('error'),
    not_fetched: await errorGroups('not_fetched'),
    ignored: await errorGroups('ignored'),
    warnings_by_code: warningsByCode,
    set_aside: { duplicates, year_unknown: yearUnknown },
    coverage: { total: coverageTotal, by_year: coverageByYear },
  };
}

function tableRank(table: string): number {
  const i = (TABLE_CODES as readonly string[]).indexOf(table);
  return i < 0 ? TABLE_CODES.length : i;
}

// ---------------------------------------------------------------------------------------------
// Process: QUALITY.md

function failedList(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([c, n]) => `${c} ${fmt(n)}`)
    .join(', ');
}

function groupTable(first: string[], rows: { keys: unknown[]; g: CheckGroup }[]): string {
  return mdTable(
    [...first, 'reports', 'failed reports', 'pass', 'fail', 'not assessable', 'failed checks'],
    rows.map(({ keys, g }) => [...keys, fmt(g.reports), fmt(g.reports_failed), fmt(g.pass), fmt(g.fail), fmt(g.not_assessable), failedList(g.failed_by_check)]),
    [...first.map(() => 'l' as const), 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

function where(f: FailedCheck): string {
  const place = [f.table, f.row, f.column].filter(Boolean).join('.');
  const numbers = f.expected !== null || f.actual !== null ? `: ${fmt(f.expected)} ≠ ${fmt(f.actual)}` : '';
  return `${f.check} (${place}${numbers})`;
}

/** One subsection per code, its files listed (cut at MD_LIST_LIMIT). */
function errorSections(out: string[], groups: ErrorGroup[], what: string, headers: [string, string]): void {
  for (const e of groups) {
    out.push(`### ${e.error_code}: ${fmt(e.count)} ${what}`);
    const { shown, note } = cut(e.files, what, 'quality.json');
    out.push(mdTable(headers, shown.map((f) => [code(f.path), f.message ?? ''])) + note);
  }
}

/** QUALITY.md: the same report for people, section by section. */
export function qualityMarkdown(q: QualityReport): string {
  const s = q.summary;
  const out: string[] = [];
  out.push('# Quality report');
  const notice = generatedNotice(s.generated_reports, s.reports);
  if (notice) out.push(`**${notice}**`);
  out.push(
    `${fmt(s.inputs)} input files gave ${fmt(s.reports)} reports and ${fmt(s.errors)} errors` +
      (s.not_fetched ? `; ${fmt(s.not_fetched)} reports the listings promised could not be fetched. ` : '. ') +
      `Of the reports, ${fmt(s.reports_ok)} are ok, ${fmt(s.reports_with_warnings)} have warnings (blank, converted or recovered cells) ` +
      `and ${fmt(s.reports_failed)} fail at least one accounting check. ` +
      `Every number below can be recomputed from the release tables (checks, warnings, inputs, coverage, reports).`,
  );

  out.push('## Summary');
  out.push(
    mdTable(
      ['', 'count'],
      [
        ['input files', fmt(s.inputs)],
        ['input bytes', fmt(q.sources.bytes)],
        ['reports', fmt(s.reports)],
        ['errors (files without a report)', fmt(s.errors)],
        ['reports not fetched (listed, no file)', fmt(s.not_fetched)],
        ['files set aside (not reports)', fmt(s.ignored)],
        ['reports ok', fmt(s.reports_ok)],
        ['reports with warnings', fmt(s.reports_with_warnings)],
        ['reports failing a check', fmt(s.reports_failed)],
        ['reports counted (one per agency, scope and year)', fmt(s.reports_counted)],
        ['reports set aside (duplicates, year unknown)', fmt(s.reports_set_aside)],
        ['agencies', fmt(q.counts.agencies)],
        ['regions (with their ancestors)', fmt(q.counts.regions)],
        ...TABLE_CODES.map((t) => [`cells in ${t}`, fmt(q.counts.cells[t])]),
        ['checks', fmt(q.counts.checks.total)],
        ['warnings', fmt(q.counts.warnings)],
      ],
      ['l', 'r'],
    ),
  );
  out.push(
    'Input files by format:\n\n' +
      mdTable(
        ['format', 'files', 'bytes'],
        q.sources.by_format.map((f) => [f.format ?? '(no report)', fmt(f.files), fmt(f.bytes)]),
        ['l', 'r', 'r'],
      ),
  );

  out.push('## Checks by rule');
  out.push(
    '`report` checks run within one report; `release` checks compare reports: `carry_over` (carried_forward of year N against carried_over of year N+1) and `rollup` (a region summary against its agencies). A check is `not_assessable` when an operand is blank or unknown.',
  );
  out.push(
    mdTable(
      ['check', 'rule', 'level', 'pass', 'fail', 'not assessable', 'total', 'reports failing'],
      q.checks_by_code.map((c) => [code(c.check), c.zh, c.level, fmt(c.pass), fmt(c.fail), fmt(c.not_assessable), fmt(c.total), fmt(c.reports_failing)]),
      ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  out.push('## Checks by year');
  out.push(groupTable(['year'], q.checks_by_year.map((g) => ({ keys: [g.year ?? '(unknown)'], g }))));

  out.push('## Checks by province');
  out.push(groupTable(['code', 'province'], q.checks_by_region.province.map((g) => ({ keys: [g.code ?? '', g.name], g }))));

  out.push('## Checks by city');
  out.push('Reports of a province\'s own agencies (no city) are listed under the province; reports without a settled region form their own groups.');
  out.push(groupTable(['code', 'city'], q.checks_by_region.city.map((g) => ({ keys: [g.kind === 'city' ? g.code : '', g.name], g }))));

  out.push(`## Reports with the most failed checks`);
  if (q.top_failures.length === 0) out.push('No report fails a check.');
  else {
    out.push(`The ${fmt(q.top_failures.length)} reports with the most failed checks (expected ≠ printed).`);
    out.push(
      mdTable(
        ['#', 'report', 'agency', 'year', 'source', 'failed', 'failing checks'],
        q.top_failures.map((r, i) => [
          String(i + 1),
          code(r.report_id),
          r.agency ?? r.agency_id,
          r.year ?? '',
          code(r.source_path),
          fmt(r.checks_failed),
          r.failing.map(where).join('; '),
        ]),
        ['r', 'l', 'l', 'l', 'l', 'r', 'l'],
      ),
    );
  }

  out.push('## Missing tables');
  if (q.missing_tables.length === 0) out.push('Every report has all three tables.');
  for (const t of q.missing_tables) {
    out.push(`### ${t.table}: ${fmt(t.count)} reports`);
    const { shown, note } = cut(t.reports, 'reports', 'quality.json');
    out.push(mdTable(['report', 'agency', 'year', 'source'], shown.map((r) => [code(r.report_id), r.agency ?? r.agency_id, r.year ?? '', code(r.source_path)])) + note);
  }

  out.push('## Ambiguous and unresolved regions');
  out.push('How each report\'s region was decided: ' + q.region_status.map((r) => `${r.status} ${fmt(r.reports)}`).join(', ') + '.');
  if (q.unsettled_regions.length === 0) out.push('Every report has a region.');
  else {
    const { shown, note } = cut(q.unsettled_regions, 'reports', 'quality.json');
    out.push(
      mdTable(
        ['status', 'agency', 'year', 'source', 'candidates'],
        shown.map((r) => [r.region_status, r.agency ?? r.agency_id, r.year ?? '', code(r.source_path), r.candidates.map((c) => `${c.code} ${c.name}`).join(', ')]),
      ) + note,
    );
  }

  out.push('## Errors');
  if (q.errors.length === 0) out.push('Every input file gave a report.');
  errorSections(out, q.errors, 'files', ['file', 'message']);

  out.push('## Not fetched');
  if (q.not_fetched.length === 0) out.push('No manifest lists a report that could not be fetched.');
  else {
    out.push('Reports a listing page promised that `gongkai fetch` could not get, by fetch outcome: the manifest lists them with `fetch_error` and no file. They count in coverage as `unfetched`.');
    errorSections(out, q.not_fetched, 'reports', ['file it would have been', 'why, and the URL']);
  }

  out.push('## Set aside');
  if (q.ignored.length === 0) out.push('Every file under the inputs was read as a report.');
  else {
    out.push('Files and folders under the inputs that were not read as reports, by reason: each is a row of `inputs` with outcome `ignored`.');
    errorSections(out, q.ignored, 'files', ['file or folder', 'why']);
  }

  out.push('## Warnings by code');
  if (q.warnings_by_code.length === 0) out.push('No warnings.');
  else out.push(mdTable(['code', 'warnings', 'reports'], q.warnings_by_code.map((w) => [code(w.code), fmt(w.warnings), fmt(w.reports)]), ['l', 'r', 'r']));

  out.push('## Reports set aside');
  out.push(
    `Sums count one report per agency, scope and year: ${fmt(s.reports_counted)} reports are counted and ${fmt(s.reports_set_aside)} set aside, each with its reason (reports.counted, set_aside). ` +
      'Where several reports claim one agency, scope and year, the one counted is the one the manifest assigns to it, else the latest published, else the one with the most cells, else the first by path; `choice` names the rule that decided.',
  );
  const dup = q.set_aside.duplicates;
  if (dup.length === 0) out.push('No agency, scope and year is claimed by more than one report.');
  else {
    out.push(`### Duplicate claims: ${fmt(dup.length)} agency-years, ${fmt(dup.reduce((n, d) => n + d.set_aside.length, 0))} reports set aside`);
    const { shown, note } = cut(dup, 'agency-years', 'quality.json');
    out.push(
      mdTable(
        ['agency', 'scope', 'year', 'counted', 'choice', 'set aside'],
        shown.map((d) => [code(d.agency_id), d.scope, d.year, `${code(d.counted.report_id)} ${code(d.counted.source_path)}`, d.choice, d.set_aside.map((r) => `${code(r.report_id)} ${code(r.source_path)}`).join('; ')]),
      ) + note,
    );
  }
  if (q.set_aside.year_unknown.length > 0) {
    out.push(`### Year unknown: ${fmt(q.set_aside.year_unknown.length)} reports`);
    const { shown, note } = cut(q.set_aside.year_unknown, 'reports', 'quality.json');
    out.push(mdTable(['report', 'agency', 'source'], shown.map((r) => [code(r.report_id), r.agency ?? r.agency_id, code(r.source_path)])) + note);
  }

  out.push('## Coverage');
  out.push(
    'Every agency seen in the release, for every year of it: `missing` (no input), `unfetched` (a listing promised a report the fetch could not get; the coverage table says why), `found` (an input the manifest assigns to it gave no report), `parsed` (a report that fails a check), `passing` (a report whose checks pass or are not assessable). `duplicates`: agency-years with more than one report (the others are set aside, see above).',
  );
  const covRow = (label: string | number, c: CoverageCounts) => [
    label,
    fmt(c.agency_years),
    fmt(c.missing),
    fmt(c.unfetched),
    fmt(c.found),
    fmt(c.parsed),
    fmt(c.passing),
    pct(c.passing, c.agency_years),
    fmt(c.duplicates),
  ];
  out.push(
    mdTable(
      ['year', 'agency-years', 'missing', 'unfetched', 'found', 'parsed', 'passing', 'passing share', 'duplicates'],
      [...q.coverage.by_year.map((y) => covRow(y.year, y)), covRow('**all**', q.coverage.total)],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  return `${out.join('\n\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Save

export async function writeQuality(con: DuckDBConnection, dir: string, published: Record<string, number>): Promise<QualityReport> {
  const report = await collectQuality(con, published);
  writeFileSync(join(dir, 'quality.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'QUALITY.md'), qualityMarkdown(report));
  return report;
}
