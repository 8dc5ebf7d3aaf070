/**
 * Agencies: one row per agency seen in the release (agency_index, facts.ts), filtered by region
 * subtree, kind, level and a name search. A name is read by the pipeline's own rules
 * (readAgencyQuery: places, kinds, the alias table, pinyin), so 涧西区政府办公室 finds the agency
 * the pipeline named 410305.general_office; results are ranked by how well they match.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readAgencyQuery, type AgencyNameQuery } from '../../pipeline/normalize/agencies.ts';
import { placeConditions, type RegionLevel } from './comparisons.ts';
import { PromiseCache } from '../lru.ts';
import { runQuery, type Params, type Session } from './db.ts';

export interface AgencyRow {
  agency_id: string;
  name: string;
  region_code: string | null;
  agency_kind: string;
  level: string | null;
  first_year: number | null;
  last_year: number | null;
  reports: number;
  /** With a name search: how the agency matches it (AgencyMatch). */
  match?: AgencyMatch;
}

export interface AgencyFilter {
  region?: string | null;
  /** The level of `region`: which column holds its subtree. */
  regionOf?: RegionLevel | null;
  agencyKinds?: string[] | null;
  agencyLevels?: string[] | null;
  nameSearch?: string | null;
}

/**
 * How an agency matches a searched name, best first:
 *   exact       the agency the name means: its place and its kind (涧西区政府办公室 → 410305.general_office)
 *   kind        the same kind of agency in the place's subtree, or anywhere the name gives no place (发改委)
 *   department  the same department at another level (住建局 → 河南省住房和城乡建设厅)
 *   place       an agency of the place the name gives without a kind (jianxi, 涧西区): the place's own first
 *   name        what the agency is, or its name, contains the words after the place (民政 → 民政局; not 人民政府)
 */
export const AGENCY_MATCHES = ['exact', 'kind', 'department', 'place', 'name'] as const;
export type AgencyMatch = (typeof AGENCY_MATCHES)[number];

/** Levels and kinds in the order results of one match are listed: the highest level first, a place's government first. */
const LEVEL_ORDER = `CASE level WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'county' THEN 2 WHEN 'township' THEN 3 ELSE 4 END`;
const KIND_ORDER = `CASE agency_kind WHEN 'government' THEN 0 WHEN 'general_office' THEN 1 WHEN 'department' THEN 2 WHEN 'township' THEN 3 ELSE 4 END`;

/**
 * The match of each agency as a SQL expression — the index of the first tier it meets in
 * `matches`, or null — with its parameters. The tiers present depend only on which parts the
 * name has, so the statement's shape is one of a few; every value is bound.
 */
function matchOf(q: AgencyNameQuery, params: Params): { rank: string; matches: AgencyMatch[] } {
  const tiers: { when: string; match: AgencyMatch }[] = [];
  const inPlace = 'list_contains($q_regions, region_code)';
  const underPlace = `(${inPlace} OR list_contains($q_regions, city) OR list_contains($q_regions, province))`;
  if (q.regions.length) params.q_regions = q.regions;
  if (q.key) {
    params.q_key = q.key;
    if (q.unknownPlace) {
      // A place no table knows (测试市): only the agencies whose id carries it.
      params.q_place = `~${q.unknownPlace}`;
      tiers.push({ when: `ends_with(split_part(agency_id, '.', 1), $q_place) AND kind_key = $q_key`, match: 'exact' });
    } else {
      if (q.regions.length) tiers.push({ when: `${inPlace} AND kind_key = $q_key`, match: 'exact' });
      let where = q.regions.length ? underPlace : 'true';
      if (q.levelChar) {
        params.q_level = q.levelChar;
        where += ' AND ends_with(region_name, $q_level)';
      }
      tiers.push({ when: `kind_key = $q_key AND ${where}`, match: 'kind' });
      if (q.departmentStem) {
        params.q_stem = `dept.${q.departmentStem}`;
        tiers.push({ when: `starts_with(kind_key, $q_stem) AND ${where}`, match: 'department' });
      }
    }
  } else if (q.regions.length && !q.words) {
    // The place's own agencies, then those of the places under it.
    tiers.push({ when: inPlace, match: 'place' }, { when: underPlace, match: 'place' });
  }
  if (q.words) {
    // The words against what the agency is (its id's kind part: dept.民政局) and its name less
    // 人民政府, whose 民政 is no 民政局; within the place the name gives, if any.
    params.q_words = q.words;
    const words = `(contains(kind_key, $q_words) OR contains(replace(name, '人民政府', '政府'), $q_words))`;
    tiers.push({ when: q.regions.length ? `${underPlace} AND ${words}` : words, match: 'name' });
  }
  return { rank: `CASE ${tiers.map((t, i) => `WHEN ${t.when} THEN ${i}`).join(' ')} END`, matches: tiers.map((t) => t.match) };
}

