/**
 * Who published a report: the agency's name split into its region (GB/T 2260) and what it is
 * (government, general office, department, township, other), a stable id to join one agency
 * across years, and whether the report speaks for the agency alone or sums a whole area.
 *
 * The agency_id scheme — `<region>.<kind>[.<name>]`, deterministic and readable:
 *
 *   region  the 6-digit code when it is known (from the manifest, or inferred uniquely):
 *             410305
 *           `~` + the place as written when the name's place is ambiguous or not in the table:
 *             ~新华区 (three 新华区), ~测试市 (no such region)
 *           `<code>~<place>` when only a parent is known: 410000~测试市 (河南省测试市…)
 *           `~` alone when the name carries no place at all (区政府办公室 with no context)
 *   kind    government | general_office | dept.<department> | township.<township> | other.<name>
 *
 * e.g. 410305.general_office, 410305.dept.教育局, 410305.township.重庆路街道,
 * 350128.other.管委会, ~城关区.dept.教育局. The parts come from the normalised name, so the
 * writings of one agency meet: with or without the city and province (洛阳市涧西区… / 涧西区…),
 * full-width letters and spaces, 人民政府办公室 / 政府办公室 / 政府办, 发改委 / 发展和改革委员会.
 * Two agencies never share an id unless their region is unknown in the same way.
 *
 * The region, in order of trust: the manifest's region_code; the name itself; for a name with
 * no place (区政府办公室), the same agency named with its place in the title or the opening
 * prose; for an ambiguous name, the one candidate whose province or city the title or prose
 * names; last, the source URL's .gov.cn host when it leaves exactly one region. Otherwise the
 * region stays 'ambiguous' (with its candidates) or 'unresolved'. `region_source` and a warning
 * say which evidence was used.
 *
 * Scope is conservative: 'region_summary' only for a government (or a zone's 管委会) whose
 * opening prose says it sums the area (SUMMARY_EVIDENCE: 汇总…各有关单位, 本报告由…汇总,
 * 全市共受理…申请). A general office or a department is always 'agency', even when it speaks
 * for its government (上海市人民政府办公厅: 代表市政府共受理); 全市各级行政机关扎实推进… alone
 * is not evidence, since a government's own report says it too.
 */
import { departmentStem, officialDepartment } from './aliases.ts';
import type { ManifestRow } from './manifest.ts';
import { findRegionsByPinyin, regionsFromHost } from './region-hosts.ts';
import {
  cleanRegionText,
  findRegionMentions,
  isWithin,
  loadRegions,
  regionNameForms,
  resolveRegionFromText,
  type RegionLevel,
  type RegionMatch,
} from './regions.ts';

export type AgencyKind = 'government' | 'general_office' | 'department' | 'township' | 'other';
export type AgencyLevel = RegionLevel | 'township';
export type RegionStatus = 'manifest' | 'resolved' | 'ambiguous' | 'unresolved';
/** Where the region came from: the manifest, the name itself, or context used to pick or find it. */
export type RegionSource = 'manifest' | 'name' | 'title' | 'text' | 'host';
export type AgencyScope = 'agency' | 'region_summary';

export type AgencyWarningCode =
  | 'agency_missing'
  | 'region_ambiguous'
  | 'region_unresolved'
  | 'region_approximate'
  | 'region_not_gbt2260'
  | 'region_name_variant'
  | 'region_from_title'
  | 'region_from_text'
  | 'region_from_host'
  | 'region_conflict'
  | 'region_host_conflict'
  | 'kind_assumed';

export interface AgencyWarning {
  code: AgencyWarningCode;
  message: string;
}

export interface AgencyInput {
  /** The agency as the parser read it (title or opening sentence). */
  agency: string | null;
  title?: string | null;
  /** The opening prose of the report; only its first OPENING_CHARS characters are read. */
  text?: string | null;
  manifest?: ManifestRow | null;
  sourceUrl?: string | null;
}

export interface NormalizedAgency {
  agency_id: string;
  name: string;
  region_code: string | null;
  region_candidates: string[];
  region_status: RegionStatus;
  region_source: RegionSource | null;
  agency_kind: AgencyKind;
  level: AgencyLevel | null;
  scope: AgencyScope;
  /** The sentence fragment that made the report a region summary. */
  scope_evidence: string | null;
  warnings: AgencyWarning[];
}

