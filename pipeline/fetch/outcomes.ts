/**
 * How a fetch of one URL ended: one named outcome per URL, written to the fetch log, the state
 * file and — for a report that could not be fetched — the manifest's fetch_error column, which
 * the build turns into the release's coverage. Adding an outcome is one row.
 */

export const FETCH_OUTCOMES = {
  ok: 'fetched',
  not_modified: 'unchanged since the last fetch (HTTP 304 to a conditional request)',
  robots_disallowed: 'robots.txt disallows the path for this user agent; not requested',
  robots_unavailable: "the host's robots.txt could not be fetched (server error or timeout), so nothing on the host was requested",
  page_limit: 'a listing page beyond the limit of pages per source (--max-pages); not requested',
  off_host: 'the link leads to a host that no listing page names; not requested',
  redirect_off_host: 'the server redirected to a host that no listing page names; not followed',
  redirect_loop: 'the redirects came back to a URL already visited',
  too_many_redirects: 'more redirects than allowed',
  http_error: 'the server answered with a 4xx status',
  server_error: 'the server answered with a 5xx status on every attempt',
  timeout: 'no complete answer within the timeout, on every attempt',
  network_error: 'the connection failed on every attempt',
  too_large: 'the body is larger than the size limit',
  wrong_content_type: 'the body is not what the link promised (an HTML page in place of a document, an image in place of a page)',
} as const;

export type FetchOutcome = keyof typeof FETCH_OUTCOMES;

/** Outcomes that leave a URL without content. */
export type FetchFailure = Exclude<FetchOutcome, 'ok' | 'not_modified'>;

export function isFetchOutcome(code: string): code is FetchOutcome {
  return Object.hasOwn(FETCH_OUTCOMES, code);
}

/** A failure in words, for coverage and the quality report: "server_error (HTTP 500): the server answered…". */
export function describeFailure(code: string, status: number | null | undefined): string {
  const what = isFetchOutcome(code) ? FETCH_OUTCOMES[code] : 'fetch failed';
  return `${code}${status ? ` (HTTP ${status})` : ''}: ${what}`;
}
