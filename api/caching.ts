/**
 * Caching. A release never changes, so an answer is fixed by the release, the operation and its
 * variables:
 * - over HTTP, for GET queries: the ETag is made of the version of the release the request is
 *   answered from and the query string, a matching If-None-Match gets 304 without running
 *   anything, and an answer without errors may be cached for `cacheMaxAgeSeconds`. Answers with
 *   errors, and POSTs, are not cached;
 * - in the server, for GET and POST alike: answers without errors are kept in memory (an LRU
 *   of `responseCache.entries`, keyed by the release version, the operation and its
 *   variables), so a question asked again — a story's chart data, a popular example — does not
 *   reach DuckDB again.
 * No request header is part of a key: links in answers come from the configured public URL
 * (or are relative), never from Host.
 */
import type { ExecutionResult } from 'graphql';
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { Lru } from './lru.ts';
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

/**
 * Whether a value's JSON would take at most `budget` characters: walked until the budget runs
 * out, so a large answer costs a fraction of its serialisation to rule out.
 */
export function jsonWithin(value: unknown, budget: number): boolean {
  let left = budget;
  const walk = (v: unknown): boolean => {
    if (v === null || v === undefined || typeof v === 'boolean') left -= 5;
    else if (typeof v === 'number') left -= 12;
    else if (typeof v === 'string') left -= v.length + 2;
    else if (Array.isArray(v)) {
      left -= 2;
      for (const item of v) if (!walk(item) || left < 0) return false;
    } else if (typeof v === 'object') {
      left -= 2;
      for (const [k, item] of Object.entries(v)) {
        left -= k.length + 4;
        if (!walk(item) || left < 0) return false;
      }
    }
    return left >= 0;
  };
  return walk(value);
}

/**
 * The in-memory answer cache: an LRU of `responseCache.entries` answers, keyed by a hash of the
 * version of the release the request is answered from, the operation and its variables. Only
 * answers without errors and of at most `maxAnswerBytes` of JSON are kept; a hit is answered
 * before anything is parsed or run. (A release never changes, so nothing is ever invalidated:
 * answers of another release have other keys.)
 */
export function answerCachePlugin(limits: Limits): Plugin {
  const { entries, maxAnswerBytes } = limits.responseCache;
  if (entries <= 0) return {}; // switched off
  const cache = new Lru<string, ExecutionResult>(entries);
  const keys = new WeakMap<Request, string>();
  return {
    onParams({ request, params, context, setResult }) {
      if (!params.query) return;
      const key = createHash('sha256')
        .update(JSON.stringify([versionOf(context), params.operationName ?? null, params.query, params.variables ?? null]))
        .digest('base64url');
      const hit = cache.get(key);
      if (hit) setResult(hit);
      else keys.set(request, key);
    },
    onResultProcess({ request, result }) {
      const key = keys.get(request);
      if (!key || Array.isArray(result) || !result || typeof result !== 'object' || !('data' in result)) return;
      const answer = result as ExecutionResult;
      if (answer.errors?.length || !answer.data || !jsonWithin(answer.data, maxAnswerBytes)) return;
      cache.set(key, { data: answer.data });
    },
  };
}
