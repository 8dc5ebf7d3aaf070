/**
 * API tests run in-process against the demo release the global setup built: `api.fetch(request)`
 * with masking on, so a test sees what a user sees. Expected numbers come from plain SQL over the
 * same Parquet files in a separate DuckDB instance (`expectedSql`), never from the API's code.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, vi } from 'vitest';
import { Session } from '../../api/data/db.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { createApi, type Api, type ApiOptions } from '../../api/server.ts';

export const BASE = 'http://api.test';

export function startApi(options: Partial<ApiOptions> = {}): Promise<Api> {
  return createApi({ release: inject('demoRelease'), logErrors: false, threads: 2, ...options });
}

export interface GqlResult<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

export async function gql<T = Record<string, any>>(api: Api, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResult<T>> {
  const res = await api.fetch(
    new Request(`${BASE}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) }),
  );
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export function get(api: Api, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return api.fetch(new Request(`${BASE}${path}`, { method, headers }));
}

export const example = (file: string) => readFileSync(join('docs/queries', file), 'utf8');

/** An independent DuckDB over the release's Parquet files, for expected values. */
export async function expectedSql(dir = inject('demoRelease')): Promise<{ sql: <T = Record<string, any>>(text: string) => Promise<T[]>; close: () => void }> {
  const { instance, connection } = await openDuck(':memory:');
  for (const t of ['reports', 'regions', 'applications', 'proactive', 'review_litigation', 'checks', 'coverage', 'agencies', 'warnings']) {
    await connection.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${join(dir, `${t}.parquet`)}')`);
  }
  // The rule the API documents: one report per agency, scope and year (coverage.report_id).
  await connection.run(`CREATE VIEW counted AS SELECT * FROM reports WHERE report_id IN (SELECT report_id FROM coverage)`);
  return {
    sql: <T,>(text: string) => query<T>(connection, text),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs `ask` and counts the SQL queries it sent to DuckDB (the real ones: the spy passes through). */
export async function sqlDuring<T>(ask: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const spy = vi.spyOn(Session.prototype, 'query');
  try {
    const result = await ask();
    return { result, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

/** Floats from two computations agree to 12 digits. */
export const close12 = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null ? a === b || (a == null && b == null) : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));

export type Sql = Awaited<ReturnType<typeof expectedSql>>;

/**
 * A test file's API and its independent SQL, opened before the file's tests and closed after.
 * `data` runs a query and expects no errors.
 */
export function useApi(
  which: 'demoRelease' | 'realRelease' = 'demoRelease',
): { api: () => Api; db: () => Sql; data: (query: string, variables?: Record<string, unknown>) => Promise<Record<string, any>> } {
  let api: Api;
  let db: Sql;
  beforeAll(async () => {
    api = await startApi({ release: inject(which) });
    db = await expectedSql(inject(which));
  });
  afterAll(async () => {
    db.close();
    await api.close();
  });
  return {
    api: () => api,
    db: () => db,
    data: async (query, variables = {}) => {
      const r = await gql(api, query, variables);
      expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
      return r.body.data!;
    },
  };
}

/**
 * A releases folder of several versions of the demo release: each folder's files are symlinks
 * to the demo release's (only release.json differs, by its version), so versions cost nothing
 * to make. `latest` points at the last; publish() adds a version and moves `latest` to it the
 * way a build does (a new symlink renamed over the old). cleanup() removes the folder.
 */
export function releaseVersions(versions: string[]) {
  const source = realpathSync(inject('demoRelease'));
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-versions-'));
  const meta = JSON.parse(readFileSync(join(source, 'release.json'), 'utf8'));
  const make = (version: string) => {
    mkdirSync(join(dir, version));
    for (const name of readdirSync(source)) if (name !== 'release.json') symlinkSync(join(source, name), join(dir, version, name));
    writeFileSync(join(dir, version, 'release.json'), JSON.stringify({ ...meta, version }));
  };
  const point = (version: string) => {
    const tmp = join(dir, `.latest-${version}`);
    symlinkSync(version, tmp);
    renameSync(tmp, join(dir, 'latest'));
  };
  versions.forEach(make);
  point(versions.at(-1)!);
  return {
    dir,
    latest: join(dir, 'latest'),
    publish: (version: string) => {
      make(version);
      point(version);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
