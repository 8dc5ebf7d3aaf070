/**
 * Regions as a hierarchy: province → city → county (GB/T 2260), from the release's regions
 * table held in memory.
 */
import { builder } from '../builder.ts';
import type { RegionRow } from '../data/regions.ts';
import { findRegionsByPinyin } from '../../pipeline/normalize/region-hosts.ts';
import { findRegionsByName, loadRegions } from '../../pipeline/normalize/regions.ts';
import { ApiError, badInput } from '../errors.ts';
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

/** A region a name can mean, as an error lists it (it may not be in the release). */
interface RegionCandidate {
  code: string;
  /** From the province down: 河南省开封市鼓楼区. */
  name: string;
  /** False when no report of this release belongs to the region. */
  inRelease: boolean;
}

/**
 * A region argument: a 6-digit code, or a name as people write it — official or short, alone or
 * with its city and province (洛阳市, 洛阳, 涧西区, 开封市鼓楼区), or in pinyin (jianxi) — read
 * by the pipeline's region names (pipeline/normalize/regions.ts). A name several regions share
 * (鼓楼区) is refused with every candidate, so a client can offer the choice or retry with a
 * code; so is a region this release has no report of.
 */
export function resolveRegion(text: string, regions: { get(code: string): RegionRow | undefined }): { code: string } | { error: string; zh: string; candidates: RegionCandidate[] } {
  const t = text.trim();
  if (CODE.test(t)) {
    if (regions.get(t)) return { code: t };
    return { error: `no region ${t} in this release: list them with regions(level: …, parent: …, nameSearch: …)`, zh: `未知地区“${t}”：本数据版本没有属于它的报告`, candidates: [] };
  }
  if (/^\d+$/.test(t)) {
    return { error: `must be a 6-digit GB/T 2260 code such as 410305 (涧西区) or a region's name, got "${t}"`, zh: `应为 6 位 GB/T 2260 行政区划代码（如 410305 涧西区）或地区名称，收到“${t}”`, candidates: [] };
  }
  const byName = findRegionsByName(t);
  const found = byName.length ? byName : findRegionsByPinyin(t);
  const candidates = found.map((r) => ({ code: r.code, name: fullRegionName(r.code), inRelease: Boolean(regions.get(r.code)) }));
  if (found.length === 0) {
    return {
      error: `no region is named "${t}": give a 6-digit GB/T 2260 code or a region's name (洛阳市, 涧西区, jianxi)`,
      zh: `没有名为“${t}”的地区：请给出 6 位 GB/T 2260 行政区划代码或地区名称（洛阳市、涧西区、jianxi）`,
      candidates,
    };
  }
  if (found.length > 1) {
    const list = candidates.map((c) => `${c.code} ${c.name}${c.inRelease ? '' : ' (not in this release)'}`).join(', ');
    const listZh = candidates.map((c) => `${c.code} ${c.name}${c.inRelease ? '' : '（本数据版本中没有）'}`).join('、');
    const hint = candidates.find((c) => c.inRelease) ?? candidates[0];
    return {
      error: `"${t}" is the name of ${found.length} regions: ${list}. Give the code, or the name with its city or province (${hint.name})`,
      zh: `“${t}”是 ${found.length} 个地区的名称：${listZh}。请给出代码，或连同所属省、市的名称（${hint.name}）`,
      candidates,
    };
  }
  if (!candidates[0].inRelease) {
    return { error: `${candidates[0].code} ${candidates[0].name} has no report in this release`, zh: `${candidates[0].code} ${candidates[0].name}：本数据版本没有属于它的报告`, candidates };
  }
  return { code: found[0].code };
}

/** The names from the province down (河南省洛阳市涧西区), a municipality's 市辖区 left out. */
function fullRegionName(code: string): string {
  const names: string[] = [];
  for (const r of loadRegions().ancestors(code)) if (names.at(-1) !== r.displayName) names.push(r.displayName);
  return names.join('');
}

/**
 * A region argument, checked (resolveRegion): its code, or a BAD_USER_INPUT error naming the
 * argument, with `extensions.candidates` ({code, name, inRelease}) when the name means several.
 */
export function checkRegion(text: string | null | undefined, regions: { get(code: string): RegionRow | undefined }, argument = 'region'): string | null {
  if (text == null) return null;
  const r = resolveRegion(text, regions);
  if ('code' in r) return r.code;
  throw new ApiError('BAD_USER_INPUT', `"${argument}": ${r.error}`, { argument, ...(r.candidates.length ? { candidates: r.candidates } : {}) });
}

/** A filter's region (checked as checkRegion does) with its level, which decides the subtree column. */
export function regionFilter(code: string | null | undefined, regions: { get(code: string): RegionRow | undefined }, argument: string): { region: string | null; regionOf: RegionRow['level'] | null } {
  const region = checkRegion(code, regions, argument);
  return { region, regionOf: region ? regions.get(region)!.level : null };
}

/** The code a region argument stands for, or null when it stands for none or several (cost estimates run before arguments are checked). */
export function regionCodeOf(text: string | null | undefined, regions: { get(code: string): RegionRow | undefined }): string | null {
  if (text == null) return null;
  const r = resolveRegion(text, regions);
  return 'code' in r ? r.code : null;
}

builder.queryFields((t) => ({
  region: t.field({
    type: RegionRef,
    nullable: true,
    description:
      'One region by its GB/T 2260 code (null when the release has no such region) or its name (洛阳市, 涧西区, 开封市鼓楼区, jianxi; a name several regions share is refused with extensions.candidates)',
    args: { code: t.arg.string({ required: true, description: 'A 6-digit code, e.g. 410305, or a name' }) },
    resolve: (_, { code }, ctx) => (CODE.test(code.trim()) ? (ctx.state.regions.get(code.trim()) ?? null) : ctx.state.regions.get(checkRegion(code, ctx.state.regions, 'code')!)!),
  }),
  regions: t.connection({
    type: RegionRef,
    description: 'Regions by level, parent and name (a substring of the name, e.g. 洛阳)',
    args: {
      level: t.arg({ type: RegionLevelEnum }),
      parent: t.arg.string({ description: 'The parent region: its code or its name' }),
      nameSearch: t.arg.string(),
    },
    complexity: connectionComplexity,
    resolve: (_, args, ctx) => {
      const parent = checkRegion(args.parent, ctx.state.regions, 'parent');
      const all = ctx.state.regions.search({ ...args, parent });
      return offsetConnection(
        args,
        ctx,
        async (limit, offset) => all.slice(offset, offset + limit),
        async () => all.length,
      );
    },
  }),
}));
