/**
 * The Gongkai API: GraphQL (Yoga + Pothos) over DuckDB views of one release's Parquet files,
 * GraphiQL with the examples, the release's files under /downloads and comparisons as CSV
 * under /export. createApi() is what tests use (in-process, `api.fetch(request)`, no port);
 * runServe() is `gongkai serve`.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CliError } from '../pipeline/errors.ts';
import { GENERATED_BOTH } from '../pipeline/release/generated.ts';
import { Admission } from './admission.ts';
import { answerCachePlugin, getCachePlugin } from './caching.ts';
import { createContext, requestState, stateOf, type ApiContext, type ApiState, type RequestContext, type ServerState } from './context.ts';
import { chartsPlugin } from './charts/routes.ts';
import { docsPlugin } from './docs.ts';
import { downloadsPlugin } from './downloads.ts';
import { exportPlugin } from './export.ts';
import { graphiqlOptions, loadExamples, pinnedEndpoint } from './graphiql.ts';
import { securityHeadersPlugin } from './headers.ts';
import { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits.ts';
import { armorPlugin, bodyLimitPlugin, parseErrorsPlugin, rateLimitPlugin, trustedHops } from './protect.ts';
import { NoReleaseError } from './release.ts';
import { ReleaseNotAvailable, Releases, type Lease } from './releases.ts';
import { schema } from './schema/index.ts';

export const DEFAULT_RELEASE = 'data/releases/latest';
const ENDPOINT = '/graphql';
/** The API pinned to one release: /v/<version>/graphql (what pinned pages link to). */
const PINNED_ENDPOINT = /^\/v\/([^/]+)\/graphql$/;

export interface ApiOptions {
  /** A release folder (e.g. data/releases/latest: followed when it moves to a new release). */
  release: string;
  limits?: Partial<Limits>;
  /**
   * Proxies in front of the server to trust: the client address is the one this many hops from
   * the right of X-Forwarded-For (0 or absent: the socket's address; true: 1).
   */
  trustProxy?: number | boolean;
  /** Base URL for links in responses (csvUrl, catalog, embed snippets); default: relative links. */
  publicUrl?: string;
  /**
   * DuckDB threads (default: every core but one, which is left to the server's one JavaScript
   * thread: it answers every request, cached ones too, and must not wait for a core while a large
   * query runs).
   */
  threads?: number;
  /** Log unexpected errors and release switches (default true). */
  logErrors?: boolean;
}

export interface Api {
  yoga: YogaServerInstance<RequestContext, ApiContext>;
  /** Answers a request in process (tests), on the release current when it arrives. */
  fetch: (request: Request) => Promise<Response>;
  /** The same as a Node request listener: createServer(api.handler). */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** The state of the current release (what a request arriving now is answered from). */
  readonly state: ApiState;
  server: ServerState;
  /** Looks whether `latest` moved and switches to the new release (the server also does so every watchIntervalMs). */
  refresh: () => Promise<string | null>;
  close: () => Promise<void>;
}

/** One connection per request: closed when execution is done. */
const closeSessionPlugin: Plugin = {
  onExecute: ({ args }) => ({ onExecuteDone: () => void (args.contextValue as unknown as ApiContext).session.close() }),
};

/** Every GraphQL answer from a release of generated sample data says so, in `extensions.generated`. */
const generatedPlugin: Plugin = {
  onResultProcess: ({ result, setResult, serverContext }) => {
    if (!(serverContext as unknown as RequestContext).lease.served.release.generated) return;
    if (!result || Array.isArray(result) || typeof result !== 'object' || Symbol.asyncIterator in result) return;
    setResult({ ...result, extensions: { ...result.extensions, generated: GENERATED_BOTH } });
  },
};