/** How much of the report's text counts as its opening (where 汇总/全市共受理 are stated). */
const OPENING_CHARS = 4000;

// ---------------------------------------------------------------------------------------------
// Tables. Each variant of a name is one row.

/** Characters that end a region name: 区 in 区政府办公室, 县 in 孟津县 (now 孟津区). */
const LEVEL_CHARS = '省市区县州旗盟';

/** Words that start with a level character but are not one: 市场监督管理局, 市政, 区域. */
const NOT_LEVEL_WORDS: readonly string[] = ['市场', '市政', '市容', '市民', '区域', '县域', '州际'];

/** Level of an unknown place from its last character; 市 and 区 say too little to guess. */
const LEVEL_BY_SUFFIX: readonly [suffix: string, level: RegionLevel][] = [
  ['自治区', 'province'],
  ['省', 'province'],
  ['自治州', 'city'],
  ['州', 'city'],
  ['盟', 'city'],
  ['县', 'county'],
  ['旗', 'county'],
];

/** A place the table does not know, at the start of a name: 测试市 in 测试市人民政府. */
const UNKNOWN_PLACE = /^(\p{Script=Han}{2,6}?(?:自治区|自治州|自治县|省|市|区|县|州|盟|旗))/u;
/** After a known region, an unknown place must be followed by one of these (河南省测试市人民政府). */
const UNKNOWN_PLACE_FOLLOWERS = /^(?:(?:人民)?政府|管委会|管理委员会|$)/;

/**
 * What the rest of the name (after the region) says the agency is, first match wins. `key`
 * builds the kind part of the agency_id from the match.
 */
const KIND_RULES: readonly { kind: AgencyKind; pattern: RegExp; key: (m: RegExpMatchArray) => string }[] = [
  // 人民政府办公室, 人民政府办公厅 (provinces), 政府办公室, 政府办.
  { kind: 'general_office', pattern: /^(?:人民)?政府办(?:公室|公厅)?$/, key: () => 'general_office' },
  // The office of a zone's 管委会 plays the general office's part there.
  { kind: 'general_office', pattern: /^(?:党工委)?(?:管理委员会|管委会)办公室$/, key: () => 'general_office' },
  { kind: 'government', pattern: /^(?:人民)?政府$/, key: () => 'government' },
  // A 盟 or 地区 is governed by a 行政公署, the province's agency in the area.
  { kind: 'government', pattern: /^行政公署$/, key: () => 'government' },
  // A zone's management committee governs the zone but is no 人民政府.
  { kind: 'other', pattern: /^(?:党工委)?(?:管理委员会|管委会)$/, key: () => 'other.管委会' },
  { kind: 'township', pattern: /^(.+?(?:镇|乡|苏木))(?:人民)?政府$/, key: (m) => `township.${m[1]}` },
  { kind: 'township', pattern: /^(.+?街道)(?:办事处|办)?$/, key: (m) => `township.${m[1]}` },
  {
    kind: 'department',
    pattern: /^(?:人民)?(?:政府)?(.+(?:局|委员会|委|厅|办公室|办|署))$/,
    key: (m) => `dept.${canonicalDepartment(m[1])}`,
  },
  { kind: 'other', pattern: /^(?:人民)?(?:政府)?(.+)$/, key: (m) => `other.${m[1]}` },
];

/** Words around the agency in a title: the year and the name of the report. */
const TITLE_NOISE: readonly RegExp[] = [
  /(?:19|20)\d{2}年度?/g,
  // The 政府 of 政府信息公开 goes, unless it ends 人民政府 (…人民政府信息公开工作年度报告).
  /(?:(?<!人民)政府)?信息公开(?:工作)?(?:年度)?报告$/,
  /(?:工作)?年度报告$/,
  /年报$/,
];

/**
 * Evidence in the opening prose that a report sums all agencies of an area. Read only for a
 * government or a zone's 管委会; one agency's own report never says these things.
 */
