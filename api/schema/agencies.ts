/**
 * Agencies: one per agency_id (the same agency across years, whatever its title's wording).
 */
import { builder } from '../builder.ts';
import { AGENCY_MATCHES, countAgencies, listAgencies } from '../data/agencies.ts';
import { AgencyKindEnum, AgencyLevelEnum } from './codes.ts';
import { connectionComplexity, offsetConnection } from './pagination.ts';
import { RegionRef, regionFilter } from './regions.ts';
import { AgencyRef, ReportFilterInput, ReportRef, reportConnection, reportFilter } from './reports.ts';

const MATCH_DESCRIPTIONS: Record<(typeof AGENCY_MATCHES)[number], string> = {
  exact: 'The agency the name means: its place and its kind (涧西区政府办公室 → 410305.general_office)',
  kind: 'The same kind of agency in the place named, or anywhere when the name gives no place (发改委)',
  department: 'The same department at another level (住建局 → 河南省住房和城乡建设厅)',
  place: 'An agency of the place the name gives without a kind (涧西区, jianxi): the place itself first',
  name: 'The name contains the words (after the place, if the name gives one): 民政 finds 民政局, not 人民政府',
};

const AgencyMatchEnum = builder.enumType('AgencyMatch', {
  description: 'How an agency matches a searched name, best first',
  values: Object.fromEntries(AGENCY_MATCHES.map((m) => [m.toUpperCase(), { value: m, description: MATCH_DESCRIPTIONS[m] }])) as Record<string, { value: (typeof AGENCY_MATCHES)[number] }>,
});

AgencyRef.implement({
  description: 'An agency that published at least one report in the release',
  fields: (t) => ({
    id: t.exposeString('agency_id', { description: 'e.g. 410305.general_office, 410000.dept.发展和改革委员会; ~ marks an ambiguous region' }),
    name: t.exposeString('name', { nullable: true, description: "The name in the agency's latest report that names it; null when none does" }),
    region: t.field({ type: RegionRef, nullable: true, resolve: (a, _, ctx) => (a.region_code ? (ctx.state.regions.get(a.region_code) ?? null) : null) }),
    kind: t.field({ type: AgencyKindEnum, resolve: (a) => a.agency_kind as 'government' }),
    level: t.field({ type: AgencyLevelEnum, nullable: true, resolve: (a) => a.level as 'city' | null }),
    firstYear: t.exposeInt('first_year', { nullable: true }),
    lastYear: t.exposeInt('last_year', { nullable: true }),
    reportCount: t.exposeInt('reports'),
    match: t.field({
      type: AgencyMatchEnum,
      nullable: true,
      description: 'In a name search (agencies(filter: { nameSearch })): how the agency matches the name; null otherwise',
      resolve: (a) => a.match ?? null,
    }),
    reports: t.connection({
      type: ReportRef,
      description: "This agency's reports, by year",
      args: { filter: t.arg({ type: ReportFilterInput, description: 'Narrows further (its agency field is ignored)' }) },
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => reportConnection({ ...reportFilter(args.filter, ctx), agency: a.agency_id }, args, ctx),
    }),
  }),
});

const AgencyFilterInput = builder.inputType('AgencyFilter', {
  fields: (t) => ({
    region: t.string({ description: 'A region: agencies of that region or under it. Its code (410300) or its name (洛阳市, 涧西区, jianxi)' }),
    kinds: t.field({ type: [AgencyKindEnum] }),
    levels: t.field({ type: [AgencyLevelEnum] }),
    nameSearch: t.string({
      description:
        "A name as people write it, read by the pipeline's own rules: with or without the city and province (涧西区政府办公室, 洛阳市涧西区人民政府办公室), short forms and abbreviations (发改委, 人社局, 区政府办), a place in pinyin (jianxi), or any part of the name (民政). Results come best match first (see Agency.match)",
    }),
  }),
});

builder.queryFields((t) => ({
  agency: t.field({
    type: AgencyRef,
    nullable: true,
    args: { id: t.arg.string({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.loaders.agency.load(id),
  }),
  agencies: t.connection({
    type: AgencyRef,
    description: 'Agencies by region subtree, kind, level and name: ordered by id, or with nameSearch best match first (exact, then the same kind, the same department at another level, the agencies of a place, names that contain the text; within each, the highest level first)',
    args: { filter: t.arg({ type: AgencyFilterInput }) },
    complexity: connectionComplexity,
    resolve: (_, args, ctx) => {
      const f = args.filter ?? {};
      const filter = { ...regionFilter(f.region, ctx.state.regions, 'filter.region'), agencyKinds: f.kinds, agencyLevels: f.levels, nameSearch: f.nameSearch };
      return offsetConnection(
        args,
        ctx,
        (limit, offset) => listAgencies(ctx.session, filter, limit, offset),
        () => countAgencies(ctx.session, filter),
      );
    },
  }),
}));
