/**
 * Where a comparison meets SQL: aggregates over facts.ts's tables, grouped by any of the
 * dimensions, with measures, shares and rankings. One function builds the SQL for every subject
 * (applications, review and litigation, proactive disclosure, checks); the GraphQL fields and
 * the CSV export both call runComparison with a validated ComparisonQuery.
 *
 * Only values are bound as parameters. Identifiers (columns to group by, the measure to rank
 * by, the table) come from the whitelists below, never from the request's text.
 *
 * Three stages: `agg` sums the facts of each group; `m` turns the sums into measures (shares
 * are ratios of sums, never averages of ratios); `x` expands a group into its outcomes when
 * grouped by outcome; the final SELECT ranks and limits.
 */
import { APPLICANT_TYPES, APPLICATIONS_2019, APPLICATIONS_2021, OUTCOME_GROUPS, REVIEW_COLUMNS, type OutcomeGroup } from '../../pipeline/model/codes.ts';
import { AGENCY_COLUMNS, AgencyRows, type AgencyCounts } from './agencies.ts';
import type { Session } from './db.ts';
import type { RegionIndex } from './regions.ts';
import { APPLICATION_ROWS, CHECK_CODES, PROACTIVE_FIGURES, REVIEW_CELLS } from './facts.ts';

export type Subject = 'applications' | 'review' | 'proactive' | 'checks';
export type Dimension = 'region' | 'agency' | 'year' | 'agency_kind' | 'agency_level' | 'layout' | 'applicant_type' | 'outcome_group' | 'outcome';
export type Scope = 'agency' | 'region_summary';
export type RegionLevel = 'province' | 'city' | 'county';

export const COMMON_DIMENSIONS: readonly Dimension[] = ['region', 'agency', 'year', 'agency_kind', 'agency_level', 'layout'];
export const APPLICATION_DIMENSIONS: readonly Dimension[] = [...COMMON_DIMENSIONS, 'applicant_type', 'outcome_group', 'outcome'];

export interface ComparisonFilter {
  /** A region code: the region and everything under it. */
  region?: string | null;
  /** The level of `region` (it decides which column holds the subtree). */
  regionOf?: RegionLevel | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  agencyKinds?: string[] | null;
  agencyLevels?: string[] | null;
  /** Agency ids: only these agencies' reports. */
  agencies?: string[] | null;
  layout?: string | null;
}

export interface Rank {
  by: string;
  top: number;
  order: 'desc' | 'asc';
  within: Dimension[];
}

export interface ComparisonQuery {
  subject: Subject;
  filter: ComparisonFilter;
  scope: Scope;
  groupBy: Dimension[];
  regionLevel: RegionLevel;
  includeDerived: boolean;
  /** applications: which column of table 3 (`total` or one applicant type). */
  applicant: string;
  /** applications grouped by outcome: which outcome groups to keep (null: all). */
  outcomeGroups: string[] | null;
  /** checks: which check. */
  check: string;
  rank: Rank | null;
  limit: number;
  /** The measures to compute (null: all). Fewer measures, fewer sums: the query runs faster. */
  measures?: string[] | null;
  /** applications: also return the sum of every outcome row (s_<row>), for outcome breakdowns. */
  breakdown?: boolean;
  /** Also return the previous period's measures (prev_<measure>), joined in the same statement. */
  withPrevious?: boolean;
  /** Expected to return many groups: runs in the database's heavy lane (api/admission.ts). */
  heavy?: boolean;
}

export interface MeasureDef {
  name: string;
  sql: string;
  kind: 'count' | 'share' | 'amount';
  description: string;
  /** The name it is kept under for queries written before, pointing at the one to use. */
  deprecated?: string;
}

/** One row of a comparison: the group's key (dimension → value), its measures and rank. */
export type ComparisonRow = Record<string, string | number | null>;

// ---------------------------------------------------------------------------------------------
// Measures, per subject

const s = (col: string) => `coalesce(s_${col}, 0)`;
const ratio = (num: string, den: string) => `(${num})::DOUBLE / nullif(${den}, 0)`;

/** The outcome groups a processed application can fall in (not intake, not the total). */
export const OUTCOME_BUCKETS = OUTCOME_GROUPS.filter((g) => g.code !== 'intake' && g.code !== 'total');

const rowGroup = new Map([...APPLICATIONS_2021.rows, ...APPLICATIONS_2019.rows].map((r) => [r.code, r.group as OutcomeGroup]));
/** Table 3 outcome rows in template order, with their group. */
export const OUTCOME_ROWS = APPLICATION_ROWS.filter((r) => OUTCOME_BUCKETS.some((g) => g.code === rowGroup.get(r))).map((code) => ({ code, group: rowGroup.get(code)! }));
const groupSum = (group: OutcomeGroup) => OUTCOME_ROWS.filter((r) => r.group === group).map((r) => s(r.code)).join(' + ');