const SUMMARY_EVIDENCE: readonly { rule: string; pattern: RegExp }[] = [
  // 汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成
  { rule: 'compiled_from_units', pattern: /汇总[^。；]{0,40}?(?:各有关单位|各部门|各单位|各级行政机关|各乡镇|各街道|各县|各区|所属单位)/ },
  // 由各部门报送…汇总编制
  { rule: 'units_compiled', pattern: /(?:各有关单位|各部门|各单位|各级行政机关|各乡镇)[^。；]{0,40}?汇总(?:编制|而成|形成)/ },
  // 本报告由区政府办公室汇总编制
  { rule: 'compiled_by', pattern: /本(?:年度)?报告(?:是)?由[^。；]{0,40}?汇总/ },
  // 全市共受理政府信息公开申请3119件
  { rule: 'area_applications', pattern: /全(?:省|市|区|县|旗|州|盟)[^。；，]{0,12}?(?:共|累计|合计)(?:受理|收到|新收)[^。；]{0,12}?申请/ },
];

// ---------------------------------------------------------------------------------------------
// The name alone (cached: a corpus repeats a few thousand names).

interface ParsedName {
  match: RegionMatch;
  /** The place as written, level character included (涧西区, 孟津县, 测试市). */
  placeText: string;
  /** A place the table does not know (测试市), '' otherwise. */
  unknownPlace: string;
  /** The level character of a name that names no place (区 in 区政府办公室). */
  levelChar: string;
  kind: AgencyKind;
  key: string;
  kindAssumed: boolean;
  /** 孟津县 written for 孟津区 (renamed in 2021). */
  variant: string | null;
}

const parseCache = new Map<string, ParsedName>();
const PARSE_CACHE_LIMIT = 200_000;

/** A department's name as agency ids write it: the official one (aliases.ts: 发改委 → 发展和改革委员会). */
export function canonicalDepartment(name: string): string {
  return officialDepartment(name);
}

function classifyRest(rest: string): { kind: AgencyKind; key: string } | null {
  for (const rule of KIND_RULES) {
    const m = rest.match(rule.pattern);
    if (m) return { kind: rule.kind, key: rule.key(m) };
  }
  return null;
}

function startsWithLevelChar(text: string): boolean {
  return text.length > 1 && LEVEL_CHARS.includes(text[0]) && !NOT_LEVEL_WORDS.some((w) => text.startsWith(w));
}

function parseName(name: string): ParsedName {
  const cached = parseCache.get(name);
  if (cached) return cached;
  // Brackets hold asides (（区外事办）); they are not part of what the agency is.
  const clean = cleanRegionText(name).replace(/\([^()]*\)/g, '');
  const match = resolveRegionFromText(clean);
  let rest = clean.slice(match.matched.length);
  let placeText = match.matched;
  let unknownPlace = '';
  let levelChar = '';
  let variant: string | null = null;

  if (match.matched && match.form === 'short' && startsWithLevelChar(rest)) {
    // 孟津县人民政府: 孟津 is read as 孟津区, the 县 is the old unit.
    placeText += rest[0];
    if (match.region && !match.region.name.endsWith(rest[0])) variant = `${placeText} is written for ${match.region.name}`;
    rest = rest.slice(1);
  }
  const place = UNKNOWN_PLACE.exec(rest)?.[1];
  if (place && (!match.matched || UNKNOWN_PLACE_FOLLOWERS.test(rest.slice(place.length)))) {
    unknownPlace = place;
    placeText = place;
    rest = rest.slice(place.length);
  }
  if (!match.matched && !unknownPlace && startsWithLevelChar(rest)) {
    // 区政府办公室, 县教育局: the place is left out, only its level is written.
    levelChar = rest[0];
    rest = rest.slice(1);
  } else {
    rest = rest.replace(/^[省市区县州旗盟](?=(?:人民)?政府)/, '');
  }

  let kind: AgencyKind;
  let key: string;
  let kindAssumed = false;
  if (rest === '') {
    const zone = match.region !== null && (!match.region.gbt2260 || match.approximate !== null);
    // A bare zone name (平潭综合实验区) stands for its 管委会; a bare place name for its government.
    kind = zone ? 'other' : placeText ? 'government' : 'other';
    key = zone ? 'other.管委会' : placeText ? 'government' : 'other';
    kindAssumed = !zone && placeText !== '';
  } else {
    ({ kind, key } = classifyRest(rest)!);
  }
  const parsed: ParsedName = { match, placeText, unknownPlace, levelChar, kind, key, kindAssumed, variant };
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(name, parsed);
  return parsed;
}

