/**
 * Agencies: one row per agency seen in the release (agency_index, facts.ts), filtered by region
 * subtree, kind, level and a name search.
 */
import { placeConditions, type RegionLevel } from './comparisons.ts';
import type { Params, Session } from './db.ts';

export interface AgencyRow {
  agency_id: string;
  name: string;
  region_code: string | null;
  agency_kind: string;
  level: string | null;
  first_year: number | null;
  last_year: number | null;
  reports: number;
}

export interface AgencyFilter {
  region?: string | null;
  /** The level of `region`: which column holds its subtree. */
  regionOf?: RegionLevel | null;
  agencyKinds?: string[] | null;
  agencyLevels?: string[] | null;
  nameSearch?: string | null;
}

function where(f: AgencyFilter): { sql: string; params: Params } {
  const params: Params = {};
  const w = placeConditions(f, params);
  if (f.nameSearch?.trim()) {
    // contains() takes the text as it is: no LIKE wildcards to escape.
    params.name = f.nameSearch.trim();
    w.push('contains(name, $name)');
  }
  return { sql: w.length ? `WHERE ${w.join(' AND ')}` : '', params };
}

const COLUMNS = 'agency_id, name, region_code, agency_kind, level, first_year, last_year, reports';

export async function listAgencies(session: Session, filter: AgencyFilter, limit: number, offset: number): Promise<AgencyRow[]> {
  const w = where(filter);
  return session.query<AgencyRow>(`SELECT ${COLUMNS} FROM agency_index ${w.sql} ORDER BY agency_id LIMIT $lim OFFSET $off`, { ...w.params, lim: limit, off: offset });
}

export async function countAgencies(session: Session, filter: AgencyFilter): Promise<number> {
  const w = where(filter);
  const [row] = await session.query<{ n: number }>(`SELECT count(*) AS n FROM agency_index ${w.sql}`, w.params);
  return row.n;
}

export async function agenciesByIds(session: Session, ids: readonly string[]): Promise<AgencyRow[]> {
  const params: Params = {};
  const list = ids.map((id, i) => ((params[`a${i}`] = id), `$a${i}`)).join(', ');
  return session.query<AgencyRow>(`SELECT ${COLUMNS} FROM agency_index WHERE agency_id IN (${list})`, params);
}