const APPLICATION_MEASURES: MeasureDef[] = [
  { name: 'reports', sql: 'reports', kind: 'count', description: 'Reports counted (with a table 3)' },
  { name: 'new_received', sql: 's_new_received', kind: 'count', description: '本年新收政府信息公开申请数量: new applications received' },
  { name: 'carried_over', sql: 's_carried_over', kind: 'count', description: '上年结转: carried over from the previous year' },
  { name: 'total_processed', sql: 's_total_processed', kind: 'count', description: '办理结果 总计: applications processed' },
  { name: 'carried_forward', sql: 's_carried_forward', kind: 'count', description: '结转下年度继续办理: carried forward to the next year' },
  { name: 'granted_full', sql: 's_granted', kind: 'count', description: '予以公开: granted in full (部分公开, partly granted, is partiallyGranted)' },
  { name: 'granted', sql: 's_granted', kind: 'count', description: '予以公开: granted in full', deprecated: 'Use grantedFull (予以公开), the same number under a name that says it leaves out 部分公开' },
  { name: 'partially_granted', sql: 's_partially_granted', kind: 'count', description: '部分公开: partially granted' },
  { name: 'denied', sql: groupSum('denied'), kind: 'count', description: '不予公开: denied, all eight reasons' },
  { name: 'unavailable', sql: groupSum('unavailable'), kind: 'count', description: '无法提供: unavailable, all three reasons' },
  { name: 'unavailable_not_held', sql: 's_unavailable_not_held', kind: 'count', description: '本机关不掌握相关政府信息: not held by the agency' },
  { name: 'not_processed', sql: groupSum('not_processed'), kind: 'count', description: '不予处理: not processed, all five reasons' },
  { name: 'other_handling', sql: groupSum('other'), kind: 'count', description: '其他处理: other handling (the 2021 rows other_* and the 2019 row other_handling)' },
  { name: 'granted_any_share', sql: ratio(`${s('granted')} + ${s('partially_granted')}`, 's_total_processed'), kind: 'share', description: '(予以公开 + 部分公开) / 办理结果总计: granted in full or in part, of all processed' },
  {
    name: 'granted_share',
    sql: ratio(`${s('granted')} + ${s('partially_granted')}`, 's_total_processed'),
    kind: 'share',
    description: '(granted + partially_granted) / total_processed',
    deprecated: 'Use grantedAnyShare, the same share under a name that says it counts 部分公开 too',
  },
  { name: 'denied_share', sql: ratio(groupSum('denied'), 's_total_processed'), kind: 'share', description: 'denied / total_processed' },
  { name: 'unavailable_share', sql: ratio(groupSum('unavailable'), 's_total_processed'), kind: 'share', description: 'unavailable / total_processed' },
  { name: 'not_held_share', sql: ratio(s('unavailable_not_held'), 's_total_processed'), kind: 'share', description: 'unavailable_not_held (本机关不掌握) / total_processed' },
  { name: 'not_processed_share', sql: ratio(groupSum('not_processed'), 's_total_processed'), kind: 'share', description: 'not_processed / total_processed' },
  { name: 'other_share', sql: ratio(groupSum('other'), 's_total_processed'), kind: 'share', description: 'other handling / total_processed' },
];

/** Measures only a comparison grouped by outcome has. */
const OUTCOME_MEASURES: MeasureDef[] = [
  { name: 'outcome_applications', sql: 'outcome_applications', kind: 'count', description: 'Applications with this outcome (or outcome group)' },
  { name: 'outcome_share', sql: 'outcome_share', kind: 'share', description: 'Applications with this outcome / total_processed of the group' },
];

export const CASE_ROWS = [
  { name: 'review', rows: ['review'], description: '行政复议: administrative review' },
  { name: 'litigation_direct', rows: ['litigation_direct'], description: '行政诉讼 未经复议直接起诉: litigation without prior review' },
  { name: 'litigation_after_review', rows: ['litigation_after_review'], description: '行政诉讼 复议后起诉: litigation after review' },
  { name: 'litigation', rows: ['litigation_direct', 'litigation_after_review'], description: '行政诉讼: both kinds of litigation' },
  { name: 'cases', rows: ['review', 'litigation_direct', 'litigation_after_review'], description: 'review and litigation together' },
] as const;
export const CASE_COLUMNS = [...REVIEW_COLUMNS.map((c) => c.code), 'corrected_share'] as const;

const REVIEW_MEASURES: MeasureDef[] = [
  { name: 'reports', sql: 'reports', kind: 'count', description: 'Reports counted (with a table 4)' },
  ...CASE_ROWS.flatMap((cr) =>
    CASE_COLUMNS.map((col): MeasureDef => {
      const sumOf = (c: string) => cr.rows.map((r) => s(`rl_${r}_${c}`)).join(' + ');
      return col === 'corrected_share'
        ? { name: `${cr.name}_corrected_share`, sql: ratio(sumOf('corrected'), sumOf('total')), kind: 'share', description: `${cr.description}: corrected / total` }
        : { name: `${cr.name}_${col}`, sql: cr.rows.length === 1 ? `s_rl_${cr.rows[0]}_${col}` : sumOf(col), kind: 'count', description: `${cr.description}: ${col}` };
    }),
  ),
];

