/**
 * Charts from the real demo release: every kind as SVG, its numbers checked against plain SQL
 * over the release's Parquet, the words around it, caching of latest and pinned URLs, and bad
 * parameters answered with a readable chart or page and a 4xx status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { expectedSql, gql, startApi } from '../api/helpers.ts';

let api: Api;
let version: string;
let sql: Awaited<ReturnType<typeof expectedSql>>;

const get = (path: string, headers: Record<string, string> = {}) => api.fetch(new Request(`http://charts.test${path}`, { headers }));
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
/** The marks' accessible labels ("value: 16; category: 涧西区; series: 予以公开"), as objects. */
const marks = (svg: string) =>
  [...svg.matchAll(/aria-label="([^"]*value: [^"]*)"/g)].map((m) => Object.fromEntries(m[1].split('; ').map((kv) => kv.split(': ') as [string, string])));
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

beforeAll(async () => {
  api = await startApi();
  version = api.state.release.version;
  sql = await expectedSql();
});
afterAll(async () => {
  sql.close();
  await api.close();
});

describe('every chart kind renders as SVG with its data, words and source', () => {
  it('outcomes: 洛阳市 districts and counties, 2023', async () => {
    const res = await get('/charts/outcomes.svg?region=410300&year=2023');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(svg).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(svg).toContain('<title id="chart-title">洛阳市各区县政府信息公开申请办理结果（2023年）</title>');
    expect(svg).toMatch(/<desc id="chart-desc">[^<]+<\/desc>/);
    const t = texts(svg);
    for (const label of ['涧西区', '老城区', '予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']) expect(t).toContain(label);
    // The demo release is generated sample data: the source line says so before the version.
    const reports = /共 (\d+) 份/.exec(t.join(''))![1];
    expect(t.join('')).toContain(`示例数据（生成）：由 gongkai synth 生成的 ${reports} 份报告，并非机关发布，不反映真实情况；Gongkai 数据版本${version}`);
    // Numbers from the data: the stacked bars' tooltips carry each value; compare one with SQL.
    const [jianxi] = await sql.sql<{ granted: number }>(`
      SELECT sum(a.value)::INTEGER AS granted FROM applications a JOIN counted r USING (report_id)
      WHERE r.region_code = '410305' AND r.year = 2023 AND r.scope = 'agency' AND a.row = 'granted' AND a."column" = 'total'`);
    expect(marks(svg)).toContainEqual(expect.objectContaining({ category: '涧西区', series: '予以公开', value: String(jianxi.granted) }));
  });

  it('trend: several regions over years, one line each', async () => {
    const svg = await (await get('/charts/trend.svg?region=410305&region=410302&years=2019-2024')).text();
    const t = texts(svg);
    for (const y of ['2019', '2024']) expect(t).toContain(y);
    expect(t).toContain('涧西区');
    expect(t).toContain('老城区');
    const rows = await sql.sql<{ year: number; n: number }>(`
      SELECT r.year, sum(a.value)::INTEGER AS n FROM applications a JOIN counted r USING (report_id)
      WHERE r.region_code = '410302' AND r.scope = 'agency' AND r.year BETWEEN 2019 AND 2024 AND a.row = 'new_received' AND a."column" = 'total'
      GROUP BY r.year ORDER BY r.year`);
    expect(rows).toHaveLength(6);
    for (const { year, n } of rows) expect(marks(svg)).toContainEqual(expect.objectContaining({ category: String(year), series: '老城区', value: String(n) }));
  });

  it('ranking: the cities of 河南省 with the most reconsiderations in 2022, in order', async () => {
    const svg = await (await get('/charts/ranking.svg?region=410000&year=2022&measure=reviews')).text();
    const cities = await sql.sql<{ name: string; n: number }>(`
      SELECT city.display_name AS name, sum(c.value)::INTEGER AS n
      FROM review_litigation c JOIN counted r USING (report_id) JOIN regions g ON g.code = r.region_code JOIN regions city ON city.code = g.city
      WHERE r.year = 2022 AND r.scope = 'agency' AND c.row = 'review' AND c."column" = 'total'
      GROUP BY ALL ORDER BY n DESC, name LIMIT 10`);
    const t = texts(svg);
    expect(t).toContain('河南省行政复议案件最多的10个市（2022年）');
    // The value labels next to the bars are the SQL totals, largest first.
    const values = t.filter((x) => /^\d[\d,]*$/.test(x)).map((x) => Number(x.replace(/,/g, '')));
    expect(values.slice(-10)).toEqual(cities.map((c) => c.n));
    expect(t).toContain(cities[0].name);
  });

  it('agencies: the agencies of 洛阳市 (a region named, not coded) with the most applications in 2023, in order', async () => {
    const res = await get('/charts/agencies.vl.json?region=%E6%B4%9B%E9%98%B3%E5%B8%82&year=2023');
    expect(res.status).toBe(200);
    const body = await res.json();
    const top = await sql.sql<{ agency_id: string; n: number }>(`
      SELECT r.agency_id, sum(a.value)::INTEGER AS n FROM applications a JOIN counted r USING (report_id) JOIN regions g ON g.code = r.region_code
      WHERE (g.code = '410300' OR g.city = '410300') AND r.year = 2023 AND r.scope = 'agency' AND a.row = 'new_received' AND a."column" = 'total'
      GROUP BY ALL ORDER BY n DESC, r.agency_id LIMIT 10`);
    expect(body.spec.data.values.map((d: any) => [d.key, d.value])).toEqual(top.map((t) => [t.agency_id, t.n]));
    const svg = await (await get('/charts/agencies.svg?region=410300&year=2023')).text();
    expect(svg).toContain('<title id="chart-title">洛阳市新收政府信息公开申请最多的10个机关（2023年）</title>');
    expect(texts(svg)).toContain('洛阳市人民政府');
  });

  it('applicants: the applicant mix of 涧西区 in 2023', async () => {
    const svg = await (await get('/charts/applicants.svg?region=410305&year=2023')).text();
    const t = texts(svg);
    for (const label of ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']) expect(t).toContain(label);
    const [np] = await sql.sql<{ n: number }>(`
      SELECT sum(a.value)::INTEGER AS n FROM applications a JOIN counted r USING (report_id)
      WHERE r.region_code = '410305' AND r.year = 2023 AND r.scope = 'agency' AND a.row = 'new_received' AND a."column" = 'natural_person'`);
    expect(marks(svg)).toContainEqual(expect.objectContaining({ category: '自然人', value: String(np.n) }));
  });

  it('English charts name regions in pinyin', async () => {
    const svg = await (await get('/charts/outcomes.svg?region=410300&year=2023&lang=en')).text();
    expect(svg).toContain(`<title id="chart-title">Outcomes of disclosure applications in Luoyang City's districts and counties, 2023</title>`);
    expect(texts(svg)).toContain('Jianxi District');
    expect(texts(svg).join(' ')).toMatch(new RegExp(`Generated sample data: \\d+ reports made by gongkai synth, published by no agency; Gongkai release${version.replace(/\./g, '\\.')}`));
    expect(svg).toContain('lang="en"');
  });

  it('a title, a size and the filters of the comparisons are honoured', async () => {
    const svg = await (await get('/charts/outcomes.svg?region=410300&year=2023&title=%E6%B5%8B%E8%AF%95&width=320&agencyKind=department')).text();
    expect(svg).toContain('<title id="chart-title">测试</title>');
    expect(svg).toMatch(/<svg[^>]*width="320"/);
    expect(texts(svg).join('')).toContain('仅部门');
  });
});

describe('spec, data and embedding', () => {
  it('the Vega-Lite spec with its data, for desks that style their own', async () => {
    const res = await get('/charts/ranking.vl.json?region=410000&year=2022&measure=reviews');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = await res.json();
    expect(body.release).toBe(version);
    expect(body.spec.$schema).toMatch(/vega-lite/);
    expect(body.spec.data.values).toHaveLength(10);
  });

  it('the chart data as CSV with a BOM', async () => {
    const res = await get('/charts/applicants.csv?region=410305&year=2023');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toBe('类别,代码,系列,数值');
    expect(lines).toHaveLength(7);
  });

  it('an embed page: both layouts, a data table, CSV and GraphiQL links', async () => {
    const res = await get('/embed/outcomes?region=410300&year=2023');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).toMatch(/<table>[\s\S]*<th scope="row">涧西区<\/th>/);
    expect(html).toMatch(/href="[^"]*\/charts\/outcomes\.csv\?region=410300&amp;year=2023/);
    const graphiql = /href="([^"]*\/graphql\?query=[^"]*)"/.exec(html)![1].replace(/&amp;/g, '&');
    // The linked query runs and gives the chart's numbers.
    const query = decodeURIComponent(new URL(graphiql, 'http://charts.test').searchParams.get('query')!);
    const r = await gql<{ applicationComparison: { groups: { region: { code: string }; granted: number }[] } }>(api, query);
    expect(r.body.errors).toBeUndefined();
    const jianxi = r.body.data!.applicationComparison.groups.find((g) => g.region.code === '410305')!;
    expect(html).toContain(`<th scope="row">涧西区</th><td>予以公开</td><td>${jianxi.granted.toLocaleString('en-US')}</td>`);
  });

  it('a snippet to paste', async () => {
    const res = await get('/embed/ranking/snippet?region=410000&year=2022&measure=reviews');
    const snippet = await res.text();
    expect(snippet).toMatch(/^<iframe src="http:\/\/charts\.test\/embed\/ranking\?region=410000&amp;year=2022&amp;measure=reviews[^"]*" title="河南省行政复议案件最多的10个市（2022年）" width="100%"/);
  });
});

