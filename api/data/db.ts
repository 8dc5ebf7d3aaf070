/**
 * DuckDB for the API: one in-memory instance per server, with a view over each of the
 * release's Parquet files (read_parquet) and the few summary tables of facts.ts. Every request
 * gets its own connection (toolchain G10/G11: transactions and prepared statements must not be
 * shared across concurrent requests) and a deadline: a query still running at the deadline is
 * interrupted and the request gets a TIMEOUT error.
 *
 * SQL here is always written with bound parameters ($name); the only text spliced into SQL is
 * the release folder (the operator's, quoted as a literal) and identifiers from whitelists.
 */
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { join } from 'node:path';
import { numberFriendly } from '../../pipeline/release/duck.ts';
import { TABLES, WIDE_TABLE } from '../../pipeline/release/schema.ts';
import { ApiError } from '../errors.ts';
import type { Release } from '../release.ts';
import { createFactTables } from './facts.ts';

export type Params = Record<string, DuckDBValue | readonly string[] | readonly number[]>;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Lists become DuckDB LIST values; everything else binds as is. */
function bind(params: Params): Record<string, DuckDBValue> {
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) out[k] = Array.isArray(v) ? listValue(v as DuckDBValue[]) : (v as DuckDBValue);
  return out;
}

export async function runQuery<T>(con: DuckDBConnection, sql: string, params: Params = {}): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, bind(params));
  return reader.convertRowObjects(numberFriendly) as T[];
}

export class Database {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly release: Release,
    /** ms spent creating the views and fact tables. */
    readonly startupMs: number,
  ) {}

  static async open(release: Release, options: { threads?: number; memoryLimit?: string } = {}): Promise<Database> {
    const started = performance.now();
    const config: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const con = await instance.connect();
    try {
      for (const name of [...TABLES.map((t) => t.name), WIDE_TABLE]) {
        await con.run(`CREATE VIEW "${name}" AS SELECT * FROM read_parquet(${literal(join(release.dir, `${name}.parquet`))})`);
      }
      await createFactTables(con);
    } finally {
      con.closeSync();
    }
    return new Database(instance, release, performance.now() - started);
  }

  private readonly open = new Set<Session>();
  /** Idle connections, each used by one request at a time (a fresh connection's first query is slower). */
  private readonly idle: DuckDBConnection[] = [];
  private closing = false;

  /** A connection for one request; close the session when the request ends. */
  session(timeoutMs: number): Session {
    // A session joins `open` only once it takes a connection, and leaves it when closed.
    const s: Session = new Session(
      async () => {
        this.open.add(s);
        return this.idle.pop() ?? this.instance.connect();
      },
      (con, reusable) => {
        this.open.delete(s);
        if (reusable && !this.closing && this.idle.length < MAX_IDLE) this.idle.push(con);
        else con.closeSync();
      },
      Date.now() + timeoutMs,
      timeoutMs,
    );
    return s;
  }

  /** Closes every session still open, then the instance (closing it under a live connection would crash). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.open].map((s) => s.close()));
    for (const con of this.idle.splice(0)) con.closeSync();
    this.instance.closeSync();
  }
}

const MAX_IDLE = 16;

/**
 * One request's access to the database: a connection of its own, taken on the first query and
 * given back when the request ends — unless a query was interrupted or is still running, in
 * which case the connection is closed rather than handed to another request.
 */
export class Session {
  private con: Promise<DuckDBConnection> | null = null;
  private closed = false;
  private running = 0;
  private interrupted = false;

  constructor(
    private readonly take: () => Promise<DuckDBConnection>,
    private readonly giveBack: (con: DuckDBConnection, reusable: boolean) => void,
    readonly deadline: number,
    private readonly timeoutMs: number,
  ) {}

  private connection(): Promise<DuckDBConnection> {
    if (this.closed) throw new Error('session closed');
    this.con ??= this.take();
    return this.con;
  }

  private timeoutError(): ApiError {
    return new ApiError('TIMEOUT', `The query took longer than ${this.timeoutMs} ms and was stopped. Narrow the filter (years, region) or ask for fewer rows.`, {
      timeoutMs: this.timeoutMs,
    });
  }

  async query<T = Record<string, unknown>>(sql: string, params: Params = {}): Promise<T[]> {
    const left = this.deadline - Date.now();
    if (left <= 0) throw this.timeoutError();
    const con = await this.connection();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.interrupted = true;
        con.interrupt();
        reject(this.timeoutError());
      }, left);
    });
    this.running++;
    const run = runQuery<T>(con, sql, params).finally(() => this.running--);
    try {
      return await Promise.race([run, timeout]);
    } catch (err) {
      if (Date.now() >= this.deadline) throw this.timeoutError();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives the connection back (or closes it, if a query was interrupted or still runs). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.con;
    this.con = null;
    if (!pending) return;
    let con: DuckDBConnection;
    try {
      con = await pending;
    } catch {
      return; // never opened
    }
    this.giveBack(con, !this.interrupted && this.running === 0);
  }
}