const PROACTIVE_MEASURES: MeasureDef[] = [
  { name: 'reports', sql: 'reports', kind: 'count', description: 'Reports counted' },
  { name: 'reports_with_table', sql: 's_has_proactive', kind: 'count', description: 'Reports with a table 2' },
  ...PROACTIVE_FIGURES.map(
    (f): MeasureDef => ({
      name: f.name,
      sql: `s_pa_${f.name}`,
      kind: f.name.includes('amount') ? 'amount' : 'count',
      description: `${f.row}.${f.columns.join(' / ')}${f.layout === 'both' ? '' : ` (layout ${f.layout} only; null for the other layout)`}`,
    }),
  ),
  { name: 'items_published', sql: 's_items_published', kind: 'count', description: 'Items proactively published, as section 一 states (reports.proactive_items_published)' },
  { name: 'reports_with_items_published', sql: 's_reports_with_items', kind: 'count', description: 'Reports that state how many items they published' },
];

const CHECK_MEASURES: MeasureDef[] = [
  { name: 'reports', sql: 'reports', kind: 'count', description: 'Reports counted' },
  { name: 'assessed', sql: 's_pass + s_fail', kind: 'count', description: 'Reports where the check could be assessed (pass or fail)' },
  { name: 'passing', sql: 's_pass', kind: 'count', description: 'Reports passing the check' },
  { name: 'failing', sql: 's_fail', kind: 'count', description: 'Reports failing the check (at least one column or row fails)' },
  { name: 'not_assessable', sql: 's_not_assessable', kind: 'count', description: 'Reports where an operand was blank' },
  { name: 'failing_share', sql: ratio('s_fail', 's_pass + s_fail'), kind: 'share', description: 'failing / assessed' },
];

export const MEASURES: Record<Subject, MeasureDef[]> = {
  applications: [...APPLICATION_MEASURES, ...OUTCOME_MEASURES],
  review: REVIEW_MEASURES,
  proactive: PROACTIVE_MEASURES,
  checks: CHECK_MEASURES,
};

export const isOutcomeMeasure = (name: string) => OUTCOME_MEASURES.some((m) => m.name === name);

// ---------------------------------------------------------------------------------------------
// SQL

/** Stage 1: the sums each subject's measures are made of, by name (s_…). */
function aggregates(q: ComparisonQuery): Map<string, string> {
  switch (q.subject) {
    case 'applications':
      return new Map(APPLICATION_ROWS.map((r) => [`s_${r}`, `sum(app_${r})`]));
    case 'review':
      return new Map(REVIEW_CELLS.map((c) => [`s_${c.name}`, `sum(${c.name})`]));
    case 'proactive':
      return new Map([
        ['s_has_proactive', 'count(*) FILTER (WHERE has_proactive)'],
        ...PROACTIVE_FIGURES.map((f): [string, string] => [`s_pa_${f.name}`, `sum(pa_${f.name})`]),
        ['s_items_published', 'sum(items_published)'],
        ['s_reports_with_items', 'count(items_published)'],
      ]);
    case 'checks': {
      if (!CHECK_CODES.includes(q.check as never)) throw new Error(`unknown check ${q.check}`);
      const col = `check_${q.check}`;
      return new Map([
        ['s_pass', `count(*) FILTER (WHERE ${col} = 'pass')`],
        ['s_fail', `count(*) FILTER (WHERE ${col} = 'fail')`],
        ['s_not_assessable', `count(*) FILTER (WHERE ${col} = 'not_assessable')`],
      ]);
    }
  }
}

/** The sums a measure's SQL reads. */
const sumsOf = (sql: string) => sql.match(/\bs_[a-z0-9_]+/g) ?? [];

const REGION_COLUMN: Record<RegionLevel, string> = { province: 'province', city: 'city', county: 'county' };
/** The column that holds a region's subtree, by the region's level (a county's agencies all carry its code). */
export const SUBTREE_COLUMN: Record<RegionLevel, string> = { province: 'province', city: 'city', county: 'region_code' };

function dimensionColumn(d: Dimension, q: ComparisonQuery): string | null {
  switch (d) {
    case 'region':
      return `${REGION_COLUMN[q.regionLevel]} AS region`;
    case 'agency':
      return 'agency_id AS agency';
    case 'year':
      return 'year';
    case 'agency_kind':
      return 'agency_kind';
    case 'agency_level':
      return 'level AS agency_level';
    case 'layout':
      return 'layout';
    case 'applicant_type':
      return 'applicant AS applicant_type';
    case 'outcome_group':
    case 'outcome':
      return null; // expanded in stage 3
  }
}

