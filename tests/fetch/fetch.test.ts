/**
 * `fetch` then `build` on a replayed site (site.ts, 127.0.0.1 only): provenance of every report,
 * coverage of what could not be fetched, a second fetch that asks only what changed, and a
 * fetch stopped midway that resumes without asking again what it had.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFetch, type FetchOptions, type FetchSummary } from '../../pipeline/fetch/run.ts';
import { sha256Hex } from '../../pipeline/fetch/store.ts';
import { readManifest, type ManifestRow } from '../../pipeline/normalize/manifest.ts';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { startSite, type Site } from './site.ts';

/** Tiny pauses; a timeout no loopback answer comes near, and a route that never answers. */
const HTTP = { delayMs: 1, timeoutMs: 1000, retries: 1, backoffMs: 5, maxBytes: 200_000, maxRedirects: 5 };
const FIRST = new Date('2026-02-01T08:00:00Z');
const SECOND = new Date('2026-02-02T08:00:00Z');

async function sql<T = Record<string, unknown>>(text: string): Promise<T[]> {
  const { connection, instance } = await openDuck(':memory:');
  try {
    return await query<T>(connection, text);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const logOf = (out: string) =>
  readFileSync(join(out, 'fetch-log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const manifestOf = (out: string): ManifestRow[] => [...readManifest(readFileSync(join(out, 'manifest.csv'), 'utf8'), out).values()];

/** What each listed report came to in the first fetch: path under the host folder → fetch_error (null: a file). */
const FIRST_RUN: Record<string, string | null> = {
  'a/ndbg/202501/t20250115_1.html': null, // 测试市 2024: a UTF-8 page that is the report
  'a/ndbg/202601/P020260120.pdf': null, // 测试市 2025: a PDF behind a page of links
  'b/content/2018.html': null, // 上海 2018: a GBK page
  'b/files/2019.docx': null, // 上海 2019: a DOCX that answered 500 once
  'a/ndbg/202401/t20240110_5.html': 'server_error',
  'a/ndbg/202301/t20230110_6.html': 'timeout',
  'a/loop/1.html': 'redirect_loop',
  'a/moved.html': 'redirect_off_host',
  'a/ndbg/202001/P020200110.docx': 'wrong_content_type',
  'a/ndbg/201901/P020190110.pdf': 'too_large',
  'a/private/2017.html': 'robots_disallowed',
  'a/2016.html': 'off_host',
};

let site: Site;
let work: string;
let options: FetchOptions;
let first: FetchSummary;
let firstRequests: Site['requests'];
let firstManifest: ManifestRow[];
let release1: BuildSummary;

beforeAll(async () => {
  site = await startSite();
  work = mkdtempSync(join(tmpdir(), 'gongkai-fetch-'));
  writeFileSync(join(work, 'sources.csv'), site.sourcesCsv());
  options = { sources: join(work, 'sources.csv'), out: join(work, 'site'), http: HTTP, now: () => FIRST };
  first = await runFetch(options);
  firstRequests = [...site.requests];
  firstManifest = manifestOf(options.out);
  release1 = await build({ inputs: [options.out], out: join(work, 'releases'), cacheDir: null, jobs: 1 });
});

afterAll(async () => {
  await site?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('fetch on the replayed site', () => {
  it('walks both listings with their pagination and picks the report links by title', () => {
    expect(first).toMatchObject({ sources: 2, resumed: false, interrupted: false, listing_pages: 5, reports: 12, files: { new: 4, changed: 0, unchanged: 0 } });
    const asked = new Set(firstRequests.map((r) => r.url));
    for (const page of ['/a/ndbg/index.html', '/a/ndbg/index_1.html', '/a/ndbg/index_2.html', '/b/list.jsp', '/b/list.jsp?page=2']) expect(asked).toContain(page);
    // The notice about compiling reports and the meeting news are no reports; never asked for.
    expect(asked).not.toContain('/a/ndbg/202512/t20251201_3.html');
    expect(asked).not.toContain('/a/ndbg/202512/t20251210_4.html');
    expect(firstRequests.every((r) => r.userAgent.startsWith('Gongkai/'))).toBe(true);
  });

  it('every fault ends in a named outcome in the log, and the run goes on', () => {
    expect(first.failed).toEqual({
      server_error: 1, timeout: 1, redirect_loop: 1, redirect_off_host: 1, wrong_content_type: 1, too_large: 1, robots_disallowed: 1, off_host: 1,
    });
    const log = logOf(options.out);
    const outcome = (suffix: string) => log.filter((l) => (l.event === 'result' || l.event === 'skip') && String(l.url).endsWith(suffix)).map((l) => l.outcome);
    for (const [path, error] of Object.entries(FIRST_RUN)) expect({ path, outcomes: outcome(`/${path}`) }).toEqual({ path, outcomes: [error ?? 'ok'] });
    // 500 then the file on the retry; a permanent 500 and the timeout tried twice (retries: 1).
    const attempts = (suffix: string) => log.filter((l) => l.event === 'request' && String(l.url).endsWith(suffix)).map((l) => [l.status, l.result, l.retry]);
    expect(attempts('/b/files/2019.docx')).toEqual([[500, 'server_error', true], [200, 'ok', false]]);
    expect(attempts('/a/ndbg/202401/t20240110_5.html')).toEqual([[500, 'server_error', true], [500, 'server_error', false]]);
    expect(attempts('/a/ndbg/202301/t20230110_6.html')).toEqual([[null, 'timeout', true], [null, 'timeout', false]]);
    expect(attempts('/a/loop/1.html')[0]).toEqual([302, 'redirect', false]);
    // Never asked: the path robots.txt disallows, and any other host.
    expect(firstRequests.some((r) => r.url.startsWith('/a/private/'))).toBe(false);
    expect(log.some((l) => l.event === 'request' && String(l.url).includes('127.0.0.2'))).toBe(false);
  });

  it('keeps each report file as served, and lists it in manifest.csv with its provenance', () => {
    const rows = manifestOf(options.out);
    const host = new URL(site.origin).host.replace(':', '_');
    const byPath = new Map(rows.map((r) => [r.path.slice(r.path.indexOf('/') + 1), r]));
    expect(Object.fromEntries([...byPath].map(([p, r]) => [p, r.fetch_error ?? null]))).toEqual(FIRST_RUN);
    const gbk = byPath.get('b/content/2018.html')!;
    expect(gbk).toMatchObject({
      path: `${host}/b/content/2018.html`,
      agency: '上海市人民政府办公厅',
      region_code: '310000',
      year: 2018,
      source_url: `${site.origin}/b/content/2018.html`,
      published_at: '2019-01-31',
      fetched_at: '2026-02-01T08:00:00Z',
      http_status: 200,
      title: '上海市人民政府办公厅2018年政府信息公开工作年度报告',
    });
    const stored = readFileSync(join(options.out, gbk.path));
    expect(gbk.sha256).toBe(sha256Hex(stored));
    // The bytes as served: GBK, never re-encoded.
    expect(new TextDecoder('gb18030').decode(stored)).toContain('上海市人民政府办公厅');
    expect(stored.includes(Buffer.from('上海市人民政府办公厅'))).toBe(false);
    const pdf = byPath.get('a/ndbg/202601/P020260120.pdf')!;
    expect(readFileSync(join(options.out, pdf.path))).toEqual(readFileSync('tests/fixtures/office/city-2025.pdf'));
    expect(pdf).toMatchObject({ year: 2025, published_at: '2026-01-20' });
    const failed = byPath.get('a/ndbg/202401/t20240110_5.html')!;
    expect(failed).toMatchObject({ fetch_error: 'server_error', http_status: 500, year: 2023, title: '测试市2023年政府信息公开工作年度报告' });
    expect(existsSync(join(options.out, failed.path))).toBe(false);
  });
});

describe('build on what fetch collected', () => {
  it('every report carries its source URL, published date and fetch time', async () => {
    expect(release1).toMatchObject({ inputs: 4, reports: 4, errors: 0, notFetched: 8 });
    const reports = await sql<{ agency_id: string; year: number; source_url: string; published_at: string; fetched_at: string }>(
      `SELECT agency_id, year, source_url, published_at, fetched_at FROM read_parquet('${release1.dir}/reports.parquet') ORDER BY agency_id, year`,
    );
    expect(reports).toEqual([
      { agency_id: '310000.general_office', year: 2018, source_url: `${site.origin}/b/content/2018.html`, published_at: '2019-01-31', fetched_at: '2026-02-01T08:00:00Z' },
      { agency_id: '310000.general_office', year: 2019, source_url: `${site.origin}/b/files/2019.docx`, published_at: '2020-01-31', fetched_at: '2026-02-01T08:00:00Z' },
      { agency_id: '~测试市.government', year: 2024, source_url: `${site.origin}/a/ndbg/202501/t20250115_1.html`, published_at: '2025-01-15', fetched_at: '2026-02-01T08:00:00Z' },
      { agency_id: '~测试市.government', year: 2025, source_url: `${site.origin}/a/ndbg/202601/P020260120.pdf`, published_at: '2026-01-20', fetched_at: '2026-02-01T08:00:00Z' },
    ]);
    // The GBK page was read as the report it is: table 3 of 上海's (year-shifted) 2019 report.
    const [granted] = await sql<{ value: number }>(
      `SELECT a.value FROM read_parquet('${release1.dir}/applications.parquet') a JOIN read_parquet('${release1.dir}/reports.parquet') r USING (report_id)
       WHERE r.year = 2018 AND a.row = 'granted' AND a."column" = 'natural_person'`,
    );
    expect(granted.value).toBe(258);
  });

  it('coverage shows what the listing promised but could not be fetched, with the reason', async () => {
    const coverage = await sql<{ year: number; status: string; reason: string | null }>(
      `SELECT year, status, reason FROM read_parquet('${release1.dir}/coverage.parquet') WHERE agency_id = '~测试市.government' ORDER BY year`,
    );
    const url = (path: string) => `${site.origin}/${path}`;
    expect(coverage.map((c) => [c.year, c.status, c.reason?.split(':')[0] ?? null])).toEqual([
      [2016, 'unfetched', 'off_host'],
      [2017, 'unfetched', 'robots_disallowed'],
      [2018, 'unfetched', 'too_large (HTTP 200)'],
      [2019, 'unfetched', 'wrong_content_type (HTTP 200)'],
      [2020, 'unfetched', 'redirect_off_host (HTTP 302)'],
      [2021, 'unfetched', 'redirect_loop (HTTP 302)'],
      [2022, 'unfetched', 'timeout'],
      [2023, 'unfetched', 'server_error (HTTP 500)'],
      [2024, 'passing', null],
      [2025, 'passing', null],
    ]);
    expect(coverage[7].reason).toBe(`server_error (HTTP 500): the server answered with a 5xx status on every attempt: ${url('a/ndbg/202401/t20240110_5.html')}`);
    expect(coverage[0].reason).toContain(`${site.elsewhere}/a/2016.html`);

    const inputs = await sql<{ outcome: string; n: number }>(`SELECT outcome, count(*)::INTEGER AS n FROM read_parquet('${release1.dir}/inputs.parquet') GROUP BY ALL ORDER BY ALL`);
    expect(inputs).toEqual([{ outcome: 'ignored', n: 4 }, { outcome: 'not_fetched', n: 8 }, { outcome: 'warnings', n: 4 }]);
    // The fetch's own files are inputs too, each set aside with its reason.
    const aside = await sql<{ path: string; code: string }>(`SELECT path, error_code AS code FROM read_parquet('${release1.dir}/inputs.parquet') WHERE outcome = 'ignored' ORDER BY path`);
    expect(aside.map((r) => [r.path.split('/').pop(), r.code])).toEqual([
      ['fetch-log.jsonl', 'fetch_files'],
      ['fetch-state.journal', 'fetch_files'],
      ['fetch-state.json', 'fetch_files'],
      ['manifest.csv', 'manifest'],
    ]);
    const quality = JSON.parse(readFileSync(join(release1.dir, 'quality.json'), 'utf8'));
    expect(quality.summary).toMatchObject({ inputs: 4, reports: 4, errors: 0, not_fetched: 8 });
    expect(quality.coverage.total).toMatchObject({ unfetched: 8, passing: 3, parsed: 1 });
    const md = readFileSync(join(release1.dir, 'QUALITY.md'), 'utf8');
    expect(md).toContain('8 reports the listings promised could not be fetched');
    for (const code of ['server_error', 'timeout', 'redirect_loop', 'redirect_off_host', 'wrong_content_type', 'too_large', 'robots_disallowed', 'off_host']) {
      expect(md).toContain(`### ${code}: 1 reports`);
    }
  });
});

describe('a second fetch', () => {
  let second: FetchSummary;
  let secondRequests: Site['requests'];
  let release2: BuildSummary;
  const revisedPath = () => manifestOf(options.out).find((r) => r.path.endsWith('b/content/2018.html'))!;
  let before: ManifestRow;

  beforeAll(async () => {
    before = revisedPath();
    site.requests.length = 0;
    site.revise();
    second = await runFetch({ ...options, now: () => SECOND });
    secondRequests = [...site.requests];
    release2 = await build({ inputs: [options.out], out: join(work, 'releases'), cacheDir: null, jobs: 1 });
  });

  it('makes only conditional requests for what it has, and downloads only the changed page', () => {
    // URLs that gave no content the first time are asked again as they were (nothing to compare with).
    const retried = new Set(['/a/ndbg/202401/t20240110_5.html', '/a/ndbg/202301/t20230110_6.html', '/a/loop/1.html', '/a/loop/2.html', '/a/moved.html']);
    const unconditional = secondRequests.filter((r) => !r.conditional).map((r) => r.url);
    expect([...new Set(unconditional)].sort()).toEqual([...retried].sort());
    const downloads = secondRequests.filter((r) => r.status === 200).map((r) => r.url);
    expect(downloads).toEqual(['/b/content/2018.html']);
    // The too-large and the wrong-type bodies are asked for conditionally too: 304, still refused.
    expect(secondRequests.filter((r) => r.url.endsWith('P020190110.pdf') || r.url.endsWith('P020200110.docx')).map((r) => r.status)).toEqual([304, 304]);
    expect(second).toMatchObject({ files: { new: 0, changed: 1, unchanged: 3 } });
    expect(second.failed).toEqual(first.failed);
  });

  it('keeps the changed report as a new version beside the old one; the manifest points at the current one', () => {
    const now = revisedPath();
    expect(now.path).toBe(before.path);
    expect(now.sha256).not.toBe(before.sha256);
    expect(now.fetched_at).toBe('2026-02-02T08:00:00Z');
    expect(sha256Hex(readFileSync(join(options.out, now.path)))).toBe(now.sha256);
    const old = join(options.out, 'versions', before.path.replace(/\.html$/, `.${before.sha256!.slice(0, 8)}.html`));
    expect(sha256Hex(readFileSync(old))).toBe(before.sha256);
    // An unchanged file keeps the time its bytes were fetched.
    expect(manifestOf(options.out).find((r) => r.path.endsWith('P020260120.pdf'))!.fetched_at).toBe('2026-02-01T08:00:00Z');
  });

  it('the release after it names the source revision behind the changed cell', async () => {
    // The old version in versions/ is no input of the build.
    expect(release2.inputs).toBe(4);
    const changes = await sql(
      `SELECT "change", "table", row, "column", old_value, new_value, old_sha256, new_sha256, old_fetched_at, new_fetched_at FROM read_parquet('${release2.dir}/changes.parquet')`,
    );
    expect(changes).toEqual([
      {
        change: 'cell_changed', table: 'applications', row: 'granted', column: 'natural_person', old_value: 258, new_value: 259,
        old_sha256: before.sha256, new_sha256: revisedPath().sha256, old_fetched_at: '2026-02-01T08:00:00Z', new_fetched_at: '2026-02-02T08:00:00Z',
      },
    ]);
    const md = readFileSync(join(release2.dir, 'CHANGES.md'), 'utf8');
    expect(md).toContain(`| 258 | 259 | ${before.sha256!.slice(0, 8)} (2026-02-01T08:00:00Z) → ${revisedPath().sha256!.slice(0, 8)} (2026-02-02T08:00:00Z) |`);
  });
});

describe('a fetch stopped midway', () => {
  it('resumes without asking again for what it had, and ends as a whole fetch does', async () => {
    const fresh = await startSite();
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-fetch-stop-'));
    try {
      writeFileSync(join(dir, 'sources.csv'), fresh.sourcesCsv());
      const stop = new AbortController();
      // Stopped while the 9th request is under way.
      fresh.onRequest = (n) => n === 9 && stop.abort();
      const opts: FetchOptions = { sources: join(dir, 'sources.csv'), out: join(dir, 'site'), http: HTTP, now: () => FIRST };
      const stopped = await runFetch({ ...opts, signal: stop.signal });
      expect(stopped.interrupted).toBe(true);
      fresh.onRequest = undefined;
      const had = logOf(opts.out)
        .filter((l) => l.event === 'result' && l.outcome === 'ok')
        .map((l) => new URL(String(l.url)).pathname + new URL(String(l.url)).search);
      expect(had.length).toBeGreaterThanOrEqual(5);
      fresh.requests.length = 0;

      const resumed = await runFetch(opts);
      expect(resumed).toMatchObject({ resumed: true, interrupted: false });
      const askedAgain = fresh.requests.map((r) => r.url).filter((u) => had.includes(u));
      expect(askedAgain).toEqual([]);
      // The same files and failures as the fetch that was never stopped.
      const summary = (rows: ManifestRow[]) => rows.map((r) => [r.path.slice(r.path.indexOf('/')), r.sha256 ?? null, r.fetch_error ?? null]).sort();
      expect(summary(manifestOf(opts.out))).toEqual(summary(firstManifest));
    } finally {
      await fresh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
