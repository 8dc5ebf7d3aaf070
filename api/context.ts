/**
 * What a resolver sees: the release its request is answered from (leased for the request:
 * api/releases.ts) with the server's limits, and the request's own database session and batch
 * loaders.
 */
import type { TableCode } from '../pipeline/model/codes.ts';
import type { Admission } from './admission.ts';
import { agenciesByIds, type AgencyCounts, type AgencyNames, type AgencyRow, type AgencyRows } from './data/agencies.ts';
import type { Database, Session } from './data/db.ts';
import { BatchLoader, groupBy } from './data/loader.ts';
import type { RegionIndex } from './data/regions.ts';
import { cellsOf, checksOf, reportsByIds, warningsOf, type CellRow, type CheckRow, type ReportRow, type WarningRow } from './data/reports.ts';
import type { Limits } from './limits.ts';
import type { Release } from './release.ts';
import type { Lease, Releases, Served } from './releases.ts';

/** The server's own state, the same for every request. */
export interface ServerState {
  releases: Releases;
  limits: Limits;
  /** Public base URL for links (csvUrl, catalog, embeds); without one, links are relative. */
  publicUrl: string | null;
  admission: Admission;
}

/** What the server passes along with each request: the lease on the release it is answered from. */
export interface RequestContext {
  lease: Lease;
  /** Set for /v/<version>/graphql: the request names its release, and GraphiQL keeps to it. */
  pinned?: boolean;
}

/** One request's view: the release it is answered from, with the server's limits. */
export interface ApiState {
  release: Release;
  db: Database;
  regions: RegionIndex;
  /** The release's agencies counted by region. */
  agencies: AgencyCounts;
  /** The agencies names given in its requests stand for, kept per release. */
  agencyNames: AgencyNames;
  /** Agency rows shown beside comparisons' groups, kept per release. */
  agencyRows: AgencyRows;
  /** How many years the release's reports cover. */
  years: number;
  /** The first and last of them (null without reports). */
  yearSpan: { first: number; last: number } | null;
  limits: Limits;
  publicUrl: string | null;
  admission: Admission;
}

export interface ApiContext {
  state: ApiState;
  session: Session;
  loaders: ReturnType<typeof createLoaders>;
  /** Base URL for links in responses, without a trailing slash ('' for relative links). */
  baseUrl: string;
}

export function stateOf(served: Served, server: ServerState): ApiState {
  return { ...served, limits: server.limits, publicUrl: server.publicUrl, admission: server.admission };
}

/** The state of the release a request leased (every route gets it this way). */
export function requestState(serverContext: unknown, server: ServerState): ApiState {
  const lease = (serverContext as Partial<RequestContext> | undefined)?.lease;
  if (!lease) throw new Error('a request reached the API without a release lease: serve it through api.fetch or api.handler');
  return stateOf(lease.served, server);
}

/** Links the API writes: from the configured public URL, never from a request header. */
export const baseUrlOf = (state: Pick<ApiState, 'publicUrl'>) => (state.publicUrl ?? '').replace(/\/+$/, '');

function createLoaders(session: Session) {
  const byReport = <T extends { report_id: string }>(fetch: (ids: string[]) => Promise<T[]>) =>
    new BatchLoader<string, T[]>(
      async (ids) => groupBy(await fetch(ids), (r) => r.report_id),
      () => [],
    );
  const cells = Object.fromEntries(
    (['proactive', 'applications', 'review_litigation'] as const).map((t) => [t, byReport<CellRow>((ids) => cellsOf(session, t, ids))]),
  ) as Record<TableCode, BatchLoader<string, CellRow[]>>;
  return {
    report: new BatchLoader<string, ReportRow | null>(async (ids) => new Map((await reportsByIds(session, ids)).map((r) => [r.report_id, r])), () => null),
    agency: new BatchLoader<string, AgencyRow | null>(async (ids) => new Map((await agenciesByIds(session, ids)).map((a) => [a.agency_id, a])), () => null),
    cells,
    checks: byReport<CheckRow>((ids) => checksOf(session, ids)),
    checkIssues: byReport<CheckRow>((ids) => checksOf(session, ids, true)),
    warnings: byReport<WarningRow>((ids) => warningsOf(session, ids)),
  };
}

export function createContext(state: ApiState): ApiContext {
  const session = state.db.session(state.limits.queryTimeoutMs, state.admission);
  return { state, session, loaders: createLoaders(session), baseUrl: baseUrlOf(state) };
}
