/**
 * Agencies: one per agency_id (the same agency across years, whatever its title's wording).
 */
import { builder } from '../builder.ts';
import { countAgencies, listAgencies } from '../data/agencies.ts';
import { AgencyKindEnum, AgencyLevelEnum } from './codes.ts';
import { connectionComplexity, offsetConnection } from './pagination.ts';
import { RegionRef, regionFilter } from './regions.ts';
import { AgencyRef, ReportFilterInput, ReportRef, reportConnection, reportFilter } from './reports.ts';

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
    region: t.string({ description: 'A region code: agencies of that region or under it' }),
    kinds: t.field({ type: [AgencyKindEnum] }),
    levels: t.field({ type: [AgencyLevelEnum] }),
    nameSearch: t.string({ description: 'A substring of the name, e.g. 民政' }),
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
    description: 'Agencies by region subtree, kind, level and name, ordered by id',
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
