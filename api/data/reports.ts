/**
 * Reports and what hangs off one report: its cells (with provenance: where each row was read),
 * checks and warnings. Lists come from report_index (facts.ts); cells, checks and warnings
 * straight from the release's Parquet, fetched for a whole page of reports at once.
 */
import type { TableCode } from '../../pipeline/model/codes.ts';
import { CHECK_CODES } from './facts.ts';
import { placeConditions, type RegionLevel } from './comparisons.ts';
import type { Params, Session } from './db.ts';

export interface ReportRow {
  report_id: string;
  agency_id: string;
  agency: string;
  region_code: string | null;
  region_status: string;
  region_candidates: string | null;
  agency_kind: string;
  level: string | null;
  year: number | null;
  layout: string | null;
  scope: string;
  title: string | null;
  source_path: string;
  source_url: string | null;
  published_at: string | null;
  fetched_at: string | null;
  format: string | null;
  sha256: string;
  status: string;
  checks_failed: number;
  warnings: number;
  proactive_items_published: number | null;
  counted: boolean;
  set_aside: string | null;
  counted_instead: string | null;
  choice: string | null;
  failed_checks: string[];
}

export interface ReportFilter {
  agency?: string | null;
  region?: string | null;
  /** The level of `region`: which column holds its subtree. */
  regionOf?: RegionLevel | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  layout?: string | null;
  scope?: string | null;
  statuses?: string[] | null;
  failingCheck?: string | null;
  agencyKinds?: string[] | null;
  agencyLevels?: string[] | null;
  /** true: the reports sums count; false: those set aside (duplicates, year unknown). */
  counted?: boolean | null;
}

function where(f: ReportFilter): { sql: string; params: Params } {
  const params: Params = {};
  const w = placeConditions(f, params);
  if (f.agency) {
    params.agency = f.agency;
    w.push('agency_id = $agency');
  }
  if (f.yearFrom != null) {
    params.year_from = f.yearFrom;
    w.push('year >= $year_from');
  }
  if (f.yearTo != null) {
    params.year_to = f.yearTo;
    w.push('year <= $year_to');
  }
  if (f.layout) {
    params.layout = f.layout;
    w.push('layout = $layout');
  }
  if (f.scope) {
    params.scope = f.scope;
    w.push('scope = $scope');
  }
  if (f.statuses?.length) {
    params.statuses = f.statuses;
    w.push('list_contains($statuses, status)');
  }
  if (f.counted != null) w.push(f.counted ? 'counted' : 'NOT counted');
  if (f.failingCheck) {
    if (!CHECK_CODES.includes(f.failingCheck as never)) throw new Error(`unknown check ${f.failingCheck}`);
    w.push(`fails_${f.failingCheck}`); // a column per check code (facts.ts), never the request's text
  }
  return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params };
}

const COLUMNS = `report_id, agency_id, agency, region_code, region_status, region_candidates, agency_kind, level, year, layout, scope, title,
  source_path, source_url, published_at, fetched_at, format, sha256, status, checks_failed, warnings, proactive_items_published,
  counted, set_aside, counted_instead, choice, ${CHECK_CODES.map((c) => `fails_${c}`).join(', ')}`;

type IndexRow = Omit<ReportRow, 'failed_checks'> & Record<string, unknown>;

/** The row as the API hands it on: the fails_<check> flags become the list of failed checks. */
function toReport(row: IndexRow): ReportRow {
  const out = { ...row, failed_checks: CHECK_CODES.filter((c) => row[`fails_${c}`]) } as ReportRow & Record<string, unknown>;
  for (const c of CHECK_CODES) delete out[`fails_${c}`];
  return out;
}

const ORDER = 'year, region_code, agency_id, report_id';

/** ORDER BY ${ORDER} as DuckDB sorts: ascending, NULLs last, text by code points (the codes are ASCII). */
const byListOrder = (a: IndexRow, b: IndexRow) =>
  ascending(a.year, b.year) || ascending(a.region_code, b.region_code) || ascending(a.agency_id, b.agency_id) || ascending(a.report_id, b.report_id);