export async function createApi(options: ApiOptions): Promise<Api> {
  const limits = resolveLimits(options.limits);
  const log = options.logErrors === false ? undefined : (line: string) => console.error(line);
  const threads = options.threads ?? Math.max(1, availableParallelism() - 1);
  const releases = await Releases.open(options.release, { threads, maxIdle: limits.idleReleases, log });
  const admission = new Admission(
    { light: { concurrent: limits.lightQueries, queue: limits.lightQueue }, heavy: { concurrent: limits.heavyQueries, queue: limits.heavyQueue } },
    { retryAfterSeconds: limits.retryAfterSeconds, heavyMaxLoad: limits.heavyMaxLoad, measureLoad: true },
  );
  const server: ServerState = { releases, limits, publicUrl: options.publicUrl ?? null, admission };
  const examples = loadExamples();

  const yoga = createYoga<RequestContext, ApiContext>({
    schema,
    graphqlEndpoint: ENDPOINT,
    landingPage: false,
    // bodyLimitPlugin checks the declared length up front; Yoga's own limit would stream every body through a counter.
    maxRequestBodySize: false,
    maskedErrors: true,
    logging: options.logErrors === false ? false : 'warn',
    graphiql: (_request, ctx) => {
      const { lease, pinned } = ctx as RequestContext;
      const { release } = lease.served;
      return { ...graphiqlOptions(release.version, release.generated !== null, examples), ...(pinned ? { endpoint: pinnedEndpoint(release.version) } : {}) };
    },
    renderGraphiQL,
    cors: {
      origin: '*',
      credentials: false,
      methods: ['GET', 'POST', 'HEAD', 'OPTIONS'],
      allowedHeaders: ['content-type', 'accept', 'if-none-match', 'range'],
      exposedHeaders: ['etag', 'retry-after', 'content-length', 'content-range', 'ratelimit-limit', 'ratelimit-remaining', 'x-total-groups'],
      maxAge: 86400,
    },
    context: (initial) => createContext(requestState(initial, server)),
    plugins: [
      securityHeadersPlugin(),
      rateLimitPlugin(limits, trustedHops(options.trustProxy)),
      bodyLimitPlugin(limits),
      parseErrorsPlugin(),
      { onRequest: ({ url, endResponse, fetchAPI }) => (url.pathname === '/' ? endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: ENDPOINT } })) : undefined) },
      docsPlugin(),
      downloadsPlugin(server),
      exportPlugin(server, schema),
      chartsPlugin(server),
      getCachePlugin({ endpoint: ENDPOINT, maxAgeSeconds: limits.cacheMaxAgeSeconds }),
      answerCachePlugin(limits),
      armorPlugin(limits),
      closeSessionPlugin,
      generatedPlugin,
    ],
  });

  // Every request leases the release current when it arrives (or, at /v/<version>/graphql, the
  // release it names), and gives it back when answered.
  const leaseFor = async (path: string): Promise<{ lease: Lease; pinned: boolean } | { missing: string }> => {
    const version = PINNED_ENDPOINT.exec(path)?.[1];
    if (version === undefined) return { lease: releases.lease(), pinned: false };
    try {
      return { lease: await releases.pinned(version), pinned: true };
    } catch (err) {
      if (err instanceof ReleaseNotAvailable) return { missing: err.message };
      throw err;
    }
  };
  const notAvailable = (message: string) =>
    new Response(`${message}\n`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
  const fetch = async (request: Request) => {
    const url = new URL(request.url);
    const leased = await leaseFor(url.pathname);
    if ('missing' in leased) return notAvailable(leased.missing);
    try {
      if (!leased.pinned) return await yoga.fetch(request, { lease: leased.lease });
      url.pathname = ENDPOINT;
      return await yoga.fetch(new Request(url, request), { lease: leased.lease, pinned: true });
    } finally {
      leased.lease.release();
    }
  };
  // Yoga's Node listener passes extra arguments on as server context (its type does not say so).
  const listen = yoga.requestListener as (req: IncomingMessage, res: ServerResponse, context: RequestContext) => unknown;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '/';
    const query = target.indexOf('?');
    const path = query < 0 ? target : target.slice(0, query);
    leaseFor(path).then(
      async (leased) => {
        if ('missing' in leased) {
          const answer = notAvailable(leased.missing);
          res.writeHead(answer.status, Object.fromEntries(answer.headers));
          res.end(await answer.text());
          return;
        }
        if (leased.pinned) req.url = ENDPOINT + (query < 0 ? '' : target.slice(query));
        await Promise.resolve(listen(req, res, { lease: leased.lease, pinned: leased.pinned })).finally(() => leased.lease.release());
      },
      (err: unknown) => {
        console.error('request failed:', err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('the server could not answer\n');
      },
    );
  };
  releases.watch(limits.watchIntervalMs);

  return {
    yoga,
    fetch,
    handler,
    server,
    get state() {
      return stateOf(releases.served, server);
    },
    refresh: () => releases.refresh(),
    close: async () => {
      admission.close();
      await releases.close();
    },
  };
}

