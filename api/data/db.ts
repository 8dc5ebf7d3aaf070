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
import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { join } from 'node:path';
import { numberFriendly } from '../../pipeline/release/duck.ts';
import { TABLES, WIDE_TABLE } from '../../pipeline/release/schema.ts';
import type { Admission, Lane } from '../admission.ts';
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

/** One statement, parsed and planned for this call only. */
export async function runQuery<T>(con: DuckDBConnection, sql: string, params: Params = {}): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, bind(params));
  return reader.convertRowObjects(numberFriendly) as T[];
}

const STATEMENTS_PER_CONNECTION = 64;

/**
 * A connection of the pool with the statements it has prepared, kept by SQL text (least
 * recently used dropped first): the API asks the same few shapes of question over and over, and
 * a prepared statement skips parsing and planning. A statement already running (two resolvers
 * of one request asking the same thing at once) is not shared: the second gets one of its own.
 */
export class PooledConnection {
  private readonly statements = new Map<string, DuckDBPreparedStatement>();
  private readonly busy = new Set<DuckDBPreparedStatement>();

  constructor(readonly con: DuckDBConnection) {}

  async query<T>(sql: string, params: Params): Promise<T[]> {
    let statement = this.statements.get(sql);
    let kept = true;
    if (!statement) {
      statement = await this.con.prepare(sql);
      if (this.statements.has(sql)) kept = false;
      else this.keep(sql, statement);
    } else if (this.busy.has(statement)) {
      statement = await this.con.prepare(sql);
      kept = false;
    } else {
      this.statements.delete(sql); // most recently used goes last
      this.statements.set(sql, statement);
    }
    this.busy.add(statement);
    try {
      statement.clearBindings();
      statement.bind(bind(params));
      const reader = await statement.runAndReadAll();
      return reader.convertRowObjects(numberFriendly) as T[];
    } finally {
      this.busy.delete(statement);
      if (!kept) statement.destroySync();
    }
  }

  private keep(sql: string, statement: DuckDBPreparedStatement): void {
    this.statements.set(sql, statement);
    if (this.statements.size <= STATEMENTS_PER_CONNECTION) return;
    for (const [oldest, s] of this.statements) {
      if (this.busy.has(s)) continue;
      this.statements.delete(oldest);
      s.destroySync();
      return;
    }
  }

