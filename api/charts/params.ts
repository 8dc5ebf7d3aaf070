/**
 * A chart URL's parameters → a checked ChartRequest, or a ChartError that says what is wrong
 * (and becomes a readable chart or page with a 4xx status, never a stack trace).
 */
import type { RegionIndex } from '../data/regions.ts';
import { resolveRegion } from '../schema/regions.ts';
import { CHART_KINDS, CHILD_LEVEL, type ChartKind, type ChartRequest } from './data.ts';
import { CHART_MEASURES, chartMeasure } from './measures.ts';

/**
 * What is wrong with a chart URL, in both languages: the error chart or page is in the language
 * the URL asked for (Chinese by default), as the chart would have been. `message` is the English.
 */
export class ChartError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
    readonly zh: string = message,
  ) {
    super(message);
  }

  text(lang: 'zh' | 'en'): string {
    return lang === 'zh' ? this.zh : this.message;
  }
}

const LEVEL_ZH: Record<string, string> = { province: '省级', city: '地级', county: '县级' };

const AGENCY_KINDS = ['government', 'general_office', 'department', 'township', 'other'];
/** Parameters every chart understands; anything else is refused (a typo should not be ignored). */
const KNOWN = new Set(['region', 'year', 'years', 'measure', 'scope', 'agencyKind', 'top', 'lang', 'title', 'width', 'height', 'release']);
const DEFAULT_MEASURE: Record<ChartKind, string> = { outcomes: 'processed', trend: 'applications', ranking: 'applications', agencies: 'applications', applicants: 'applications' };

function int(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ChartError(400, `${name} must be a whole number from ${min} to ${max}, got "${raw}"`, `${name} 应为 ${min} 至 ${max} 之间的整数，收到“${raw}”`);
  return n;
}

export function chartKind(text: string): ChartKind {
  if (!(CHART_KINDS as readonly string[]).includes(text)) throw new ChartError(404, `no chart "${text}": the charts are ${CHART_KINDS.join(', ')}`, `没有图表“${text}”：可用的图表为 ${CHART_KINDS.join('、')}`);
  return text as ChartKind;
}

/** The regions a chart URL names (region repeats, or commas), as written: codes or names. */
export function chartRegions(params: URLSearchParams): string[] {
  return params.getAll('region').flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
}

