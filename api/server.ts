/**
 * The Gongkai API: GraphQL (Yoga + Pothos) over DuckDB views of one release's Parquet files,
 * GraphiQL with the examples, the release's files under /downloads and comparisons as CSV
 * under /export. createApi() is what tests use (in-process, `api.fetch(request)`, no port);
 * runServe() is `gongkai serve`.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { CliError } from '../pipeline/errors.ts';
import { answerCachePlugin, getCachePlugin } from './caching.ts';
import { createContext, type ApiContext, type ApiState } from './context.ts';
import { Database } from './data/db.ts';
import { RegionIndex } from './data/regions.ts';
import { chartsPlugin } from './charts/routes.ts';
import { downloadsPlugin } from './downloads.ts';
import { exportPlugin } from './export.ts';
import { graphiqlOptions, loadExamples } from './graphiql.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { armorPlugin, bodyLimitPlugin, rateLimitPlugin } from './protect.ts';
import { loadRelease, NoReleaseError } from './release.ts';
import { schema } from './schema/index.ts';

export const DEFAULT_RELEASE = 'data/releases/latest';
const ENDPOINT = '/graphql';

export interface ApiOptions {
  /** A release folder (e.g. data/releases/latest). */
  release: string;
  limits?: Partial<Limits>;
  /** Take the client address from X-Forwarded-For (only behind a proxy you trust). */
  trustProxy?: boolean;
  /** Base URL for links in responses (csvUrl, catalog); default: the request's origin. */
  publicUrl?: string;
  /** DuckDB threads (default: every core). */
  threads?: number;
  /** Log unexpected errors (default true). */
  logErrors?: boolean;
}

export interface Api {
  yoga: YogaServerInstance<Record<string, unknown>, ApiContext>;
  fetch: (request: Request) => Promise<Response>;
  state: ApiState;
  close: () => Promise<void>;
}

/** One connection per request: closed when execution is done. */
const closeSessionPlugin: Plugin = {
  onExecute: ({ args }) => ({ onExecuteDone: () => void (args.contextValue as unknown as ApiContext).session.close() }),
};

export async function createApi(options: ApiOptions): Promise<Api> {
  const release = loadRelease(options.release);
  const limits = resolveLimits(options.limits);
  const db = await Database.open(release, { threads: options.threads });
  const con = await db.instance.connect();
  const regions = await RegionIndex.load(con);
  con.closeSync();
  const state: ApiState = { release, db, regions, limits, publicUrl: options.publicUrl ?? null };

  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema,
    graphqlEndpoint: ENDPOINT,
    landingPage: false,
    // bodyLimitPlugin checks the declared length up front; Yoga's own limit would stream every body through a counter.
    maxRequestBodySize: false,
    maskedErrors: true,
    logging: options.logErrors === false ? false : 'warn',
    graphiql: graphiqlOptions(release.version, loadExamples()),
    renderGraphiQL,
    cors: {
      origin: '*',
      credentials: false,
      methods: ['GET', 'POST', 'HEAD', 'OPTIONS'],
      allowedHeaders: ['content-type', 'accept', 'if-none-match', 'range'],
      exposedHeaders: ['etag', 'retry-after', 'content-length', 'content-range', 'ratelimit-limit', 'ratelimit-remaining', 'x-total-groups'],
      maxAge: 86400,
    },
    context: ({ request }) => createContext(state, request),
    plugins: [
      rateLimitPlugin(limits, options.trustProxy ?? false),
      bodyLimitPlugin(limits),
      { onRequest: ({ url, endResponse, fetchAPI }) => (url.pathname === '/' ? endResponse(fetchAPI.Response.redirect(new URL(ENDPOINT, url).toString(), 302)) : undefined) },
      downloadsPlugin(release, { maxAgeSeconds: limits.cacheMaxAgeSeconds, publicUrl: state.publicUrl }),
      exportPlugin(state, schema),
      chartsPlugin(state),
      getCachePlugin({ version: release.version, endpoint: ENDPOINT, maxAgeSeconds: limits.cacheMaxAgeSeconds }),
      answerCachePlugin(limits, state.publicUrl),
      armorPlugin(limits),
      closeSessionPlugin,
    ],
  });

  return {
    yoga,
    state,
    fetch: (request) => Promise.resolve(yoga.fetch(request)),
    close: () => db.close(),
  };
}

const SERVE_USAGE = 'usage: gongkai serve [--release DIR] [--port 4000] [--host 127.0.0.1] [--trust-proxy] [--public-url URL]';

/** `gongkai serve`: the API on a port until interrupted. */
export async function runServe(argv: string[]): Promise<void> {
  const options = {
    release: { type: 'string', default: DEFAULT_RELEASE },
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'trust-proxy': { type: 'boolean', default: false },
    'public-url': { type: 'string' },
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
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number (0-65535), got ${values.port}\n${SERVE_USAGE}`);
  let api: Api;
  const started = performance.now();
  try {
    api = await createApi({ release: values.release, trustProxy: values['trust-proxy'], publicUrl: values['public-url'] });
  } catch (err) {
    if (err instanceof NoReleaseError) throw new CliError(err.message);
    throw err;
  }
  const server = createServer(api.yoga);
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
