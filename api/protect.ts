/**
 * Public-API protection: graphql-armor's limits (depth, aliases, tokens, directives) with coded
 * errors, and a per-client rate limit. A query's cost is limited by its complexity (builder.ts).
 * Field suggestions ("Did you mean …?") stay on: they name fields of the public schema and
 * nothing else.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { IncomingMessage } from 'node:http';
import { ApiError, errorBody, errorResponse } from './errors.ts';
import type { Limits } from './limits.ts';

/**
 * armor reports "Syntax Error: Query depth limit of 5 exceeded, found 7." with no code; this
 * turns each refusal into a QUERY_TOO_COMPLEX error naming the limit.
 */
function refuse(limit: string) {
  return (ctx: ValidationContext | null, err: GraphQLError) => {
    const message = err.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
    const coded = new ApiError('QUERY_TOO_COMPLEX', `Query refused: ${message}. See the limits in /docs/api.md.`, { limit });
    if (ctx) ctx.reportError(coded);
    else throw coded;
  };
}

export function armorPlugin(limits: Limits): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, onReject: [refuse('depth')], propagateOnRejection: false },
    maxAliases: { n: limits.maxAliases, onReject: [refuse('aliases')], propagateOnRejection: false },
    maxTokens: { n: limits.maxTokens, onReject: [refuse('tokens')], propagateOnRejection: false },
    maxDirectives: { n: limits.maxDirectives, onReject: [refuse('directives')], propagateOnRejection: false },
    // Cost is the complexity limit's (builder.ts), which prices a page size passed as a variable
    // as it prices one written in the query; armor's static cost multiplies only the latter.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

// ---------------------------------------------------------------------------------------------
// Body size

/**
 * A request body must say its length (Content-Length), and be at most `maxBodyBytes`: checked
 * from the header before a byte is read. A body sent in chunks without a length is refused (411)
 * rather than counted as it streams — every HTTP client sends the length of a query it posts.
 * (Requests made in process, which have no such headers, are the server's own.)
 */
export function bodyLimitPlugin(limits: Limits): Plugin {
  return {
    onRequest({ request, endResponse }) {
      const length = request.headers.get('content-length');
      if (length === null) {
        if (request.headers.has('transfer-encoding')) {
          endResponse(errorResponse(new ApiError('LENGTH_REQUIRED', 'Send the request body with a Content-Length header (chunked bodies are not accepted).')));
        }
        return;
      }
      if (!/^\d+$/.test(length)) endResponse(errorResponse(new ApiError('BAD_USER_INPUT', `Content-Length must be one number of bytes, got "${length}".`)));
      else if (Number(length) > limits.maxBodyBytes) {
        endResponse(errorResponse(new ApiError('PAYLOAD_TOO_LARGE', `The request body has ${length} bytes; at most ${limits.maxBodyBytes} are accepted.`, { maxBodyBytes: limits.maxBodyBytes })));
      }
    },
  };
}

/**
 * A body that does not parse is answered 400 "POST body sent invalid JSON." — without the
 * parser's own message, which quotes the body back (Node's JSON.parse: `Unexpected token 'S',
 * "SECRET-…" is not valid JSON`).
 */
export function parseErrorsPlugin(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (err) {
          if (!(err instanceof GraphQLError) || !('originalError' in err.extensions)) throw err;
          // A request that is not GraphQL over HTTP at all is a 400 whatever the media type.
          const { originalError: _quoted, http: _http, ...extensions } = err.extensions;
          throw new GraphQLError(err.message, { extensions: { ...extensions, http: { status: 400 } } });
        }
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Rate limit

/**
 * A token bucket per client: `requests` tokens, refilled evenly over `windowSeconds`. A client
 * is its IP address: the socket's, or — only when the server sits behind proxies it trusts —
 * the address its nearest trusted proxy saw (clientKey).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    readonly capacity: number,
    windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = capacity / (windowSeconds * 1000);
  }

  /** Takes a token: ok, or how long until one is back. */
  take(key: string): { ok: boolean; remaining: number; retryAfterSeconds: number } {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
    b.tokens = Math.min(this.capacity, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > 50_000) this.prune(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
    }
    return { ok: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** Forgets clients whose bucket has filled up again. */
  private prune(t: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * this.perMs >= this.capacity) this.buckets.delete(k);
  }
}

/** `trustProxy` as a number of hops: true is one proxy, false or absent none. */
export function trustedHops(trust: number | boolean | undefined): number {
  if (trust === true) return 1;
  return typeof trust === 'number' && trust > 0 ? Math.floor(trust) : 0;
}

/**
 * The client's address. Each proxy appends the address it got the request from to
 * X-Forwarded-For, so whatever a client wrote there itself comes first and what the trusted
 * proxies appended comes last: behind `hops` trusted proxies, the client is the entry `hops`
 * from the right. The left-most entry is never trusted for what it is — anyone can write it.
 * With fewer entries than hops, every entry was appended by a trusted proxy: the left-most.
 */
export function clientKey(request: Request, serverContext: unknown, hops: number): string {
  if (hops > 0) {
    const chain = (request.headers.get('x-forwarded-for') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    if (chain.length) return chain[Math.max(0, chain.length - hops)];
  }
  const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
  return req?.socket?.remoteAddress ?? 'local';
}

/** Paths never rate-limited: the health check. */
const EXEMPT = new Set(['/health']);

export function rateLimitPlugin(limits: Limits, hops: number): Plugin {
  const limiter = new RateLimiter(limits.rateLimit.requests, limits.rateLimit.windowSeconds);
  const remaining = new WeakMap<Request, number>();
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (request.method === 'OPTIONS' || EXEMPT.has(url.pathname)) return;
      const r = limiter.take(clientKey(request, serverContext, hops));
      if (r.ok) {
        remaining.set(request, r.remaining);
        return;
      }
      const err = new ApiError('RATE_LIMITED', `Too many requests: at most ${limits.rateLimit.requests} per ${limits.rateLimit.windowSeconds} s per client. Retry after ${r.retryAfterSeconds} s.`, {
        retryAfterSeconds: r.retryAfterSeconds,
      });
      endResponse(
        new fetchAPI.Response(errorBody(err), {
          status: 429,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'retry-after': String(r.retryAfterSeconds),
            'ratelimit-limit': String(limits.rateLimit.requests),
            'ratelimit-remaining': '0',
          },
        }),
      );
    },
    onResponse({ request, response }) {
      const left = remaining.get(request);
      if (left === undefined) return;
      response.headers.set('ratelimit-limit', String(limits.rateLimit.requests));
      response.headers.set('ratelimit-remaining', String(left));
    },
  };
}
