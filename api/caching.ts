/**
 * Caching. A release never changes, so an answer is fixed by the release, the operation and its
 * variables:
 * - over HTTP, for GET queries: the ETag is made of the version of the release the request is
 *   answered from and the query string, a matching If-None-Match gets 304 without running
 *   anything, and an answer without errors may be cached for `cacheMaxAgeSeconds`. Answers with
 *   errors, and POSTs, are not cached;
 * - in the server, for GET and POST alike: answers without errors are kept in memory
 *   (@graphql-yoga/plugin-response-cache, an LRU of `responseCache.entries`, keyed by the
 *   release version, the operation and its variables), so a question asked again — a story's
 *   chart data, a popular example — does not reach DuckDB again.
 * No request header is part of a key: links in answers come from the configured public URL
 * (or are relative), never from Host.
 */
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { RequestContext } from './context.ts';
import type { Limits } from './limits.ts';

export function etagFor(version: string, key: string): string {
  return `W/"${version}-${createHash('sha256').update(key).digest('base64url').slice(0, 22)}"`;
}

/**
 * Does an If-None-Match header (a list of ETags) name this ETag? `*` names none: it asks about
 * any representation at all, which a conditional GET of one answer must not treat as a match.
 */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

/** The version of the release a request is answered from. */
export const versionOf = (serverContext: unknown) => (serverContext as RequestContext).lease.served.release.version;

export function getCachePlugin(options: { endpoint: string; maxAgeSeconds: number }): Plugin {
  const tags = new WeakMap<Request, string>();
  const failed = new WeakSet<Request>();
  const cacheControl = `public, max-age=${options.maxAgeSeconds}`;
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== options.endpoint || !url.searchParams.has('query')) return;
      if (request.headers.get('accept')?.includes('text/html')) return; // GraphiQL's page, not a result
      const etag = etagFor(versionOf(serverContext), url.search);
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
 * The in-memory answer cache, keyed by the release version (the response cache's "session"),
 * the operation and its variables. Answers with errors (timeouts and refusals included) and
 * answers larger than `maxAnswerBytes` of JSON are not kept.
 */
export function answerCachePlugin(limits: Limits): Plugin {
  const { entries, maxAnswerBytes } = limits.responseCache;
  if (entries <= 0) return {}; // switched off
  return useResponseCache({
    session: (_request, serverContext) => versionOf(serverContext),
    cache: createInMemoryCache({ max: entries }),
    shouldCacheResult: ({ result }) => !result.errors?.length && JSON.stringify(result.data ?? null).length <= maxAnswerBytes,
  }) as Plugin;
}
