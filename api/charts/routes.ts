/**
 * Chart routes:
 *
 *   /charts/<kind>.svg?…          the chart as SVG            (kind: outcomes, trend, ranking, applicants)
 *   /charts/<kind>.vl.json?…      its Vega-Lite spec with the data inline, for desks that style their own
 *   /charts/<kind>.csv?…          its numbers (UTF-8 with a BOM)
 *   /embed/<kind>?…               a responsive page for an iframe
 *   /embed/<kind>/snippet?…       the iframe to paste
 *   /v/<version>/charts/…, /v/<version>/embed/…, or ?release=<version>
 *                                 the same, pinned to a release: never changes (immutable caching)
 *
 * `latest` URLs follow new releases and may be cached for a few minutes; pinned URLs answer
 * from that release's own files for as long as its folder is kept beside the current one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { VERSION } from '../../pipeline/release/versions.ts';
import { etagMatches } from '../caching.ts';
import { csvCell } from '../csv.ts';
import type { ApiState } from '../context.ts';
import { Database } from '../data/db.ts';
import { RegionIndex } from '../data/regions.ts';
import { loadRelease, type Release } from '../release.ts';
import { chartData, type ChartRequest } from './data.ts';
import { embedPage, embedSnippet, errorPage, errorSvg } from './embed.ts';
import { canonicalQuery, chartKind, ChartError, parseChartRequest } from './params.ts';
import { renderSvg } from './render.ts';
import { chartSpec } from './specs.ts';
import { chartText, graphqlFor } from './text.ts';

interface Served {
  release: Release;
  db: Database;
  regions: RegionIndex;
}

const ROUTE = /^\/(?:v\/([^/]+)\/)?(charts|embed)\/([a-z]+)(?:\.(svg|vl\.json|csv)|\/(snippet))?$/;
const PINNED_MAX_AGE = 'public, max-age=31536000, immutable';
const RENDER_CACHE = 500;
const OTHER_RELEASES = 2;

const CONTENT_TYPES: Record<string, string> = {
  svg: 'image/svg+xml; charset=utf-8',
  'vl.json': 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  page: 'text/html; charset=utf-8',
  snippet: 'text/plain; charset=utf-8',
};

export function chartsPlugin(state: ApiState): Plugin {
  const rendered = new Map<string, string>();
  const others = new Map<string, Promise<Served>>();
  const yearSpans = new Map<string, Promise<{ min: number; max: number }>>();
  const current: Served = { release: state.release, db: state.db, regions: state.regions };

  /** A release by version: the served one, or a sibling folder of it (pinned URLs). */
  async function releaseOf(version: string | null): Promise<Served> {
    if (!version || version === state.release.version) return current;
    if (!VERSION.test(version)) throw new ChartError(404, `no release "${version}" (versions look like 2026-11-26.1)`);
    const dir = join(dirname(state.release.dir), version);
    if (!existsSync(join(dir, 'release.json'))) throw new ChartError(404, `release ${version} is not available on this server`);
    let served = others.get(version);
    if (!served) {
      served = (async () => {
        const release = loadRelease(dir);
        const db = await Database.open(release, { threads: 1 });
        const con = await db.instance.connect();
        const regions = await RegionIndex.load(con);
        con.closeSync();
        return { release, db, regions };
      })();
      others.set(version, served);
      if (others.size > OTHER_RELEASES) {
        const [oldest] = others.keys();
        const evicted = others.get(oldest)!;
        others.delete(oldest);
        void evicted.then((s) => s.db.close());
      }
    }
    return served;
  }

  /** The years a region has reports for, to default year= and years= sensibly. */
  function yearsOf(served: Served, codes: string[]): Promise<{ min: number; max: number }> {
    const key = `${served.release.version}|${codes.join(',')}`;
    let span = yearSpans.get(key);
    if (!span) {
      const session = served.db.session(state.limits.queryTimeoutMs);
      span = session
        .query<{ lo: number | null; hi: number | null }>(
          `SELECT min(r.year) AS lo, max(r.year) AS hi FROM reports r JOIN regions g ON g.code = r.region_code
           WHERE r.year IS NOT NULL AND (list_contains(string_split($codes, ','), r.region_code)
              OR list_contains(string_split($codes, ','), g.province) OR list_contains(string_split($codes, ','), g.city))`,
          { codes: codes.join(',') },
        )
        .then(([r]) => ({ min: r?.lo ?? 2019, max: r?.hi ?? 2019 }))
        .finally(() => session.close());
      yearSpans.set(key, span);
    }
    return span;
  }

  async function answer(url: URL, version: string | null, area: string, kindText: string, format: string): Promise<{ body: string; type: string; pinned: boolean; release: string }> {
    const served = await releaseOf(version ?? url.searchParams.get('release'));
    const pinned = Boolean(version ?? url.searchParams.get('release'));
    const kind = chartKind(kindText);
    const params = new URLSearchParams(url.searchParams);
    params.delete('release');
    const codes = params.getAll('region').flatMap((r) => r.split(','));
    const req = parseChartRequest(kind, params, served.regions, await yearsOf(served, codes));
    const key = `${served.release.version}|${area}|${kind}|${format}|${canonicalQuery(req)}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = await produce(served, req, area, format, url, pinned);
      if (rendered.size >= RENDER_CACHE) rendered.delete(rendered.keys().next().value!);
      rendered.set(key, body);
    }
    return { body, type: CONTENT_TYPES[area === 'embed' ? (format === 'snippet' ? 'snippet' : 'page') : format], pinned, release: served.release.version };
  }

  async function produce(served: Served, req: ChartRequest, area: string, format: string, url: URL, pinned: boolean): Promise<string> {
    const session = served.db.session(state.limits.queryTimeoutMs);
    let chart;
    try {
      chart = await chartData(session, served.regions, req);
    } finally {
      await session.close();
    }
    if (chart.data.every((d) => d.value === null || d.value === 0) && chart.reports === 0) {
      throw new ChartError(404, req.lang === 'zh' ? '所选地区和年份没有可用的报告数据' : 'no reports with figures for this region and year');
    }
    const text = chartText(req, chart, served.release.version);
    const base = state.publicUrl ?? url.origin;
    const prefix = pinned ? `${base}/v/${served.release.version}` : base;
    const query = canonicalQuery(req);
    if (area === 'embed') {
      if (format === 'snippet') {
        const height = req.kind === 'trend' ? 460 : 180 + new Set(chart.data.map((d) => d.category)).size * 24;
        return `${embedSnippet(`${prefix}/embed/${req.kind}?${query}`, text.title, height)}\n`;
      }
      const svg = async (width: number) => renderSvg(chartSpec({ ...req, width }, chart, text), { title: text.title, description: text.description, lang: req.lang });
      return embedPage(req, chart, text, { narrow: await svg(360), wide: await svg(960) }, {
        csv: `${prefix}/charts/${req.kind}.csv?${query}`,
        svg: `${prefix}/charts/${req.kind}.svg?${query}`,
        graphiql: `${base}/graphql?query=${encodeURIComponent(graphqlFor(req))}`,
      });
    }
    if (format === 'csv') {
      const header = req.lang === 'zh' ? ['类别', '代码', '系列', '数值'] : ['category', 'key', 'series', 'value'];
      const lines = [header.join(','), ...chart.data.map((d) => [d.category, d.key, d.series, d.value].map(csvCell).join(','))];
      return `\ufeff${lines.join('\r\n')}\r\n`;
    }
    const sized = chartSpec(req, chart, text);
    if (format === 'vl.json') {
      return `${JSON.stringify({ release: served.release.version, title: text.title, description: text.description, source: text.source, spec: sized.spec }, null, 2)}\n`;
    }
    return renderSvg(sized, { title: text.title, description: text.description, lang: req.lang });
  }

  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const m = ROUTE.exec(url.pathname);
      if (!m) return;
      const [, version, area, kindText, ext, snippet] = m;
      const format = area === 'embed' ? (snippet ? 'snippet' : 'page') : ext;
      if ((area === 'charts' && !ext) || (area === 'embed' && ext)) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('GET only\n', { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const lang = url.searchParams.get('lang') === 'en' ? 'en' : 'zh';
      try {
        const result = await answer(url, version ?? null, area, kindText, format ?? 'page');
        const etag = `W/"${result.release}-${createHash('sha256').update(url.pathname + url.search).digest('base64url').slice(0, 22)}"`;
        const headers = {
          'content-type': result.type,
          'cache-control': result.pinned ? PINNED_MAX_AGE : `public, max-age=${state.limits.cacheMaxAgeSeconds}`,
          etag,
          'access-control-allow-origin': '*',
          'x-gongkai-release': result.release,
        };
        if (etagMatches(request.headers.get('if-none-match'), etag)) {
          endResponse(new fetchAPI.Response(null, { status: 304, headers }));
          return;
        }
        endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : result.body, { status: 200, headers: { ...headers, 'content-length': String(Buffer.byteLength(result.body)) } }));
      } catch (err) {
        const status = err instanceof ChartError ? err.status : 500;
        const message = err instanceof ChartError ? err.message : lang === 'zh' ? '生成图表时出错' : 'the chart could not be made';
        if (!(err instanceof ChartError)) console.error('chart failed:', err);
        const body = format === 'svg' ? errorSvg(message) : format === 'page' ? errorPage(message, lang) : format === 'vl.json' ? `${JSON.stringify({ error: { status, message } })}\n` : `${message}\n`;
        const type = format === 'svg' ? CONTENT_TYPES.svg : format === 'page' ? CONTENT_TYPES.page : format === 'vl.json' ? CONTENT_TYPES['vl.json'] : 'text/plain; charset=utf-8';
        endResponse(new fetchAPI.Response(body, { status, headers: { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' } }));
      }
    },
  };
}
