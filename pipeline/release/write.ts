/**
 * Where a number becomes Parquet: every release table is copied out of DuckDB as Parquet
 * (ZSTD) and CSV (UTF-8 with a BOM, so Excel shows Chinese correctly), in a fixed row order so
 * that two builds of the same inputs give byte-identical files. The long cell tables are also
 * written hive-partitioned by year for engines that query a release in place.
 *
 * In the CSV copies, a text cell that a spreadsheet would run as a formula — one that begins
 * with =, +, -, @, a tab or a carriage return (a report titled =HYPERLINK(…)) — gets a leading
 * apostrophe, which spreadsheets show as text. Number columns, text that is just a number (-3)
 * and a lone character (the dash a report prints in a blank cell) are written as they are; the
 * Parquet files keep every text as read.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PARTITION_KEY } from './datapackage.ts';
import { wideSelect } from './derive.ts';
import { query } from './duck.ts';
import { TABLES, WIDE_TABLE, type TableSpec } from './schema.ts';
import { SLICE_REPORTS } from './staging.ts';

const BOM = '\ufeff';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The published columns. */
function columnList(spec: TableSpec): string {
  return spec.columns.map((c) => ident(c.name)).join(', ');
}

/** A text cell as a CSV copy writes it: neutralised when a spreadsheet would take it for a formula. */
export function csvText(column: string): string {
  const c = ident(column);
  return `CASE WHEN left(${c}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) AND length(${c}) > 1 AND NOT regexp_full_match(${c}, '[-+]?[0-9]+([.][0-9]+)?') THEN '''' || ${c} ELSE ${c} END`;
}

/**
 * The SELECT a CSV copy is written from: every column of `from` (but `exclude`), text cells
 * neutralised, the first column's header prefixed with a BOM (toolchain G7).
 */
async function csvSelect(con: DuckDBConnection, from: string, exclude: string[] = []): Promise<string> {
  const rest = exclude.length ? ` EXCLUDE (${exclude.map(ident).join(', ')})` : '';
  const columns = await query<{ column_name: string; column_type: string }>(con, `DESCRIBE SELECT *${rest} FROM ${from}`);
  const list = columns.map(({ column_name: name, column_type: type }, i) => `${type === 'VARCHAR' ? csvText(name) : ident(name)} AS ${ident(i === 0 ? BOM + name : name)}`);
  return `SELECT ${list.join(', ')} FROM ${from}`;
}

function selectOf(spec: TableSpec): string {
  return `SELECT ${columnList(spec)} FROM ${ident(spec.name)} ORDER BY ${spec.order}`;
}

/**
 * A long table, joined and sorted once into a temporary table (with its ordering columns) in
 * slices of consecutive reports: rid leads the order, so the slices, each sorted on its own
 * and appended in turn, make the whole table in order — and no slice is large enough to make
 * DuckDB sort on disk, as one sort of every cell (17 M rows at 100,000 reports) would.
 */
async function materializeInOrder(con: DuckDBConnection, spec: TableSpec, target: string, slice: number): Promise<void> {
  if (!spec.order.startsWith('rid,')) throw new Error(`${spec.name}: sliced by rid, so its order must start with rid (got ${spec.order})`);
  const [{ last }] = await query<{ last: number }>(con, 'SELECT coalesce(max(rid), 0) AS last FROM reports');
  const select = (from: number, to: number) =>
    `SELECT ${columnList(spec)}, rid, row_ord, col_ord FROM ${ident(spec.name)} WHERE rid BETWEEN ${from} AND ${to} ORDER BY ${spec.order}`;
  await con.run(`CREATE TEMP TABLE ${target} AS ${select(1, slice)}`);
  for (let from = slice + 1; from <= last; from += slice) await con.run(`INSERT INTO ${target} ${select(from, from + slice - 1)}`);
}

/**
 * The hive-partitioned copy of a long table: one COPY per year from its Parquet file, into
 * `year=YYYY/data_0.parquet` (`year=NULL` for reports without a year), the year left to the
 * folder name as hive partitioning has it. DuckDB's own PARTITION_BY is not used: it writes
 * each thread's rows as that thread flushes them, so with two threads a file's row order can
 * change from build to build, and it holds up to half a million rows a thread before writing
 * (~250 MB more at 100,000 reports).
 */
