/**
 * The summary tables the API builds once at startup from the release's Parquet views, so that a
 * comparison is one scan of a small in-memory table instead of a pivot of millions of cells.
 *
 *   facts_printed, facts_derived        one row per counted report: who, where, when, and
 *                                       every figure comparisons use (table 3 `total` column,
 *                                       table 4, table 2, check outcomes)
 *   applicants_printed, applicants_derived
 *                                       one row per counted report and applicant type (table 3)
 *   report_index, agency_index          every report (agency) with its region's province, city
 *                                       and county, for lists; reports also with the checks they fail
 *   check_issues, warning_index         the checks that did not pass, and the warnings, by report
 *
 * `printed` holds the printed value of each cell (`value`); `derived` the printed value or, where
 * none was printed, the value the pipeline derived (`coalesce(value, derived_value)`).
 *
 * Counted reports: one per agency, scope and year — the release marks it (reports.counted; the
 * report coverage.report_id names) and says why each other report is set aside — so a duplicate
 * file never counts twice, and none is dropped without a reason (comparisons' `accounting`).
 *
 * Column names here are generated from codes.ts (never from user input).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { APPLICATIONS_2019, APPLICATIONS_2021, CHECKS, REVIEW_COLUMNS, REVIEW_LITIGATION } from '../../pipeline/model/codes.ts';

/** Table 3 rows across both layouts, in template order (2019's other_handling after other_other). */
export const APPLICATION_ROWS: readonly string[] = (() => {
  const rows = APPLICATIONS_2021.rows.map((r) => r.code);
  const extra = APPLICATIONS_2019.rows.map((r) => r.code).filter((c) => !rows.includes(c));
  rows.splice(rows.indexOf('other_other') + 1, 0, ...extra);
  return rows;
})();

/** Table 4 cells as fact columns: rl_<row>_<column>. */
export const REVIEW_CELLS = REVIEW_LITIGATION.rows.flatMap((row) => REVIEW_COLUMNS.map((col) => ({ row: row.code, column: col.code, name: `rl_${row.code}_${col.code}` })));

/**
 * Table 2 figures per report. Cross-layout figures join only cells that mean the same thing
 * (issued ≈ made; decisions); the rest belong to one layout and are null for the other.
 */
export const PROACTIVE_FIGURES: readonly { name: string; row: string; columns: string[]; layout: '2019' | '2021' | 'both' }[] = [
  { name: 'regulations_issued', row: 'regulations', columns: ['issued', 'made'], layout: 'both' },
  { name: 'normative_documents_issued', row: 'normative_documents', columns: ['issued', 'made'], layout: 'both' },
  { name: 'licensing_decisions', row: 'licensing', columns: ['decisions'], layout: 'both' },
  { name: 'punishment_decisions', row: 'punishment', columns: ['decisions'], layout: 'both' },
  { name: 'coercion_decisions', row: 'coercion', columns: ['decisions'], layout: 'both' },
  { name: 'regulations_repealed', row: 'regulations', columns: ['repealed'], layout: '2021' },
  { name: 'regulations_in_force', row: 'regulations', columns: ['in_force'], layout: '2021' },
  { name: 'normative_documents_repealed', row: 'normative_documents', columns: ['repealed'], layout: '2021' },
  { name: 'normative_documents_in_force', row: 'normative_documents', columns: ['in_force'], layout: '2021' },
  { name: 'fees_amount_10k_yuan', row: 'fees', columns: ['amount_10k_yuan'], layout: '2021' },
  { name: 'other_services_decisions', row: 'other_services', columns: ['decisions'], layout: '2019' },
  { name: 'procurement_items', row: 'procurement', columns: ['items'], layout: '2019' },
  { name: 'procurement_amount_10k_yuan', row: 'procurement', columns: ['amount_10k_yuan'], layout: '2019' },
];

export const CHECK_CODES = CHECKS.map((c) => c.code);

const q = (s: string) => `'${s}'`;
const list = (xs: readonly string[]) => xs.map(q).join(', ');

/** The columns every fact row carries to filter and group on. */
export const DIMENSION_COLUMNS = ['report_id', 'agency_id', 'year', 'scope', 'layout', 'agency_kind', 'level', 'status', 'region_code', 'province', 'city', 'county'];

