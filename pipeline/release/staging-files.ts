/**
 * Staging files: each parse worker turns its records into the rows of the staged tables
 * (tables.ts) and appends them to CSV files of its own, one per table; the build then loads
 * every worker's files into DuckDB with one COPY per table. The main thread never touches a
 * cell, which keeps it from becoming the bottleneck of a build on many cores.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParseTask, ParseResult, TaskFailure } from './pool.ts';
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

/** Bytes written to each of a worker's files (by table) up to a flush. */
export type StagingCheckpoint = Record<string, number>;

const fileOf = (dir: string, table: string, worker: number | string) => join(dir, `${table}.w${worker}.csv`);

/** One worker's buffered writer: rows per table, appended to its files batch by batch. */
export class StagingWriter {
  private readonly buffers = new Map<string, string[]>();
  private readonly written: StagingCheckpoint = {};
  constructor(
    private readonly dir: string,
    private readonly worker: number | string,
  ) {}

  add(table: string, rows: Row[]): void {
    if (!rows.length) return;
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    for (const row of rows) buffer.push(csvLine(row));
  }

  /** Appends the buffered rows; returns how much of each file is now written. */
  flush(): StagingCheckpoint {
    for (const [table, lines] of this.buffers) {
      if (!lines.length) continue;
      const text = `${lines.join('\n')}\n`;
      appendFileSync(fileOf(this.dir, table, this.worker), text);
      this.written[table] = (this.written[table] ?? 0) + Buffer.byteLength(text);
      lines.length = 0;
    }
    return { ...this.written };
  }
}

/**
 * Cuts a lost worker's files back to its last checkpoint (the rows of the batches the main
 * thread took in): rows it wrote after that belong to files that are parsed again.
 */
export function rollbackStaging(dir: string, worker: number, checkpoint: StagingCheckpoint = {}): void {
  const prefix = `.w${worker}.csv`;
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith(prefix)) continue;
    const table = name.slice(0, -prefix.length);
    const keep = checkpoint[table] ?? 0;
    if (statSync(join(dir, name)).size > keep) truncateSync(join(dir, name), keep);
  }
}

/**
 * The result of a file whose worker was lost while parsing it (timeout, out of memory, crash),
 * staged by the main thread as an error row of its own.
 */
export async function stageLostFile(dir: string, task: ParseTask, failure: TaskFailure): Promise<ParseResult> {
  const { rowsOfFailedInput } = await import('./tables.ts');
  let hash: string | undefined;
  try {
    hash = createHash('sha256').update(readFileSync(task.abs)).digest('hex');
  } catch {
    // unreadable now: the row says why it was lost, without a checksum
  }
  const outcome = { source: task.path, sha256: hash, error: { code: failure.code, message: `${task.path}: ${failure.message}` } };
  const writer = new StagingWriter(dir, 'main');
  const rows = rowsOfFailedInput(outcome, { path: task.path, bytes: task.bytes, cached: false, manifest: task.manifest });
  writer.add('inputs', rows.inputs);
  writer.add('inputs_without_report', rows.inputs_without_report);
  writer.flush();
  return { path: task.path, cached: false, error: failure.code };
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
