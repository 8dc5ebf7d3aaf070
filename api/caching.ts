/**
 * Caching. A release never changes, so an answer is fixed by the release, the operation and its
 * variables:
 * - over HTTP, for GET queries: the ETag is made of the release version and the query string,
 *   a matching If-None-Match gets 304 without running anything, and an answer without errors
 *   may be cached for `cacheMaxAgeSeconds`. Answers with errors, and POSTs, are not cached;
 * - in the server, for GET and POST alike: answers without errors are kept in memory
 *   (@graphql-yoga/plugin-response-cache, an LRU of `responseCache.entries`), so a question
 *   asked again — a story's chart data, a popular example — does not reach DuckDB again.
 */
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from './limits.ts';

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
      if (!etag) {
        // The answer cache labels what it stores; only GET answers are HTTP-cacheable here.
        if (new URL(request.url).pathname === options.endpoint) for (const h of ['etag', 'last-modified']) response.headers.delete(h);
        return;
      }
      if (response.status === 304) return;
      response.headers.delete('last-modified');
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

/**
 * The in-memory answer cache. Links in answers (csvUrl) are made from the request's origin
 * unless the server has a public URL, so the origin is part of the key then. Answers with
 * errors (timeouts included) and answers larger than `maxAnswerBytes` of JSON are not kept.
 */
export function answerCachePlugin(limits: Limits, publicUrl: string | null): Plugin {
  const { entries, maxAnswerBytes } = limits.responseCache;
  if (entries <= 0) return {}; // switched off
  return useResponseCache({
    session: (request) => (publicUrl ? null : new URL(request.url).origin),
    cache: createInMemoryCache({ max: entries }),
    shouldCacheResult: ({ result }) => !result.errors?.length && JSON.stringify(result.data ?? null).length <= maxAnswerBytes,
  }) as Plugin;
}