function tableOf(q: ComparisonQuery): string {
  const kind = q.includeDerived ? 'derived' : 'printed';
  const byApplicant = q.subject === 'applications' && (q.groupBy.includes('applicant_type') || q.applicant !== 'total');
  return byApplicant ? `applicants_${kind}` : `facts_${kind}`;
}

/** Can a comparison look one year back? Grouped by year, or over a closed year range. */
export function hasPrevious(q: ComparisonQuery): boolean {
  return q.groupBy.includes('year') || (q.filter.yearFrom != null && q.filter.yearTo != null);
}

type Params = Record<string, string | number | string[]>;

/**
 * The conditions the comparisons and the agency and report lists share: the region's subtree
 * (by the column its level decides), agency kinds and agency levels. Their parameters go into
 * `params` under fixed names.
 */
export function placeConditions(
  f: { region?: string | null; regionOf?: RegionLevel | null; agencyKinds?: string[] | null; agencyLevels?: string[] | null; agencies?: string[] | null },
  params: Record<string, unknown>,
): string[] {
  const where: string[] = [];
  if (f.region) {
    params.region = f.region;
    where.push(f.regionOf ? `${SUBTREE_COLUMN[f.regionOf]} = $region` : '(region_code = $region OR city = $region OR province = $region)');
  }
  if (f.agencies?.length) {
    // One parameter an agency (their number is bounded): DuckDB prunes row groups on agency_id = …
    // and IN (…), not on a list's list_contains.
    const names = f.agencies.map((id, i) => {
      params[`agency_${i}`] = id;
      return `$agency_${i}`;
    });
    where.push(`agency_id IN (${names.join(', ')})`);
  }
  if (f.agencyKinds?.length) {
    params.kinds = f.agencyKinds;
    where.push('list_contains($kinds, agency_kind)');
  }
  if (f.agencyLevels?.length) {
    params.levels = f.agencyLevels;
    where.push('list_contains($levels, level)');
  }
  return where;
}

/** The filter's conditions apart from its years (which the previous period shifts). */
function filterClauses(q: ComparisonQuery, table: string, params: Params): string[] {
  const f = q.filter;
  const where = ['scope = $scope', ...placeConditions(f, params)];
  params.scope = q.scope;
  if (f.layout) {
    params.layout = f.layout;
    where.push('layout = $layout');
  }
  // applicants_* hold only reports with a table 3; facts_* flag them.
  if (q.subject === 'applications' && table.startsWith('facts_')) where.push('has_applications');
  if (q.subject === 'review') where.push('has_review');
  if (table.startsWith('applicants_') && !q.groupBy.includes('applicant_type')) {
    params.applicant = q.applicant;
    where.push('applicant = $applicant');
  }
  if (q.groupBy.includes('region')) where.push(`${REGION_COLUMN[q.regionLevel]} IS NOT NULL`);
  return where;
}

/** year = …, or year >= … AND year <= …, shifted by `shift` years. */
function yearClauses(years: ComparisonFilter, shift: number, params: Params): string[] {
  const tag = shift ? '_prev' : '';
  if (years.yearFrom != null && years.yearFrom === years.yearTo) {
    params[`year${tag}`] = years.yearFrom + shift;
    return [`year = $year${tag}`];
  }
  const w: string[] = [];
  if (years.yearFrom != null) {
    params[`year_from${tag}`] = years.yearFrom + shift;
    w.push(`year >= $year_from${tag}`);
  }
  if (years.yearTo != null) {
    params[`year_to${tag}`] = years.yearTo + shift;
    w.push(`year <= $year_to${tag}`);
  }
  return w;
}

