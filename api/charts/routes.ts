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
import type { Plugin } from 'graphql-yoga';
import { etagMatches } from '../caching.ts';
import { baseUrlOf, type RequestContext, type ServerState } from '../context.ts';
import { csvCell } from '../csv.ts';
import type { RegionIndex } from '../data/regions.ts';
import { ApiError } from '../errors.ts';
import { Lru, PromiseCache } from '../lru.ts';
import { ReleaseNotAvailable, type Lease, type Served } from '../releases.ts';
import { chartData, type ChartRequest } from './data.ts';
import { embedPage, embedSnippet, errorPage, errorSvg } from './embed.ts';
import { regionCodeOf } from '../schema/regions.ts';
import { canonicalQuery, chartKind, ChartError, chartRegions, parseChartRequest } from './params.ts';
import { renderSvg } from './render.ts';
import { chartSpec } from './specs.ts';
import { chartText, graphqlFor } from './text.ts';

const ROUTE = /^\/(?:v\/([^/]+)\/)?(charts|embed)\/([a-z]+)(?:\.(svg|vl\.json|csv)|\/(snippet))?$/;
const PINNED_MAX_AGE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  svg: 'image/svg+xml; charset=utf-8',
  'vl.json': 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  page: 'text/html; charset=utf-8',
  snippet: 'text/plain; charset=utf-8',
};

interface Answer {
  body: string;
  type: string;
  pinned: boolean;
  release: string;
  /** Made from the request's own origin (a snippet without a public URL): never cached. */
  private: boolean;
}

/** The region codes a chart URL names (by code or name), when every one is a region of the release (else null). */
function knownRegions(params: URLSearchParams, regions: RegionIndex): string[] | null {
  const written = chartRegions(params);
  if (written.length === 0 || written.length > 8) return null;
  const codes = written.map((w) => regionCodeOf(w, regions));
  return codes.every((c) => c !== null) ? (codes as string[]) : null;
}

export function chartsPlugin(server: ServerState): Plugin {
  const { limits } = server;
  // Keys are made of checked values only (a release version, a canonical query); failures are never kept.
  const rendered = new Lru<string, string>(limits.chartCache);
  const yearSpans = new PromiseCache<string, { min: number; max: number }>(limits.chartCache);

  /** The years a region has reports for, to default year= and years= sensibly. */
  function yearsOf(served: Served, codes: string[]): Promise<{ min: number; max: number }> {
    const key = `${served.release.version}|${[...codes].sort().join(',')}`;
    return yearSpans.get(key, async () => {
      const session = served.db.session(limits.queryTimeoutMs, server.admission);
      try {
        const [r] = await session.query<{ lo: number | null; hi: number | null }>(
          `SELECT min(r.year) AS lo, max(r.year) AS hi FROM reports r JOIN regions g ON g.code = r.region_code
           WHERE r.year IS NOT NULL AND (list_contains(string_split($codes, ','), r.region_code)
              OR list_contains(string_split($codes, ','), g.province) OR list_contains(string_split($codes, ','), g.city))`,
          { codes: codes.join(',') },
        );
        return { min: r?.lo ?? 2019, max: r?.hi ?? 2019 };
      } finally {
        await session.close();
      }
    });
  }

  async function answer(served: Served, pinned: boolean, url: URL, area: string, kindText: string, format: string): Promise<Answer> {
    const kind = chartKind(kindText);
    const params = new URLSearchParams(url.searchParams);
    params.delete('release');
    const codes = knownRegions(params, served.regions);
    // Unknown regions are refused by parseChartRequest before the years would matter.
    const req = parseChartRequest(kind, params, served.regions, codes ? await yearsOf(served, codes) : { min: 2019, max: 2019 });
    const type = CONTENT_TYPES[area === 'embed' ? (format === 'snippet' ? 'snippet' : 'page') : format];
    const release = served.release.version;
    // A snippet is pasted into other sites: it needs an absolute URL, from the public URL, or
    // else from this request's origin — an answer then made for this request alone.
    if (area === 'embed' && format === 'snippet' && !server.publicUrl) {
      return { body: await produce(served, req, area, format, url.origin, pinned), type, pinned, release, private: true };
    }
    // Pinned and latest answers of one release differ in their links: both are part of the key.
    const key = `${release}|${pinned ? 'pinned' : 'latest'}|${area}|${kind}|${format}|${canonicalQuery(req)}`;
    let body = rendered.get(key);
    if (body === undefined) {
      body = await produce(served, req, area, format, baseUrlOf(server), pinned);
      rendered.set(key, body);
    }
    return { body, type, pinned, release, private: false };
  }

  async function produce(served: Served, req: ChartRequest, area: string, format: string, base: string, pinned: boolean): Promise<string> {
    const session = served.db.session(limits.queryTimeoutMs, server.admission);
    let chart;
    try {
      chart = await chartData(session, served.regions, req);
    } finally {
      await session.close();
    }
    if (chart.data.every((d) => d.value === null || d.value === 0) && chart.reports === 0) {
      throw new ChartError(404, 'no reports with figures for this region and year', '所选地区和年份没有可用的报告数据');
    }
    const text = chartText(req, chart, { version: served.release.version, generated: served.release.generated !== null });
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
        graphiql: `${prefix}/graphql?query=${encodeURIComponent(graphqlFor(req))}`,
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
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
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
      const wanted = version ?? url.searchParams.get('release');
      let lease: Lease | null = null;
      try {
        const current = (serverContext as unknown as RequestContext).lease.served;
        if (wanted && wanted !== current.release.version) {
          try {
            lease = await server.releases.pinned(wanted);
          } catch (err) {
            throw err instanceof ReleaseNotAvailable ? new ChartError(404, err.message, `本服务器没有数据版本 ${wanted}`) : err;
          }
        }
        const result = await answer(lease?.served ?? current, Boolean(wanted), url, area, kindText, format ?? 'page');
        const etag = `W/"${result.release}-${createHash('sha256').update(url.pathname + url.search).digest('base64url').slice(0, 22)}"`;
        const headers = {
          'content-type': result.type,
          'cache-control': result.private ? 'no-store' : result.pinned ? PINNED_MAX_AGE : `public, max-age=${limits.cacheMaxAgeSeconds}`,
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
        // A chart that could not be made now (timeout, server busy) is worth asking again: 503.
        const status = err instanceof ChartError ? err.status : err instanceof ApiError && err.status === 503 ? 503 : 500;
        const message =
          err instanceof ChartError ? err.text(lang) : status === 503 ? (lang === 'zh' ? `服务器繁忙，请稍后再试（${(err as Error).message}）` : (err as Error).message) : lang === 'zh' ? '生成图表时出错' : 'the chart could not be made';
        if (status === 500) console.error('chart failed:', err);
        const body = format === 'svg' ? errorSvg(message) : format === 'page' ? errorPage(message, lang) : format === 'vl.json' ? `${JSON.stringify({ error: { status, message } })}\n` : `${message}\n`;
        const type = format === 'svg' ? CONTENT_TYPES.svg : format === 'page' ? CONTENT_TYPES.page : format === 'vl.json' ? CONTENT_TYPES['vl.json'] : 'text/plain; charset=utf-8';
        endResponse(
          new fetchAPI.Response(body, {
            status,
            headers: { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*', ...(err instanceof ApiError ? err.headers : {}) },
          }),
        );
      } finally {
        lease?.release();
      }
    },
  };
}
