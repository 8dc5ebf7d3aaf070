/**
 * Regions as a hierarchy: province → city → county (GB/T 2260), from the release's regions
 * table held in memory.
 */
import { builder } from '../builder.ts';
import type { RegionRow } from '../data/regions.ts';
import { badInput } from '../errors.ts';
import { RegionLevelEnum } from './codes.ts';
import { connectionComplexity, offsetConnection } from './pagination.ts';

export const RegionRef = builder.objectRef<RegionRow>('Region');

RegionRef.implement({
  description: 'A GB/T 2260 region present in the release (or an ancestor of one)',
  fields: (t) => ({
    code: t.exposeString('code', { description: '6-digit GB/T 2260 code, e.g. 410305' }),
    name: t.exposeString('name', { description: 'Official name, e.g. 涧西区' }),
    displayName: t.exposeString('display_name', { description: "The name people write (the province for a municipality's 市辖区)" }),
    level: t.field({ type: RegionLevelEnum, resolve: (r) => r.level }),
    gbt2260: t.exposeBoolean('gbt2260', { description: 'False for NBS-only codes (development zones)' }),
    parent: t.field({ type: RegionRef, nullable: true, resolve: (r, _, ctx) => (r.parent ? (ctx.state.regions.get(r.parent) ?? null) : null) }),
    children: t.field({ type: [RegionRef], description: 'The regions directly under this one', resolve: (r, _, ctx) => ctx.state.regions.children(r.code) }),
    ancestors: t.field({ type: [RegionRef], description: 'From the province down to the parent', resolve: (r, _, ctx) => ctx.state.regions.ancestors(r.code) }),
  }),
});

const CODE = /^\d{6}$/;

/** A region argument: six digits and present in this release. */
export function checkRegion(code: string | null | undefined, regions: { get(code: string): RegionRow | undefined }, argument = 'region'): string | null {
  if (code == null) return null;
  if (!CODE.test(code)) throw badInput(`"${argument}" must be a 6-digit GB/T 2260 code such as 410305 (涧西区), got "${code}"`, argument);
  if (!regions.get(code)) throw badInput(`No region ${code} in this release: list them with regions(level: …, parent: …, nameSearch: …)`, argument);
  return code;
}

/** A filter's region (checked as checkRegion does) with its level, which decides the subtree column. */
export function regionFilter(code: string | null | undefined, regions: { get(code: string): RegionRow | undefined }, argument: string): { region: string | null; regionOf: RegionRow['level'] | null } {
  const region = checkRegion(code, regions, argument);
  return { region, regionOf: region ? regions.get(region)!.level : null };
}

builder.queryFields((t) => ({
  region: t.field({
    type: RegionRef,
    nullable: true,
    description: 'One region by its GB/T 2260 code (null when the release has no such region)',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_, { code }, ctx) => {
      if (!CODE.test(code)) throw badInput(`"code" must be a 6-digit GB/T 2260 code such as 410305, got "${code}"`, 'code');
      return ctx.state.regions.get(code) ?? null;
    },
  }),
  regions: t.connection({
    type: RegionRef,
    description: 'Regions by level, parent and name (a substring of the name, e.g. 洛阳)',
    args: {
      level: t.arg({ type: RegionLevelEnum }),
      parent: t.arg.string({ description: 'Code of the parent region' }),
      nameSearch: t.arg.string(),
    },
    complexity: connectionComplexity,
    resolve: (_, args, ctx) => {
      checkRegion(args.parent, ctx.state.regions, 'parent');
      const all = ctx.state.regions.search(args);
      return offsetConnection(
        args,
        ctx,
        async (limit, offset) => all.slice(offset, offset + limit),
        async () => all.length,
      );
    },
  }),
}));
