/**
 * The long tables of a release are written in report order (the reports table's order), each
 * report's cells in template order — including across the slices the build sorts them in (the
 * demo release's 9,652 reports make three). Checked on the demo release the global setup built.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';

let duck: Awaited<ReturnType<typeof openDuck>>;
const dir = inject('demoRelease');
beforeAll(async () => {
  duck = await openDuck(':memory:');
  const con = duck.connection;
  await con.run(`CREATE TABLE rep AS SELECT report_id, file_row_number AS pos FROM read_parquet('${join(dir, 'reports.parquet')}', file_row_number = true)`);
  // Template order of every (table, layout, row, column).
  const codes: string[] = [];
  for (const table of TABLE_CODES) {
    for (const layout of ['2019', '2021'] as const) {
      let ord = 0;
      for (const row of tableDef(table, layout).rows) for (const col of row.columns) codes.push(`('${table}', '${layout}', '${row.code}', '${col.code}', ${ord++})`);
    }
  }
  await con.run(`CREATE TABLE tmpl (tbl VARCHAR, layout VARCHAR, "row" VARCHAR, "column" VARCHAR, ord INTEGER)`);
  await con.run(`INSERT INTO tmpl VALUES ${codes.join(', ')}`);
});
afterAll(() => {
  duck.connection.closeSync();
  duck.instance.closeSync();
});

describe('row order of the long tables', () => {
  it.each(['applications', 'proactive', 'review_litigation'])('%s: reports in order, cells in template order', async (table) => {
    const [r] = await query<{ reports: number; rows: number; out_of_order: number; report_starts: number }>(
      duck.connection,
      `WITH cells AS (
         SELECT c.report_id, rep.pos, t.ord, c.file_row_number AS n
         FROM read_parquet('${join(dir, `${table}.parquet`)}', file_row_number = true) c
         JOIN rep USING (report_id)
         JOIN tmpl t ON t.tbl = '${table}' AND t.layout = coalesce(c.layout, '2021') AND t."row" = c."row" AND t."column" = c."column"),
       steps AS (SELECT report_id, pos, ord, lag(pos) OVER (ORDER BY n) AS prev_pos, lag(ord) OVER (ORDER BY n) AS prev_ord FROM cells)
       SELECT count(DISTINCT report_id) AS reports, count(*) AS rows,
              count(*) FILTER (WHERE pos < prev_pos OR (pos = prev_pos AND ord <= prev_ord)) AS out_of_order,
              count(*) FILTER (WHERE pos > prev_pos) AS report_starts
       FROM steps`,
    );
    expect(r.reports).toBeGreaterThan(8_000);
    expect(r.out_of_order).toBe(0);
    expect(r.report_starts).toBe(r.reports - 1); // each report's cells together
  });

  it.each(['applications', 'proactive', 'review_litigation'])('%s: each year folder holds that year\'s rows in the same order', async (table) => {
    // Position of each row in the whole table and in its year's partition file: equal ranks.
    const [r] = await query<{ years: number; table_years: number; rows: number; table_rows: number; misplaced: number }>(
      duck.connection,
      `WITH whole AS (
         SELECT year, row_number() OVER (PARTITION BY year ORDER BY file_row_number) AS k, report_id, "row", "column", value
         FROM read_parquet('${join(dir, `${table}.parquet`)}', file_row_number = true)),
       parts AS (
         SELECT year, row_number() OVER (PARTITION BY year ORDER BY file_row_number) AS k, report_id, "row", "column", value
         FROM read_parquet('${join(dir, 'partitioned', table, '*', '*.parquet')}', hive_partitioning = true, file_row_number = true))
       SELECT (SELECT count(DISTINCT year) FROM parts) AS years, (SELECT count(DISTINCT year) FROM whole) AS table_years,
              (SELECT count(*) FROM parts) AS rows, (SELECT count(*) FROM whole) AS table_rows,
              count(*) FILTER (WHERE w.k IS NULL OR p.k IS NULL OR w.report_id <> p.report_id OR w."row" <> p."row" OR w."column" <> p."column"
                                    OR w.value IS DISTINCT FROM p.value) AS misplaced
       FROM whole w FULL JOIN parts p ON p.year IS NOT DISTINCT FROM w.year AND p.k = w.k`,
    );
    expect(r.years).toBeGreaterThanOrEqual(6);
    expect(r.years).toBe(r.table_years);
    expect(r.rows).toBe(r.table_rows);
    expect(r.misplaced).toBe(0);
  });
});
