/**
 * The polite HTTP client: one request at a time per host with a pause between requests, a
 * User-Agent that names the project, a timeout on every request, redirects followed by hand
 * (bounded, never to a host outside the listed ones, each hop checked against robots.txt),
 * retries with exponential backoff on 5xx, 408, 429, timeouts and dropped connections, a size
 * limit per body, conditional requests (If-None-Match / If-Modified-Since), and a log entry for
 * every request. Node's built-in fetch does the transfer.
 *
 * Every answer ends in a named outcome (outcomes.ts); only the run's own abort signal throws.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pkg from '../../package.json' with { type: 'json' };
import { GongkaiError } from '../errors.ts';
import { looksBinary, sniffFormat, type Format } from '../read/formats.ts';
import type { FetchOutcome } from './outcomes.ts';

export interface HttpSettings {
  userAgent: string;
  /** Milliseconds between the end of one request to a host and the start of the next. */
  delayMs: number;
  /** Milliseconds for a whole request: connection, headers and body. */
  timeoutMs: number;
  /** Further attempts after a retryable failure. */
  retries: number;
  /** The pause before the first retry; each further retry waits twice as long. */
  backoffMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  maxRedirects: number;
}

/** Header values are bytes: the project is named in ASCII. */
export const USER_AGENT = `Gongkai/${pkg.version} (government information disclosure annual reports for open data; gongkai fetch)`;

export const DEFAULT_HTTP: HttpSettings = {
  userAgent: USER_AGENT,
  delayMs: 1000,
  timeoutMs: 30_000,
  retries: 2,
  backoffMs: 2000,
  maxBytes: 50 * 1024 * 1024,
  maxRedirects: 5,
};

/** A Retry-After longer than this is not waited for: the attempt counts as failed. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * What a request is for: `listing` (an HTML page), `page` (a report page: HTML, or the document
 * served in its place), `document` (an attachment: PDF, Word, WPS, Excel) or `any` (robots.txt).
 */
export type Expect = 'listing' | 'page' | 'document' | 'any';

/** What the bytes are, whatever the Content-Type says. */
export type BodyKind = 'document' | 'page' | 'text' | 'other';

const ACCEPTS: Record<Expect, readonly BodyKind[]> = {
  listing: ['page'],
  page: ['page', 'document'],
  document: ['document'],
  any: ['document', 'page', 'text', 'other'],
};

export function bodyKind(bytes: Uint8Array, contentType: string | null): { kind: BodyKind; format: Format | null } {
  const format = bytes.length ? sniffFormat(bytes, '') : null;
  if (format === 'pdf' || format === 'docx' || format === 'doc' || format === 'wps') return { kind: 'document', format };
  if (looksBinary(bytes)) return { kind: 'other', format: null };
  const type = (contentType ?? '').toLowerCase();
  if (format === 'html' || /html|xml/.test(type)) return { kind: 'page', format: 'html' };
  if (!type || type.startsWith('text/')) return { kind: 'text', format: 'text' };
  return { kind: 'other', format: null };
}

export interface Validators {
  etag?: string | null;
  last_modified?: string | null;
}

export interface HttpResult {
  outcome: FetchOutcome;
  /** The last HTTP status; null when no answer came. */
  status: number | null;
  /** The URL that answered, after redirects. */
  final_url: string;
  body: Uint8Array | null;
  /** The format the bytes were sniffed as (read/formats.ts). */
  format: Format | null;
  content_type: string | null;
  etag: string | null;
  last_modified: string | null;
  /** Requests made, redirects and retries included. */
  requests: number;
  message: string | null;
}

/** One line of the fetch log per request. */
export interface RequestLog {
  event: 'request';
  at: string;
  url: string;
  attempt: number;
  conditional: boolean;
  status: number | null;
  /** ok, not_modified, redirect or a failure outcome. */
  result: FetchOutcome | 'redirect';
  /** True when the failure is retried. */
  retry: boolean;
  bytes: number | null;
  ms: number;
  location?: string;
  message?: string;
}

