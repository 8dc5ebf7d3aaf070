/**
 * Every limit of the public API in one place, with its default. createApi({ limits }) overrides
 * any of them (tests use tiny values to see each refusal); docs/api.md lists them and a test
 * keeps that list in step with these numbers.
 */
export interface Limits {
  /** Deepest selection nesting (graphql-armor maxDepth). */
  maxDepth: number;
  /** Aliases per operation (graphql-armor maxAliases). */
  maxAliases: number;
  /** Tokens per document (graphql-armor maxTokens). */
  maxTokens: number;
  /** Directives per operation (graphql-armor maxDirectives). */
  maxDirectives: number;
  /**
   * The cost of a query (Pothos complexity): a connection costs its page size × its selection, a
   * list 10 × its selection, a comparison its groups (in tens) × its selection. Page sizes count
   * the same whether written in the query or passed as variables.
   */
  maxComplexity: number;
  /** Page size of every connection (`first`/`last`). */
  defaultPageSize: number;
  maxPageSize: number;
  /** Rows of one comparison (`limit`). */
  defaultComparisonRows: number;
  maxComparisonRows: number;
  /** Bytes of a request body (a POSTed query with its variables); it must say its length. */
  maxBodyBytes: number;
  /** Wall time of one request's database work; a query still running is interrupted. */
  queryTimeoutMs: number;
  /** Requests per client per window (token bucket: the bucket refills evenly over the window). */
  rateLimit: { requests: number; windowSeconds: number };
  /** Cache-Control max-age of GET query results and of /downloads/latest. */
  cacheMaxAgeSeconds: number;
  /** Answers kept in memory (the release never changes, so an answer stays right): entries, and bytes of JSON per answer. */
  responseCache: { entries: number; maxAnswerBytes: number };
  /** Chart answers (SVG, spec, CSV, embed page) kept in memory, and the year spans charts default to. */
  chartCache: number;
  /** Database queries running at once for ordinary questions, and queued behind them (more: OVERLOADED). */
  lightQueries: number;
  lightQueue: number;
  /** The same for heavy comparisons: those expected to return more than heavyRows groups. */
  heavyQueries: number;
  heavyQueue: number;
  heavyRows: number;
  /** Heavy work starts only while the event loop is busy at most this share of the time (0: always). */
  heavyMaxLoad: number;
  /** Retry-After of a 503 (TIMEOUT, OVERLOADED). */
  retryAfterSeconds: number;
  /** Older releases kept open for pinned URLs while no request uses them (least recently used closed first). */
  idleReleases: number;
  /** How often the server looks whether `latest` points at a new release, ms (0: never). */
  watchIntervalMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 10,
  maxComplexity: 20000,
  defaultPageSize: 20,
  maxPageSize: 100,
  defaultComparisonRows: 1000,
  maxComparisonRows: 5000,
  maxBodyBytes: 100_000,
  queryTimeoutMs: 5000,
  rateLimit: { requests: 300, windowSeconds: 60 },
  cacheMaxAgeSeconds: 300,
  responseCache: { entries: 500, maxAnswerBytes: 256 * 1024 },
  chartCache: 500,
  lightQueries: 8,
  lightQueue: 256,
  heavyQueries: 1,
  heavyQueue: 4,
  heavyRows: 500,
  heavyMaxLoad: 0.5,
  retryAfterSeconds: 2,
  idleReleases: 2,
  watchIntervalMs: 5000,
};

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return {
    ...DEFAULT_LIMITS,
    ...overrides,
    rateLimit: { ...DEFAULT_LIMITS.rateLimit, ...(overrides.rateLimit ?? {}) },
    responseCache: { ...DEFAULT_LIMITS.responseCache, ...(overrides.responseCache ?? {}) },
  };
}
