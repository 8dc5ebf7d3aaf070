/**
 * `gongkai fetch SOURCES --out DIR`: the listing pages of every source, their pagination, the
 * report pages and attachments they link to, kept in DIR with manifest.csv for `build`.
 *
 * Load: the sources file and the fetch state. Process: per host, one source after another,
 * each listing page then its reports (robots.txt first; the client keeps one request at a time
 * per host, with the pause). Save: each URL's outcome to the state as it completes, the files,
 * and at the end (or on a stop) manifest.csv. Hosts are walked in parallel, up to `parallel`.
 */
import { readFileSync } from 'node:fs';
import { GongkaiError } from '../errors.ts';
import { listingPages, pickReports, readReportPage, scanPage, type ReportLink } from './listing.ts';
import { DEFAULT_HTTP, FetchAborted, PoliteClient, type Expect, type HttpResult, type HttpSettings, type RequestLog } from './http.ts';
import type { FetchOutcome } from './outcomes.ts';
import { ALLOW_ALL, DISALLOW_ALL, isAllowed, parseRobots, type Robots } from './robots.ts';
import { readSources, type Source } from './sources.ts';
import { FetchStore, LOG_FILE, type UrlEntry, type UrlKind } from './store.ts';

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'gongkai';
/** A Crawl-delay above this (seconds) is taken as this: a host asking for more is still visited. */
const MAX_CRAWL_DELAY_S = 60;

export interface FetchOptions {
  /** The sources file (agency,region_code,listing_url). */
  sources: string;
  out: string;
  http?: Partial<HttpSettings>;
  /** Listing pages per source at most (pagination is followed up to this). */
  maxPages?: number;
  /** Hosts fetched at the same time. */
  parallel?: number;
  /** Ask for everything again, without ETag / Last-Modified. */
  refresh?: boolean;
  /** Stops the run (Ctrl-C): what completed is kept, the next run resumes. */
  signal?: AbortSignal;
  /** The clock for fetched_at and the log (tests pin it). */
  now?: () => Date;
  onProgress?: (done: number, total: number) => void;
}

export interface FetchSummary {
  sources: number;
  /** The run continued one a stop had left unfinished. */
  resumed: boolean;
  /** The run was stopped before the end: run again to resume. */
  interrupted: boolean;
  listing_pages: number;
  /** Report links picked from the listing pages. */
  reports: number;
  /** Report files by what happened to their bytes in this run. */
  files: { new: number; changed: number; unchanged: number };
  /** URLs (of any kind) whose fetch failed, by outcome. */
  failed: Partial<Record<FetchOutcome, number>>;
  requests: number;
  conditional_requests: number;
  /** manifest.csv: report files listed, and reports listed as not fetched. */
  manifest: { files: number; failed: number };
  log: string;
  ms: number;
}

export const DEFAULT_MAX_PAGES = 50;
export const DEFAULT_PARALLEL = 4;

const EXPECT: Record<UrlKind, Expect> = { robots: 'any', listing: 'listing', page: 'page', file: 'document' };
const CONTENT_OUTCOMES: readonly FetchOutcome[] = ['ok', 'not_modified'];
/** Failures decided by the body itself: asked again conditionally (outcomes.ts). */
const REFUSALS: readonly FetchOutcome[] = ['too_large', 'wrong_content_type'];

/** Whether the state still holds what a URL's last answer gave (its links, its file). */
const HOLDS: Record<UrlKind, (e: UrlEntry, store: FetchStore) => boolean> = {
  robots: (e) => e.robots !== undefined,
  listing: (e) => e.reports !== undefined,
  page: (e, store) => e.attachments !== undefined && (e.path === null || store.hasFile(e)),
  file: (e, store) => store.hasFile(e),
};

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

class FetchRun {
  readonly store: FetchStore;
  readonly client: PoliteClient;
  readonly allowedHosts: Set<string>;
  private readonly robots = new Map<string, Promise<{ robots: Robots; unavailable: boolean }>>();
  private readonly origins = new Map<string, string>();
  private readonly reportsSeen = new Set<string>();
  readonly summary: Omit<FetchSummary, 'sources' | 'resumed' | 'interrupted' | 'manifest' | 'log' | 'ms'> = {
    listing_pages: 0,
    reports: 0,
    files: { new: 0, changed: 0, unchanged: 0 },
    failed: {},
    requests: 0,
    conditional_requests: 0,
  };
  private progress = { done: 0, total: 0 };