/** The run was stopped (Ctrl-C, or its abort signal): nothing is recorded for the request under way. */
export class FetchAborted extends GongkaiError {
  constructor() {
    super('fetch_aborted', 'the fetch was stopped; run it again to resume');
  }
}

export interface ClientEnv {
  /** Hosts the fetch may visit: those of the listing pages. */
  allowedHosts: ReadonlySet<string>;
  /** robots.txt's verdict on a URL (fetched on first use per host). */
  mayRequest(url: URL): Promise<boolean>;
  /** Extra pause a host asks for (robots.txt Crawl-delay), in ms. */
  hostDelay(host: string): number;
  log(entry: RequestLog): void;
  now(): Date;
  signal?: AbortSignal;
}

/** Serialises the requests to one host and keeps the pause between them. */
class HostGate {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly earliest = new Map<string, number>();

  async run<T>(host: string, pause: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(host) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => done);
    this.tails.set(host, tail);
    try {
      await previous;
      const wait = (this.earliest.get(host) ?? 0) - performance.now();
      if (wait > 0) await abortable(sleep(wait, undefined, { signal }));
      return await fn();
    } finally {
      this.earliest.set(host, performance.now() + pause);
      release();
      if (this.tails.get(host) === tail) this.tails.delete(host);
    }
  }
}

async function abortable<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw new FetchAborted();
    throw err;
  }
}

const RETRY_STATUS = (status: number) => status >= 500 || status === 408 || status === 429;

/** One request's answer before retries and redirects are decided. */
interface Attempt {
  result: FetchOutcome | 'redirect';
  status: number | null;
  retryAfterMs?: number;
  location?: string;
  body?: Uint8Array;
  format?: Format | null;
  contentType?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  message?: string;
}

export class PoliteClient {
  private readonly gate = new HostGate();
  constructor(
    readonly settings: HttpSettings,
    private readonly env: ClientEnv,
  ) {}