export function comparisonSql(q: ComparisonQuery): { sql: string; params: Params; countSql: string; countParams: Params; rankedInOrder: boolean } {
  const params: Params = {};
  const f = q.filter;
  const table = tableOf(q);
  const where = filterClauses(q, table, params);
  const yearsWhereOf = (years: ComparisonFilter, shift: number) => [...where, ...yearClauses(years, shift, params)].join(' AND ');
  const yearsWhere = (shift: number) => yearsWhereOf(f, shift);

  const byOutcome = q.groupBy.includes('outcome');
  const byOutcomeGroup = q.groupBy.includes('outcome_group');
  const keyDims = q.groupBy.filter((d) => d !== 'outcome' && d !== 'outcome_group');
  // Applicant types sort in template order (自然人 first), everything else by its code.
  const orderOf = (d: Dimension) => (d === 'applicant_type' ? `list_position([${APPLICANT_TYPES.map((a) => `'${a}'`).join(', ')}], applicant_type)` : d);
  const wanted = q.measures ? new Set([...q.measures, ...(q.rank ? [q.rank.by] : []), 'reports']) : null;
  const measures = MEASURES[q.subject].filter((m) => !isOutcomeMeasure(m.name) && (!wanted || wanted.has(m.name)));
  // Applications rows may also carry the sum of every outcome row (s_<row>), for the breakdowns.
  const outcomeSums = q.subject === 'applications' && (byOutcome || byOutcomeGroup || q.breakdown !== false) ? ['s_total_processed', ...OUTCOME_ROWS.map((r) => `s_${r.code}`)] : [];
  const sums = aggregates(q);
  const needed = new Set([...measures.flatMap((m) => sumsOf(m.sql)), ...outcomeSums]);
  const stage1 = ['count(*) AS reports', ...[...sums].filter(([name]) => needed.has(name)).map(([name, expr]) => `${expr} AS ${name}`)];
  const groupByClause = keyDims.length ? ` GROUP BY ${keyDims.map((_, i) => i + 1).join(', ')}` : '';
  const measureCols = [...measures.map((m) => `${m.sql} AS ${m.name}`), ...outcomeSums];

  // The previous period, in the same statement: the same groups over the years shifted back by
  // one (grouped by year: year − 1 of each group), joined as prev_<measure> columns.
  const withPrevious = !!q.withPrevious && hasPrevious(q) && !byOutcome && !byOutcomeGroup;
  const ctes: string[] = [];
  const prevCols = withPrevious ? ['reports', ...measures.filter((m) => m.name !== 'reports').map((m) => m.name), ...outcomeSums] : [];
  if (withPrevious && keyDims.includes('year')) {
    // Grouped by year: one scan from a year before the range, each group joined to its year − 1.
    const extended: ComparisonFilter = { ...f, yearFrom: f.yearFrom == null ? null : f.yearFrom - 1 };
    const match = keyDims.map((d) => (d === 'year' ? 'p.year = c.year - 1' : `c.${d} IS NOT DISTINCT FROM p.${d}`)).join(' AND ');
    const keep = f.yearFrom == null ? '' : ' WHERE c.year >= $year_from_keep';
    if (f.yearFrom != null) params.year_from_keep = f.yearFrom;
    ctes.push(
      `agg AS (SELECT ${[...keyDims.map((d) => dimensionColumn(d, q)!), ...stage1].join(', ')} FROM ${table} WHERE ${yearsWhereOf(extended, 0)}${groupByClause})`,
      `ma AS (SELECT ${[...keyDims, ...measureCols].join(', ')} FROM agg)`,
      `m AS (SELECT c.*, ${prevCols.map((col) => `p.${col} AS prev_${col}`).join(', ')} FROM ma c LEFT JOIN ma p ON ${match}${keep})`,
    );
  } else if (withPrevious) {
    // Over a closed range: the same groups over the range shifted back by one year.
    const match = keyDims.length ? keyDims.map((d) => `c.${d} IS NOT DISTINCT FROM p.${d}`).join(' AND ') : 'true';
    ctes.push(
      `agg AS (SELECT ${[...keyDims.map((d) => dimensionColumn(d, q)!), ...stage1].join(', ')} FROM ${table} WHERE ${yearsWhere(0)}${groupByClause})`,
      `agg_prev AS (SELECT ${[...keyDims.map((d) => dimensionColumn(d, q)!), ...stage1].join(', ')} FROM ${table} WHERE ${yearsWhere(-1)}${groupByClause})`,
      `mc AS (SELECT ${[...keyDims, ...measureCols].join(', ')} FROM agg)`,
      `mp AS (SELECT ${[...keyDims, ...measureCols].join(', ')} FROM agg_prev)`,
      `m AS (SELECT c.*, ${prevCols.map((col) => `p.${col} AS prev_${col}`).join(', ')} FROM mc c LEFT JOIN mp p ON ${match})`,
    );
  } else {
    ctes.push(
      `agg AS (SELECT ${[...keyDims.map((d) => dimensionColumn(d, q)!), ...stage1].join(', ')} FROM ${table} WHERE ${yearsWhere(0)}${groupByClause})`,
      `m AS (SELECT ${[...keyDims, ...measureCols].join(', ')} FROM agg)`,
    );
  }
  let source = 'm';
  const order: string[] = keyDims.map(orderOf);
  let outputCols = [...keyDims, ...measures.map((m) => m.name), ...outcomeSums, ...prevCols.map((c) => `prev_${c}`)];
  if (byOutcome || byOutcomeGroup) {
    // Stage 3: one row per group and outcome (or outcome group), in template order.
    const values = byOutcome ? OUTCOME_ROWS.map((r, i) => `('${r.code}', '${r.group}', ${i})`) : OUTCOME_BUCKETS.map((g, i) => `(NULL, '${g.code}', ${i})`);
    const valueExpr = byOutcome
      ? `CASE o.outcome ${OUTCOME_ROWS.map((r) => `WHEN '${r.code}' THEN m.s_${r.code}`).join(' ')} END`
      : `CASE o.outcome_group ${OUTCOME_BUCKETS.map((g) => `WHEN '${g.code}' THEN ${OUTCOME_ROWS.filter((r) => r.group === g.code).map((r) => `coalesce(m.s_${r.code}, 0)`).join(' + ')}`).join(' ')} END`;
    const keep = ['o.outcome_group IS NOT NULL'];
    if (q.outcomeGroups) {
      params.outcome_groups = q.outcomeGroups;
      keep.push('list_contains($outcome_groups, o.outcome_group)');
    }
    ctes.push(
      `o(outcome, outcome_group, outcome_ord) AS (VALUES ${values.join(', ')})`,
      `x0 AS (SELECT m.*, o.outcome, o.outcome_group, o.outcome_ord, ${valueExpr} AS outcome_applications FROM m CROSS JOIN o WHERE ${keep.join(' AND ')})`,
      `x AS (SELECT *, outcome_applications::DOUBLE / nullif(s_total_processed, 0) AS outcome_share FROM x0 WHERE outcome_applications IS NOT NULL)`,
    );
    source = 'x';
    const outcomeKeys = [...(byOutcomeGroup ? ['outcome_group'] : []), ...(byOutcome ? ['outcome'] : [])];
    outputCols = [...keyDims, ...outcomeKeys, ...measures.map((m) => m.name), ...OUTCOME_MEASURES.map((m) => m.name), ...outcomeSums];
    order.push('outcome_ord');
  }

  let from = source;
  let rankWhere = '';
  let finalOrder = order;
  let limit = '$lim';
  let rankCol = 'NULL AS rank';
  let countCol = 'count(*)';
  let rankedInOrder = false;
  if (q.rank) {
    const by = MEASURES[q.subject].find((m) => m.name === q.rank!.by);
    if (!by) throw new Error(`unknown measure ${q.rank.by}`);
    const within = q.rank.within.map((d) => (d === 'outcome' ? 'outcome_ord' : orderOf(d)));
    const tieBreak = order.length ? `, ${order.join(', ')}` : '';
    const ranking = `${by.name} ${q.rank.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST${tieBreak}`;
    params.top = q.rank.top;
    if (within.length) {
      ctes.push(`ranked AS (SELECT *, row_number() OVER (PARTITION BY ${within.join(', ')} ORDER BY ${ranking}) AS rank FROM ${source})`);
      from = 'ranked';
      rankWhere = ' WHERE rank <= $top';
      finalOrder = [...within, 'rank'];
      rankCol = 'rank';
    } else {
      // One ranking over every group: the top rows in ranking order, numbered as they come.
      finalOrder = [ranking];
      limit = 'least($top, $lim)';
      countCol = 'least(count(*), $top)';
      rankedInOrder = true;
    }
  }
  const body = `WITH ${ctes.join(',\n')}\n`;
  // Grouped by agency: each group carries its agency's row (name, region, kind, years) as ag_<column>.
  const byAgency = keyDims.includes('agency');
  const agencyJoin = byAgency ? ` LEFT JOIN (SELECT ${AGENCY_COLUMNS.map((c) => `${c} AS ag_${c}`).join(', ')} FROM agency_index) ag ON ag.ag_agency_id = ${from}.agency` : '';
  const agencyCols = byAgency ? AGENCY_COLUMNS.map((c) => `ag_${c}`) : [];
  // One row more than the limit says whether it cut; the count runs only when asked for.
  const sql = `${body}SELECT ${[...outputCols, rankCol, ...agencyCols].join(', ')} FROM ${from}${agencyJoin}${rankWhere}
ORDER BY ${finalOrder.length ? finalOrder.join(', ') : '1'}
LIMIT ${limit}`;
  return { sql, params: { ...params, lim: q.limit + 1 }, countSql: `${body}SELECT ${countCol} AS n FROM ${from}${rankWhere}`, countParams: params, rankedInOrder };
}

