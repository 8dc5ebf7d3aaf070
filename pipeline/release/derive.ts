/**
 * What only a release can know, computed in DuckDB once every report is loaded: regions and
 * agencies, which report counts where several claim one agency and year, the release-level checks (carry_over across years, rollup of a region summary
 * against its agencies), coverage (agency × year), the wide applications table, and the
 * cell-level changes since the previous release.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { APPLICANT_COLUMNS, TABLE_CODES, tableDef, type TableCode } from '../model/codes.ts';
import { loadRegions } from '../normalize/regions.ts';
import { query, TypedAppender } from './duck.ts';
import { tableSpec } from './schema.ts';
import { SLICE_REPORTS } from './staging.ts';

/** The regions present in reports, with every ancestor, so the hierarchy is whole. */
export async function deriveRegions(con: DuckDBConnection): Promise<void> {
  const index = loadRegions();
  const codes = await query<{ code: string }>(con, `SELECT DISTINCT region_code AS code FROM reports WHERE region_code IS NOT NULL`);
  const wanted = new Set<string>();
  for (const { code } of codes) for (const r of index.ancestors(code)) wanted.add(r.code);
  const rows = [...wanted].sort().map((code) => {
    const r = index.byCode.get(code)!;
    const chain = index.ancestors(code);
    return [r.code, r.name, r.displayName, r.level, r.parent, chain[0]?.code ?? null, chain.find((x) => x.level === 'city')?.code ?? null, r.gbt2260];
  });
  const appender = new TypedAppender(await con.createAppender('regions'), tableSpec('regions').columns.map((c) => c.type));
  appender.append(rows);
  appender.close();
}

export async function deriveAgencies(con: DuckDBConnection): Promise<void> {
  await con.run(`
    INSERT INTO agencies
    SELECT agency_id,
           arg_max(agency, (year, report_id)) FILTER (WHERE agency IS NOT NULL) AS name,
           arg_max(region_code, (year, report_id)) AS region_code,
           arg_max(agency_kind, (year, report_id)) AS agency_kind,
           arg_max(level, (year, report_id)) AS level,
           min(year), max(year), count(*)::INTEGER
    FROM reports GROUP BY agency_id`);
}

/** Effective value of a cell: printed, else derived (checks say when they used a derived one). */
const EFFECTIVE = `coalesce(value, derived_value)`;

/**
 * The date a report was published, from whatever form it was given in (2024-01-15, 2024/1/15
 * 10:00, 2024年1月15日); null when there is none to read.
 */
const PUBLISHED_DATE = `try_strptime(regexp_extract(published_at, '\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}'), ['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y年%m月%d'])::DATE`;

/**
 * Which report counts when several claim one agency, scope and year — a report saved twice, a
 * revised version beside the first, two agencies whose names read alike. One is counted, the
 * others are set aside as duplicates; nothing is dropped without a trace. The rules, in order
 * (CHOICES in schema.ts):
 *
 *   manifest      the report the manifest assigns to that agency and year (manifestClaims)
 *   published_at  the latest published (an agency re-publishes a corrected report)
 *   completeness  the most cells with a value, printed or derived
 *   source_path   the first by path, when nothing else tells them apart
 *
 * Each report of such a group records the rule that decided between it and the counted one
 * (the counted one: between it and the next); a report whose year could not be read is set
 * aside as year_unknown. Sets reports.counted, set_aside, counted_instead and choice.
 */
