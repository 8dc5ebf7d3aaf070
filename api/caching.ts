/**
 * HTTP caching of GET queries. A release never changes, so the answer to a GET query is fixed
 * by the release version and the query string: the ETag is made of both, a matching
 * If-None-Match gets 304 without running anything, and an answer without errors may be cached
 * for `cacheMaxAgeSeconds`. Answers with errors, and POSTs, are not cached.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export function etagFor(version: string, key: string): string {
  return `W/"${version}-${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"`;
}

/** Does an If-None-Match header (a list, or *) match this ETag? */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

export function getCachePlugin(options: { version: string; endpoint: string; maxAgeSeconds: number }): Plugin {
  const tags = new WeakMap<Request, string>();
  const failed = new WeakSet<Request>();
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== options.endpoint || !url.searchParams.has('query')) return;
      if (request.headers.get('accept')?.includes('text/html')) return; // GraphiQL's page, not a result
      const etag = etagFor(options.version, url.search);
      tags.set(request, etag);
      if (etagMatches(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { etag, 'cache-control': cacheControl } }));
      }
    },
    onResultProcess({ request, result }) {
      const results = Array.isArray(result) ? result : [result];
      if (results.some((r) => !r || typeof r !== 'object' || !('data' in r) || (r as { errors?: unknown[] }).errors?.length)) failed.add(request);
    },
    onResponse({ request, response }) {
      const etag = tags.get(request);
      if (!etag || response.status === 304) return;
      if (response.status === 200 && !failed.has(request)) {
        response.headers.set('etag', etag);
        response.headers.set('cache-control', cacheControl);
        response.headers.append('vary', 'Accept');
      } else {
        response.headers.set('cache-control', 'no-store');
      }
    },
  };
}