  /** Stops every host's walk: the caller's signal, or a failure in one of them. */
  readonly stop = new AbortController();

  constructor(
    readonly sources: Source[],
    readonly options: FetchOptions,
  ) {
    this.store = new FetchStore(options.out);
    this.allowedHosts = new Set(sources.map((s) => new URL(s.listing_url).host));
    for (const s of sources) {
      const u = new URL(s.listing_url);
      if (!this.origins.has(u.host)) this.origins.set(u.host, u.origin);
    }
    this.client = new PoliteClient(
      { ...DEFAULT_HTTP, ...options.http },
      {
        allowedHosts: this.allowedHosts,
        mayRequest: async (url) => (await this.robotsVerdict(url)) === null,
        hostDelay: (host) => this.crawlDelay(host),
        log: (entry: RequestLog) => {
          this.summary.requests++;
          if (entry.conditional) this.summary.conditional_requests++;
          this.store.log(entry);
        },
        now: this.now,
        signal: options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal,
      },
    );
  }

  readonly now = (): Date => this.options.now?.() ?? new Date();

  private tick(total = 0, done = 0): void {
    this.progress.total += total;
    this.progress.done += done;
    this.options.onProgress?.(this.progress.done, this.progress.total);
  }

  // -------------------------------------------------------------------------------------------
  // robots.txt, once per host and run

  private robotsOf(host: string): Promise<{ robots: Robots; unavailable: boolean }> {
    let verdict = this.robots.get(host);
    if (!verdict) {
      verdict = (async () => {
        const entry = await this.visit(`${this.origins.get(host)}/robots.txt`, 'robots');
        if (CONTENT_OUTCOMES.includes(entry.outcome)) {
          const robots = parseRobots(entry.robots ?? '', ROBOTS_AGENT);
          if (robots.crawlDelay) this.crawlDelays.set(host, Math.min(robots.crawlDelay, MAX_CRAWL_DELAY_S) * 1000);
          return { robots, unavailable: false };
        }
        // No robots.txt (4xx), or one that leads off the host: nothing is disallowed. A server
        // error or no answer: nothing is requested (RFC 9309 2.3.1.3–4).
        if (entry.outcome === 'http_error' || entry.outcome === 'redirect_off_host') return { robots: ALLOW_ALL, unavailable: false };
        return { robots: DISALLOW_ALL, unavailable: true };
      })();
      this.robots.set(host, verdict);
    }
    return verdict;
  }

  /** null when the URL may be requested; else the outcome that stops it. */
  private async robotsVerdict(url: URL): Promise<FetchOutcome | null> {
    const { robots, unavailable } = await this.robotsOf(url.host);
    if (isAllowed(robots, url)) return null;
    return unavailable ? 'robots_unavailable' : 'robots_disallowed';
  }

  /** A host's Crawl-delay in ms, known once its robots.txt is read (before any other request to it). */
  private readonly crawlDelays = new Map<string, number>();
  private crawlDelay(host: string): number {
    return this.crawlDelays.get(host) ?? 0;
  }

  // -------------------------------------------------------------------------------------------
  // One URL

  /**
   * The validators of what we hold for a URL — only when we still hold it, since a 304 says
   * "what you have is current" — or of the body refused last time. None with --refresh.
   */
  private validators(previous: UrlEntry | undefined): { etag: string | null; last_modified: string | null; of: 'content' | 'refused' } | null {
    if (this.options.refresh || !previous) return null;
    const { refused } = previous;
    if (refused && refused.outcome === previous.outcome && (refused.etag || refused.last_modified)) return { etag: refused.etag, last_modified: refused.last_modified, of: 'refused' };
    if (!previous.etag && !previous.last_modified) return null;
    return HOLDS[previous.kind](previous, this.store) ? { etag: previous.etag, last_modified: previous.last_modified, of: 'content' } : null;
  }

