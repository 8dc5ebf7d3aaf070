/**
 * A small saved government site, replayed by a local HTTP server on 127.0.0.1 (port 0), with
 * faults on chosen paths. The reports are the repository's real fixtures: 测试市's 2025 report
 * as its page (shifted to 2024, so the page and the PDF attachment cover two years), its PDF,
 * 上海市人民政府办公厅's 2019 report as a GBK page (shifted to 2018) and its DOCX. Listing pages
 * are written here in the shapes CMSs produce (TRS createPageHTML pagination, ?page=N with
 * 下一页). Every answer carries an ETag and Last-Modified, and honours conditional requests.
 *
 * Faults: a page that answers 500 always; an attachment that answers 500 once, then the file; a
 * page that never answers (past any timeout); a redirect loop; a redirect to another host; an
 * attachment that is an HTML error page; an attachment larger than the limit (sent chunked); a
 * path robots.txt disallows; a link to another host; and revise(), which changes a page between
 * two runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';

export interface SiteRequest {
  url: string;
  conditional: boolean;
  /** 0: never answered. */
  status: number;
  userAgent: string;
}

export interface Site {
  origin: string;
  /** The origin of a second host that must never be asked (a loopback address). */
  elsewhere: string;
  requests: SiteRequest[];
  /** Called on every request as it arrives (tests stop a fetch after N). */
  onRequest?: (n: number) => void;
  /** Changes one number in the GBK report page (its ETag with it). */
  revise(): void;
  sourcesCsv(): string;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Mon, 15 Jan 2024 08:00:00 GMT';
const OVERSIZED = 300_000;

const utf8Page = (title: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

function entry(href: string, title: string, date: string): string {
  return `<li><a href="${href}" target="_blank" title="${title}">${title}</a><span class="date">${date}</span></li>`;
}

const REPORT = (agency: string, year: number) => `${agency}${year}年政府信息公开工作年度报告`;

type Handler = { body: Buffer; type: string } | { status: number; once?: { body: Buffer; type: string } } | { redirect: string } | 'hang' | 'oversized';

export async function startSite(): Promise<Site> {
  const routes = new Map<string, Handler>();
  const requests: SiteRequest[] = [];
  const served = new Map<string, number>();
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const elsewhere = `http://127.0.0.2:${port}`;

  const html = (s: string) => ({ body: Buffer.from(s), type: 'text/html; charset=utf-8' });
  const gbk = (s: string) => ({ body: iconv.encode(s, 'gbk'), type: 'text/html; charset=GBK' });
  const file = (path: string, type: string) => ({ body: readFileSync(path), type });

  routes.set('/robots.txt', { body: Buffer.from('User-agent: *\nDisallow: /a/private/\n'), type: 'text/plain' });

  // Source A: 测试市, UTF-8, TRS pagination written by a script (index.html, index_1.html, index_2.html).
  // Each page's entries: [href, title, date]; a title without a year is another kind of link.
  const pagesA: [string, string, string][][] = [
    [
      ['./202501/t20250115_1.html', REPORT('测试市', 2024), '2025-01-15'],
      ['./202601/t20260120_2.html', REPORT('测试市', 2025), '2026-01-20'],
      ['./202512/t20251201_3.html', '关于做好2025年政府信息公开工作年度报告编制工作的通知', '2025-12-01'],
      ['./202512/t20251210_4.html', '测试市召开政务公开工作推进会', '2025-12-10'],
    ],
    [
      ['./202401/t20240110_5.html', REPORT('测试市', 2023), '2024-01-10'],
      ['./202301/t20230110_6.html', REPORT('测试市', 2022), '2023-01-10'],
      ['/a/loop/1.html', REPORT('测试市', 2021), '2022-01-10'],
    ],
    [
      ['/a/moved.html', REPORT('测试市', 2020), '2021-01-10'],
      ['./202001/t20200110_7.html', REPORT('测试市', 2019), '2020-01-10'],
      ['./201901/P020190110.pdf', REPORT('测试市', 2018), '2019-01-10'],
      ['/a/private/2017.html', REPORT('测试市', 2017), '2018-01-10'],
      [`${elsewhere}/a/2016.html`, REPORT('测试市', 2016), '2017-01-10'],
    ],
  ];
  pagesA.forEach((items, n) => {
    const list = `<div class="list"><ul>${items.map((e) => entry(...e)).join('')}</ul></div>`;
    const script = `<script>var currentPage = ${n};var countPage = ${pagesA.length};createPageHTML(${pagesA.length}, ${n}, "index", "html");</script>`;
    routes.set(`/a/ndbg/index${n ? `_${n}` : ''}.html`, html(utf8Page('政府信息公开年报', list + script)));
  });
  const city = readFileSync('data/reports/real/city-2025-standard.html', 'utf8');
  routes.set('/a/ndbg/202501/t20250115_1.html', html(city.replaceAll('2025', '2024')));
  routes.set('/a/ndbg/202601/t20260120_2.html', html(utf8Page(REPORT('测试市', 2025), `<h1>${REPORT('测试市', 2025)}</h1><p>附件：<a href="./P020260120.pdf">${REPORT('测试市', 2025)}.pdf</a></p>`)));
  routes.set('/a/ndbg/202601/P020260120.pdf', file('tests/fixtures/office/city-2025.pdf', 'application/pdf'));
  routes.set('/a/ndbg/202401/t20240110_5.html', { status: 500 });
  routes.set('/a/ndbg/202301/t20230110_6.html', 'hang');
  routes.set('/a/loop/1.html', { redirect: '/a/loop/2.html' });
  routes.set('/a/loop/2.html', { redirect: '/a/loop/1.html' });
  routes.set('/a/moved.html', { redirect: `${elsewhere}/a/2020.html` });
  routes.set('/a/ndbg/202001/t20200110_7.html', html(utf8Page(REPORT('测试市', 2019), `<p>附件：<a href="./P020200110.docx">${REPORT('测试市', 2019)}.docx</a></p>`)));
  routes.set('/a/ndbg/202001/P020200110.docx', html(utf8Page('404', '<p>您访问的文件不存在</p>')));
  routes.set('/a/ndbg/201901/P020190110.pdf', 'oversized');
  routes.set('/a/private/2017.html', html(city));

  // Source B: 上海市人民政府办公厅, GBK pages, ?page=N pagination with 下一页.
  const gbkPage = (title: string, body: string) =>
    `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>${title}</title></head><body>${body}</body></html>`;
  const listB = (items: string[], nav: string) => gbk(gbkPage('政府信息公开年报', `<ul>${items.join('')}</ul><div class="page">${nav}</div>`));
  routes.set('/b/list.jsp', listB([entry('/b/content/2018.html', REPORT('上海市人民政府办公厅', 2018), '2019-01-31')], '<a href="list.jsp?page=2">下一页</a>'));
  routes.set('/b/list.jsp?page=2', listB([entry('/b/content/2019.html', REPORT('上海市人民政府办公厅', 2019), '2020-01-31')], '<a href="list.jsp">上一页</a>'));
  const shanghai = readFileSync('data/reports/real/shanghai-general-office-2019.html', 'utf8').replaceAll('2019', '2018').replaceAll('2020', '2019');
  routes.set('/b/content/2018.html', gbk(gbkPage(REPORT('上海市人民政府办公厅', 2018), shanghai)));
  routes.set('/b/content/2019.html', gbk(gbkPage(REPORT('上海市人民政府办公厅', 2019), `<p>附件：<a href="/b/files/2019.docx">${REPORT('上海市人民政府办公厅', 2019)}.docx</a></p>`)));
  routes.set('/b/files/2019.docx', { status: 500, once: file('tests/fixtures/office/shanghai-2019.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const conditional = Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']);
    const userAgent = req.headers['user-agent'] ?? '';
    const count = (served.get(url) ?? 0) + 1;
    served.set(url, count);
    const answer = (status: number, headers: Record<string, string | number> = {}, body?: Buffer) => {
      requests.push({ url, conditional, status, userAgent });
      res.writeHead(status, headers);
      res.end(body);
    };
    site.onRequest?.(requests.length + 1);
    const route = routes.get(url);
    if (!route) return answer(404, { 'content-type': 'text/html' }, Buffer.from('not found'));
    if (route === 'hang') {
      requests.push({ url, conditional, status: 0, userAgent });
      return; // never answers; the connection is closed with the server
    }
    if (route === 'oversized') {
      const etag = '"oversized"';
      if (req.headers['if-none-match'] === etag) return answer(304, { etag });
      requests.push({ url, conditional, status: 200, userAgent });
      // Chunked, no Content-Length: the limit is found while reading.
      res.writeHead(200, { 'content-type': 'application/pdf', etag, 'last-modified': LAST_MODIFIED });
      const chunk = Buffer.alloc(10_000, 0x20);
      chunk.write('%PDF-1.4\n');
      let sent = 0;
      const more = () => {
        while (sent < OVERSIZED) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => {});
      return more();
    }
    if ('redirect' in route) return answer(302, { location: route.redirect });
    let content = 'body' in route ? route : null;
    if ('status' in route) {
      if (!route.once || count === 1) return answer(route.status, { 'content-type': 'text/html' }, Buffer.from('<html><body>服务器错误</body></html>'));
      content = route.once;
    }
    const { body, type } = content!;
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return answer(304, { etag, 'last-modified': LAST_MODIFIED });
    answer(200, { 'content-type': type, 'content-length': body.length, etag, 'last-modified': LAST_MODIFIED }, body);
  }

  const site: Site = {
    origin,
    elsewhere,
    requests,
    revise() {
      const revised = shanghai.replace('<p align="center">258</p>', '<p align="center">259</p>');
      if (revised === shanghai) throw new Error('the revision found nothing to change');
      routes.set('/b/content/2018.html', gbk(gbkPage(REPORT('上海市人民政府办公厅', 2018), revised)));
    },
    sourcesCsv: () =>
      [
        'agency,region_code,listing_url,note',
        `,,${origin}/a/ndbg/index.html,测试市 (test site; agency left to the reports)`,
        `上海市人民政府办公厅,310000,${origin}/b/list.jsp,GBK pages`,
      ].join('\n') + '\n',
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return site;
}
