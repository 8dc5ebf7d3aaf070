/** The fetch's pure stages one by one: sources, robots.txt, link picking, pagination, file names, state. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP, PoliteClient, type RequestLog } from '../../pipeline/fetch/http.ts';
import { isReportTitle, listingPages, pickReports, readReportPage, scanPage, yearOfTitle } from '../../pipeline/fetch/listing.ts';
import { isAllowed, parseRobots } from '../../pipeline/fetch/robots.ts';
import { readSources, SourcesError } from '../../pipeline/fetch/sources.ts';
import { FetchStore, JOURNAL_FILE, storagePath, versionPath, type UrlEntry } from '../../pipeline/fetch/store.ts';
import { ManifestError, readManifest } from '../../pipeline/normalize/manifest.ts';

const page = (html: string) => scanPage(Buffer.from(html));

describe('sources', () => {
  it('reads agency, region code and listing URL; blanks are unknown; more columns are allowed', () => {
    const csv = '\ufeffagency,region_code,listing_url,note\n涧西区人民政府办公室,410305,https://www.example.gov.invalid/ndbg/index.html#top,示例\n,,http://example.org/list.jsp?page=1,\n';
    expect(readSources(csv, 'sources.csv')).toEqual([
      { agency: '涧西区人民政府办公室', region_code: '410305', listing_url: 'https://www.example.gov.invalid/ndbg/index.html', line: 2 },
      { agency: null, region_code: null, listing_url: 'http://example.org/list.jsp?page=1', line: 3 },
    ]);
  });

  it('names every bad line at once', () => {
    const csv = 'agency,region_code,listing_url\nx,4103,http://example.org/a\ny,,ftp://example.org/\nz,,\nw,,http://example.org/a\n';
    let error: SourcesError | undefined;
    try {
      readSources(csv, 'sources.csv');
    } catch (e) {
      error = e as SourcesError;
    }
    expect(error).toBeInstanceOf(SourcesError);
    expect(error!.message.split('\n')).toEqual([
      'sources.csv line 2: region_code "4103" is not a 6-digit code (pad a province or city code with zeros: 41 → 410000)',
      'sources.csv line 3: listing_url "ftp://example.org/" is not an http(s) URL',
      'sources.csv line 4: listing_url is empty',
      'sources.csv line 5: listing_url http://example.org/a is listed again (first on line 2)',
    ]);
    expect(() => readSources('agency,url\n', 'sources.csv')).toThrow(/no "listing_url" column/);
  });
});

describe('robots.txt', () => {
  const text = [
    'User-agent: *',
    'Disallow: /',
    '',
    'User-agent: Gongkai',
    'User-agent: other',
    'Disallow: /private/',
    'Allow: /private/ndbg/',
    'Disallow: /*.jsp$',
    'Disallow: /附件/',
    'Crawl-delay: 5',
  ].join('\n');

  it('takes the group naming the agent over *, the longest match deciding', () => {
    const robots = parseRobots(text, 'gongkai');
    expect(robots.crawlDelay).toBe(5);
    const allowed = (path: string) => isAllowed(robots, new URL(path, 'http://example.org'));
    expect(allowed('/ndbg/index.html')).toBe(true);
    expect(allowed('/private/x.html')).toBe(false);
    expect(allowed('/private/ndbg/2023.html')).toBe(true);
    expect(allowed('/list.jsp')).toBe(false);
    expect(allowed('/list.jsp?page=2')).toBe(true);
    expect(allowed('/附件/2023.pdf')).toBe(false);
    expect(allowed('/robots.txt')).toBe(true);
  });

  it('an agent no group names gets the * group; an empty file allows everything', () => {
    expect(isAllowed(parseRobots(text, 'somebot'), new URL('http://example.org/ndbg/'))).toBe(false);
    expect(isAllowed(parseRobots('', 'gongkai'), new URL('http://example.org/x'))).toBe(true);
  });
});

describe('listing pages', () => {
  const base = new URL('http://example.org/zwgk/ndbg/index.html');

  it('picks report links by title and year, with the date printed beside each', () => {
    const html = `<ul>
      <li><a href="./202401/t20240115_1.html" title="洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告">洛阳市涧西区人民政府办公室2023年政府信息...</a><span>2024-01-15</span></li>
      <li><a href="./202312/t1.html">关于做好2023年政府信息公开工作年度报告编制工作的通知</a><span>2023-12-01</span></li>
      <li><a href="./202401/t2.html">图解：2023年政府信息公开工作年度报告</a><span>2024-01-16</span></li>
      <li><a href="./x.html">政府信息公开工作年度报告</a></li>
    </ul>
    <table><tr><td><a href="/files/nb2022.pdf">二〇二二年政府信息公开工作年度报告</a></td><td>2023年1月20日</td></tr></table>
    <div><a href="/a.html">２０２１年度政府信息公开年报</a> <a href="/b.html">其他</a> 2022-01-01</div>`;
    expect(pickReports(page(html), base)).toEqual([
      { url: 'http://example.org/zwgk/ndbg/202401/t20240115_1.html', title: '洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告', year: 2023, published_at: '2024-01-15', kind: 'page' },
      { url: 'http://example.org/files/nb2022.pdf', title: '二〇二二年政府信息公开工作年度报告', year: 2022, published_at: '2023-01-20', kind: 'file' },
      // A block holding several links is no one entry: no date from it.
      { url: 'http://example.org/a.html', title: '２０２１年度政府信息公开年报', year: 2021, published_at: null, kind: 'page' },
    ]);
    expect(isReportTitle('2023年度法治政府建设年度报告')).toBe(false);
    expect(yearOfTitle('政府信息公开工作年度报告（2020）')).toBe(2020);
  });

  it('finds the further pages of every pagination scheme, inside the listing folder', () => {
    const trs = page('<script>createPageHTML(4, 0, "index", "shtml");</script>');
    expect(listingPages(trs, base, base)).toEqual(['index_1.shtml', 'index_2.shtml', 'index_3.shtml'].map((p) => `http://example.org/zwgk/ndbg/${p}`));
    const links = page(`<a href="index_5.html">6</a><a href="?page=3">3</a><a href="/other/index_2.html">x</a><a href="http://elsewhere.org/zwgk/ndbg/index_2.html">y</a><a href="list.do?pageNo=7">下一页</a>`);
    expect(listingPages(links, base, base)).toEqual([
      'http://example.org/zwgk/ndbg/index_5.html',
      'http://example.org/zwgk/ndbg/index.html?page=3',
      'http://example.org/zwgk/ndbg/list.do?pageNo=7',
    ]);
  });

  it('reads a report page: attachments, whether it is the report, its date; GBK as well', () => {
    const links = readReportPage(
      page(`<meta name="PubDate" content="2024-01-15 10:30"><p>附件：<a href="./P0.pdf">年报.pdf</a> <a href="/download.jsp?id=7">年报（表格）.xls</a> <a href="./img.png">图</a></p>`),
      base,
    );
    expect(links).toEqual({
      attachments: ['http://example.org/zwgk/ndbg/P0.pdf', 'http://example.org/download.jsp?id=7'],
      carries_report: false,
      published_at: '2024-01-15 10:30',
    });
    const text = '<meta charset="gbk"><p>发布日期：2024-01-20</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>';
    expect(readReportPage(scanPage(iconv.encode(text, 'gbk')), base)).toEqual({ attachments: [], carries_report: true, published_at: '2024-01-20' });
  });
});

describe('the store', () => {
  it('names files after their URL, a query by its hash, earlier versions by their checksum', () => {
    expect(storagePath(new URL('http://www.example.gov.invalid:8080/zwgk/%E9%99%84%E4%BB%B6/2023.pdf'), '.pdf')).toBe('www.example.gov.invalid_8080/zwgk/附件/2023.pdf');
    expect(storagePath(new URL('http://example.org/ndbg/'), '.html')).toBe('example.org/ndbg/index.html');
    expect(storagePath(new URL('http://example.org/download.jsp?id=7'), '.pdf')).toMatch(/^example\.org\/download\.q[0-9a-f]{8}\.pdf$/);
    expect(versionPath('example.org/ndbg/2023.html', 'abcdef0123456789')).toBe('versions/example.org/ndbg/2023.abcdef01.html');
    // An encoded slash never opens a folder, nor climbs out of DIR.
    expect(storagePath(new URL('http://example.org/a/..%2F..%2Fetc/passwd'), '.html')).toBe('example.org/a/.._.._etc/passwd.html');
  });

  it('a journal line cut short by a crash is skipped; the lines before it are kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-store-'));
    try {
      const store = new FetchStore(dir);
      store.startRun('2026-02-01T08:00:00Z');
      const entry: UrlEntry = {
        url: 'http://example.org/a.html', kind: 'page', outcome: 'ok', status: 200, message: null, checked_at: '2026-02-01T08:00:00Z',
        etag: '"1"', last_modified: null, path: null, sha256: null, fetched_at: null, versions: [], attachments: [], carries_report: false,
      };
      store.record(entry);
      appendFileSync(join(dir, JOURNAL_FILE), '{"entry":{"url":"http://example.org/b.ht');
      const reopened = new FetchStore(dir);
      expect(reopened.entry(entry.url)).toEqual(entry);
      expect(reopened.isDone(entry.url)).toBe(true);
      expect(reopened.startRun('2026-02-01T09:00:00Z')).toEqual({ resumed: true, done: 1 });
      reopened.finishRun('2026-02-01T09:00:00Z');
      expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).toBe('');
      expect(new FetchStore(dir).isDone(entry.url)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the manifest with the fetch columns', () => {
  const header = 'path,agency,region_code,year,source_url,published_at,fetched_at,sha256,http_status,fetch_error,title';
  it('reads them, and names bad values', () => {
    const rows = readManifest(`${header}\na.pdf,,,2023,http://example.org/a.pdf,2024-01-15,2026-02-01T08:00:00Z,${'ab'.repeat(32)},200,,某某2023年报\nb.html,,,2023,http://example.org/b.html,,,,500,server_error,\n`, '.');
    expect(rows.get('a.pdf')).toMatchObject({ fetched_at: '2026-02-01T08:00:00Z', sha256: 'ab'.repeat(32), http_status: 200, title: '某某2023年报' });
    expect(rows.get('b.html')).toMatchObject({ http_status: 500, fetch_error: 'server_error' });
    let error: ManifestError | undefined;
    try {
      readManifest(`${header}\na.pdf,,,,,,2026-02-01,xyz,99,broken,\n`, '.');
    } catch (e) {
      error = e as ManifestError;
    }
    expect(error!.problems.map((p) => p.message)).toEqual([
      'fetched_at "2026-02-01" is not a time with its zone (ISO 8601: 2026-01-15T08:30:00Z)',
      'sha256 "xyz" is not 64 hex digits',
      'http_status "99" is not an HTTP status (100–599)',
      'fetch_error "broken" is not a fetch failure (see pipeline/fetch/outcomes.ts)',
    ]);
  });
});

describe('the client', () => {
  it('refuses a body whose Content-Length is over the limit without reading it', async () => {
    // Headers now, the body never: the answer must come from the headers alone.
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': 10_000_000 }).flushHeaders());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.pdf`;
    const log: RequestLog[] = [];
    try {
      const client = new PoliteClient(
        { ...DEFAULT_HTTP, delayMs: 1, timeoutMs: 30_000, maxBytes: 1_000_000 },
        { allowedHosts: new Set([new URL(url).host]), mayRequest: async () => true, hostDelay: () => 0, log: (e) => log.push(e), now: () => new Date(0) },
      );
      const res = await client.get(url, { expect: 'document' });
      expect(res).toMatchObject({ outcome: 'too_large', status: 200, body: null, requests: 1 });
      expect(res.message).toBe('Content-Length 10000000 is over the limit of 1000000 bytes');
      expect(log.map((l) => [l.result, l.retry])).toEqual([['too_large', false]]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the shipped example sources file', () => {
  it('reads, and names reserved example hosts only', () => {
    const sources = readSources(readFileSync('data/sources.example.csv', 'utf8'), 'data/sources.example.csv');
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(new URL(s.listing_url).hostname).toMatch(/(^|\.)(example\.gov\.invalid|example\.org)$/);
  });
});