/**
 * The release's choice of counted reports (reports.counted, set_aside, counted_instead, choice).
 * A release built before the choice was recorded has none of these columns: there the counted
 * report is the one coverage names (then the first by path) and every other one is a duplicate.
 */
async function countedColumns(con: DuckDBConnection): Promise<string> {
  const columns = (await con.runAndReadAll(`SELECT column_name FROM (DESCRIBE reports)`)).getRows().map((r) => String(r[0]));
  if (columns.includes('counted')) return '';
  return `, r.report_id IN (SELECT report_id FROM coverage) AS counted,
            CASE WHEN r.year IS NULL THEN 'year_unknown' WHEN r.report_id NOT IN (SELECT report_id FROM coverage) THEN 'duplicate' END AS set_aside,
            NULL::VARCHAR AS counted_instead, NULL::VARCHAR AS choice`;
}

export async function createFactTables(con: DuckDBConnection): Promise<void> {
  // fails_<check>: a report fails that check (a boolean per check filters faster than a list).
  const fails = CHECK_CODES.map((c) => `coalesce(bool_or(status = 'fail') FILTER (WHERE "check" = '${c}'), false) AS fails_${c}`).join(', ');
  const counted = await countedColumns(con);
  // has_applications, has_review: the report has table 3 (its total column) or table 4, which
  // the comparisons of those tables add up; a counted report without it is set aside there.
  await con.run(`
    CREATE TABLE report_index AS
    WITH failed AS (SELECT report_id, ${fails} FROM checks GROUP BY report_id)
    SELECT r.*${counted}, g.province, g.city, CASE WHEN g.level = 'county' THEN g.code END AS county,
           ${CHECK_CODES.map((c) => `coalesce(f.fails_${c}, false) AS fails_${c}`).join(', ')},
           r.report_id IN (SELECT report_id FROM applications_wide WHERE applicant = 'total') AS has_applications,
           r.report_id IN (SELECT DISTINCT report_id FROM review_litigation) AS has_review
    FROM reports r LEFT JOIN regions g ON g.code = r.region_code LEFT JOIN failed f ON f.report_id = r.report_id
    ORDER BY r.year, r.region_code, r.agency_id, r.report_id`);
  // Checks that did not pass (a few percent of all) and every warning, for report pages.
  await con.run(`CREATE TABLE check_issues AS SELECT * FROM checks WHERE status <> 'pass' ORDER BY report_id, seq`);
  await con.run(`CREATE TABLE warning_index AS SELECT * FROM warnings ORDER BY report_id, seq`);
  await con.run(`
    CREATE TABLE agency_index AS
    SELECT a.*, g.province, g.city, CASE WHEN g.level = 'county' THEN g.code END AS county,
           -- What follows the region in the id (general_office, dept.教育局), and the region's name: what a name search matches.
           substr(a.agency_id, strpos(a.agency_id, '.') + 1) AS kind_key, g.name AS region_name
    FROM agencies a LEFT JOIN regions g ON g.code = a.region_code
    ORDER BY a.agency_id`);
  // Lookups by id (a page of reports, their issues and warnings) use these instead of a scan.
  for (const [table, column] of [['report_index', 'report_id'], ['check_issues', 'report_id'], ['warning_index', 'report_id'], ['agency_index', 'agency_id']]) {
    await con.run(`CREATE INDEX ${table}_${column} ON ${table} (${column})`);
  }

  await con.run(`
    CREATE TEMP TABLE base AS
    SELECT r.report_id, r.agency_id, r.year::INTEGER AS year, r.scope, r.layout, r.agency_kind, r.level, r.status,
           r.region_code, r.province, r.city, r.county,
           r.proactive_items_published::DOUBLE AS items_published
    FROM report_index r
    WHERE r.counted`);

  // Table 3, per report and applicant column: printed from applications_wide, derived patched in.
  const appCols = APPLICATION_ROWS.map((r) => `w.${r} AS app_${r}`).join(', ');
  await con.run(`
    CREATE TEMP TABLE app_printed AS
    SELECT w.report_id, w.applicant, ${appCols}
    FROM applications_wide w SEMI JOIN base b ON b.report_id = w.report_id`);
  const patchCols = APPLICATION_ROWS.map((r) => `max(derived_value) FILTER (WHERE row = '${r}') AS app_${r}`).join(', ');
  await con.run(`
    CREATE TEMP TABLE app_patch AS
    SELECT report_id, "column" AS applicant, ${patchCols}
    FROM applications WHERE derived_value IS NOT NULL GROUP BY ALL`);
  const patched = APPLICATION_ROWS.map((r) => `coalesce(p.app_${r}, d.app_${r}) AS app_${r}`).join(', ');
  await con.run(`
    CREATE TEMP TABLE app_derived AS
    SELECT p.report_id, p.applicant, ${patched}
    FROM app_printed p LEFT JOIN app_patch d ON d.report_id = p.report_id AND d.applicant = p.applicant`);

  // Table 4 and table 2, one row per report, printed and derived side by side (d_ prefix).
  const rl = REVIEW_CELLS.flatMap((c) => {
    const where = `row = '${c.row}' AND "column" = '${c.column}'`;
    return [`max(value) FILTER (WHERE ${where}) AS ${c.name}`, `max(coalesce(value, derived_value)) FILTER (WHERE ${where}) AS d_${c.name}`];
  });
  await con.run(`CREATE TEMP TABLE rl AS SELECT report_id, ${rl.join(', ')} FROM review_litigation SEMI JOIN base b ON b.report_id = review_litigation.report_id GROUP BY report_id`);
  const pa = PROACTIVE_FIGURES.flatMap((f) => {
    const where = `row = '${f.row}' AND "column" IN (${list(f.columns)})`;
    return [`max(value) FILTER (WHERE ${where}) AS pa_${f.name}`, `max(coalesce(value, derived_value)) FILTER (WHERE ${where}) AS d_pa_${f.name}`];
  });
  await con.run(`CREATE TEMP TABLE pa AS SELECT report_id, ${pa.join(', ')} FROM proactive SEMI JOIN base b ON b.report_id = proactive.report_id GROUP BY report_id`);

  // Checks: per report and check code, fail if any instance fails, pass if any passes, else not_assessable.
  const ck = CHECK_CODES.map(
    (c) => `CASE WHEN bool_or(status = 'fail') FILTER (WHERE "check" = '${c}') THEN 'fail'
                 WHEN bool_or(status = 'pass') FILTER (WHERE "check" = '${c}') THEN 'pass'
                 WHEN bool_or(true) FILTER (WHERE "check" = '${c}') THEN 'not_assessable' END AS check_${c}`,
  );
  await con.run(`CREATE TEMP TABLE ck AS SELECT report_id, ${ck.join(', ')} FROM checks SEMI JOIN base b ON b.report_id = checks.report_id GROUP BY report_id`);

  for (const kind of ['printed', 'derived'] as const) {
    const d = kind === 'derived' ? 'd_' : '';
    const appSel = APPLICATION_ROWS.map((r) => `a.app_${r}`).join(', ');
    const rlSel = REVIEW_CELLS.map((c) => `rl.${d}${c.name} AS ${c.name}`).join(', ');
    const paSel = PROACTIVE_FIGURES.map((f) => `pa.${d}pa_${f.name} AS pa_${f.name}`).join(', ');
    const ckSel = CHECK_CODES.map((c) => `ck.check_${c}`).join(', ');
    await con.run(`
      CREATE TABLE facts_${kind} AS
      SELECT b.*, a.report_id IS NOT NULL AS has_applications, rl.report_id IS NOT NULL AS has_review, pa.report_id IS NOT NULL AS has_proactive,
             ${appSel}, ${rlSel}, ${paSel}, ${ckSel}
      FROM base b
      LEFT JOIN app_${kind} a ON a.report_id = b.report_id AND a.applicant = 'total'
      LEFT JOIN rl ON rl.report_id = b.report_id
      LEFT JOIN pa ON pa.report_id = b.report_id
      LEFT JOIN ck ON ck.report_id = b.report_id
      ORDER BY b.province, b.city, b.county, b.year, b.report_id`);
    await con.run(`
      CREATE TABLE applicants_${kind} AS
      SELECT b.*, a.applicant, ${appSel}
      FROM base b JOIN app_${kind} a ON a.report_id = b.report_id AND a.applicant <> 'total'
      ORDER BY b.province, b.city, b.county, b.year, b.report_id, a.applicant`);
  }
  for (const t of ['base', 'app_printed', 'app_patch', 'app_derived', 'rl', 'pa', 'ck']) await con.run(`DROP TABLE ${t}`);
}