/** The agency's name from a report title: without the year and the words 政府信息公开工作年度报告. */
export function agencyFromTitle(title: string): string {
  let name = cleanRegionText(title);
  for (const noise of TITLE_NOISE) name = name.replace(noise, '');
  return name;
}

// ---------------------------------------------------------------------------------------------
// The region, with context.

function fullName(code: string): string {
  const chain = loadRegions().ancestors(code);
  const names: string[] = [];
  for (const r of chain) if (names.at(-1) !== r.displayName) names.push(r.displayName);
  return `${code} ${names.join('')}`;
}

/** Same place, or one within the other. */
function related(a: string, b: string): boolean {
  return a === b || isWithin(a, b) || isWithin(b, a);
}

/** The names a candidate's province and city are written with (河北省, 河北, 石家庄市, 石家庄). */
function ancestorNames(code: string): string[] {
  return loadRegions()
    .ancestors(code)
    .slice(0, -1)
    .flatMap((r) => regionNameForms(r))
    .filter((f) => f.form === 'official' || f.form === 'short')
    .map((f) => f.text);
}

interface RegionDecision {
  code: string | null;
  candidates: string[];
  status: RegionStatus;
  source: RegionSource | null;
  warnings: AgencyWarning[];
}

function decideRegion(parsed: ParsedName, input: AgencyInput, title: string, opening: string): RegionDecision {
  const warnings: AgencyWarning[] = [];
  const inferred = parsed.unknownPlace ? [] : parsed.match.candidates.map((r) => r.code);
  const manifestCode = input.manifest?.region_code;
  if (manifestCode) {
    if (inferred.length > 0 && !inferred.some((c) => related(c, manifestCode))) {
      warnings.push({
        code: 'region_conflict',
        message: `the manifest gives ${fullName(manifestCode)}, the name reads as ${inferred.map(fullName).join(' or ')}; the manifest wins`,
      });
    }
    return { code: manifestCode, candidates: [manifestCode], status: 'manifest', source: 'manifest', warnings };
  }

  let candidates = inferred;
  let source: RegionSource | null = candidates.length > 0 ? 'name' : null;

  if (candidates.length === 0 && !parsed.unknownPlace && !parsed.placeText) {
    // The name names no place (区政府办公室): look for the same agency, with its place, in the
    // title and then in the opening prose.
    const fromTitle = title ? parseName(title) : null;
    if (fromTitle && fromTitle.key === parsed.key && fromTitle.match.region && !fromTitle.unknownPlace) {
      candidates = [fromTitle.match.region.code];
      source = 'title';
      warnings.push({ code: 'region_from_title', message: `the name has no place; the title names ${fullName(candidates[0])}` });
    } else {
      const found = regionFromMentions(parsed, opening);
      if (found) {
        candidates = [found.code];
        source = 'text';
        warnings.push({ code: 'region_from_text', message: `the name has no place; the report's text names this agency in ${fullName(found.code)} ("${found.quote}")` });
      }
    }
  }

  if (candidates.length > 1) {
    const evidence = title + opening;
    const named = candidates.filter((c) => ancestorNames(c).some((n) => evidence.includes(n)));
    if (named.length === 1) {
      warnings.push({
        code: 'region_from_text',
        message: `${parsed.placeText} may be ${candidates.map(fullName).join(', ')}; the title or text names the province or city of ${fullName(named[0])}`,
      });
      candidates = named;
      source = 'text';
    }
  }

  const url = input.sourceUrl ?? input.manifest?.source_url;
  const host = url ? regionsFromHost(url) : null;
  if (host && host.candidates.length > 0 && !parsed.unknownPlace) {
    const hostCodes = host.candidates.map((r) => r.code);
    if (candidates.length === 0 && !parsed.placeText && hostCodes.length === 1) {
      candidates = hostCodes;
      source = 'host';
      warnings.push({ code: 'region_from_host', message: `the name has no place; the only region the host ${host.host} names is ${fullName(hostCodes[0])}` });
    } else if (candidates.length > 1) {
      const narrowed = candidates.filter((c) => hostCodes.some((h) => related(c, h)));
      if (narrowed.length === 1) {
        warnings.push({
          code: 'region_from_host',
          message: `${parsed.placeText} may be ${candidates.map(fullName).join(', ')}; of these only ${fullName(narrowed[0])} matches the host ${host.host}`,
        });
        candidates = narrowed;
        source = 'host';
      }
    } else if (candidates.length === 1 && hostCodes.length === 1 && !related(candidates[0], hostCodes[0])) {
      warnings.push({
        code: 'region_host_conflict',
        message: `the name reads as ${fullName(candidates[0])} but the host ${host.host} names ${fullName(hostCodes[0])}; the name wins`,
      });
    }
  }

  if (candidates.length === 1) return { code: candidates[0], candidates, status: 'resolved', source, warnings };
  if (candidates.length > 1) {
    warnings.push({
      code: 'region_ambiguous',
      message: `${parsed.placeText} may be ${candidates.map(fullName).join(', ')}; give region_code in manifest.csv`,
    });
    return { code: null, candidates, status: 'ambiguous', source, warnings };
  }
  const what = parsed.unknownPlace
    ? `${parsed.unknownPlace} is not a GB/T 2260 region${parsed.match.region ? ` within ${fullName(parsed.match.region.code)}` : ''}`
    : 'the name names no place and the context does not either';
  warnings.push({ code: 'region_unresolved', message: `${what}; give region_code in manifest.csv` });
  return { code: null, candidates: [], status: 'unresolved', source: null, warnings };
}