  /** Fetches one URL (or takes what this run already has of it) and records the outcome. */
  async visit(url: string, kind: UrlKind): Promise<UrlEntry> {
    if (this.store.isDone(url)) {
      this.tick(0, 1);
      return this.store.entry(url)!;
    }
    const previous = this.store.entry(url);
    const now = isoSeconds(this.now());
    const u = new URL(url);
    const base: UrlEntry = {
      url,
      kind,
      outcome: 'ok',
      status: null,
      message: null,
      checked_at: now,
      etag: previous?.etag ?? null,
      last_modified: previous?.last_modified ?? null,
      path: previous?.path ?? null,
      sha256: previous?.sha256 ?? null,
      fetched_at: previous?.fetched_at ?? null,
      versions: previous?.versions ?? [],
      ...pointers(previous),
    };
    const skip = !this.allowedHosts.has(u.host) ? 'off_host' : kind !== 'robots' ? await this.robotsVerdict(u) : null;
    if (skip) return this.finish({ ...base, outcome: skip, message: skip === 'off_host' ? `${u.host} is not a listed host` : null }, 'skip');

    const validators = this.validators(previous);
    const res = await this.client.get(url, { expect: EXPECT[kind], validators, robots: kind !== 'robots' });
    const entry: UrlEntry = { ...base, outcome: res.outcome, status: res.status, message: res.message, refused: previous?.refused ?? null };
    if (res.outcome === 'not_modified') {
      if (validators?.of === 'refused') {
        // The body refused last time is still the same: refused again, without downloading it.
        const r = previous!.refused!;
        return this.finish({ ...entry, outcome: r.outcome, status: r.status, message: `${r.message ?? r.outcome} (unchanged since the last fetch)` });
      }
      if ((kind === 'page' || kind === 'file') && this.store.hasFile(entry)) this.summary.files.unchanged++;
      return this.finish(entry);
    }
    if (REFUSALS.includes(res.outcome)) entry.refused = { outcome: res.outcome, message: res.message, status: res.status, etag: res.etag, last_modified: res.last_modified };
    if (res.outcome !== 'ok') return this.finish(entry);
    entry.refused = null;
    entry.etag = res.etag;
    entry.last_modified = res.last_modified;
    this.take(entry, res, previous, now);
    return this.finish(entry);
  }

  /** What an answer's body means for each kind of URL. */
  private take(entry: UrlEntry, res: HttpResult, previous: UrlEntry | undefined, now: string): void {
    const body = res.body!;
    const pageUrl = new URL(res.final_url);
    switch (entry.kind) {
      case 'robots':
        entry.robots = Buffer.from(body).toString('utf8');
        return;
      case 'listing': {
        const page = scanPage(body);
        entry.reports = pickReports(page, pageUrl);
        entry.pages = listingPages(page, pageUrl, new URL(this.listingOf.get(entry.url) ?? entry.url));
        return;
      }
      case 'page': {
        if (res.format === 'html') {
          const page = readReportPage(scanPage(body), pageUrl);
          entry.attachments = page.attachments;
          entry.carries_report = page.carries_report;
          entry.published_at = page.published_at;
          // A page that only links to its attachments is no report file of its own.
          if (!page.carries_report && page.attachments.length > 0) {
            if (entry.path && this.store.hasFile(entry)) entry.versions = [...entry.versions, this.store.retire(entry.path, entry.sha256!, entry.fetched_at)];
            entry.path = entry.sha256 = entry.fetched_at = null;
            return;
          }
        } else {
          // The link served the document itself.
          entry.attachments = [];
          entry.carries_report = true;
        }
        this.keep(entry, res, previous, now);
        return;
      }
      case 'file':
        this.keep(entry, res, previous, now);
    }
  }

  private keep(entry: UrlEntry, res: HttpResult, previous: UrlEntry | undefined, now: string): void {
    const saved = this.store.saveFile(entry.url, res.body!, res.format, previous, now);
    Object.assign(entry, { path: saved.path, sha256: saved.sha256, fetched_at: saved.fetched_at, versions: saved.versions });
    this.summary.files[saved.change]++;
  }

  private finish(entry: UrlEntry, event: 'result' | 'skip' = 'result'): UrlEntry {
    this.store.record(entry);
    if (!CONTENT_OUTCOMES.includes(entry.outcome)) this.summary.failed[entry.outcome] = (this.summary.failed[entry.outcome] ?? 0) + 1;
    this.store.log({
      event,
      at: this.now().toISOString(),
      url: entry.url,
      kind: entry.kind,
      outcome: entry.outcome,
      status: entry.status,
      ...(entry.message ? { message: entry.message } : {}),
      ...(entry.path && CONTENT_OUTCOMES.includes(entry.outcome) ? { path: entry.path, sha256: entry.sha256 } : {}),
    });
    this.tick(0, 1);
    return entry;
  }

  // -------------------------------------------------------------------------------------------
  // Sources, listings, reports

  /** Listing page → the source's first page, for pagination's folder. */
  private readonly listingOf = new Map<string, string>();