export async function chooseCounted(con: DuckDBConnection): Promise<void> {
  await con.run(`UPDATE reports SET counted = year IS NOT NULL, set_aside = CASE WHEN year IS NULL THEN 'year_unknown' END`);
  // Only the groups with several claims need their cells counted.
  await con.run(`
    CREATE TEMP TABLE claims AS
    WITH many AS (SELECT agency_id, scope, year FROM reports WHERE year IS NOT NULL GROUP BY ALL HAVING count(*) > 1),
    claimants AS (
      SELECT r.rid, r.report_id, r.agency_id, r.scope, r.year, r.source_path, coalesce(r.manifest_claim, false) AS by_manifest,
             ${PUBLISHED_DATE} AS published
      FROM reports r SEMI JOIN many m ON m.agency_id = r.agency_id AND m.scope = r.scope AND m.year = r.year
    ),
    filled AS (
      SELECT rid, count(*) AS cells FROM (
        ${TABLE_CODES.map((t) => `SELECT rid FROM ${t}_cells WHERE (value IS NOT NULL OR derived_value IS NOT NULL) AND rid IN (SELECT rid FROM claimants)`).join('\n        UNION ALL ')}
      ) GROUP BY rid
    )
    SELECT c.*, coalesce(f.cells, 0) AS cells,
           row_number() OVER (PARTITION BY c.agency_id, c.scope, c.year ORDER BY c.by_manifest DESC, c.published DESC NULLS LAST, coalesce(f.cells, 0) DESC, c.source_path) AS place
    FROM claimants c LEFT JOIN filled f ON f.rid = c.rid`);
  // The first rule on which two claims differ.
  const rule = (a: string, b: string) => `CASE WHEN ${a}.by_manifest <> ${b}.by_manifest THEN 'manifest'
         WHEN ${a}.published IS DISTINCT FROM ${b}.published THEN 'published_at'
         WHEN ${a}.cells <> ${b}.cells THEN 'completeness' ELSE 'source_path' END`;
  await con.run(`
    UPDATE reports SET counted = d.place = 1, set_aside = CASE WHEN d.place > 1 THEN 'duplicate' END,
           counted_instead = CASE WHEN d.place > 1 THEN d.winner END, choice = d.choice
    FROM (
      SELECT l.rid, l.place, w.report_id AS winner,
             CASE WHEN l.place = 1 THEN ${rule('w', 'n')} ELSE ${rule('w', 'l')} END AS choice
      FROM claims l
      JOIN claims w ON w.agency_id = l.agency_id AND w.scope = l.scope AND w.year = l.year AND w.place = 1
      JOIN claims n ON n.agency_id = l.agency_id AND n.scope = l.scope AND n.year = l.year AND n.place = 2
    ) d
    WHERE d.rid = reports.rid`);
  await con.run('DROP TABLE claims');
}

/** The report counted for each agency, scope and year (chooseCounted). */
const ONE_PER_YEAR = `SELECT * FROM reports WHERE counted`;

/**
 * carry_over: carried_forward of year N equals carried_over of year N+1, per column, for one
 * agency (agencies whose region is unknown or ambiguous are skipped: their id may stand for
 * several agencies). The check sits on the year N+1 report.
 */
export async function carryOverChecks(con: DuckDBConnection): Promise<void> {
  const columns = APPLICANT_COLUMNS.map((c, i) => `('${c.code}', ${i})`).join(', ');
  await con.run(`
    INSERT INTO checks
    WITH one AS (${ONE_PER_YEAR}),
    pairs AS (
      SELECT prev.report_id AS prev_id, cur.report_id AS cur_id, prev.year AS prev_year
      FROM one prev JOIN one cur
        ON cur.agency_id = prev.agency_id AND cur.scope = prev.scope AND cur.year = prev.year + 1
      WHERE prev.agency_id NOT LIKE '%~%'
    ),
    cols(col, ord) AS (VALUES ${columns})
    SELECT p.cur_id, 10000 + cols.ord, 'carry_over', 'applications', 'carried_over', cols.col,
      CASE WHEN f.v IS NULL OR o.v IS NULL THEN 'not_assessable' WHEN f.v = o.v THEN 'pass' ELSE 'fail' END,
      f.v, o.v,
      CASE WHEN f.derived OR o.derived THEN 'derived' END,
      'carried_forward of ' || p.prev_year || ' in report ' || p.prev_id
    FROM pairs p CROSS JOIN cols
    LEFT JOIN (SELECT report_id, "column", ${EFFECTIVE} AS v, value IS NULL AND derived_value IS NOT NULL AS derived
               FROM applications_values WHERE row = 'carried_forward') f ON f.report_id = p.prev_id AND f."column" = cols.col
    LEFT JOIN (SELECT report_id, "column", ${EFFECTIVE} AS v, value IS NULL AND derived_value IS NOT NULL AS derived
               FROM applications_values WHERE row = 'carried_over') o ON o.report_id = p.cur_id AND o."column" = cols.col`);
}

