/**
 * The words around a chart, in Chinese or English: title, subtitle with the filter, the
 * source line naming the reports and the release version, a sentence for screen readers, and
 * the GraphQL query that asks the same question (for the "open in GraphiQL" link).
 */
import type { ChartData, ChartRequest } from './data.ts';
import { regionLabel } from './data.ts';
import { GENERATED_LABEL } from '../../pipeline/release/generated.ts';
import type { ChartText } from './specs.ts';

const CHILDREN_ZH: Record<string, string> = { province: '各市', city: '各区县' };
const CHILDREN_EN: Record<string, string> = { province: 'cities', city: 'districts and counties' };
const KIND_ZH: Record<string, string> = { government: '人民政府', general_office: '政府办公室', department: '部门', township: '乡镇街道', other: '其他机关' };

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const fmt = (n: number | null, share = false) => (n === null ? '—' : share ? `${(n * 100).toFixed(1)}%` : n.toLocaleString('en-US'));

/**
 * `generated`: the release holds generated sample data — the source line and the description
 * say so first, in the chart's language.
 */
export function chartText(req: ChartRequest, chart: ChartData, release: { version: string; generated: boolean }): ChartText {
  const version = release.version;
  const zh = req.lang === 'zh';
  const region = req.regions[0];
  const place = regionLabel(region, req.lang);
  const years = req.yearFrom === req.yearTo ? String(req.yearFrom) : `${req.yearFrom}–${req.yearTo}`;
  const m = zh ? req.measure.zh : req.measure.en;
  let title: string;
  switch (req.kind) {
    case 'outcomes':
      title = zh ? `${place}${CHILDREN_ZH[region.level]}政府信息公开申请办理结果（${years}年）` : `Outcomes of disclosure applications in ${place}'s ${CHILDREN_EN[region.level]}, ${years}`;
      break;
    case 'trend':
      title = zh ? `${req.regions.map((r) => regionLabel(r, 'zh')).join('、')}${m}（${years}年）` : `${m}: ${req.regions.map((r) => regionLabel(r, 'en')).join(', ')}, ${years}`;
      break;
    case 'ranking':
      title = zh ? `${place}${m}最多的${req.top}个${region.level === 'province' ? '市' : '区县'}（${years}年）` : `${place}: the ${req.top} ${region.level === 'province' ? 'cities' : 'districts and counties'} with the most ${m.toLowerCase()}, ${years}`;
      break;
    case 'agencies':
      title = zh ? `${place}${m}最多的${req.top}个机关（${years}年）` : `${place}: the ${req.top} agencies with the most ${m.toLowerCase()}, ${years}`;
      break;
    case 'applicants':
      title = zh ? `${place}政府信息公开申请人构成（${years}年）` : `Who asked ${place}'s agencies for information, ${years}`;
      break;
  }
  const kinds = req.agencyKinds ? (zh ? `；仅${req.agencyKinds.map((k) => KIND_ZH[k]).join('、')}` : `; ${req.agencyKinds.join(', ')} only`) : '';
  const scope = req.scope === 'agency' ? (zh ? '各机关本身的报告（不含区域汇总报告）' : "agencies' own reports (region summaries left out)") : zh ? '区域汇总报告' : 'region summary reports';
  const subtitle = zh ? `统计${scope}${kinds}，共 ${chart.reports} 份` : `${chart.reports} ${scope}${kinds}`;
  const source = release.generated
    ? zh
      ? `${GENERATED_LABEL.zh}：由 gongkai synth 生成的 ${chart.reports} 份报告，并非机关发布，不反映真实情况；Gongkai 数据版本 ${version}`
      : `${capitalise(GENERATED_LABEL.en)}: ${chart.reports} reports made by gongkai synth, published by no agency; Gongkai release ${version}`
    : zh
      ? `数据来源：各机关政府信息公开工作年度报告（${chart.reports} 份），Gongkai 数据版本 ${version}`
      : `Source: government information disclosure annual reports (${chart.reports}); Gongkai release ${version}`;

  const values = chart.data.filter((d) => d.value !== null);
  const top = [...values].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
  const share = Boolean(req.measure.share) && req.kind !== 'outcomes' && req.kind !== 'applicants';
  const description = !top
    ? zh
      ? '所选范围内没有数据。'
      : 'There are no figures for this selection.'
    : zh
      ? `${title}。共 ${new Set(chart.data.map((d) => d.category)).size} 项；最高为${top.category}${req.kind === 'outcomes' || req.kind === 'trend' ? `（${top.series}）` : ''}，${fmt(top.value, share)}。`
      : `${title}. ${new Set(chart.data.map((d) => d.category)).size} categories; highest: ${top.category}${req.kind === 'outcomes' || req.kind === 'trend' ? ` (${top.series})` : ''}, ${fmt(top.value, share)}.`;
  const flagged = release.generated ? (zh ? `${GENERATED_LABEL.zh}。${description}` : `${capitalise(GENERATED_LABEL.en)}. ${description}`) : description;
  return { title: req.title ?? title, subtitle, source, description: flagged };
}