const SERVE_USAGE = `usage: gongkai serve [--release DIR] [--port 4000] [--host 127.0.0.1] [--trust-proxy N] [--public-url URL] [--watch-seconds 5]
  --release DIR        the release to serve (default ${DEFAULT_RELEASE}); when DIR is the latest
                       symlink, a release published there later is served from then on
  --trust-proxy N      N proxies you control sit in front: the client address (for the rate limit)
                       is the one N hops from the right of X-Forwarded-For (default 0: the socket's)
  --public-url URL     base of the links answers carry (csvUrl, downloads catalog, embed
                       snippets), e.g. https://data.example.org; default: links relative to the server
  --watch-seconds S    how often to look whether latest moved (default 5; 0: never)`;

/** A whole number from an option, in a range, or a usage error naming the option. */
function wholeOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got ${text}\n${SERVE_USAGE}`);
  return n;
}

/** `gongkai serve`: the API on a port until interrupted. */
export async function runServe(argv: string[]): Promise<void> {
  const options = {
    release: { type: 'string', default: DEFAULT_RELEASE },
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'trust-proxy': { type: 'string', default: '0' },
    'public-url': { type: 'string' },
    'watch-seconds': { type: 'string', default: String(DEFAULT_LIMITS.watchIntervalMs / 1000) },
    help: { type: 'boolean' },
  } as const;
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${SERVE_USAGE}`);
  }
  if (values.help) {
    console.log(SERVE_USAGE);
    return;
  }
  const port = wholeOption('port', values.port, 0, 65535);
  const trustProxy = wholeOption('trust-proxy', values['trust-proxy'], 0, 16);
  const watchSeconds = wholeOption('watch-seconds', values['watch-seconds'], 0, 3600);
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) throw new CliError(`--public-url must be an http(s) URL without query, got ${publicUrl}\n${SERVE_USAGE}`);
  let api: Api;
  const started = performance.now();
  try {
    api = await createApi({ release: values.release, trustProxy, publicUrl, limits: { watchIntervalMs: watchSeconds * 1000 } });
  } catch (err) {
    if (err instanceof NoReleaseError) throw new CliError(err.message);
    throw err;
  }
  const server = createServer(api.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host, () => resolve());
  });
  const address = server.address();
  const shown = typeof address === 'object' && address ? `http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${address.port}` : String(address);
  const { release, db } = api.state;
  console.error(
    `gongkai serve: release ${release.version} (${release.counts.reports} reports) from ${release.given}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s (tables ${(db.startupMs / 1000).toFixed(1)} s)\n` +
      `  GraphQL + GraphiQL  ${shown}${ENDPOINT}\n  downloads          ${shown}/downloads/\n  CSV export         ${shown}/export/comparison.csv?field=…`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await api.close();
}

// Run directly: npx tsx api/server.ts [--release DIR] [--port N]
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runServe(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`gongkai serve: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? 2 : 1;
  });
}