/**
 * For a name without a place (区政府办公室): the first place in the opening prose followed by
 * the same agency (涧西区人民政府办公室坚决贯彻…), of the level the name shows (区).
 */
function regionFromMentions(parsed: ParsedName, opening: string): { code: string; quote: string } | null {
  for (const mention of findRegionMentions(opening)) {
    const region = mention.match.region;
    if (!region) continue;
    if (parsed.levelChar && !region.name.endsWith(parsed.levelChar)) continue;
    const after = opening.slice(mention.index + mention.match.matched.length, mention.index + mention.match.matched.length + 24);
    for (let len = after.length; len >= 2; len--) {
      const what = classifyRest(after.slice(0, len).replace(/^[省市区县州旗盟](?=(?:人民)?政府)/, ''));
      if (what && what.kind !== 'other' && what.key === parsed.key) {
        return { code: region.code, quote: mention.match.matched + after.slice(0, len) };
      }
    }
  }
  return null;
}

function summaryEvidence(opening: string): string | null {
  for (const { pattern } of SUMMARY_EVIDENCE) {
    const m = opening.match(pattern);
    if (m) return m[0];
  }
  return null;
}

function levelOf(parsed: ParsedName, code: string | null, candidates: string[]): AgencyLevel | null {
  if (parsed.kind === 'township') return 'township';
  const { byCode } = loadRegions();
  if (code) return byCode.get(code)?.level ?? null;
  const levels = new Set(candidates.map((c) => byCode.get(c)?.level));
  if (levels.size === 1) return [...levels][0] ?? null;
  if (parsed.unknownPlace) return LEVEL_BY_SUFFIX.find(([suffix]) => parsed.unknownPlace.endsWith(suffix))?.[1] ?? null;
  return null;
}

function regionPart(parsed: ParsedName, decision: RegionDecision): string {
  if (decision.code) return decision.code;
  if (parsed.unknownPlace) return `${parsed.match.region?.code ?? ''}~${parsed.unknownPlace}`;
  return `~${parsed.placeText}`;
}

/**
 * Normalises one report's agency. Pure: the result depends only on the input (lookups are
 * cached, which changes nothing but speed).
 */