  /**
   * GET with redirects, retries and limits; `validators` make the first hop conditional.
   * `robots: false` for robots.txt itself, whose redirects cannot wait for its own verdict.
   */
  async get(url: string, options: { expect: Expect; validators?: Validators | null; robots?: boolean }): Promise<HttpResult> {
    const { settings, env } = this;
    const visited = new Set<string>();
    let current = new URL(url);
    let requests = 0;
    let last: Attempt = { result: 'network_error', status: null };
    const result = (outcome: FetchOutcome, extra: Partial<HttpResult> = {}): HttpResult => ({
      outcome,
      status: last.status,
      final_url: current.href,
      body: null,
      format: null,
      content_type: last.contentType ?? null,
      etag: last.etag ?? null,
      last_modified: last.lastModified ?? null,
      requests,
      message: last.message ?? null,
      ...extra,
    });

    for (let hop = 0; ; hop++) {
      visited.add(current.href);
      const validators = hop === 0 ? options.validators : null;
      const conditional = Boolean(validators?.etag || validators?.last_modified);
      for (let attempt = 1; ; attempt++) {
        if (env.signal?.aborted) throw new FetchAborted();
        const started = performance.now();
        const pause = Math.max(settings.delayMs, env.hostDelay(current.host));
        last = await this.gate.run(current.host, pause, env.signal, () => this.request(current, options.expect, validators));
        requests++;
        const retry = RETRY_STATUS(last.status ?? 0) || last.result === 'timeout' || last.result === 'network_error';
        const willRetry = retry && attempt <= settings.retries && (last.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
        env.log({
          event: 'request',
          at: env.now().toISOString(),
          url: current.href,
          attempt,
          conditional,
          status: last.status,
          result: last.result,
          retry: willRetry,
          bytes: last.body?.length ?? null,
          ms: Math.round(performance.now() - started),
          ...(last.location ? { location: last.location } : {}),
          ...(last.message ? { message: last.message } : {}),
        });
        if (!willRetry) break;
        const backoff = Math.max(settings.backoffMs * 2 ** (attempt - 1), last.retryAfterMs ?? 0);
        await abortable(sleep(backoff, undefined, { signal: env.signal }));
      }

      if (last.result !== 'redirect') {
        if (last.result !== 'ok') return result(last.result);
        return result('ok', { body: last.body!, format: last.format ?? null });
      }
      let next: URL;
      try {
        next = new URL(last.location!, current);
        next.hash = '';
      } catch {
        last.message = `a redirect to "${last.location}", which is not a URL`;
        return result('http_error');
      }
      if (!env.allowedHosts.has(next.host)) return result('redirect_off_host', { message: `redirected to ${next.href}`, final_url: next.href });
      if (visited.has(next.href)) return result('redirect_loop', { message: `redirected back to ${next.href}` });
      if (hop + 1 > settings.maxRedirects) return result('too_many_redirects', { message: `more than ${settings.maxRedirects} redirects` });
      if (options.robots !== false && !(await env.mayRequest(next))) return result('robots_disallowed', { message: `redirected to ${next.href}, which robots.txt disallows`, final_url: next.href });
      current = next;
    }
  }

  /** One request, its body read within the size limit. Never throws but for the run's abort. */
  private async request(url: URL, expect: Expect, validators: Validators | null | undefined): Promise<Attempt> {
    const { settings, env } = this;
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const signal = env.signal ? AbortSignal.any([env.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      'user-agent': settings.userAgent,
      accept: 'text/html,application/xhtml+xml,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.last_modified) headers['if-modified-since'] = validators.last_modified;
    let status: number | null = null;
    try {
      const res = await fetch(url, { redirect: 'manual', headers, signal });
      status = res.status;
      const contentType = res.headers.get('content-type');
      if (status >= 300 && status < 400 && status !== 304) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location) return { result: 'http_error', status, message: `HTTP ${status} without a Location` };
        return { result: 'redirect', status, location };
      }
      if (status === 304) {
        await res.body?.cancel();
        return { result: 'not_modified', status };
      }
      if (status >= 400) {
        await res.body?.cancel();
        const retryAfter = Number(res.headers.get('retry-after'));
        return { result: status >= 500 ? 'server_error' : 'http_error', status, contentType, ...(retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
      }
      // Validators come back with a refusal too: the next run asks whether the refused body changed.
      const answer = { status, contentType, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
      const declared = Number(res.headers.get('content-length'));
      if (declared > settings.maxBytes) {
        await res.body?.cancel();
        return { result: 'too_large', ...answer, message: `Content-Length ${declared} is over the limit of ${settings.maxBytes} bytes` };
      }
      const body = await readLimited(res, settings.maxBytes);
      if (!body) return { result: 'too_large', ...answer, message: `the body passed the limit of ${settings.maxBytes} bytes` };
      const { kind, format } = bodyKind(body, contentType);
      if (!ACCEPTS[expect].includes(kind)) {
        return { result: 'wrong_content_type', ...answer, message: `expected ${expect === 'document' ? 'a document' : 'an HTML page'}, got ${kind} (Content-Type ${contentType ?? 'none'})` };
      }
      const declaredKind = contentType ? bodyKind(new Uint8Array(0), contentType).kind : null;
      return {
        result: 'ok',
        ...answer,
        body,
        format,
        ...(kind === 'document' && declaredKind === 'page' ? { message: `Content-Type ${contentType}, the bytes are ${format}` } : {}),
      };
    } catch (err) {
      if (env.signal?.aborted) throw new FetchAborted();
      if (timeout.aborted) return { result: 'timeout', status, message: `no complete answer within ${settings.timeoutMs} ms` };
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { result: 'network_error', status, message: cause?.code ?? cause?.message ?? (err as Error).message };
    }
  }
}

/** The body, or null as soon as it passes `max` bytes (the rest is never read). */
async function readLimited(res: Response, max: number): Promise<Uint8Array | null> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