export interface ComparisonResult {
  rows: ComparisonRow[];
  truncated: boolean;
  /** Groups before the limit (a second query, only when the limit cut). */
  totalGroups: () => Promise<number>;
}

/** How many values each dimension can take (region and year depend on the release and the filter). */
const FIXED_CARDINALITY: Partial<Record<Dimension, number>> = {
  agency_kind: 5,
  agency_level: 4,
  layout: 2,
  applicant_type: 6,
  outcome_group: OUTCOME_BUCKETS.length,
  outcome: OUTCOME_ROWS.length,
};

/** What a group estimate needs of a comparison: the dimensions, the place and years, the limit and rank. */
export interface GroupShape {
  groupBy: readonly Dimension[];
  regionLevel: RegionLevel;
  region?: string | null;
  year?: number | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  /** How many agencies the filter names (null: not filtered by agency). */
  agencies?: number | null;
  limit: number;
  rank?: { top: number; within: readonly Dimension[] } | null;
}

/**
 * The most groups a comparison can return: `limit`, or fewer when its dimensions have fewer
 * values together (a region's counties, the years of the filter, the six applicant types…), or
 * a ranking keeps fewer. What a comparison costs (its complexity, its lane) is counted from it.
 */
export function estimatedGroups(q: GroupShape, release: { regions: RegionIndex; agencies: AgencyCounts; years: number }): number {
  const years = Math.max(1, release.years);
  const cardinality = (d: Dimension): number => {
    if (d === 'region') return release.regions.countAt(q.regionLevel, q.region);
    if (d === 'agency') return q.agencies || release.agencies.within(q.region);
    if (d === 'year') {
      if (q.year != null) return 1;
      if (q.yearFrom != null && q.yearTo != null) return Math.max(1, Math.min(years, q.yearTo - q.yearFrom + 1));
      return years;
    }
    return FIXED_CARDINALITY[d] ?? 1;
  };
  let groups = q.groupBy.reduce((n, d) => n * cardinality(d), 1);
  if (q.rank) groups = Math.min(groups, q.rank.top * q.rank.within.reduce((n, d) => n * cardinality(d), 1));
  return Math.max(1, Math.min(q.limit, groups));
}