const ascending = <T extends string | number>(a: T | null, b: T | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/**
 * Reports in a stable order: year, region, agency, report id. The page is chosen among the
 * matching reports' narrow sort columns, then its whole rows are fetched by id and put in order
 * here: sorting whole rows, or a second sort in SQL, costs more than the page.
 */
export async function listReports(session: Session, filter: ReportFilter, limit: number, offset: number): Promise<ReportRow[]> {
  const w = where(filter);
  const rows = await session.query<IndexRow>(
    `WITH matched AS MATERIALIZED (SELECT ${ORDER} FROM report_index ${w.sql}),
          page AS MATERIALIZED (SELECT report_id FROM matched ORDER BY ${ORDER} LIMIT $lim OFFSET $off)
     SELECT ${COLUMNS} FROM report_index WHERE report_id IN (SELECT report_id FROM page)`,
    { ...w.params, lim: limit, off: offset },
  );
  return rows.sort(byListOrder).map(toReport);
}

export async function countReports(session: Session, filter: ReportFilter): Promise<number> {
  const w = where(filter);
  const [row] = await session.query<{ n: number }>(`SELECT count(*) AS n FROM report_index ${w.sql}`, w.params);
  return row.n;
}

export async function reportsByIds(session: Session, reportIds: readonly string[]): Promise<ReportRow[]> {
  const ids = inList(reportIds);
  return (await session.query<IndexRow>(`SELECT ${COLUMNS} FROM report_index WHERE report_id IN (${ids.sql})`, ids.params)).map(toReport);
}

export interface CellRow {
  report_id: string;
  table: TableCode;
  row: string;
  column: string;
  value: number | null;
  derived_value: number | null;
  derived_rule: string | null;
  reading: string | null;
  ocr_confidence: number | null;
  location: string | null;
}

/** The long cell tables a report's cells come from: a whitelist of table names. */
export const CELL_TABLES: readonly TableCode[] = ['proactive', 'applications', 'review_litigation'];

/** `$r0, $r1, …` with one bound parameter per id. */
function inList(ids: readonly string[]): { sql: string; params: Params } {
  const params: Params = {};
  const sql = ids
    .map((id, i) => {
      params[`r${i}`] = id;
      return `$r${i}`;
    })
    .join(', ');
  return { sql, params };
}

/**
 * Cells of several reports. The Parquet files are sorted by report_id, so an IN list of
 * constants lets DuckDB skip the row groups that cannot hold them.
 */
export async function cellsOf(session: Session, table: TableCode, reportIds: readonly string[]): Promise<CellRow[]> {
  if (!CELL_TABLES.includes(table)) throw new Error(`no cell table ${table}`);
  const ids = inList(reportIds);
  return session.query<CellRow>(
    `SELECT report_id, '${table}' AS "table", row, "column", value::DOUBLE AS value, derived_value::DOUBLE AS derived_value, derived_rule, reading, ocr_confidence, location
     FROM ${table} WHERE report_id IN (${ids.sql})`,
    ids.params,
  );
}

export interface CheckRow {
  report_id: string;
  seq: number;
  check: string;
  table: string | null;
  row: string | null;
  column: string | null;
  status: string;
  expected: number | null;
  actual: number | null;
  basis: string | null;
  detail: string | null;
}

export interface WarningRow {
  report_id: string;
  seq: number;
  code: string;
  where: string | null;
  at: string | null;
  raw: string | null;
  message: string | null;
}

/** Checks of several reports: all of them (from Parquet), or only those that did not pass (held in memory). */
export async function checksOf(session: Session, reportIds: readonly string[], issuesOnly = false): Promise<CheckRow[]> {
  const ids = inList(reportIds);
  return session.query<CheckRow>(
    `SELECT report_id, seq, "check", "table", row, "column", status, expected, actual, basis, detail FROM ${issuesOnly ? 'check_issues' : 'checks'} WHERE report_id IN (${ids.sql}) ORDER BY report_id, seq`,
    ids.params,
  );
}

export async function warningsOf(session: Session, reportIds: readonly string[]): Promise<WarningRow[]> {
  const ids = inList(reportIds);
  return session.query<WarningRow>(`SELECT report_id, seq, code, "where", "at", raw, message FROM warning_index WHERE report_id IN (${ids.sql}) ORDER BY report_id, seq`, ids.params);
}