interface Selection {
  /** The agencies the filter selects, with match_rank under a name search. */
  from: string;
  params: Params;
  order: string;
  matches: AgencyMatch[] | null;
}

function select(f: AgencyFilter): Selection {
  const params: Params = {};
  const w = placeConditions(f, params);
  const filtered = (extra: string) => `SELECT ${COLUMNS}${extra} FROM agency_index${w.length ? ` WHERE ${w.join(' AND ')}` : ''}`;
  const text = f.nameSearch?.trim();
  if (!text) return { from: `(${filtered('')})`, params, order: 'agency_id', matches: null };
  const { rank, matches } = matchOf(readAgencyQuery(text), params);
  return {
    from: `(SELECT * FROM (${filtered(`, ${rank} AS match_rank`)}) WHERE match_rank IS NOT NULL)`,
    params,
    order: `match_rank, ${LEVEL_ORDER}, ${KIND_ORDER}, reports DESC, agency_id`,
    matches,
  };
}

/** The columns of an agency row (AgencyRow), as agency_index holds them. */
export const AGENCY_COLUMNS = ['agency_id', 'name', 'region_code', 'agency_kind', 'level', 'first_year', 'last_year', 'reports'] as const;
const COLUMNS = AGENCY_COLUMNS.join(', ');

/** Agencies in id order, or — with a name search — best match first. */
export async function listAgencies(session: Session, filter: AgencyFilter, limit: number, offset: number): Promise<AgencyRow[]> {
  const s = select(filter);
  const rows = await session.query<AgencyRow & { match_rank?: number }>(`SELECT * FROM ${s.from} ORDER BY ${s.order} LIMIT $lim OFFSET $off`, { ...s.params, lim: limit, off: offset });
  return rows.map(({ match_rank, ...row }) => (s.matches && match_rank != null ? { ...row, match: s.matches[match_rank] } : row));
}

export async function countAgencies(session: Session, filter: AgencyFilter): Promise<number> {
  const s = select(filter);
  const [row] = await session.query<{ n: number }>(`SELECT count(*) AS n FROM ${s.from}`, s.params);
  return row.n;
}


/** How many candidates an agency reference that means several agencies lists. */
export const AGENCY_CANDIDATES = 10;

/**
 * The agency an argument names: an id (410305.general_office), or a name read as a search is
 * (涧西区政府办公室, 河南省发改委; 民政局 within the filter's region) and accepted when its best
 * match is one agency. Otherwise the candidates, best first (at most AGENCY_CANDIDATES), and how
 * many there are.
 */
export type FoundAgency = { id: string } | { candidates: AgencyRow[]; total: number };