/** The cells a region summary is compared on: intake and totals of table 3, totals of table 4. */
const ROLLUP_CELLS: { table: TableCode; row: string; column: string }[] = [
  ...['new_received', 'carried_over', 'total_processed', 'carried_forward'].map((row) => ({ table: 'applications' as TableCode, row, column: 'total' })),
  ...['review', 'litigation_direct', 'litigation_after_review'].map((row) => ({ table: 'review_litigation' as TableCode, row, column: 'total' })),
];

/**
 * rollup: a region_summary report against the sum of the agency reports of its region for the
 * same year. Coverage decides what a difference means: with every agency known in the region
 * reporting that year, a difference fails; with some missing, it is not assessable, and the
 * detail says how many were summed.
 */
export async function rollupChecks(con: DuckDBConnection): Promise<void> {
  const cells = ROLLUP_CELLS.map((c, i) => `('${c.table}', '${c.row}', '${c.column}', ${i})`).join(', ');
  const cellValues = ROLLUP_CELLS.map(
    (c) => `SELECT report_id, '${c.table}' AS tbl, row, "column", ${EFFECTIVE} AS v FROM ${c.table}_values WHERE row = '${c.row}' AND "column" = '${c.column}'`,
  ).join(' UNION ALL ');
  await con.run(`
    INSERT INTO checks
    WITH one AS (${ONE_PER_YEAR}),
    summaries AS (SELECT report_id, region_code, year FROM one WHERE scope = 'region_summary' AND region_code IS NOT NULL),
    members AS (SELECT report_id, region_code, year, agency_id FROM one WHERE scope = 'agency' AND region_code IS NOT NULL),
    known AS (SELECT region_code, count(DISTINCT agency_id) AS n FROM reports WHERE scope = 'agency' AND region_code IS NOT NULL GROUP BY region_code),
    cells(tbl, row, col, ord) AS (VALUES ${cells}),
    vals AS (${cellValues}),
    summed AS (
      SELECT s.report_id, c.tbl, c.row, c.col, c.ord,
             count(m.report_id) AS members,
             count(v.v) AS with_value,
             sum(v.v) AS total
      FROM summaries s CROSS JOIN cells c
      LEFT JOIN members m ON m.region_code = s.region_code AND m.year = s.year
      LEFT JOIN vals v ON v.report_id = m.report_id AND v.tbl = c.tbl AND v.row = c.row AND v."column" = c.col
      GROUP BY ALL
    )
    SELECT su.report_id, 20000 + su.ord, 'rollup', su.tbl, su.row, su.col,
      CASE WHEN own.v IS NULL OR su.members = 0 OR su.with_value < su.members THEN 'not_assessable'
           WHEN own.v = su.total THEN 'pass'
           WHEN su.members >= coalesce(k.n, 0) THEN 'fail'
           ELSE 'not_assessable' END,
      su.total, own.v, NULL,
      'sum of ' || su.members || ' agency reports of ' || coalesce(k.n, 0) || ' agencies known in ' || s.region_code || ' for ' || s.year
    FROM summed su
    JOIN summaries s ON s.report_id = su.report_id
    LEFT JOIN known k ON k.region_code = s.region_code
    LEFT JOIN vals own ON own.report_id = su.report_id AND own.tbl = su.tbl AND own.row = su.row AND own."column" = su.col`);
}

/** Release-level failures count in the report's status and in its input's outcome. */
export async function applyReleaseChecks(con: DuckDBConnection): Promise<void> {
  await con.run(`
    UPDATE reports SET checks_failed = r.n, status = CASE WHEN r.n > 0 THEN 'failed' ELSE reports.status END
    FROM (SELECT report_id, count(*) FILTER (WHERE status = 'fail')::INTEGER AS n FROM checks GROUP BY report_id) r
    WHERE r.report_id = reports.report_id`);
  await con.run(`UPDATE inputs SET outcome = 'warnings' FROM reports WHERE reports.report_id = inputs.report_id AND reports.status <> 'ok'`);
}

/**
 * coverage: every agency (and scope) seen, for every year of the release: passing (a report
 * whose checks all pass or are not assessable), parsed (a report with a failed check), found
 * (an input the manifest assigns to it that gave no report), unfetched (a report a listing
 * promised that the fetch could not get), or missing. `reason` says why found or unfetched.
 */