  async walkSource(source: Source): Promise<void> {
    const first = source.listing_url;
    const queue = [first];
    const seen = new Set(queue);
    this.listingOf.set(first, first);
    this.tick(1);
    let pages = 0;
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (pages >= (this.options.maxPages ?? DEFAULT_MAX_PAGES)) {
        this.store.log({ event: 'skip', at: isoSeconds(this.now()), url, kind: 'listing', outcome: 'page_limit', message: `more than ${this.options.maxPages ?? DEFAULT_MAX_PAGES} listing pages` });
        this.tick(0, 1);
        continue;
      }
      pages++;
      this.summary.listing_pages++;
      const listing = await this.visit(url, 'listing');
      for (const next of listing.pages ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        this.listingOf.set(next, first);
        queue.push(next);
        this.tick(1);
      }
      if (!CONTENT_OUTCOMES.includes(listing.outcome)) continue;
      for (const link of listing.reports ?? []) await this.visitReport(source, link);
    }
  }

  private async visitReport(source: Source, link: ReportLink): Promise<void> {
    if (this.reportsSeen.has(link.url)) return;
    this.reportsSeen.add(link.url);
    this.summary.reports++;
    const promise = (url: string, published: string | null) =>
      this.store.promise({ url, agency: source.agency, region_code: source.region_code, year: link.year, title: link.title, published_at: published });
    this.tick(1);
    if (link.kind === 'file') {
      promise(link.url, link.published_at);
      await this.visit(link.url, 'file');
      return;
    }
    const page = await this.visit(link.url, 'page');
    const published = link.published_at ?? page.published_at ?? null;
    // The page is promised as the report unless it turned out to be a page of links.
    if (!CONTENT_OUTCOMES.includes(page.outcome) || page.path) promise(link.url, published);
    const attachments = (page.attachments ?? []).filter((a) => !this.reportsSeen.has(a));
    this.tick(attachments.length);
    for (const url of attachments) {
      this.reportsSeen.add(url);
      promise(url, published);
      await this.visit(url, 'file');
    }
  }
}

/** The pointers a page had (its links), carried over when it answers 304 or fails. */
function pointers(previous: UrlEntry | undefined): Partial<UrlEntry> {
  if (!previous) return {};
  const { reports, pages, attachments, carries_report, published_at, robots } = previous;
  return Object.fromEntries(Object.entries({ reports, pages, attachments, carries_report, published_at, robots }).filter(([, v]) => v !== undefined));
}

/** Runs `tasks` with at most `limit` at a time; every task settles before this returns. */
async function inParallel(tasks: (() => Promise<void>)[], limit: number): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        await tasks[i]();
        results[i] = { status: 'fulfilled', value: undefined };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

export async function runFetch(options: FetchOptions): Promise<FetchSummary> {
  const started = performance.now();
  let text: string;
  try {
    text = readFileSync(options.sources, 'utf8');
  } catch (err) {
    throw new GongkaiError('unreadable', `${options.sources}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const sources = readSources(text, options.sources);
  const run = new FetchRun(sources, options);
  const { store } = run;
  const { resumed } = store.startRun(isoSeconds(run.now()));
  store.log({ event: 'run', at: isoSeconds(run.now()), resumed, sources: sources.length });

  // One task per host: its sources one after another, so a host sees one request at a time.
  const byHost = new Map<string, Source[]>();
  for (const s of sources) {
    const host = new URL(s.listing_url).host;
    byHost.set(host, [...(byHost.get(host) ?? []), s]);
  }
  const tasks = [...byHost.values()].map((group) => async () => {
    try {
      for (const source of group) await run.walkSource(source);
    } catch (err) {
      // A failure that is not a stop (a full disk) stops the other hosts too, state kept.
      if (!(err instanceof FetchAborted)) run.stop.abort();
      throw err;
    }
  });
  const results = await inParallel(tasks, options.parallel ?? DEFAULT_PARALLEL);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof FetchAborted));
  const interrupted = results.some((r) => r.status === 'rejected' && r.reason instanceof FetchAborted);
  try {
    if (!interrupted && !failure) store.finishRun(isoSeconds(run.now()));
    else store.compact();
    const manifest = store.writeManifest();
    store.log({ event: interrupted ? 'stopped' : 'finished', at: isoSeconds(run.now()), manifest });
    if (failure) throw failure.reason;
    return { sources: sources.length, resumed, interrupted, ...run.summary, manifest, log: `${options.out}/${LOG_FILE}`, ms: Math.round(performance.now() - started) };
  } finally {
    store.close();
  }
}