export async function findAgency(session: Session, text: string, within: Pick<AgencyFilter, 'region' | 'regionOf'>): Promise<FoundAgency> {
  const t = text.trim();
  if (t.includes('.')) {
    const [row] = await agenciesByIds(session, [t]);
    return row ? { id: row.agency_id } : { candidates: [], total: 0 };
  }
  const s = select({ ...within, nameSearch: t });
  const rows = await session.query<AgencyRow & { match_rank: number; best: number; total: number }>(
    `SELECT *, count(*) FILTER (WHERE match_rank = (SELECT min(match_rank) FROM ${s.from})) OVER () AS best, count(*) OVER () AS total
     FROM ${s.from} ORDER BY ${s.order} LIMIT $lim`,
    { ...s.params, lim: AGENCY_CANDIDATES },
  );
  if (rows.length && rows[0].best === 1) return { id: rows[0].agency_id };
  return { candidates: rows.map(({ match_rank, best: _b, total: _t, ...row }) => ({ ...row, match: s.matches![match_rank] })), total: rows[0]?.total ?? 0 };
}

/** Names a release keeps the answer of (findAgency) for the next request that gives them. */
export const AGENCY_NAMES_KEPT = 1000;

/**
 * The agencies names stand for in one release, each read by SQL once: an analyst's comparison by
 * agency name then costs what the same comparison by id costs. An LRU of AGENCY_NAMES_KEPT
 * entries keyed by the name and the region it is read within; a failed lookup is not kept.
 */
export class AgencyNames {
  private readonly found = new PromiseCache<string, FoundAgency>(AGENCY_NAMES_KEPT);

  find(session: Session, text: string, within: Pick<AgencyFilter, 'region' | 'regionOf'>): Promise<FoundAgency> {
    const key = `${within.region ?? ''}\u0001${text.trim()}`;
    return this.found.get(key, () => findAgency(session, text, within));
  }
}

/** Agency rows a release keeps for the comparisons by agency. */
export const AGENCY_ROWS_KEPT = 5000;

/**
 * The agency rows (name, region, kind, years) comparisons by agency show beside their groups,
 * each read by SQL once per release: a comparison over named agencies then runs one statement.
 * Keyed by agency id (ids of the release, from its own answers), AGENCY_ROWS_KEPT at most, the
 * least recently used dropped first.
 */
export class AgencyRows {
  private readonly kept = new Map<string, AgencyRow | null>();

  async get(session: Session, ids: readonly string[]): Promise<Map<string, AgencyRow>> {
    const missing = ids.filter((id) => !this.kept.has(id));
    if (missing.length) {
      const found = new Map((await agenciesByIds(session, missing)).map((row) => [row.agency_id, row]));
      for (const id of missing) this.kept.set(id, found.get(id) ?? null);
    }
    const out = new Map<string, AgencyRow>();
    for (const id of ids) {
      const row = this.kept.get(id);
      if (row === undefined) continue;
      this.kept.delete(id); // most recently used goes last
      this.kept.set(id, row);
      if (row) out.set(id, row);
    }
    while (this.kept.size > AGENCY_ROWS_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return out;
  }
}

export async function agenciesByIds(session: Session, ids: readonly string[]): Promise<AgencyRow[]> {
  const params: Params = {};
  const list = ids.map((id, i) => ((params[`a${i}`] = id), `$a${i}`)).join(', ');
  return session.query<AgencyRow>(`SELECT ${COLUMNS} FROM agency_index WHERE agency_id IN (${list})`, params);
}

/**
 * How many agencies there are in a region's subtree (all of them without a region): the most
 * groups a comparison by agency can have. Held in memory, a row per region with agencies.
 */
export class AgencyCounts {
  private readonly memo = new Map<string, number>();

  constructor(private readonly rows: readonly { region_code: string | null; province: string | null; city: string | null; n: number }[]) {}

  static async load(con: DuckDBConnection): Promise<AgencyCounts> {
    return new AgencyCounts(await runQuery(con, 'SELECT region_code, province, city, count(*)::INTEGER AS n FROM agency_index GROUP BY ALL'));
  }

  within(region: string | null | undefined): number {
    const key = region ?? '';
    let n = this.memo.get(key);
    if (n === undefined) {
      n = this.rows.filter((r) => !region || r.region_code === region || r.city === region || r.province === region).reduce((a, r) => a + r.n, 0);
      // Keys are regions of the release (checked before they get here): a bounded set.
      this.memo.set(key, n);
    }
    return n;
  }
}
