/**
 * Comparisons: application outcomes, review and litigation, proactive disclosure and check
 * failures, aggregated over any filter and grouped by region (at a chosen level), year, agency
 * kind, agency level, layout — and for applications by applicant type and outcome — with
 * shares, year-over-year change and rankings.
 *
 * Region summaries and agency reports are never added together: `scope` is one value (default
 * AGENCY) and is not a dimension. Sums use printed values unless includeDerived is true.
 */
import { Kind, astFromValue, print, type FieldNode, type GraphQLArgument, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { builder } from '../builder.ts';
import type { ApiContext } from '../context.ts';
import {
  APPLICATION_DIMENSIONS,
  CASE_COLUMNS,
  estimatedGroups,
  CASE_ROWS,
  COMMON_DIMENSIONS,
  MEASURES,
  OUTCOME_BUCKETS,
  OUTCOME_ROWS,
  groupKey,
  hasPrevious,
  isOutcomeMeasure,
  runComparison,
  comparisonAccounting,
  ACCOUNTING_REASONS,
  type AccountingReason,
  type ComparisonQuery,
  type ComparisonRow,
  type Dimension,
  type MeasureDef,
  type RegionLevel,
  type Scope,
  type Subject,
} from '../data/comparisons.ts';
import { AGENCY_COLUMNS, type AgencyRow } from '../data/agencies.ts';
import { ApiError, badInput } from '../errors.ts';
import {
  AgencyKindEnum,
  AgencyLevelEnum,
  ApplicantTypeEnum,
  LabelRef,
  LayoutEnum,
  OutcomeGroupEnum,
  RegionLevelEnum,
  ScopeEnum,
  SortOrderEnum,
  CheckCodeEnum,
  applicantLabel,
  outcomeGroupLabel,
  rowLabel,
} from './codes.ts';
import { checkDistinct, checkRange, yearRange } from './inputs.ts';
import { RegionRef, regionCodeOf, regionFilter } from './regions.ts';
import { AgencyRef } from './reports.ts';

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const constant = (s: string) => s.toUpperCase();

// ---------------------------------------------------------------------------------------------
// Arguments

const ComparisonFilterInput = builder.inputType('ComparisonFilter', {
  description: 'Which reports a comparison adds up. Every field narrows; leave one out to not filter on it.',
  fields: (t) => ({
    region: t.string({
      description:
        'A region: reports of agencies in that region or under it. A 6-digit code (410300 = 洛阳市 with its districts and counties) or a name (洛阳市, 涧西区, 开封市鼓楼区, jianxi); a name several regions share is refused with its candidates',
    }),
    agencies: t.stringList({
      description: `Only these agencies (at most ${MAX_FILTER_AGENCIES}): ids (410305.general_office) or names as people write them (涧西区政府办公室, 河南省发改委; 民政局 within the filter's region), each of which must mean one agency — a name that means several is refused with its candidates`,
    }),
    year: t.int(),
    yearFrom: t.int(),
    yearTo: t.int(),
    agencyKinds: t.field({ type: [AgencyKindEnum] }),
    agencyLevels: t.field({ type: [AgencyLevelEnum] }),
    layout: t.field({ type: LayoutEnum, description: 'Only tables in this layout' }),
  }),
});

const dimensionDescriptions: Record<Dimension, string> = {
  agency: 'The agency (one agency_id: the same agency across years, whatever its title\'s wording), with its name, region and kind',
  region: 'The region at regionLevel (province, city or county) the agency belongs to; agencies above that level are left out',
  year: 'The year the report covers',
  agency_kind: 'government, general_office, department, township, other',
  agency_level: 'province, city, county, township',
  layout: 'The template of the table (2019 or 2021)',
  applicant_type: 'The six applicant columns of table 3 (自然人, 商业企业, …)',
  outcome_group: 'How applications ended: granted or partly (outcome), denied, unavailable, not processed, other',
  outcome: 'Each outcome row of table 3 (予以公开, 不予公开 1.属于国家秘密, …), with its group',
};

const dimensionEnum = (name: string, dims: readonly Dimension[]) =>
  builder.enumType(name, {
    values: Object.fromEntries(dims.map((d) => [constant(d), { value: d, description: dimensionDescriptions[d] }])) as Record<string, { value: Dimension }>,
  });

const ComparisonDimensionEnum = dimensionEnum('ComparisonDimension', COMMON_DIMENSIONS);
const ApplicationDimensionEnum = dimensionEnum('ApplicationDimension', APPLICATION_DIMENSIONS);

const measureEnum = (name: string, subject: Subject) =>
  builder.enumType(name, {
    values: Object.fromEntries(MEASURES[subject].map((m) => [constant(m.name), { value: m.name, description: m.description }])) as Record<string, { value: string }>,
  });

const MEASURE_ENUMS = {
  applications: measureEnum('ApplicationMeasure', 'applications'),
  review: measureEnum('ReviewMeasure', 'review'),
  proactive: measureEnum('ProactiveMeasure', 'proactive'),
  checks: measureEnum('CheckMeasure', 'checks'),
};

const rankInput = (name: string, subject: Subject, dims: typeof ComparisonDimensionEnum) =>
  builder.inputType(name, {
    description: 'Keep the top N groups by a measure (ties broken by the group key); within: rank separately inside each value of these dimensions',
    fields: (t) => ({
      by: t.field({ type: MEASURE_ENUMS[subject], required: true }),
      top: t.int({ required: true, defaultValue: 10 }),
      order: t.field({ type: SortOrderEnum, required: true, defaultValue: 'desc' }),
      within: t.field({ type: [dims], required: true, defaultValue: [] }),
    }),
  });

const RANK_INPUTS = {
  applications: rankInput('ApplicationRank', 'applications', ApplicationDimensionEnum),
  review: rankInput('ReviewRank', 'review', ComparisonDimensionEnum),
  proactive: rankInput('ProactiveRank', 'proactive', ComparisonDimensionEnum),
  checks: rankInput('CheckRank', 'checks', ComparisonDimensionEnum),
};

interface RawArgs {
  filter?: {
    region?: string | null;
    year?: number | null;
    yearFrom?: number | null;
    yearTo?: number | null;
    agencyKinds?: string[] | null;
    agencyLevels?: string[] | null;
    agencies?: string[] | null;
    layout?: string | null;
  } | null;
  scope: string;
  groupBy: string[];
  regionLevel: string;
  includeDerived: boolean;
  rank?: { by: string; top: number; order: string; within: string[] } | null;
  limit: number;
  applicant?: string | null;
  outcomeGroups?: string[] | null;
  check?: string | null;
}

/** Most agencies a comparison's filter may name. */
export const MAX_FILTER_AGENCIES = 100;

/**
 * The filter's agencies as ids: each id checked, each name read as a search is and accepted
 * when it means one agency (within the filter's region); otherwise BAD_USER_INPUT naming the
 * entry, with the candidates in `extensions.candidates`.
 */
async function filterAgencies(entries: readonly string[] | null | undefined, place: { region: string | null; regionOf: RegionLevel | null }, ctx: ApiContext): Promise<string[] | null> {
  if (!entries) return null;
  if (entries.length === 0 || entries.length > MAX_FILTER_AGENCIES) throw badInput(`"filter.agencies" must name 1 to ${MAX_FILTER_AGENCIES} agencies, got ${entries.length}`, 'filter.agencies');
  const ids = await Promise.all(
    entries.map(async (entry) => {
      const found = await ctx.state.agencyNames.find(ctx.session, entry, place);
      if ('id' in found) return found.id;
      const where = place.region ? ` in ${ctx.state.regions.get(place.region)?.name ?? place.region}` : '';
      if (found.total === 0) throw badInput(`"filter.agencies": no agency${where} is ${entry.includes('.') ? 'id' : 'named'} "${entry}": find agencies with agencies(filter: { nameSearch: … })`, 'filter.agencies');
      const list = found.candidates.map((a) => `${a.agency_id} ${a.name}`).join(', ');
      throw new ApiError('BAD_USER_INPUT', `"filter.agencies": "${entry}" may be ${found.total} agencies${where}: ${list}${found.total > found.candidates.length ? ', …' : ''}. Give the id, or a fuller name (with the region)`, {
        argument: 'filter.agencies',
        candidates: found.candidates.map((a) => ({ id: a.agency_id, name: a.name, match: a.match })),
        matches: found.total,
      });
    }),
  );
  checkDistinct(ids, 'filter.agencies');
  return ids;
}

/** GraphQL arguments → a checked ComparisonQuery (the CSV export goes through here too). */
export async function toComparisonQuery(subject: Subject, args: RawArgs, ctx: ApiContext): Promise<ComparisonQuery> {
  const f = args.filter ?? {};
  const years = yearRange(f, 'filter', ctx.state.yearSpan);
  const groupBy = args.groupBy as Dimension[];
  checkDistinct(groupBy, 'groupBy');
  const byOutcome = groupBy.includes('outcome') || groupBy.includes('outcome_group');
  const limits = ctx.state.limits;
  let rank: ComparisonQuery['rank'] = null;
  if (args.rank) {
    const within = args.rank.within as Dimension[];
    checkDistinct(within, 'rank.within');
    for (const d of within) if (!groupBy.includes(d)) throw badInput(`"rank.within" may only name dimensions of groupBy; ${constant(d)} is not in groupBy`, 'rank.within');
    if (isOutcomeMeasure(args.rank.by) && !byOutcome) throw badInput(`"rank.by" ${constant(args.rank.by)} needs OUTCOME or OUTCOME_GROUP in groupBy`, 'rank.by');
    rank = { by: args.rank.by, top: checkRange(args.rank.top, 1, limits.maxComparisonRows, 'rank.top'), order: args.rank.order === 'asc' ? 'asc' : 'desc', within };
  }
  const applicant = args.applicant ?? 'total';
  if (groupBy.includes('applicant_type') && applicant !== 'total') throw badInput('"applicant" must stay TOTAL when grouping by APPLICANT_TYPE', 'applicant');
  if (args.outcomeGroups && !byOutcome) throw badInput('"outcomeGroups" applies only when groupBy has OUTCOME or OUTCOME_GROUP', 'outcomeGroups');
  if (args.outcomeGroups) checkDistinct(args.outcomeGroups, 'outcomeGroups');
  const place = regionFilter(f.region, ctx.state.regions, 'filter.region');
  const agencies = await filterAgencies(f.agencies, place, ctx);
  const limit = checkRange(args.limit, 1, limits.maxComparisonRows, 'limit');
  const groups = estimatedGroups(
    { groupBy, regionLevel: args.regionLevel as RegionLevel, region: place.region, yearFrom: years.from, yearTo: years.to, agencies: agencies?.length, limit, rank },
    ctx.state,
  );
  return {
    subject,
    heavy: groups > limits.heavyRows,
    filter: {
      ...place,
      yearFrom: years.from,
      yearTo: years.to,
      agencyKinds: f.agencyKinds ?? null,
      agencyLevels: f.agencyLevels ?? null,
      agencies,
      layout: f.layout ?? null,
    },
    scope: args.scope as Scope,
    groupBy,
    regionLevel: args.regionLevel as RegionLevel,
    includeDerived: args.includeDerived,
    applicant,
    outcomeGroups: args.outcomeGroups ?? null,
    check: args.check ?? 'identity',
    rank,
    limit,
  };
}

/** Groups that count as one unit of a comparison's complexity. */
const GROUPS_PER_COST = 10;

/**
 * A comparison's complexity: 10, plus its selection (groups and all) times the groups it can
 * return in tens (estimatedGroups: its limit, or fewer when groupBy and the filter allow fewer).
 * Fifteen aliases of a 5,000-group comparison cost as much as they would send.
 */
function comparisonComplexity(args: RawArgs, ctx: ApiContext): { field: number; multiplier: number } {
  const f = args.filter ?? {};
  const groups = estimatedGroups(
    {
      groupBy: (args.groupBy ?? []) as Dimension[],
      regionLevel: (args.regionLevel ?? 'county') as RegionLevel,
      region: regionCodeOf(f.region, ctx.state.regions),
      agencies: f.agencies ? Math.min(f.agencies.length, MAX_FILTER_AGENCIES) : null,
      year: f.year,
      yearFrom: f.yearFrom,
      yearTo: f.yearTo,
      limit: Math.max(1, Math.min(args.limit ?? ctx.state.limits.defaultComparisonRows, ctx.state.limits.maxComparisonRows)),
      rank: args.rank ? { top: Math.max(1, args.rank.top), within: (args.rank.within ?? []) as Dimension[] } : null,
    },
    ctx.state,
  );
  return { field: 10, multiplier: Math.ceil(groups / GROUPS_PER_COST) };
}

// ---------------------------------------------------------------------------------------------
// Results

interface Comparison {
  query: ComparisonQuery;
  rows: ComparisonRow[];
  truncated: boolean;
  totalGroups: () => Promise<number>;
  /** The same comparison one year earlier, fetched once when a group asks for it. */
  prior: () => Promise<Prior | null>;
  /** Where each report the filter selects went (counted, or set aside and why), fetched once when asked for. */
  accounting: () => Promise<Record<AccountingReason, number>>;
  ctx: ApiContext;
  /** The field and its arguments as given, for csvUrl. */
  field: { name: string; args: Record<string, unknown>; defs: readonly GraphQLArgument[] };
}

interface Prior {
  comparison: Comparison;
  byKey: Map<string, ComparisonRow>;
}

interface Group {
  row: ComparisonRow;
  comparison: Comparison;
}

/** Most rows a year-over-year lookup fetches for the previous year. */
const PREVIOUS_ROWS = 100_000;

async function compare(query: ComparisonQuery, ctx: ApiContext, field: Comparison['field']): Promise<Comparison> {
  const { rows, truncated, totalGroups } = await runComparison(ctx.session, query, ctx.state.agencyRows);
  return makeComparison(query, ctx, field, rows, truncated, totalGroups);
}

function makeComparison(
  query: ComparisonQuery,
  ctx: ApiContext,
  field: Comparison['field'],
  rows: ComparisonRow[],
  truncated: boolean,
  totalGroups: () => Promise<number>,
): Comparison {
  let prior: Promise<Prior | null> | null = null;
  let accounting: Promise<Record<AccountingReason, number>> | null = null;
  const comparison: Comparison = {
    query,
    rows,
    truncated,
    totalGroups,
    ctx,
    field,
    prior: () => (prior ??= priorOf(comparison)),
    accounting: () => (accounting ??= comparisonAccounting(ctx.session, query)),
  };
  return comparison;
}

/**
 * The same groups one year earlier: the same query with its years shifted back by one, unranked.
 * Defined when the comparison is grouped by year or its filter has a closed year range.
 */
async function priorOf(c: Comparison): Promise<Prior | null> {
  const q = c.query;
  if (!hasPrevious(q)) return null;
  const shifted = shiftedQuery(q);
  const { rows, truncated, totalGroups } = await runComparison(c.ctx.session, shifted, c.ctx.state.agencyRows);
  return { comparison: makeComparison(shifted, c.ctx, c.field, rows, truncated, totalGroups), byKey: new Map(rows.map((r) => [groupKey(r, q.groupBy), r])) };
}

/** The query one year earlier: its years (or each group's year) shifted back by one. */
function shiftedQuery(q: ComparisonQuery): ComparisonQuery {
  const { yearFrom, yearTo } = q.filter;
  return { ...q, filter: { ...q.filter, yearFrom: yearFrom == null ? null : yearFrom - 1, yearTo: yearTo == null ? null : yearTo - 1 }, rank: null, limit: PREVIOUS_ROWS };
}

/** A comparison whose rows are fetched only if asked for (previous of previous). */
function lazyPrior(c: Comparison): Comparison {
  return makeComparison(shiftedQuery(c.query), c.ctx, c.field, [], false, async () => 0);
}

async function previousGroup(g: Group): Promise<Group | null> {
  const q = g.comparison.query;
  if ('prev_reports' in g.row) {
    // Fetched with the group, in the same statement (ComparisonQuery.withPrevious).
    if (g.row.prev_reports == null) return null;
    const row: ComparisonRow = { rank: null };
    for (const [k, v] of Object.entries(g.row)) {
      if (k.startsWith('prev_')) row[k.slice(5)] = v;
      else if ((q.groupBy as string[]).includes(k)) row[k] = k === 'year' ? Number(v) - 1 : v;
    }
    return { row, comparison: lazyPrior(g.comparison) };
  }
  const prior = await g.comparison.prior();
  if (!prior) return null;
  const row = prior.byKey.get(groupKey(g.row, q.groupBy, q.groupBy.includes('year') ? -1 : 0));
  return row ? { row, comparison: prior.comparison } : null;
}

/** A group's agency from the columns the comparison joined in (ag_<column>); null when it has none. */
function agencyOfRow(row: ComparisonRow): AgencyRow | null {
  if (row.ag_agency_id == null) return null;
  return Object.fromEntries(AGENCY_COLUMNS.map((c) => [c, row[`ag_${c}`]])) as unknown as AgencyRow;
}

const SET_ASIDE_REASONS: Record<Exclude<AccountingReason, 'counted'>, string> = {
  duplicate: 'Another report of the same agency, scope and year is counted instead (reports.counted_instead; the rule: reports.choice)',
  year_unknown: 'The year the report covers could not be read',
  no_table: 'The report lacks the table this comparison adds up (table 3 for applications, table 4 for review and litigation)',
  outside_groups: "Grouped by REGION: the agency's region lies above regionLevel (a city's own departments when grouping by county) or is unknown",
};

const SetAsideReasonEnum = builder.enumType('SetAsideReason', {
  description: 'Why a report the filter selects is not in a comparison\'s sums',
  values: Object.fromEntries(Object.entries(SET_ASIDE_REASONS).map(([code, description]) => [constant(code), { value: code, description }])) as Record<string, { value: string }>,
});

const SetAsideRef = builder.objectRef<{ reason: string; reports: number }>('SetAside').implement({
  description: 'Reports set aside for one reason',
  fields: (t) => ({
    reason: t.field({ type: SetAsideReasonEnum, resolve: (s) => s.reason }),
    reports: t.exposeInt('reports'),
    description: t.string({ resolve: (s) => SET_ASIDE_REASONS[s.reason as keyof typeof SET_ASIDE_REASONS] }),
  }),
});

const AccountingRef = builder.objectRef<Record<AccountingReason, number>>('ReportAccounting').implement({
  description: 'Where the reports a comparison\'s filter selects went: matched = counted + every setAside.reports',
  fields: (t) => ({
    matched: t.int({ description: 'Reports of the scope the filter selects (years, region, agencies, kinds, levels, layout)', resolve: (a) => ACCOUNTING_REASONS.reduce((n, r) => n + a[r], 0) }),
    counted: t.int({ description: 'Reports added up in the groups: the sum of the groups\' `reports`, before limit and rank', resolve: (a) => a.counted }),
    setAside: t.field({
      type: [SetAsideRef],
      description: 'The other reports, by reason (every reason, 0 included). List the duplicates with reports(filter: { counted: false })',
      resolve: (a) => ACCOUNTING_REASONS.filter((r) => r !== 'counted').map((reason) => ({ reason, reports: a[reason] })),
    }),
  }),
});

const ChangeRef = builder.objectRef<{ current: number | null; previous: number | null }>('Change').implement({
  description: 'A measure against the same group one year earlier',
  fields: (t) => ({
    current: t.exposeFloat('current', { nullable: true }),
    previous: t.exposeFloat('previous', { nullable: true }),
    absolute: t.float({ nullable: true, description: 'current − previous', resolve: (c) => (c.current == null || c.previous == null ? null : c.current - c.previous) }),
    relative: t.float({
      nullable: true,
      description: '(current − previous) / previous; null when previous is 0',
      resolve: (c) => (c.current == null || c.previous == null || c.previous === 0 ? null : (c.current - c.previous) / c.previous),
    }),
  }),
});

interface OutcomeCount {
  outcome: { code: string; zh: string; en: string };
  group: { code: string; zh: string; en: string };
  applications: number | null;
  share: number | null;
}

const OutcomeCountRef = builder.objectRef<OutcomeCount>('OutcomeCount').implement({
  description: 'Applications that ended one way, and their share of all processed (total_processed)',
  fields: (t) => ({
    outcome: t.field({ type: LabelRef, description: 'The outcome row (or the group, in outcomeGroups)', resolve: (o) => o.outcome }),
    group: t.field({ type: LabelRef, resolve: (o) => o.group }),
    applications: t.exposeInt('applications', { nullable: true }),
    share: t.exposeFloat('share', { nullable: true }),
  }),
});

const num = (row: ComparisonRow, name: string) => (row[name] == null ? null : Number(row[name]));
const shareOf = (row: ComparisonRow, v: number | null) => {
  const total = num(row, 's_total_processed');
  return v == null || !total ? null : v / total;
};

function outcomeCounts(row: ComparisonRow, group: string | null): OutcomeCount[] {
  return OUTCOME_ROWS.filter((r) => !group || r.group === group)
    .map((r) => ({ r, v: num(row, `s_${r.code}`) }))
    .filter(({ v }) => v != null)
    .map(({ r, v }) => ({ outcome: rowLabel('applications', r.code, null), group: outcomeGroupLabel(r.group), applications: v, share: shareOf(row, v) }));
}

function groupType(name: string, subject: Subject, description: string) {
  const ref = builder.objectRef<Group>(name);
  const measure = MEASURE_ENUMS[subject];
  ref.implement({
    description,
    fields: (t) => ({
      region: t.field({
        type: RegionRef,
        nullable: true,
        description: 'The group\'s region (when grouped by REGION)',
        resolve: (g, _, ctx) => (g.row.region ? (ctx.state.regions.get(String(g.row.region)) ?? null) : null),
      }),
      agency: t.field({
        type: AgencyRef,
        nullable: true,
        description: "The group's agency (when grouped by AGENCY)",
        resolve: (g, _, ctx) => (g.row.agency == null ? null : (agencyOfRow(g.row) ?? ctx.loaders.agency.load(String(g.row.agency)))),
      }),
      year: t.int({ nullable: true, resolve: (g) => num(g.row, 'year') }),
      agencyKind: t.field({ type: AgencyKindEnum, nullable: true, resolve: (g) => (g.row.agency_kind ?? null) as 'government' | null }),
      agencyLevel: t.field({ type: AgencyLevelEnum, nullable: true, resolve: (g) => (g.row.agency_level ?? null) as 'city' | null }),
      layout: t.field({ type: LayoutEnum, nullable: true, resolve: (g) => (g.row.layout ?? null) as '2021' | null }),
      rank: t.int({ nullable: true, description: 'Position by rank.by (1 = first), when ranked', resolve: (g) => num(g.row, 'rank') }),
      reports: t.int({ description: 'Reports added up in this group', resolve: (g) => Number(g.row.reports) }),
      previous: t.field({
        type: ref,
        nullable: true,
        complexity: 10,
        description: 'The same group one year earlier (grouped by YEAR: year − 1; otherwise the filter\'s years shifted back by one; null without either)',
        resolve: (g) => previousGroup(g),
      }),
      change: t.field({
        type: ChangeRef,
        nullable: true,
        complexity: 10,
        description: 'A measure against the same group one year earlier',
        args: { measure: t.arg({ type: measure, required: true }) },
        resolve: async (g, args) => {
          const prev = await previousGroup(g);
          return { current: num(g.row, args.measure as string), previous: prev ? num(prev.row, args.measure as string) : null };
        },
      }),
    }),
  });
  return ref;
}

/**
 * One field per measure of a subject: counts of applications, cases and reports are Int (a sum
 * over every report of a release stays far below 2^31); shares, amounts and the counts of table 2
 * are Float (licences and penalties added up over a country and years can pass 2^31).
 */
function measureFields(ref: ReturnType<typeof groupType>, measures: readonly MeasureDef[], intCounts: boolean) {
  builder.objectFields(ref, (t) =>
    Object.fromEntries(
      measures
        .filter((m) => m.name !== 'reports')
        .map((m) => [
          camel(m.name),
          intCounts && m.kind === 'count'
            ? t.int({ nullable: true, description: m.description, deprecationReason: m.deprecated, resolve: (g) => num(g.row, m.name) })
            : t.float({ nullable: true, description: m.description, deprecationReason: m.deprecated, resolve: (g) => num(g.row, m.name) }),
        ]),
    ),
  );
}

const ApplicationGroupRef = groupType('ApplicationGroup', 'applications', 'Table 3 added up over one group of reports (the `total` column unless grouped by applicant type or filtered to one)');
measureFields(ApplicationGroupRef, MEASURES.applications, true);
builder.objectFields(ApplicationGroupRef, (t) => ({
  applicantType: t.field({ type: LabelRef, nullable: true, resolve: (g) => (g.row.applicant_type ? applicantLabel(String(g.row.applicant_type)) : null) }),
  outcomeGroup: t.field({
    type: LabelRef,
    nullable: true,
    description: 'The outcome group (when grouped by OUTCOME_GROUP, or by OUTCOME: the group of the outcome)',
    resolve: (g) => {
      const code = g.row.outcome_group ?? OUTCOME_ROWS.find((r) => r.code === g.row.outcome)?.group;
      return code ? outcomeGroupLabel(String(code)) : null;
    },
  }),
  outcome: t.field({ type: LabelRef, nullable: true, resolve: (g) => (g.row.outcome ? rowLabel('applications', String(g.row.outcome), null) : null) }),
  outcomeGroups: t.field({
    type: [OutcomeCountRef],
    description: 'Processed applications by outcome group: granted or partly, denied, unavailable, not processed, other',
    resolve: (g) =>
      OUTCOME_BUCKETS.map((b) => {
        const values = outcomeCounts(g.row, b.code).map((o) => o.applications ?? 0);
        const v = values.length ? values.reduce((a, x) => a + x, 0) : null;
        const label = outcomeGroupLabel(b.code);
        return { outcome: label, group: label, applications: v, share: shareOf(g.row, v) };
      }),
  }),
  outcomes: t.field({
    type: [OutcomeCountRef],
    description: 'Processed applications by outcome row; with `top`, the largest first (ties in template order)',
    args: { group: t.arg({ type: OutcomeGroupEnum }), top: t.arg.int() },
    resolve: (g, args) => {
      const list = outcomeCounts(g.row, args.group ?? null);
      if (args.top == null) return list;
      checkRange(args.top, 1, 50, 'top');
      return [...list].sort((a, b) => (b.applications ?? 0) - (a.applications ?? 0)).slice(0, args.top);
    },
  }),
}));

interface CaseFigures {
  row: ComparisonRow;
  prefix: string;
}
const CaseFiguresRef = builder.objectRef<CaseFigures>('CaseFigures').implement({
  description: 'Cases by result (结果维持, 结果纠正, 其他结果, 尚未审结, 总计) and the corrected share',
  fields: (t) =>
    Object.fromEntries(
      CASE_COLUMNS.map((col) => [
        camel(col),
        col === 'corrected_share'
          ? t.float({ nullable: true, resolve: (c: CaseFigures) => num(c.row, `${c.prefix}_${col}`) })
          : t.int({ nullable: true, resolve: (c: CaseFigures) => num(c.row, `${c.prefix}_${col}`) }),
      ]),
    ),
});

const ReviewGroupRef = groupType('ReviewGroup', 'review', 'Table 4 (administrative review and litigation) added up over one group of reports');
builder.objectFields(ReviewGroupRef, (t) =>
  Object.fromEntries(
    CASE_ROWS.map((cr) => [camel(cr.name), t.field({ type: CaseFiguresRef, description: cr.description, resolve: (g: Group) => ({ row: g.row, prefix: cr.name }) })]),
  ),
);

const ProactiveGroupRef = groupType('ProactiveGroup', 'proactive', 'Table 2 (proactive disclosure) and the items published, added up over one group of reports');
measureFields(ProactiveGroupRef, MEASURES.proactive, false);

const CheckGroupRef = groupType('CheckGroup', 'checks', 'How many reports of one group pass or fail a check');
measureFields(CheckGroupRef, MEASURES.checks, true);

// ---------------------------------------------------------------------------------------------
// The comparison objects and the query fields

/** An argument's default as GraphQL literal text ('' when it has none), printed once. */
const printedDefaults = new WeakMap<GraphQLArgument, string>();
function printedDefault(def: GraphQLArgument): string {
  let text = printedDefaults.get(def);
  if (text === undefined) {
    const ast = def.defaultValue === undefined ? undefined : astFromValue(def.defaultValue, def.type);
    text = ast ? print(ast) : '';
    printedDefaults.set(def, text);
  }
  return text;
}

/** Groups whose fields are resolved in one turn of the event loop. */
const GROUPS_PER_TURN = 200;

/**
 * A comparison's groups, resolved a few hundred per turn of the event loop: resolving and
 * serialising 5,000 groups at once would hold the server's one JavaScript thread for a good part
 * of a second, and every other request — cached answers too — would wait behind it. Items of a
 * list that are promises are completed by graphql-js when they resolve, so each chunk's fields are
 * resolved in a turn of its own, with other requests' I/O handled in between.
 */
function inTurns<T>(items: readonly T[]): (T | Promise<T>)[] {
  if (items.length <= GROUPS_PER_TURN) return [...items];
  const out: (T | Promise<T>)[] = items.slice(0, GROUPS_PER_TURN);
  let turn: Promise<void> = Promise.resolve();
  for (let i = GROUPS_PER_TURN; i < items.length; i += GROUPS_PER_TURN) {
    turn = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    const chunk = turn;
    for (const item of items.slice(i, i + GROUPS_PER_TURN)) out.push(chunk.then(() => item));
  }
  return out;
}

/** The export URL of a comparison: each argument written as in GraphQL. */
function csvUrl(c: Comparison): string {
  const params = new URLSearchParams({ field: c.field.name });
  for (const def of c.field.defs) {
    const value = c.field.args[def.name];
    if (value === undefined || value === null) continue;
    const ast = astFromValue(value, def.type);
    const text = ast && print(ast);
    if (text && text !== printedDefault(def)) params.set(def.name, text);
  }
  return `${c.ctx.baseUrl}/export/comparison.csv?${params.toString()}`;
}

function comparisonType(name: string, groupRef: ReturnType<typeof groupType>, dims: typeof ComparisonDimensionEnum, description: string) {
  return builder.objectRef<Comparison>(name).implement({
    description,
    fields: (t) => ({
      scope: t.field({ type: ScopeEnum, resolve: (c) => c.query.scope }),
      includeDerived: t.boolean({ resolve: (c) => c.query.includeDerived }),
      groupBy: t.field({ type: [dims], resolve: (c) => c.query.groupBy }),
      regionLevel: t.field({ type: RegionLevelEnum, resolve: (c) => c.query.regionLevel }),
      totalGroups: t.int({ description: 'Groups before `limit` (after ranking)', resolve: (c) => c.totalGroups() }),
      truncated: t.boolean({ description: 'True when `limit` cut groups off', resolve: (c) => c.truncated }),
      accounting: t.field({
        type: AccountingRef,
        complexity: 5,
        description: 'Every report of the scope that the filter selects, in exactly one place: counted in the groups (all of them, before limit and rank), or set aside with its reason',
        resolve: (c) => c.accounting(),
      }),
      // Priced by the comparison field (comparisonComplexity), not by a default list multiplier.
      groups: t.field({ type: [groupRef], complexity: { field: 1, multiplier: 1 }, resolve: (c) => inTurns(c.rows.map((row) => ({ row, comparison: c }))) }),
      csvUrl: t.string({ description: 'The same comparison as CSV (UTF-8 with BOM), every group and measure', resolve: (c) => csvUrl(c) }),
    }),
  });
}

const ApplicationComparisonRef = comparisonType('ApplicationComparison', ApplicationGroupRef, ApplicationDimensionEnum, 'Applications and how they were handled, compared across groups');
const ReviewComparisonRef = comparisonType('ReviewComparison', ReviewGroupRef, ComparisonDimensionEnum, 'Administrative review and litigation, compared across groups');
const ProactiveComparisonRef = comparisonType('ProactiveComparison', ProactiveGroupRef, ComparisonDimensionEnum, 'Proactive disclosure volumes, compared across groups');
const CheckComparisonRef = comparisonType('CheckComparison', CheckGroupRef, ComparisonDimensionEnum, 'Accounting-check failures, compared across groups');

/** The field name of each subject's comparison (the CSV export's `field`). */
export const COMPARISON_FIELDS: Record<string, Subject> = {
  applicationComparison: 'applications',
  reviewComparison: 'review',
  proactiveComparison: 'proactive',
  checkComparison: 'checks',
};

/**
 * Runs a comparison field from already coerced arguments (GraphQL or the CSV export). With
 * `info`, only the measures the query selects are computed; without (CSV), all of them.
 */
export async function resolveComparison(
  fieldName: string,
  args: Record<string, unknown>,
  defs: readonly GraphQLArgument[],
  ctx: ApiContext,
  info?: GraphQLResolveInfo,
): Promise<Comparison> {
  const subject = COMPARISON_FIELDS[fieldName];
  const query = await toComparisonQuery(subject, args as unknown as RawArgs, ctx);
  if (info) Object.assign(query, selectedMeasures(subject, info));
  else query.breakdown = false;
  return compare(query, ctx, { name: fieldName, args, defs });
}

const MEASURE_BY_FIELD = Object.fromEntries(
  (Object.keys(MEASURES) as Subject[]).map((subject) => [subject, new Map(MEASURES[subject].map((m) => [camel(m.name), m.name]))]),
) as Record<Subject, Map<string, string>>;
const CASE_FIELDS = new Map(CASE_ROWS.map((cr) => [camel(cr.name), cr.name]));

/** The measures a comparison's selection asks for (in groups, previous, change), and whether it asks for outcome breakdowns. */
function selectedMeasures(subject: Subject, info: GraphQLResolveInfo): Pick<ComparisonQuery, 'measures' | 'breakdown' | 'withPrevious'> {
  const measures = new Set<string>();
  let breakdown = false;
  let withPrevious = false;
  const selectionsOf = (set: SelectionSetNode | undefined): FieldNode[] =>
    (set?.selections ?? []).flatMap((sel) =>
      sel.kind === Kind.FIELD ? [sel] : sel.kind === Kind.INLINE_FRAGMENT ? selectionsOf(sel.selectionSet) : selectionsOf(info.fragments[sel.name.value]?.selectionSet),
    );
  const measureArg = (field: FieldNode): string | null => {
    const arg = field.arguments?.find((a) => a.name.value === 'measure');
    if (!arg) return null;
    const v = arg.value.kind === Kind.VARIABLE ? info.variableValues[arg.value.name.value] : arg.value.kind === Kind.ENUM ? arg.value.value.toLowerCase() : null;
    return typeof v === 'string' ? v : null;
  };
  const group = (set: SelectionSetNode | undefined) => {
    for (const field of selectionsOf(set)) {
      const name = field.name.value;
      const measure = MEASURE_BY_FIELD[subject].get(name);
      if (measure) measures.add(measure);
      else if (name === 'previous') {
        withPrevious = true;
        group(field.selectionSet);
      } else if (name === 'change') {
        withPrevious = true;
        const m = measureArg(field);
        if (m) measures.add(m);
      } else if (name === 'outcomeGroups' || name === 'outcomes') breakdown = true;
      else if (subject === 'review' && CASE_FIELDS.has(name)) {
        for (const sub of selectionsOf(field.selectionSet)) measures.add(`${CASE_FIELDS.get(name)}_${sub.name.value.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`);
      }
    }
  };
  for (const node of info.fieldNodes) for (const field of selectionsOf(node.selectionSet)) if (field.name.value === 'groups') group(field.selectionSet);
  return { measures: [...measures], breakdown, withPrevious };
}

builder.queryFields((t) => {
  const common = (dims: typeof ComparisonDimensionEnum, subject: Subject) => ({
    filter: t.arg({ type: ComparisonFilterInput, description: 'Which reports to add up' }),
    scope: t.arg({ type: ScopeEnum, required: true, defaultValue: 'agency', description: 'AGENCY (default) or REGION_SUMMARY: one kind of report, never both' }),
    groupBy: t.arg({ type: [dims], required: true, defaultValue: [], description: 'Dimensions to group by; none: one group of everything' }),
    regionLevel: t.arg({ type: RegionLevelEnum, required: true, defaultValue: 'county', description: 'The level REGION groups at' }),
    includeDerived: t.arg.boolean({
      required: true,
      defaultValue: false,
      description: 'false (default): printed values only. true: where a cell was printed unusable and the pipeline derived its value (derivedValue), use that',
    }),
    rank: t.arg({ type: RANK_INPUTS[subject] }),
    limit: t.arg.int({ required: true, defaultValue: 1000, description: 'Most groups returned (at most 5000)' }),
  });
  const field = <A extends Record<string, unknown>>(name: string, type: typeof ApplicationComparisonRef, description: string, args: A) =>
    t.field({
      type,
      description,
      args: args as never,
      complexity: (a, ctx) => comparisonComplexity(a as unknown as RawArgs, ctx),
      resolve: (_, a, ctx, info) => resolveComparison(name, a as Record<string, unknown>, info.parentType.getFields()[info.fieldName].args, ctx, info),
    });
  return {
    applicationComparison: field('applicationComparison', ApplicationComparisonRef, 'Applications received and how they ended (table 3), added up and compared', {
      ...common(ApplicationDimensionEnum, 'applications'),
      applicant: t.arg({ type: ApplicantTypeEnum, required: true, defaultValue: 'total', description: 'Which column of table 3 to add up' }),
      outcomeGroups: t.arg({ type: [OutcomeGroupEnum], description: 'With OUTCOME or OUTCOME_GROUP in groupBy: keep only these outcome groups' }),
    }),
    reviewComparison: field('reviewComparison', ReviewComparisonRef, 'Administrative review and litigation cases (table 4), added up and compared', common(ComparisonDimensionEnum, 'review')),
    proactiveComparison: field(
      'proactiveComparison',
      ProactiveComparisonRef,
      'Proactive disclosure (table 2: documents issued, decisions) and items published, added up and compared. issued (2021) and made (2019) count as one measure',
      common(ComparisonDimensionEnum, 'proactive'),
    ),
    checkComparison: field('checkComparison', CheckComparisonRef, 'Reports passing and failing an accounting check, added up and compared', {
      ...common(ComparisonDimensionEnum, 'checks'),
      check: t.arg({ type: CheckCodeEnum, required: true, defaultValue: 'identity' }),
    }),
  };
});
