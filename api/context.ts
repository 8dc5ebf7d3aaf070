/**
 * What a resolver sees: the server's state (release, database, regions, limits) and the
 * request's own database session and batch loaders.
 */
import type { TableCode } from '../pipeline/model/codes.ts';
import { agenciesByIds, type AgencyRow } from './data/agencies.ts';
import type { Database, Session } from './data/db.ts';
import { BatchLoader, groupBy } from './data/loader.ts';
import type { RegionIndex } from './data/regions.ts';
import { cellsOf, checksOf, reportsByIds, warningsOf, type CellRow, type CheckRow, type ReportRow, type WarningRow } from './data/reports.ts';
import type { Limits } from './limits.ts';
import type { Release } from './release.ts';

export interface ApiState {
  release: Release;
  db: Database;
  regions: RegionIndex;
  limits: Limits;
  /** Public base URL for links (csvUrl); by default the request's own origin. */
  publicUrl: string | null;
}

export interface ApiContext {
  state: ApiState;
  session: Session;
  loaders: ReturnType<typeof createLoaders>;
  /** Base URL for links in responses, without a trailing slash. */
  baseUrl: string;
}

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

export function createContext(state: ApiState, request: Request): ApiContext {
  const session = state.db.session(state.limits.queryTimeoutMs);
  const url = new URL(request.url);
  return { state, session, loaders: createLoaders(session), baseUrl: (state.publicUrl ?? url.origin).replace(/\/+$/, '') };
}
