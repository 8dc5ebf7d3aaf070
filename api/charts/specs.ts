/**
 * A chart's numbers → a Vega-Lite spec, as a pure function. Layouts are chosen for narrow
 * phones (320 px) as well as desktop columns (960 px): categories run down the side as
 * horizontal bars (Chinese labels read horizontally and never need rotating), legends sit on
 * top, and titles wrap to the width instead of being clipped.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartData, ChartRequest } from './data.ts';
import { OUTCOME_SERIES } from './measures.ts';

export const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif';

/** Width of text as a browser draws it with a CJK font: a Han character is one em, Latin about half. */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 1 : /[A-Z0-9%]/.test(ch) ? 0.62 : 0.52;
  return w * size;
}

/** Breaks text into lines that fit `width` px at `size`, at spaces or between Han characters. */
export function wrap(text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  // An opening bracket stays with the character after it; a closing one with the one before.
  for (const token of text.match(/[（(《“](?:[\u2e80-\u9fff]|[0-9A-Za-z]+[年]?)?[）)》”]?|[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f][）)》”，、。：]?|[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g) ?? []) {
    if (line && textWidth(line + token.trimEnd(), size) > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

export interface ChartText {
  title: string;
  subtitle: string;
  source: string;
  /** The accessible description: what the chart shows, in a sentence. */
  description: string;
}

export interface Sized {
  spec: TopLevelSpec;
  /** Lines of the source note, drawn under the plot (render.ts). */
  sourceLines: string[];
  sourceSize: number;
  /** How far left of the plot the chart's left edge is: the width of the y axis. */
  axisWidth: number;
}

const PALETTE = ['#1b7837', '#7fbf7b', '#d6604d', '#f4a582', '#92c5de', '#bababa'];

export function chartSpec(req: ChartRequest, chart: ChartData, text: ChartText): Sized {
  const narrow = req.width < 480;
  const base = narrow ? 11 : 12;
  const titleSize = narrow ? 15 : 18;
  // Browsers set CJK a little wider than our metrics: keep a margin so nothing is clipped.
  const inner = (req.width - 24) * 0.94;
  const categories = [...new Map(chart.data.map((d) => [d.key, d.category])).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const share = req.measure.share && req.kind !== 'outcomes' && req.kind !== 'applicants';
  const format = share ? '.0%' : ',d';
  const bar = narrow ? 16 : 20;
  // As many legend columns as the widest label allows.
  const seriesNames = [...new Set(chart.data.map((d) => d.series))];
  const legendColumns = Math.max(1, Math.min(seriesNames.length, Math.floor(inner / (Math.max(0, ...seriesNames.map((n) => textWidth(n, base))) + 34))));

  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json' as const,
    description: text.description,
    width: req.width,
    autosize: { type: 'fit-x' as const, contains: 'padding' as const },
    padding: { left: 8, right: 12, top: 8, bottom: 8 },
    title: {
      text: wrap(text.title, inner, titleSize),
      subtitle: wrap(text.subtitle, inner, base),
      anchor: 'start' as const,
      fontSize: titleSize,
      lineHeight: Math.round(titleSize * 1.35),
      subtitleFontSize: base,
      subtitleLineHeight: Math.round(base * 1.4),
      subtitlePadding: 8,
      subtitleColor: '#555',
      offset: 12,
    },
    config: {
      font: FONT,
      view: { stroke: null },
      axis: { labelFontSize: base, titleFontSize: base, labelColor: '#333', gridColor: '#e6e6e6', domainColor: '#999', tickColor: '#999' },
      legend: { labelFontSize: base, titleFontSize: base, orient: 'top' as const, direction: 'horizontal' as const, columns: legendColumns, columnPadding: 12, rowPadding: 6, symbolSize: 80, labelLimit: 0 },
    },
  };

  let spec: TopLevelSpec;
  switch (req.kind) {
    case 'outcomes': {
      // Regions by applications processed, most first.
      const totals = new Map<string, number>();
      for (const d of chart.data) totals.set(d.category, (totals.get(d.category) ?? 0) + (d.value ?? 0));
      const order = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
      const series: string[] = OUTCOME_SERIES.map((s) => (req.lang === 'zh' ? s.zh : s.en));
      spec = {
        ...common,
        height: Math.max(60, order.length * bar),
        data: { values: chart.data.map((d) => ({ ...d, order: series.indexOf(d.series) })) },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'category', type: 'nominal', sort: order, title: null, axis: { labelLimit: 0 } },
          x: { field: 'value', type: 'quantitative', stack: 'zero', title: null, axis: { format, tickCount: narrow ? 3 : 6 } },
          color: { field: 'series', type: 'nominal', sort: series, scale: { range: PALETTE }, title: null },
          order: { field: 'order', type: 'quantitative' },
        },
      } as TopLevelSpec;
      break;
    }
    case 'trend': {
      spec = {
        ...common,
        height: req.height ?? (narrow ? 200 : 300),
        data: { values: chart.data },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'category', type: 'ordinal', sort: categories.map(([, c]) => c), title: null, axis: { labelAngle: 0 } },
          y: { field: 'value', type: 'quantitative', title: null, axis: { format, tickCount: 5 } },
          color: { field: 'series', type: 'nominal', title: null, scale: { scheme: 'tableau10' } },
        },
      } as TopLevelSpec;
      break;
    }
    case 'ranking':
    case 'agencies':
    case 'applicants': {
      const order = req.kind === 'applicants' ? categories.map(([, c]) => c) : { field: 'value', op: 'sum' as const, order: 'descending' as const };
      spec = {
        ...common,
        height: Math.max(60, categories.length * bar),
        data: { values: chart.data },
        encoding: {
          y: { field: 'category', type: 'nominal', sort: order, title: null, axis: { labelLimit: 0 } },
          x: { field: 'value', type: 'quantitative', title: null, axis: { format, tickCount: narrow ? 3 : 6 } },
        },
        layer: [
          { mark: { type: 'bar', color: '#2166ac', tooltip: true } },
          { mark: { type: 'text', align: 'left', dx: 3, fontSize: base - 1, color: '#333' }, encoding: { text: { field: 'value', type: 'quantitative', format } } },
        ],
      } as TopLevelSpec;
      break;
    }
  }
  const labels = req.kind === 'trend' ? chart.data.map((d) => (d.value === null ? '' : share ? '100%' : Math.round(d.value).toLocaleString('en-US'))) : categories.map(([, c]) => c);
  const axisWidth = Math.max(0, ...labels.map((l) => textWidth(l, base))) + 8;
  return { spec, sourceLines: wrap(text.source, inner, base - 1), sourceSize: base - 1, axisWidth };
}