export function normalizeAgency(input: AgencyInput): NormalizedAgency {
  const title = input.title ? cleanRegionText(input.title) : '';
  const opening = input.text ? cleanRegionText(input.text.slice(0, OPENING_CHARS)) : '';
  const written = [input.manifest?.agency, input.agency].find((n) => n && cleanRegionText(n) !== '');
  const name = written ? cleanRegionText(written) : title ? agencyFromTitle(title) : '';

  const warnings: AgencyWarning[] = [];
  if (!name) warnings.push({ code: 'agency_missing', message: 'neither the manifest, the report nor its title names the agency' });
  const parsed = parseName(name);
  const decision = decideRegion(parsed, input, title ? agencyFromTitle(title) : '', opening);
  warnings.push(...decision.warnings);

  const region = decision.code ? loadRegions().byCode.get(decision.code) : undefined;
  if (parsed.variant && decision.source === 'name') warnings.push({ code: 'region_name_variant', message: parsed.variant });
  if (parsed.match.approximate && decision.source === 'name') {
    warnings.push({ code: 'region_approximate', message: `${parsed.match.approximate}: an approximate match` });
  }
  if (region && !region.gbt2260) {
    warnings.push({ code: 'region_not_gbt2260', message: `${fullName(region.code)} is an NBS statistical code (a development zone), not a GB/T 2260 region` });
  }
  if (parsed.kindAssumed) warnings.push({ code: 'kind_assumed', message: `"${name}" names only a place; read as its 人民政府` });

  const speaksForArea = parsed.kind === 'government' || parsed.key === 'other.管委会';
  const evidence = speaksForArea && opening ? summaryEvidence(opening) : null;

  return {
    agency_id: `${regionPart(parsed, decision)}.${parsed.key}`,
    name,
    region_code: decision.code,
    region_candidates: decision.candidates,
    region_status: decision.status,
    region_source: decision.source,
    agency_kind: parsed.kind,
    level: levelOf(parsed, decision.code, decision.candidates),
    scope: evidence ? 'region_summary' : 'agency',
    scope_evidence: evidence,
    warnings,
  };
}


// ---------------------------------------------------------------------------------------------
// A name as someone searching writes it: the same reading, for the API's agency search.

export interface AgencyNameQuery {
  /** The text as read (cleaned: full-width forms and spaces folded). */
  text: string;
  /** The regions the name's place can mean, sorted by code (empty: no place, or one not in the table). */
  regions: string[];
  /** How the place was read: from its characters (涧西区) or its pinyin (jianxi). */
  placeBy: 'name' | 'pinyin' | null;
  /** A place the table does not know (测试市). */
  unknownPlace: string | null;
  /** The level character of a name that leaves its place out (区 in 区政府办). */
  levelChar: string | null;
  /**
   * The kind part of the agency ids the name means (general_office, dept.发展和改革委员会,
   * township.重庆路街道); null when it names only a place, or words no rule reads as a kind.
   */
  key: string | null;
  /** For a department: its official name without its unit, shared with the same department at other levels (住房和城乡建设 for 住建局 and 住建厅). */
  departmentStem: string | null;
  /** What follows the place, as written: for a plain substring match. */
  words: string;
}

/**
 * Reads a searched name by the rules that read a report's agency (parseName, the alias table,
 * the region names), so that a name finds the agency_id the pipeline gives the same name:
 * 涧西区政府办公室 and 洛阳市涧西区人民政府办公室 → 410305 + general_office; 发改委 → no place +
 * dept.发展和改革委员会; 区政府办 → a district's general office; jianxi → 410305, no kind.
 */
export function readAgencyQuery(text: string): AgencyNameQuery {
  const clean = cleanRegionText(text);
  const spelled = findRegionsByPinyin(clean);
  if (spelled.length > 0) {
    return { text: clean, regions: spelled.map((r) => r.code), placeBy: 'pinyin', unknownPlace: null, levelChar: null, key: null, departmentStem: null, words: '' };
  }
  const parsed = parseName(clean);
  const regions = parsed.unknownPlace ? [] : parsed.match.candidates.map((r) => r.code);
  // What follows the place: the name less the place as written (and the level character of a
  // name without one).
  const placeLength = parsed.unknownPlace ? clean.indexOf(parsed.unknownPlace) + parsed.unknownPlace.length : parsed.placeText.length;
  const words = clean.slice(placeLength + (parsed.levelChar ? 1 : 0)).replace(/\([^()]*\)/g, '');
  // A place alone is read as its government by the identity step; a search for it means all its
  // agencies. Words no rule reads as a kind (民政) stay words.
  const named = words !== '' && (parsed.kind !== 'other' || parsed.key === 'other.管委会');
  const key = named ? parsed.key : null;
  return {
    text: clean,
    regions,
    placeBy: regions.length ? 'name' : null,
    unknownPlace: parsed.unknownPlace || null,
    levelChar: parsed.levelChar || null,
    key,
    departmentStem: key?.startsWith('dept.') ? departmentStem(key.slice('dept.'.length)) : null,
    words,
  };
}
