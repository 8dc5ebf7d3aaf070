/**
 * The numbers behind a chart, asked of the same comparison engine the GraphQL API uses
 * (api/data/comparisons.ts), so a chart and its query in GraphiQL always agree.
 */
import { pinyin } from 'pinyin-pro';
import { APPLICANT_COLUMNS } from '../../pipeline/model/codes.ts';
import { runComparison, type ComparisonFilter, type ComparisonQuery, type RegionLevel, type Scope } from '../data/comparisons.ts';
import type { Session } from '../data/db.ts';
import type { RegionIndex, RegionRow } from '../data/regions.ts';
import { OUTCOME_SERIES, type ChartMeasure } from './measures.ts';

export type ChartKind = 'outcomes' | 'trend' | 'ranking' | 'agencies' | 'applicants';
export const CHART_KINDS: readonly ChartKind[] = ['outcomes', 'trend', 'ranking', 'agencies', 'applicants'];

/** A chart's question, checked (params.ts). */
export interface ChartRequest {
  kind: ChartKind;
  regions: RegionRow[];
  yearFrom: number;
  yearTo: number;
  measure: ChartMeasure;
  scope: Scope;
  agencyKinds: string[] | null;
  top: number;
  lang: 'zh' | 'en';
  title: string | null;
  width: number;
  height: number | null;
}

/** One datum of a chart: a category (region, year, applicant), a series and a value. */
export interface Datum {
  category: string;
  /** Sort key of the category (region code, year). */
  key: string;
  series: string;
  seriesKey: string;
  value: number | null;
}

export interface ChartData {
  data: Datum[];
  /** Reports the numbers come from. */
  reports: number;
}

export const CHILD_LEVEL: Record<string, RegionLevel | null> = { province: 'city', city: 'county', county: null };

/** Region suffixes and their English words, longest first. */
const SUFFIXES: [string, string][] = [
  ['自治县', 'Autonomous County'],
  ['自治州', 'Autonomous Prefecture'],
  ['自治区', 'Autonomous Region'],
  ['回族区', 'Hui District'],
  ['区', 'District'],
  ['县', 'County'],
  ['市', 'City'],
  ['省', 'Province'],
  ['旗', 'Banner'],
];

/** A region's name in the chart's language: 涧西区, or Jianxi District (pinyin). */
export function regionLabel(r: RegionRow, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return r.display_name;
  const [suffix, word] = SUFFIXES.find(([s]) => r.display_name.endsWith(s) && r.display_name.length > s.length) ?? ['', ''];
  const stem = r.display_name.slice(0, r.display_name.length - suffix.length);
  const romanized = pinyin(stem, { toneType: 'none', type: 'array' }).join('');
  return `${romanized.charAt(0).toUpperCase()}${romanized.slice(1)}${word ? ` ${word}` : ''}`;
}

const name = regionLabel;

function baseQuery(req: ChartRequest, region: RegionRow, overrides: Partial<ComparisonQuery>): ComparisonQuery {
  const filter: ComparisonFilter = {
    region: region.code,
    regionOf: region.level as RegionLevel,
    yearFrom: req.yearFrom,
    yearTo: req.yearTo,
    agencyKinds: req.agencyKinds,
  };
  return {
    subject: 'applications',
    filter,
    scope: req.scope,
    groupBy: [],
    regionLevel: 'county',
    includeDerived: false,
    applicant: 'total',
    outcomeGroups: null,
    check: 'identity',
    rank: null,
    limit: 1000,
    measures: null,
    ...overrides,
  };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function chartData(session: Session, regions: RegionIndex, req: ChartRequest): Promise<ChartData> {
  const [region] = req.regions;
  switch (req.kind) {
    case 'outcomes': {
      const level = CHILD_LEVEL[region.level]!;
      const q = baseQuery(req, region, { groupBy: ['region'], regionLevel: level, measures: ['reports', 'total_processed', ...OUTCOME_SERIES.map((s) => s.measure)] });
      const { rows } = await runComparison(session, q);
      const data: Datum[] = [];
      for (const row of rows) {
        const child = regions.get(String(row.region));
        if (!child) continue;
        for (const s of OUTCOME_SERIES) data.push({ category: name(child, req.lang), key: child.code, series: req.lang === 'zh' ? s.zh : s.en, seriesKey: s.key, value: num(row[s.measure]) });
      }
      return { data, reports: rows.reduce((a, r) => a + Number(r.reports ?? 0), 0) };
    }
    case 'trend': {
      const data: Datum[] = [];
      let reports = 0;
      for (const r of req.regions) {
        const q = baseQuery(req, r, { subject: req.measure.subject, groupBy: ['year'], measures: ['reports', req.measure.measure] });
        const { rows } = await runComparison(session, q);
        for (const row of rows) {
          data.push({ category: String(row.year), key: String(row.year), series: name(r, req.lang), seriesKey: r.code, value: num(row[req.measure.measure]) });
          reports += Number(row.reports ?? 0);
        }
      }
      return { data, reports };
    }
    case 'ranking': {
      const level = CHILD_LEVEL[region.level]!;
      const q = baseQuery(req, region, {
        subject: req.measure.subject,
        groupBy: ['region'],
        regionLevel: level,
        measures: ['reports', req.measure.measure],
        rank: { by: req.measure.measure, top: req.top, order: 'desc', within: [] },
      });
      const { rows } = await runComparison(session, q);
      const data: Datum[] = [];
      for (const row of rows) {
        const child = regions.get(String(row.region));
        if (!child) continue;
        data.push({ category: name(child, req.lang), key: child.code, series: req.lang === 'zh' ? req.measure.zh : req.measure.en, seriesKey: req.measure.name, value: num(row[req.measure.measure]) });
      }
      return { data, reports: rows.reduce((a, r) => a + Number(r.reports ?? 0), 0) };
    }
    case 'agencies': {
      // The top agencies of the region and everything under it, by the measure.
      const q = baseQuery(req, region, {
        subject: req.measure.subject,
        groupBy: ['agency'],
        measures: ['reports', req.measure.measure],
        rank: { by: req.measure.measure, top: req.top, order: 'desc', within: [] },
      });
      const { rows } = await runComparison(session, q);
      const names = rows.map((row) => String(row.ag_name ?? row.agency));
      const data: Datum[] = rows.map((row, i) => ({
        // Two agencies of one name (an ambiguous region's) stay two bars.
        category: names.indexOf(names[i]) === names.lastIndexOf(names[i]) ? names[i] : `${names[i]} (${String(row.agency)})`,
        key: String(row.agency),
        series: req.lang === 'zh' ? req.measure.zh : req.measure.en,
        seriesKey: req.measure.name,
        value: num(row[req.measure.measure]),
      }));
      return { data, reports: rows.reduce((a, r) => a + Number(r.reports ?? 0), 0) };
    }
    case 'applicants': {
      const q = baseQuery(req, region, { groupBy: ['applicant_type'], measures: ['reports', 'new_received'] });
      const { rows } = await runComparison(session, q);
      const data: Datum[] = [];
      APPLICANT_COLUMNS.filter((c) => c.code !== 'total').forEach((col, i) => {
        const row = rows.find((r) => r.applicant_type === col.code);
        const label = req.lang === 'zh' ? col.zh.replace('法人或其他组织·', '') : col.en;
        data.push({ category: label, key: String(i).padStart(2, '0'), series: req.lang === 'zh' ? '新收申请' : 'New applications', seriesKey: 'new_received', value: num(row?.new_received) });
      });
      return { data, reports: Math.max(0, ...rows.map((r) => Number(r.reports ?? 0))) };
    }
  }
}
