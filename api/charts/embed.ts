/**
 * The embed page a newsroom puts in an iframe: the chart (a narrow layout for phones, a wide
 * one for desktop columns, swapped by CSS), its data as a table for screen readers and when
 * images are off, a CSV download, and the same question in GraphiQL. And the snippet to paste.
 */
import type { ChartData, ChartRequest } from './data.ts';
import type { ChartText } from './specs.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface EmbedLinks {
  csv: string;
  graphiql: string;
  svg: string;
}

export function embedPage(req: ChartRequest, chart: ChartData, text: ChartText, svgs: { narrow: string; wide: string }, links: EmbedLinks): string {
  const zh = req.lang === 'zh';
  const share = Boolean(req.measure.share) && req.kind !== 'outcomes' && req.kind !== 'applicants';
  const value = (v: number | null) => (v === null ? '—' : share ? `${(v * 100).toFixed(1)}%` : v.toLocaleString('en-US'));
  const rows = chart.data.map((d) => `<tr><th scope="row">${esc(d.category)}</th><td>${esc(d.series)}</td><td>${value(d.value)}</td></tr>`).join('');
  return `<!DOCTYPE html>
<html lang="${zh ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(text.title)}</title>
<style>
  body { margin: 0; font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; background: #fff; }
  figure { margin: 0; padding: 8px; }
  .chart svg { width: 100%; height: auto; display: block; }
  .narrow { display: none; }
  @media (max-width: 560px) { .narrow { display: block; } .wide { display: none; } }
  details { font-size: 13px; margin: 8px 0; }
  table { border-collapse: collapse; font-size: 12px; }
  th, td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
  td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
  .links { font-size: 12px; color: #555; }
  .links a { color: #2166ac; margin-right: 12px; }
</style>
</head>
<body>
<figure role="group" aria-label="${esc(text.title)}">
  <div class="chart narrow">${svgs.narrow}</div>
  <div class="chart wide">${svgs.wide}</div>
  <figcaption>
    <details>
      <summary>${zh ? '数据表' : 'Data table'}</summary>
      <table>
        <caption>${esc(text.title)}</caption>
        <thead><tr><th scope="col">${zh ? '类别' : 'Category'}</th><th scope="col">${zh ? '系列' : 'Series'}</th><th scope="col">${zh ? '数值' : 'Value'}</th></tr></thead>
        <tbody>${rows}</tbody>
      </table>
    </details>
    <p class="links">
      <a href="${esc(links.csv)}" download>${zh ? '下载数据（CSV）' : 'Download the data (CSV)'}</a>
      <a href="${esc(links.graphiql)}" target="_blank" rel="noopener">${zh ? '在 GraphiQL 中查看查询' : 'Open the query in GraphiQL'}</a>
      <a href="${esc(links.svg)}" target="_blank" rel="noopener">SVG</a>
    </p>
  </figcaption>
</figure>
</body>
</html>
`;
}

/** The iframe to paste into a story. */
export function embedSnippet(url: string, title: string, height: number): string {
  return `<iframe src="${esc(url)}" title="${esc(title)}" width="100%" height="${height}" style="border:0;max-width:960px" loading="lazy"></iframe>`;
}

/** A page that says what was wrong with the request, for the iframe that asked. */
export function errorPage(message: string, lang: 'zh' | 'en'): string {
  return `<!DOCTYPE html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${lang === 'zh' ? '无法生成图表' : 'No chart'}</title></head><body style="font-family:sans-serif;padding:16px"><p><strong>${lang === 'zh' ? '无法生成图表：' : 'No chart: '}</strong>${esc(message)}</p></body></html>\n`;
}

/** A chart-sized SVG that says what was wrong, so an <img> shows the reason, not a broken icon. */
export function errorSvg(message: string, width = 640): string {
  const lines = message.match(/.{1,60}(\s|$)|.{1,60}/g) ?? [message];
  const height = 40 + lines.length * 18;
  const text = lines.map((l, i) => `<tspan x="16" y="${32 + i * 18}">${esc(l.trim())}</tspan>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="t"><title id="t">${esc(message)}</title><rect width="100%" height="100%" fill="#fff8f0" stroke="#d6604d"/><text font-family="sans-serif" font-size="13" fill="#b2182b">${text}</text></svg>\n`;
}