export function parseChartRequest(kind: ChartKind, params: URLSearchParams, regions: RegionIndex, years: { min: number; max: number }): ChartRequest {
  for (const name of params.keys()) if (!KNOWN.has(name)) throw new ChartError(400, `unknown parameter "${name}" (known: ${[...KNOWN].join(', ')})`, `未知参数“${name}”（可用参数：${[...KNOWN].join('、')}）`);
  const codes = chartRegions(params);
  if (codes.length === 0) {
    throw new ChartError(
      400,
      'region is required: a 6-digit GB/T 2260 code or a name, e.g. region=410300 or region=洛阳市',
      '缺少 region：6 位行政区划代码（GB/T 2260）或地区名称，例如 region=410300 或 region=洛阳市',
    );
  }
  if (codes.length > 8) throw new ChartError(400, `at most 8 regions in one chart, got ${codes.length}`, `一张图表最多 8 个地区，收到 ${codes.length} 个`);
  if (codes.length > 1 && kind !== 'trend') throw new ChartError(400, `only the trend chart takes several regions; ${kind} takes one`, `只有趋势图（trend）可以有多个地区；${kind} 只接受一个`);
  const found = codes.map((code) => {
    const r = resolveRegion(code, regions);
    if ('error' in r) throw new ChartError(r.candidates.length > 1 ? 400 : 404, `region: ${r.error}`, `region：${r.zh}`);
    return regions.get(r.code)!;
  });
  if ((kind === 'outcomes' || kind === 'ranking') && !CHILD_LEVEL[found[0].level]) {
    throw new ChartError(
      400,
      `${found[0].display_name} (${found[0].code}) is a ${found[0].level}: the ${kind} chart compares the regions under a province or city`,
      `${found[0].display_name}（${found[0].code}）是${LEVEL_ZH[found[0].level] ?? found[0].level}地区：${kind} 图表比较的是省或市下辖的地区`,
    );
  }

  let yearFrom: number;
  let yearTo: number;
  const range = params.get('years');
  if (kind === 'trend') {
    if (range) {
      const m = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(range);
      if (!m) throw new ChartError(400, `years must look like 2019-2024, got "${range}"`, `years 的格式应如 2019-2024，收到“${range}”`);
      yearFrom = Number(m[1]);
      yearTo = Number(m[2] ?? m[1]);
      if (yearTo < yearFrom) throw new ChartError(400, `years ${range} run backwards`, `年份范围 ${range} 起止颠倒`);
    } else {
      yearFrom = years.min;
      yearTo = years.max;
    }
  } else {
    if (range) throw new ChartError(400, `the ${kind} chart takes one year (year=2023), not years`, `${kind} 图表只接受一个年份（year=2023），不接受 years`);
    yearFrom = yearTo = int(params, 'year', years.max, 2000, 2100);
  }

  const measureName = params.get('measure') ?? DEFAULT_MEASURE[kind];
  const measure = chartMeasure(measureName);
  if (!measure) throw new ChartError(400, `unknown measure "${measureName}" (known: ${CHART_MEASURES.map((m) => m.name).join(', ')})`, `未知指标“${measureName}”（可用指标：${CHART_MEASURES.map((m) => m.name).join('、')}）`);
  if ((kind === 'outcomes' || kind === 'applicants') && params.has('measure')) throw new ChartError(400, `the ${kind} chart shows applications; it takes no measure`, `${kind} 图表显示申请数量，不接受 measure 参数`);

  const scope = params.get('scope') ?? 'agency';
  if (scope !== 'agency' && scope !== 'region_summary') throw new ChartError(400, `scope is agency or region_summary, got "${scope}"`, `scope 应为 agency 或 region_summary，收到“${scope}”`);
  const kinds = params.getAll('agencyKind').flatMap((k) => k.split(',')).filter(Boolean);
  for (const k of kinds) if (!AGENCY_KINDS.includes(k)) throw new ChartError(400, `agencyKind "${k}" is not one of ${AGENCY_KINDS.join(', ')}`, `agencyKind“${k}”不是 ${AGENCY_KINDS.join('、')} 之一`);
  const lang = params.get('lang') ?? 'zh';
  if (lang !== 'zh' && lang !== 'en') throw new ChartError(400, `lang is zh or en, got "${lang}"`, `lang 应为 zh 或 en，收到“${lang}”`);
  const title = params.get('title');
  if (title !== null && title.length > 120) throw new ChartError(400, 'title is at most 120 characters', 'title 最多 120 个字符');

  return {
    kind,
    regions: found,
    yearFrom,
    yearTo,
    measure,
    scope,
    agencyKinds: kinds.length ? kinds : null,
    top: int(params, 'top', 10, 1, 30),
    lang,
    title: title || null,
    width: int(params, 'width', 640, 240, 1600),
    height: params.has('height') ? int(params, 'height', 300, 120, 1600) : null,
  };
}

/** The request as a canonical query string (sorted, defaults included): for cache keys and links. */
export function canonicalQuery(req: ChartRequest): string {
  const p = new URLSearchParams();
  for (const r of req.regions) p.append('region', r.code);
  if (req.kind === 'trend') p.set('years', `${req.yearFrom}-${req.yearTo}`);
  else p.set('year', String(req.yearFrom));
  if (req.kind === 'trend' || req.kind === 'ranking' || req.kind === 'agencies') p.set('measure', req.measure.name);
  p.set('scope', req.scope);
  if (req.agencyKinds) p.set('agencyKind', req.agencyKinds.join(','));
  if (req.kind === 'ranking' || req.kind === 'agencies') p.set('top', String(req.top));
  p.set('lang', req.lang);
  if (req.title) p.set('title', req.title);
  p.set('width', String(req.width));
  if (req.height) p.set('height', String(req.height));
  return p.toString();
}