  closeSync(): void {
    this.statements.clear();
    this.con.closeSync(); // destroys its prepared statements too
  }
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
    // Memory a query freed goes back to the system soon after (by background threads), not at
    // DuckDB's default 128 MB threshold: a server runs for weeks, and its memory should stay level.
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      allocator_flush_threshold: '16MB',
      allocator_background_threads: 'true',
    };
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
  private readonly idle: PooledConnection[] = [];
  private closing = false;

  /**
   * Database access for one request (connections taken as its queries need them, each query
   * admitted by `admission` first); close it when the request ends.
   */
  session(timeoutMs: number, admission: Admission | null = null): Session {
    // A session joins `open` once it takes a connection, and leaves it when it gives them back.
    const s: Session = new Session(
      async () => {
        this.open.add(s);
        return this.idle.pop() ?? new PooledConnection(await this.instance.connect());
      },
      (cons, reusable) => {
        this.open.delete(s);
        for (const con of cons) {
          if (reusable && !this.closing && this.idle.length < MAX_IDLE) this.idle.push(con);
          else con.closeSync();
        }
      },
      Date.now() + timeoutMs,
      timeoutMs,
      admission,
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

/** Queries of one request that may run at once, each on its own connection (and core). */
const CONNECTIONS_PER_SESSION = 3;

/**
 * One request's access to the database. Its queries run on connections of its own, taken from
 * the pool when first needed: independent parts of one request (a comparison and a page of
 * reports) run side by side, up to CONNECTIONS_PER_SESSION at once, the rest wait for a free
 * connection. When the request ends the connections go back to the pool — unless a query was
 * interrupted or is still running, in which case they are closed rather than handed on.
 */
export class Session {
  private readonly taken: Promise<PooledConnection>[] = [];
  private readonly free: PooledConnection[] = [];
  private readonly waiting: { resolve: (con: PooledConnection) => void; reject: (err: Error) => void }[] = [];
  private closed = false;
  private running = 0;
  private interrupted = false;

  constructor(
    private readonly take: () => Promise<PooledConnection>,
    private readonly giveBack: (cons: PooledConnection[], reusable: boolean) => void,
    readonly deadline: number,
    private readonly timeoutMs: number,
    private readonly admission: Admission | null = null,
  ) {}

  private acquire(): Promise<PooledConnection> {
    if (this.closed) return Promise.reject(new Error('session closed'));
    const free = this.free.pop();
    if (free) return Promise.resolve(free);
    if (this.taken.length < CONNECTIONS_PER_SESSION) {
      const taking = this.take();
      this.taken.push(taking);
      return taking;
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(con: PooledConnection): void {
    const next = this.waiting.shift();
    if (next) next.resolve(con);
    else this.free.push(con);
  }

  private timeoutError(): ApiError {
    return new ApiError('TIMEOUT', `The query took longer than ${this.timeoutMs} ms and was stopped. Narrow the filter (years, region) or ask for fewer rows.`, {
      timeoutMs: this.timeoutMs,
      retryAfterSeconds: this.admission?.retryAfterSeconds ?? 1,
    });
  }

  /** The heavy lane's slot, once a heavy query of this session took it; held until the session closes. */
  private heavySlot: Promise<() => void> | null = null;

  /**
   * A slot in `lane` for one query; resolves to what gives it back. A light query holds its slot
   * while it runs. A heavy one takes the session's heavy slot and leaves it to the session: the
   * request's answer — resolving and serialising thousands of groups on the server's one
   * JavaScript thread — is heavy work too, and its other heavy queries share the slot.
   */
  private admit(lane: Lane): Promise<() => void> {
    const admission = this.admission;
    if (!admission) return Promise.resolve(() => {});
    if (lane === 'light') return admission.enter('light', this.deadline, () => this.timeoutError());
    this.heavySlot ??= admission.enter('heavy', this.deadline, () => this.timeoutError());
    return this.heavySlot.then(() => () => {});
  }

  /** Runs one statement, once its lane (admission.ts) lets it; `heavy` for large comparisons. */
  async query<T = Record<string, unknown>>(sql: string, params: Params = {}, lane: Lane = 'light'): Promise<T[]> {
    if (this.deadline <= Date.now()) throw this.timeoutError();
    const leave = await this.admit(lane);
    let con: PooledConnection;
    try {
      con = await this.acquire();
    } catch (err) {
      leave();
      throw err;
    }
    const left = this.deadline - Date.now();
    if (left <= 0) {
      this.release(con);
      leave();
      throw this.timeoutError();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.interrupted = true;
        con.con.interrupt();
        reject(this.timeoutError());
      }, left);
    });
    this.running++;
    // The connection and the lane's slot are free again only when the query has ended, even after a timeout.
    const run = con.query<T>(sql, params).finally(() => {
      this.running--;
      this.release(con);
      leave();
    });
    try {
      return await Promise.race([run, timeout]);
    } catch (err) {
      if (Date.now() >= this.deadline) throw this.timeoutError();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Gives the connections back (or closes them, if a query was interrupted or still runs). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    void this.heavySlot?.then(
      (leave) => leave(),
      () => {},
    );
    for (const w of this.waiting.splice(0)) w.reject(new Error('session closed'));
    const taken = this.taken.splice(0);
    if (!taken.length) return;
    const cons = (await Promise.allSettled(taken)).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    this.free.length = 0;
    this.giveBack(cons, !this.interrupted && this.running === 0);
  }
}