export async function deriveCoverage(con: DuckDBConnection): Promise<void> {
  await con.run(`
    INSERT INTO coverage
    WITH span AS (SELECT min(year) AS lo, max(year) AS hi FROM (SELECT year FROM reports UNION ALL SELECT year FROM inputs_without_report)),
    years AS (SELECT unnest(range(lo, hi + 1)) AS year FROM span WHERE lo IS NOT NULL),
    who AS (
      SELECT agency_id, scope, arg_max(region_code, year) AS region_code FROM reports WHERE year IS NOT NULL GROUP BY ALL
      UNION
      SELECT agency_id, 'agency', arg_max(region_code, year) FROM inputs_without_report GROUP BY ALL
    ),
    grid AS (SELECT agency_id, scope, arg_max(region_code, region_code IS NOT NULL) AS region_code FROM who GROUP BY ALL),
    found AS (
      SELECT agency_id, scope, year, count(*)::INTEGER AS n,
             any_value(report_id) FILTER (WHERE counted) AS first_id, any_value(status) FILTER (WHERE counted) AS first_status,
             string_agg(report_id, '|' ORDER BY report_id) FILTER (WHERE NOT counted) AS set_aside,
             any_value(choice) FILTER (WHERE counted) AS choice
      FROM reports WHERE year IS NOT NULL GROUP BY ALL
    ),
    errs AS (
      SELECT agency_id, year,
             count(*) FILTER (WHERE status = 'found')::INTEGER AS files,
             string_agg(reason, '; ' ORDER BY reason) FILTER (WHERE status = 'found') AS found_reason,
             string_agg(reason, '; ' ORDER BY reason) FILTER (WHERE status = 'unfetched') AS unfetched_reason
      FROM inputs_without_report GROUP BY ALL
    )
    SELECT g.agency_id, g.scope, g.region_code, y.year::SMALLINT,
      CASE WHEN f.first_id IS NOT NULL THEN CASE WHEN f.first_status = 'failed' THEN 'parsed' ELSE 'passing' END
           WHEN e.files > 0 THEN 'found'
           WHEN e.unfetched_reason IS NOT NULL THEN 'unfetched'
           ELSE 'missing' END,
      f.first_id,
      (coalesce(f.n, 0) + coalesce(e.files, 0))::INTEGER,
      f.set_aside, f.choice,
      CASE WHEN f.first_id IS NULL THEN nullif(concat_ws('; ', e.found_reason, e.unfetched_reason), '') END
    FROM grid g CROSS JOIN years y
    LEFT JOIN found f ON f.agency_id = g.agency_id AND f.scope = g.scope AND f.year = y.year
    LEFT JOIN errs e ON e.agency_id = g.agency_id AND g.scope = 'agency' AND e.year = y.year`);
}

/**
 * applications_wide: one row per report and applicant type, one column per outcome row, with the
 * agency's and the region's names beside their codes (reports.agency, regions.name): a
 * spreadsheet user reads it without a join.
 */
export function wideSelect(from = 'applications'): string {
  const rows = [...new Set([...tableDef('applications', '2021').rows, ...tableDef('applications', '2019').rows].map((r) => r.code))];
  const pivots = rows.map((r) => `max(value) FILTER (WHERE row = '${r}') AS ${r}`).join(',\n        ');
  return `
    SELECT w.report_id, w.agency_id, r.agency, w.region_code, g.name AS region_name, w.year, w.scope, w.layout, w.applicant,
      ${rows.map((r) => `w.${r}`).join(', ')},
      w.rid, w.col_ord
    FROM (
      SELECT report_id, agency_id, region_code, year, scope, layout, "column" AS applicant,
        ${pivots},
        rid, col_ord
      FROM ${from}
      GROUP BY rid, report_id, agency_id, region_code, year, scope, layout, "column", col_ord
    ) w
    LEFT JOIN reports r ON r.report_id = w.report_id
    LEFT JOIN regions g ON g.code = w.region_code
    ORDER BY w.rid, w.col_ord`;
}