describe('stable URLs', () => {
  it('latest URLs may be cached for minutes, with an ETag and 304', async () => {
    const res = await get('/charts/trend.svg?region=410305');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = res.headers.get('etag')!;
    expect(etag).toContain(version);
    expect((await get('/charts/trend.svg?region=410305', { 'if-none-match': etag })).status).toBe(304);
  });

  it('pinned URLs never change: immutable, by path or release=', async () => {
    for (const path of [`/v/${version}/charts/trend.svg?region=410305`, `/charts/trend.svg?region=410305&release=${version}`, `/v/${version}/embed/trend?region=410305`]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-gongkai-release')).toBe(version);
    }
    const pinned = await (await get(`/v/${version}/charts/trend.svg?region=410305`)).text();
    const latest = await (await get('/charts/trend.svg?region=410305')).text();
    expect(pinned).toBe(latest);
  });

  it('pinned means pinned: every link of a pinned snippet and embed page, for every kind, names the same release', async () => {
    const charts = ['outcomes?region=410300&year=2023', 'trend?region=410305', 'ranking?region=410000&year=2022&measure=reviews', 'applicants?region=410305&year=2023'];
    const links = (html: string) => [...html.matchAll(/\b(?:href|src)="([^"#]+)"/g)].map((m) => unescape(m[1]));
    for (const chart of charts) {
      const [kind, query] = chart.split('?');
      const snippet = await (await get(`/v/${version}/embed/${kind}/snippet?${query}`)).text();
      const [frame] = links(snippet);
      expect(frame).toContain(`http://charts.test/v/${version}/embed/${kind}?`);
      const page = await (await get(frame.replace('http://charts.test', ''))).text();
      const found = links(page);
      // The CSV, the SVG and the query in GraphiQL, and nothing else leaves the page.
      expect(found).toHaveLength(3);
      for (const link of found) {
        // Relative (the server has no public URL) or absolute, always under /v/<version>/.
        expect(link, `${kind}: ${link}`).toMatch(new RegExp(`^(http://charts\\.test)?/v/${version.replace(/\./g, '\\.')}/`));
        const res = await get(link.replace('http://charts.test', ''), { accept: 'text/html' });
        expect(res.status, link).toBe(200);
        if (!link.includes('/graphql?')) expect(res.headers.get('x-gongkai-release')).toBe(version);
        else expect(await res.text()).toContain(`"endpoint":"/v/${version}/graphql"`);
      }
    }
  });

  it('the API pinned to a release answers from it, and an unknown one is a 404', async () => {
    const res = await api.fetch(
      new Request(`http://charts.test/v/${version}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ release { version } }' }) }),
    );
    expect((await res.json()).data.release.version).toBe(version);
    const missing = await get('/v/2001-01-01.1/graphql?query=%7Brelease%7Bversion%7D%7D');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('release 2001-01-01.1 is not available on this server');
  });

  it('an unknown release is a 404 that says so', async () => {
    const res = await get('/v/2001-01-01.1/charts/trend.svg?region=410305');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('本服务器没有数据版本 2001-01-01.1');
    expect(await (await get('/v/2001-01-01.1/charts/trend.svg?region=410305&lang=en')).text()).toContain('release 2001-01-01.1 is not available on this server');
    expect(await (await get('/v/not-a-version/charts/trend.svg?region=410305&lang=en')).text()).toContain('no release &quot;not-a-version&quot;');
  });
});

describe('bad parameters: a readable answer and a 4xx, never a stack trace', () => {
  const cases: [string, number, RegExp][] = [
    // In the chart's language: Chinese unless lang=en, as the chart itself would be.
    ['/charts/outcomes.svg?region=999999&year=2023', 404, /未知地区“999999”：本数据版本没有属于它的报告/],
    ['/charts/outcomes.svg?region=999999&year=2023&lang=en', 404, /no region 999999 in this release/],
    ['/charts/outcomes.svg?region=%E9%BC%93%E6%A5%BC%E5%8C%BA&year=2023', 400, /“鼓楼区”是 \d+ 个地区的名称：.*410204 河南省开封市鼓楼区/],
    ['/charts/outcomes.svg?region=%E9%BC%93%E6%A5%BC%E5%8C%BA&year=2023&lang=en', 400, /"鼓楼区" is the name of \d+ regions: .*410204 河南省开封市鼓楼区/],
    ['/charts/outcomes.svg?year=2023', 400, /缺少 region：6 位行政区划代码/],
    ['/charts/outcomes.svg?year=2023&lang=en', 400, /region is required/],
    ['/charts/outcomes.svg?region=410305&year=2023', 400, /涧西区（410305）是县级地区/],
    ['/charts/outcomes.svg?region=410305&year=2023&lang=en', 400, /涧西区 \(410305\) is a county/],
    ['/charts/ranking.svg?region=410000&year=2022&measure=votes&lang=en', 400, /unknown measure "votes"/],
    ['/charts/trend.svg?region=410305&years=2024-2019', 400, /年份范围 2024-2019 起止颠倒/],
    ['/charts/outcomes.svg?region=410300&year=2023&colour=red', 400, /未知参数“colour”/],
    ['/charts/outcomes.svg?region=410300&year=1999&lang=en', 400, /year must be a whole number from 2000/],
    ['/charts/outcomes.svg?region=410300&year=2031', 404, /没有可用的报告数据/],
    ['/charts/outcomes.svg?region=410300&year=2031&lang=en', 404, /no reports with figures for this region and year/],
    ['/charts/pie.svg?region=410300', 404, /没有图表“pie”/],
    ['/charts/pie.svg?region=410300&lang=en', 404, /no chart "pie"/],
  ];
  for (const [path, status, message] of cases) {
    it(`${path} → ${status}`, async () => {
      const res = await get(path);
      expect(res.status).toBe(status);
      const body = unescape(await res.text());
      expect(body).toMatch(message);
      expect(body).not.toMatch(/at \w+ \(|node_modules/);
      expect(res.headers.get('content-type')).toMatch(/svg/);
    });
  }

  it('an embed page for a bad request is a page that says what is wrong', async () => {
    const res = await get('/embed/outcomes?region=999999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('无法生成图表');
  });
});