async function writePartitions(con: DuckDBConnection, spec: TableSpec, parquet: string, hive: string): Promise<void> {
  const file = `read_parquet(${sqlString(parquet)})`;
  const key = ident(PARTITION_KEY);
  const columns = spec.columns.filter((c) => c.name !== PARTITION_KEY).map((c) => ident(c.name)).join(', ');
  const years = await query<{ year: number | null }>(con, `SELECT DISTINCT ${key} AS year FROM ${file} ORDER BY year NULLS LAST`);
  for (const { year } of years) {
    if (year !== null && !Number.isInteger(year)) throw new Error(`${spec.name}: year ${String(year)} is not an integer`);
    const folder = join(hive, `${PARTITION_KEY}=${year ?? 'NULL'}`);
    mkdirSync(folder, { recursive: true });
    const where = year === null ? `${key} IS NULL` : `${key} = ${year}`;
    await con.run(`COPY (SELECT ${columns} FROM ${file} WHERE ${where}) TO ${sqlString(join(folder, 'data_0.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
  }
}

/** Data rows an Excel sheet holds: 1,048,576 rows, one of them the header. */
export const EXCEL_DATA_ROWS = 1_048_575;

/** The folder of the per-year CSV copies, each small enough for a spreadsheet. */
export const BY_YEAR_DIR = 'by-year';

/**
 * The per-year CSV copies of a long table (by-year/<table>-<year>.csv), read back in order from
 * its Parquet file: the whole-table CSV passes Excel's row limit at a few thousand reports, a
 * year of it rarely does. A year over the limit (or `maxRows`, for tests) is cut into parts
 * (<table>-<year>-1.csv, -2, …), each under it; reports without a year go to <table>-no-year.csv.
 */
async function writeYearCsvs(con: DuckDBConnection, spec: TableSpec, parquet: string, dir: string, maxRows = EXCEL_DATA_ROWS): Promise<void> {
  const file = `read_parquet(${sqlString(parquet)})`;
  const key = ident(PARTITION_KEY);
  mkdirSync(dir, { recursive: true });
  const years = await query<{ year: number | null; n: number }>(con, `SELECT ${key} AS year, count(*)::BIGINT AS n FROM ${file} GROUP BY ALL ORDER BY year NULLS LAST`);
  for (const { year, n } of years) {
    const where = year === null ? `${key} IS NULL` : `${key} = ${year}`;
    const name = `${spec.name}-${year ?? 'no-year'}`;
    const parts = Math.ceil(Number(n) / maxRows);
    for (let part = 0; part < parts; part++) {
      const from = `(SELECT * FROM ${file} WHERE ${where}${parts > 1 ? ` LIMIT ${maxRows} OFFSET ${part * maxRows}` : ''})`;
      const out = join(dir, parts > 1 ? `${name}-${part + 1}.csv` : `${name}.csv`);
      await con.run(`COPY (${await csvSelect(con, from)}) TO ${sqlString(out)} (FORMAT csv, HEADER)`);
    }
  }
}

export interface WrittenFile {
  path: string;
  bytes: number;
}

export interface Written {
  files: WrittenFile[];
  /** Rows published per table (the long tables are views in the build: costly to count again). */
  rows: Record<string, number>;
}

export interface WriteOptions {
  /** Data rows per CSV file of by-year/ (default: Excel's limit; tests use a small one). */
  excelRows?: number;
  /** Reports per slice of the long tables' sort (default SLICE_REPORTS; tests use a small one). */
  sliceReports?: number;
}

export async function writeTables(con: DuckDBConnection, dir: string, timings?: Record<string, number>, options: WriteOptions = {}): Promise<Written> {
  const rows: Record<string, number> = {};
  let mark = performance.now();
  const step = (name: string) => {
    const t = performance.now();
    if (timings) timings[name] = Math.round(t - mark);
    mark = t;
  };
  for (const spec of TABLES) {
    const parquet = join(dir, `${spec.name}.parquet`);
    const csv = join(dir, `${spec.name}.csv`);
    // Every table is sorted once into a temporary table (the long tables, views over narrow
    // staging, are also joined only once) and written from it to Parquet. The other copies (CSV,
    // the partitioned files) are read back from that file in the same order: the compressed
    // file streams back at little memory, while the sorted table, mostly spilled to disk by
    // DuckDB at 100,000 reports, would be read back from its temporary files.
    const source = `${spec.name}_out`;
    if (spec.partitioned) await materializeInOrder(con, spec, source, options.sliceReports ?? SLICE_REPORTS);
    else await con.run(`CREATE TEMP TABLE ${source} AS ${selectOf(spec)}`);
    [{ n: rows[spec.name] }] = await query<{ n: number }>(con, `SELECT count(*) AS n FROM ${source}`);
    step(`${spec.name}.sort`);
    await con.run(`COPY (SELECT ${columnList(spec)} FROM ${source}) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`);
    step(`${spec.name}.parquet`);
    if (spec.name === 'applications') {
      // applications_wide pivots the materialized, ordered applications (it needs their ordinals).
      await con.run(`CREATE TEMP TABLE wide_out AS ${wideSelect(source)}`);
      await con.run(`COPY (SELECT * EXCLUDE (rid, col_ord) FROM wide_out) TO ${sqlString(join(dir, `${WIDE_TABLE}.parquet`))} (FORMAT parquet, COMPRESSION zstd)`);
      await con.run(`COPY (${await csvSelect(con, 'wide_out', ['rid', 'col_ord'])}) TO ${sqlString(join(dir, `${WIDE_TABLE}.csv`))} (FORMAT csv, HEADER)`);
      await con.run('DROP TABLE wide_out');
      step(WIDE_TABLE);
    }
    await con.run(`DROP TABLE ${source}`);
    await con.run(`COPY (${await csvSelect(con, `read_parquet(${sqlString(parquet)})`)}) TO ${sqlString(csv)} (FORMAT csv, HEADER)`);
    step(`${spec.name}.csv`);
    if (spec.partitioned) {
      await writePartitions(con, spec, parquet, join(dir, 'partitioned', spec.name));
      step(`${spec.name}.partitioned`);
      await writeYearCsvs(con, spec, parquet, join(dir, BY_YEAR_DIR), options.excelRows);
      step(`${spec.name}.by-year`);
    }
  }
  return { files: listFiles(dir), rows };
}

/** Every file under the release folder, relative, sorted. */
export function listFiles(dir: string, prefix = ''): WrittenFile[] {
  const out: WrittenFile[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = statSync(join(dir, rel));
    if (st.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push({ path: rel, bytes: st.size });
  }
  return out;
}