const REVIEW_FIELDS: Record<string, string> = { review_total: 'review { total }', review_corrected: 'review { corrected total }', litigation_total: 'litigation { total }' };
const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The same question as a GraphQL query, for GraphiQL. */
export function graphqlFor(req: ChartRequest): string {
  const region = req.regions[0];
  const years = req.yearFrom === req.yearTo ? `year: ${req.yearFrom}` : `yearFrom: ${req.yearFrom}, yearTo: ${req.yearTo}`;
  const kinds = req.agencyKinds ? `, agencyKinds: [${req.agencyKinds.map((k) => k.toUpperCase()).join(', ')}]` : '';
  const filter = (code: string) => `filter: { region: "${code}", ${years}${kinds} }`;
  const scope = req.scope === 'agency' ? '' : `\n    scope: REGION_SUMMARY`;
  const child = region.level === 'province' ? 'CITY' : 'COUNTY';
  const field = req.measure.subject === 'review' ? 'reviewComparison' : req.measure.subject === 'proactive' ? 'proactiveComparison' : 'applicationComparison';
  const value = req.measure.subject === 'review' ? REVIEW_FIELDS[req.measure.measure] : camel(req.measure.measure);
  switch (req.kind) {
    case 'outcomes':
      return `query {\n  applicationComparison(\n    ${filter(region.code)}\n    groupBy: [REGION]\n    regionLevel: ${child}${scope}\n  ) {\n    groups { region { code name } reports totalProcessed granted partiallyGranted denied unavailable notProcessed otherHandling }\n  }\n}\n`;
    case 'trend':
      return req.regions
        .map((r, i) => `  r${i}: ${field}(\n    ${filter(r.code)}\n    groupBy: [YEAR]${scope}\n  ) {\n    groups { year reports ${value} }\n  }`)
        .join('\n')
        .replace(/^/, 'query {\n')
        .concat('\n}\n');
    case 'ranking':
      return `query {\n  ${field}(\n    ${filter(region.code)}\n    groupBy: [REGION]\n    regionLevel: ${child}\n    rank: { by: ${req.measure.measure.toUpperCase()}, top: ${req.top} }${scope}\n  ) {\n    groups { rank region { code name } reports ${value} }\n  }\n}\n`;
    case 'agencies':
      return `query {\n  ${field}(\n    ${filter(region.code)}\n    groupBy: [AGENCY]\n    rank: { by: ${req.measure.measure.toUpperCase()}, top: ${req.top} }${scope}\n  ) {\n    groups { rank agency { id name region { code name } } reports ${value} }\n  }\n}\n`;
    case 'applicants':
      return `query {\n  applicationComparison(\n    ${filter(region.code)}\n    groupBy: [APPLICANT_TYPE]${scope}\n  ) {\n    groups { applicantType { zh en } reports newReceived }\n  }\n}\n`;
  }
}
