/**
 * Staging files: each parse worker turns its records into the rows of the staged tables
 * (tables.ts) and appends them to CSV files of its own, one per table; the build then loads
 * every worker's files into DuckDB with one COPY per table. The main thread never touches a
 * cell, which keeps it from becoming the bottleneck of a build on many cores.
 */
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Row } from './tables.ts';

/** Every string quoted (so an empty string is not a null), nulls empty, numbers as they are. */
function csvLine(row: Row): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (i) line += ',';
    if (v === null || v === undefined) continue;
    line += typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : String(v);
  }
  return line;
}

/** One worker's buffered writer: rows per table, appended to its files batch by batch. */
export class StagingWriter {
  private readonly buffers = new Map<string, string[]>();
  constructor(
    private readonly dir: string,
    private readonly worker: number,
  ) {}

  add(table: string, rows: Row[]): void {
    if (!rows.length) return;
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    for (const row of rows) buffer.push(csvLine(row));
  }

  flush(): void {
    for (const [table, lines] of this.buffers) {
      if (lines.length) appendFileSync(join(this.dir, `${table}.w${this.worker}.csv`), `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
}

/** Loads every worker's file of each table into its staged table. */
export async function loadStagingFiles(con: DuckDBConnection, dir: string, tables: readonly string[]): Promise<void> {
  if (!existsSync(dir)) return;
  const names = readdirSync(dir);
  for (const table of tables) {
    if (!names.some((n) => n.startsWith(`${table}.w`) && n.endsWith('.csv'))) continue;
    const pattern = join(dir, `${table}.w*.csv`).replace(/'/g, "''");
    await con.run(`COPY "${table}" FROM '${pattern}' (FORMAT csv, HEADER false, QUOTE '"', ESCAPE '"', NULLSTR '', ALLOW_QUOTED_NULLS false)`);
  }
}
