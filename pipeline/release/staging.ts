/**
 * How records are loaded into DuckDB during a build. Cells are the bulk (about 250 a report),
 * so they are staged narrow — an integer report number, the row and column ordinals, the
 * values — and the published long tables are views that join in the report's id, agency,
 * region, year, scope and layout, the codes and the row's location. Everything else is staged
 * as published (schema.ts), plus a few internal columns.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_CODES, tableDef, type Layout } from '../model/codes.ts';
import { TABLES, type DuckType } from './schema.ts';

interface StagedTable {
  name: string;
  columns: { name: string; type: DuckType }[];
}

const REPORT_INTERNAL: StagedTable['columns'] = [
  { name: 'rid', type: 'INTEGER' },
  { name: 'layout_proactive', type: 'VARCHAR' },
  { name: 'layout_applications', type: 'VARCHAR' },
  /** The manifest assigns the file to an agency and year (tables.ts manifestClaims): the first rule choosing among duplicate claims. */
  { name: 'manifest_claim', type: 'BOOLEAN' },
];

const cellsOf = (table: string, value: DuckType): StagedTable => ({
  name: `${table}_cells`,
  columns: [
    { name: 'rid', type: 'INTEGER' },
    { name: 'row_ord', type: 'SMALLINT' },
    { name: 'col_ord', type: 'SMALLINT' },
    { name: 'value', type: value },
    { name: 'derived_value', type: value },
    { name: 'derived_rule', type: 'VARCHAR' },
    { name: 'reading', type: 'VARCHAR' },
    { name: 'ocr_confidence', type: 'DOUBLE' },
  ],
});

export const STAGED: StagedTable[] = [
  ...TABLES.filter((t) => !t.partitioned).map((t) => ({ name: t.name, columns: [...t.columns, ...(t.name === 'reports' ? REPORT_INTERNAL : [])] })),
  cellsOf('proactive', 'DOUBLE'),
  cellsOf('applications', 'INTEGER'),
  cellsOf('review_litigation', 'INTEGER'),
  {
    name: 'row_locations',
    columns: [
      { name: 'rid', type: 'INTEGER' },
      { name: 'tbl', type: 'VARCHAR' },
      { name: 'row_ord', type: 'SMALLINT' },
      { name: 'location', type: 'VARCHAR' },
    ],
  },
  /**
   * Inputs a manifest assigns to an agency and year that gave no report, for coverage: a file
   * that could not be read (status found) or a report the fetch could not get (unfetched).
   */
  {
    name: 'inputs_without_report',
    columns: [
      { name: 'agency_id', type: 'VARCHAR' },
      { name: 'region_code', type: 'VARCHAR' },
      { name: 'year', type: 'SMALLINT' },
      { name: 'status', type: 'VARCHAR' },
      { name: 'reason', type: 'VARCHAR' },
    ],
  },
];

/** Every (table, layout, row ordinal, column ordinal) → codes, for the views. */
function codeRows(): string {
  const rows: string[] = [];
  for (const table of TABLE_CODES) {
    for (const layout of ['2019', '2021'] as Layout[]) {
      tableDef(table, layout).rows.forEach((row, r) =>
        row.columns.forEach((col, c) => rows.push(`('${table}', '${layout}', ${r}, ${c}, '${row.code}', '${col.code}')`)),
      );
    }
  }
  return rows.join(',\n');
}

/** The layout a table of a report follows: its own, else the report's (table 4 has one layout). */
const LAYOUT_OF: Record<string, string> = {
  proactive: `coalesce(r.layout_proactive, r.layout, '2021')`,
  applications: `coalesce(r.layout_applications, r.layout, '2021')`,
  review_litigation: `'2021'`,
};
const PUBLISHED_LAYOUT: Record<string, string> = {
  proactive: `coalesce(r.layout_proactive, r.layout)`,
  applications: `coalesce(r.layout_applications, r.layout)`,
  review_litigation: `r.layout`,
};

/**
 * Reports per slice when a long table is sorted (write.ts) or compared with the previous
 * release (derive.ts) a range of rids at a time: ~700,000 cells, small enough to sort or join
 * within the build's memory limit.
 */
export const SLICE_REPORTS = 4_000;

export async function createStaging(con: DuckDBConnection): Promise<void> {
  for (const t of STAGED) await con.run(`CREATE TABLE "${t.name}" (${t.columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  await con.run(`CREATE TABLE codes (tbl VARCHAR, layout VARCHAR, row_ord SMALLINT, col_ord SMALLINT, "row" VARCHAR, "column" VARCHAR)`);
  await con.run(`INSERT INTO codes VALUES ${codeRows()}`);
}

/** The published long tables, as views over the narrow staged cells. */
export async function createCellViews(con: DuckDBConnection): Promise<void> {
  for (const table of TABLE_CODES) {
    // The values with their codes, for the release checks and the comparison with the previous
    // release; the published view adds each row's location (a join over every row of every
    // report, which those do not need).
    await con.run(`
      CREATE VIEW ${table}_values AS
      SELECT r.report_id, r.agency_id, r.region_code, r.year, r.scope, ${PUBLISHED_LAYOUT[table]} AS layout,
             k."row", k."column", c.value, c.derived_value, c.derived_rule, c.reading, c.ocr_confidence, c.rid, c.row_ord, c.col_ord
      FROM ${table}_cells c
      JOIN reports r ON r.rid = c.rid
      JOIN codes k ON k.tbl = '${table}' AND k.layout = ${LAYOUT_OF[table]} AND k.row_ord = c.row_ord AND k.col_ord = c.col_ord`);
    await con.run(`
      CREATE VIEW ${table} AS
      SELECT v.report_id, v.agency_id, v.region_code, v.year, v.scope, v.layout, v."row", v."column", v.value, v.derived_value, v.derived_rule,
             v.reading, v.ocr_confidence, l.location, v.rid, v.row_ord, v.col_ord
      FROM ${table}_values v
      LEFT JOIN row_locations l ON l.rid = v.rid AND l.tbl = '${table}' AND l.row_ord = v.row_ord`);
  }
}