/**
 * A comparison over agencies the filter names, unranked and not by outcome or region: at most
 * its agencies × years × applicant types groups (MAX_FILTER_AGENCIES bounds the first). DuckDB
 * plans a statement with parameters again on every execution, and a statement's planning grows
 * with its stages; so such a comparison asks for its groups' measures in one SELECT, and joins
 * each group to its previous year, orders and cuts them in process (bench/RESULTS.md, the
 * agency examples).
 */
export function isCompact(q: ComparisonQuery): boolean {
  const g = q.groupBy;
  if (!q.filter.agencies?.length || q.rank || g.includes('outcome') || g.includes('outcome_group') || g.includes('region')) return false;
  // The previous period of a closed range (not grouped by year) is a second set of sums: SQL's.
  return !(q.withPrevious && hasPrevious(q) && !g.includes('year'));
}

/** The compact comparison's one SELECT: its groups (from a year earlier, for their previous year) with their measures. */
export function compactSql(q: ComparisonQuery): { sql: string; params: Params; prevCols: string[]; keyDims: Dimension[] } {
  const params: Params = {};
  const table = tableOf(q);
  const keyDims = q.groupBy;
  const withPrevious = !!q.withPrevious && keyDims.includes('year');
  const years: ComparisonFilter = withPrevious && q.filter.yearFrom != null ? { ...q.filter, yearFrom: q.filter.yearFrom - 1 } : q.filter;
  const where = [...filterClauses(q, table, params), ...yearClauses(years, 0, params)];
  const wanted = q.measures ? new Set([...q.measures, 'reports']) : null;
  const measures = MEASURES[q.subject].filter((m) => !isOutcomeMeasure(m.name) && (!wanted || wanted.has(m.name)));
  const outcomeSums = q.subject === 'applications' && q.breakdown !== false ? ['s_total_processed', ...OUTCOME_ROWS.map((r) => `s_${r.code}`)] : [];
  const sums = aggregates(q);
  // A measure over sums, with each sum written as its aggregate.
  const inline = (sql: string) => (sql === 'reports' ? 'count(*)' : sql.replace(/\bs_[a-z0-9_]+/g, (name) => sums.get(name) ?? name));
  const cols = [...keyDims.map((d) => dimensionColumn(d, q)!), ...measures.map((m) => `${inline(m.sql)} AS ${m.name}`), ...outcomeSums.map((name) => `${sums.get(name)} AS ${name}`)];
  const groupByClause = keyDims.length ? ` GROUP BY ${keyDims.map((_, i) => i + 1).join(', ')}` : '';
  const prevCols = withPrevious ? ['reports', ...measures.filter((m) => m.name !== 'reports').map((m) => m.name), ...outcomeSums] : [];
  return { sql: `SELECT ${cols.join(', ')} FROM ${table} WHERE ${where.join(' AND ')}${groupByClause}`, params, prevCols, keyDims };
}