/**
 * changes: against the previous release's files. Reports are matched by report_id (a hash of
 * the source path); a cell changed when its printed or derived value differs. When the same
 * parser made both releases, only reports whose bytes, year or layout differ can have changed
 * cells, and only those are compared cell by cell. Returns how many reports were compared
 * (null without a previous release).
 *
 * Memory stays bounded however many reports are compared: the previous release's cells are
 * first numbered with this release's rid (a join against the compared reports only), then the
 * two sides are matched in slices of consecutive rids, each a join small enough for the
 * build's memory limit. Files keep their path order in both releases, so a slice's old cells
 * are contiguous and the rid bounds skip the rest.
 */
export async function deriveChanges(con: DuckDBConnection, previousDir: string | null, sameParser = false, slice = SLICE_REPORTS): Promise<number | null> {
  if (!previousDir) return null;
  const p = (name: string) => `read_parquet('${previousDir.replace(/'/g, "''")}/${name}.parquet')`;
  // The source revision behind each side: the file's SHA-256 and, for fetched files, when it
  // was downloaded (a release built before fetch times were kept has none).
  const previousColumns = (await query<{ column_name: string }>(con, `DESCRIBE SELECT * FROM ${p('reports')}`)).map((c) => c.column_name);
  const oldFetched = previousColumns.includes('fetched_at') ? 'o.fetched_at' : 'NULL::VARCHAR';
  await con.run(`
    CREATE TEMP TABLE compared AS
    SELECT n.rid, n.report_id, o.sha256 AS old_sha256, ${oldFetched} AS old_fetched_at
    FROM reports n JOIN ${p('reports')} o ON o.report_id = n.report_id
    ${sameParser ? 'WHERE n.sha256 IS DISTINCT FROM o.sha256 OR n.year IS DISTINCT FROM o.year OR n.layout IS DISTINCT FROM o.layout' : ''}`);
  await con.run(`
    INSERT INTO changes
    SELECT 'report_added', r.report_id, r.source_path, NULL, NULL, NULL, NULL, NULL, NULL, r.sha256, NULL, r.fetched_at
    FROM reports r ANTI JOIN ${p('reports')} o ON o.report_id = r.report_id
    UNION ALL
    SELECT 'report_removed', o.report_id, o.source_path, NULL, NULL, NULL, NULL, NULL, o.sha256, NULL, ${oldFetched}, NULL
    FROM ${p('reports')} o ANTI JOIN reports r ON o.report_id = r.report_id`);
  const slices = (await query<{ slice: number }>(con, `SELECT DISTINCT (rid - 1) // ${slice} AS slice FROM compared ORDER BY slice`)).map((r) => r.slice);
  for (const table of TABLE_CODES) {
    await con.run(`
      CREATE TEMP TABLE old_cells AS
      SELECT c.rid, o.row, o."column", o.value, o.derived_value
      FROM ${p(table)} o JOIN compared c ON c.report_id = o.report_id`);
    for (const n of slices) {
      const within = `rid BETWEEN ${n * slice + 1} AND ${(n + 1) * slice}`;
      await con.run(`
        INSERT INTO changes
        WITH n AS (
          SELECT rid, row, "column", value, derived_value FROM ${table}_values
          WHERE ${within} AND rid IN (SELECT rid FROM compared WHERE ${within})
        ),
        o AS (SELECT * FROM old_cells WHERE ${within})
        SELECT 'cell_changed', r.report_id, r.source_path, '${table}', coalesce(n.row, o.row), coalesce(n."column", o."column"),
               coalesce(o.value, o.derived_value), coalesce(n.value, n.derived_value),
               c.old_sha256, r.sha256, c.old_fetched_at, r.fetched_at
        FROM n FULL JOIN o ON o.rid = n.rid AND o.row = n.row AND o."column" = n."column"
        JOIN reports r ON r.rid = coalesce(n.rid, o.rid)
        JOIN compared c ON c.rid = r.rid
        WHERE n.rid IS NULL OR o.rid IS NULL OR o.value IS DISTINCT FROM n.value OR o.derived_value IS DISTINCT FROM n.derived_value`);
    }
    await con.run('DROP TABLE old_cells');
  }
  const [{ n }] = await query<{ n: number }>(con, 'SELECT count(*) AS n FROM compared');
  await con.run('DROP TABLE compared');
  return n;
}