/** SQL's ORDER BY over the dimensions, in process: applicant types in template order, the rest by value, nulls last. */
function compareGroups(keyDims: readonly Dimension[]): (a: ComparisonRow, b: ComparisonRow) => number {
  return (a, b) => {
    for (const d of keyDims) {
      const x = d === 'applicant_type' ? APPLICANT_TYPES.indexOf(a[d] as never) : a[d];
      const y = d === 'applicant_type' ? APPLICANT_TYPES.indexOf(b[d] as never) : b[d];
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  };
}

async function runCompact(session: Session, q: ComparisonQuery, agencyRows: AgencyRows): Promise<ComparisonResult> {
  const { sql, params, prevCols, keyDims } = compactSql(q);
  let rows = await session.query<ComparisonRow>(sql, params, q.heavy ? 'heavy' : 'light');
  if (prevCols.length) {
    const byKey = new Map(rows.map((row) => [groupKey(row, keyDims), row]));
    const previous = rows.map((row) => byKey.get(groupKey(row, keyDims, -1)));
    rows.forEach((row, i) => {
      for (const col of prevCols) row[`prev_${col}`] = previous[i]?.[col] ?? null;
    });
    const from = q.filter.yearFrom;
    if (from != null) rows = rows.filter((row) => Number(row.year) >= from);
  }
  rows.sort(compareGroups(keyDims));
  const total = rows.length;
  const truncated = total > q.limit;
  if (truncated) rows.length = q.limit;
  for (const row of rows) row.rank = null;
  if (keyDims.includes('agency')) {
    const ids = [...new Set(rows.map((row) => row.agency).filter((id): id is string => typeof id === 'string'))];
    const agencies = await agencyRows.get(session, ids);
    for (const row of rows) {
      const agency = agencies.get(row.agency as string) as unknown as Record<string, string | number | null> | undefined;
      for (const c of AGENCY_COLUMNS) row[`ag_${c}`] = agency?.[c] ?? null;
    }
  }
  return { rows, truncated, totalGroups: () => Promise.resolve(total) };
}

/** A comparison; `agencyRows`: the release's kept agency rows (without it, each compact one reads its own). */
export function runComparison(session: Session, q: ComparisonQuery, agencyRows: AgencyRows = new AgencyRows()): Promise<ComparisonResult> {
  return isCompact(q) ? runCompact(session, q, agencyRows) : runComparisonSql(session, q);
}

/** A comparison wholly in SQL (every comparison that is not compact; tests hold the compact ones to it). */
export async function runComparisonSql(session: Session, q: ComparisonQuery): Promise<ComparisonResult> {
  const { sql, params, countSql, countParams, rankedInOrder } = comparisonSql(q);
  const rows = await session.query<ComparisonRow>(sql, params, q.heavy ? 'heavy' : 'light');
  const truncated = rows.length > q.limit;
  if (truncated) rows.length = q.limit;
  if (rankedInOrder) rows.forEach((row, i) => (row.rank = i + 1));
  let counted: Promise<number> | null = null;
  const totalGroups = () => (counted ??= truncated ? session.query<{ n: number }>(countSql, countParams, q.heavy ? 'heavy' : 'light').then((r) => r[0].n) : Promise.resolve(rows.length));
  return { rows, truncated, totalGroups };
}

/** Dimensions other than year identify "the same group" across years. */
export function groupKey(row: ComparisonRow, groupBy: readonly Dimension[], yearShift = 0): string {
  return groupBy.map((d) => (d === 'year' ? Number(row.year) + yearShift : String(row[d] ?? ''))).join('\u0001');
}

// ---------------------------------------------------------------------------------------------
// Accounting: where each report the filter selects went

/**
 * Why a report the filter selects is not in a comparison's sums: the release set it aside
 * (duplicate, year_unknown: reports.set_aside), it lacks the table the comparison adds up
 * (no_table), or its region lies above the level the comparison groups at or is unknown
 * (outside_groups). `counted` is the rest: the reports the groups add up.
 */
export const ACCOUNTING_REASONS = ['counted', 'duplicate', 'year_unknown', 'no_table', 'outside_groups'] as const;
export type AccountingReason = (typeof ACCOUNTING_REASONS)[number];

/**
 * Every report of the comparison's scope that its filter selects, by where it went: one query
 * over report_index with the comparison's own conditions (years, place, agencies, kinds,
 * levels, layout), each report in exactly one reason.
 */
export async function comparisonAccounting(session: Session, q: ComparisonQuery): Promise<Record<AccountingReason, number>> {
  const params: Params = { scope: q.scope };
  const where = ['scope = $scope', ...placeConditions(q.filter, params), ...yearClauses(q.filter, 0, params)];
  if (q.filter.layout) {
    params.layout = q.filter.layout;
    where.push('layout = $layout');
  }
  const table = q.subject === 'applications' ? 'has_applications' : q.subject === 'review' ? 'has_review' : 'true';
  const grouped = q.groupBy.includes('region') ? `${REGION_COLUMN[q.regionLevel]} IS NULL` : 'false';
  const rows = await session.query<{ reason: AccountingReason; n: number }>(
    `SELECT CASE WHEN NOT counted THEN coalesce(set_aside, 'duplicate')
                 WHEN NOT ${table} THEN 'no_table'
                 WHEN ${grouped} THEN 'outside_groups'
                 ELSE 'counted' END AS reason, count(*)::INTEGER AS n
     FROM report_index WHERE ${where.join(' AND ')} GROUP BY ALL`,
    params,
  );
  const out = Object.fromEntries(ACCOUNTING_REASONS.map((r) => [r, 0])) as Record<AccountingReason, number>;
  for (const r of rows) out[r.reason] = r.n;
  return out;
}
