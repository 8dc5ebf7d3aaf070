/**
 * The release's files under /downloads (types, lengths, ranges, ETags, the catalog, and no way
 * out of the release folder) and comparisons as CSV under /export.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../pipeline/release/schema.ts';
import { comparisonCsv } from '../../api/export.ts';
import type { Api } from '../../api/server.ts';
import { BASE, example, get, gql, startApi } from './helpers.ts';

let api: Api;
let dir: string;
let version: string;
beforeAll(async () => {
  api = await startApi();
  dir = api.state.release.dir;
  version = api.state.release.version;
});
afterAll(async () => {
  await api.close();
});

describe('/downloads', () => {
  it.each([
    ['reports.parquet', 'application/vnd.apache.parquet'],
    ['reports.csv', 'text/csv; charset=utf-8'],
    ['release.json', 'application/json; charset=utf-8'],
    ['quality.json', 'application/json; charset=utf-8'],
  ])('serves %s as %s with its length, under the version and under latest', async (file, type) => {
    for (const v of [version, 'latest']) {
      const res = await get(api, `/downloads/${v}/${file}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect(res.headers.get('content-length')).toBe(String(statSync(join(dir, file)).size));
      expect(Buffer.from(bytes).equals(readFileSync(join(dir, file)))).toBe(true);
      expect(res.headers.get('cache-control')).toBe(v === 'latest' ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
    }
  });

  it('serves Markdown as text/markdown when the release has it, and hive partitions', async () => {
    const md = api.state.release.files.find((f) => f.path.endsWith('.md'));
    if (md) expect((await get(api, `/downloads/latest/${md.path}`)).headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const part = api.state.release.files.find((f) => f.path.startsWith('partitioned/applications/year=2023/'))!;
    const res = await get(api, `/downloads/latest/${part.path.split('/').map(encodeURIComponent).join('/')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
  });

  it('answers byte ranges (the Parquet footer) and HEAD', async () => {
    const size = statSync(join(dir, 'applications.parquet')).size;
    const tail = await get(api, '/downloads/latest/applications.parquet', { range: 'bytes=-8' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 8}-${size - 1}/${size}`);
    expect(Buffer.from(await tail.arrayBuffer()).subarray(4).toString('latin1')).toBe('PAR1');
    const head = await get(api, '/downloads/latest/applications.parquet', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(size));
    expect((await get(api, '/downloads/latest/applications.parquet', { range: `bytes=${size + 10}-` })).status).toBe(416);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get(api, `/downloads/${version}/regions.csv`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${version}:regions.csv"`);
    expect((await get(api, `/downloads/${version}/regions.csv`, { 'if-none-match': etag })).status).toBe(304);
  });

  it.each([
    ['/downloads/latest/../../../etc/passwd', [400, 404]],
    ['/downloads/latest/%2e%2e/%2e%2e/etc/passwd', [400, 404]],
    ['/downloads/latest/..%2f..%2fetc%2fpasswd', [400]],
    ['/downloads/latest/..%5c..%5cpackage.json', [400]],
    ['/downloads/latest/%2Fetc%2Fpasswd', [400]],
    ['/downloads/latest/partitioned/../release.json', [200, 400, 404]],
    ['/downloads/latest/nope.parquet', [404]],
    ['/downloads/latest/.', [400, 404]],
    ['/downloads/1999-01-01.1/reports.csv', [404]],
    ['/downloads/latest/%00reports.csv', [400]],
  ])('refuses %s', async (path, statuses) => {
    const res = await get(api, path);
    expect(statuses).toContain(res.status);
    const text = await res.text();
    expect(text).not.toContain('root:');
    if (res.status === 200) expect(JSON.parse(text).version).toBe(version); // only ever a file of the release
    else if (new URL(res.url || `${BASE}${path}`).pathname.startsWith('/downloads/') && text) {
      expect(JSON.parse(text).errors[0].extensions.code).toMatch(/^(BAD_USER_INPUT|NOT_FOUND)$/);
    }
  });

  it('lists the tables with descriptions and sizes in catalog.json and on /downloads/', async () => {
    const res = await get(api, '/downloads/catalog.json');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const catalog = await res.json();
    expect(catalog.version).toBe(version);
    for (const t of TABLES) {
      const entry = catalog.tables.find((x: { name: string }) => x.name === t.name);
      expect(entry.description).toBe(t.description);
      expect(entry.files.map((f: { format: string }) => f.format)).toEqual(['parquet', 'csv']);
      for (const f of entry.files) {
        expect(f.bytes).toBe(statSync(join(dir, f.path)).size);
        expect(f.url).toBe(`/downloads/${version}/${f.path}`);
      }
    }
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    const reports = catalog.files.find((f: { path: string }) => f.path === 'reports.parquet');
    expect(sums).toContain(`${reports.sha256}  reports.parquet`);
    const html = await (await get(api, '/downloads/')).text();
    expect(html).toContain('<h1>Gongkai 公开 — release');
    for (const t of TABLES) expect(html).toContain(`<code>${t.name}</code>`);
    expect(html).toContain('收到和处理政府信息公开申请情况');
  });

  it('offers the same URLs through GraphQL', async () => {
    const r = await gql(api, '{ release { version downloadsUrl tables { name parquet { url bytes } } } }');
    const reports = r.body.data!.release.tables.find((t: { name: string }) => t.name === 'reports');
    expect(reports.parquet.url).toBe(`/downloads/${version}/reports.parquet`);
    expect((await get(api, reports.parquet.url)).status).toBe(200);
  });

  it('never takes a link from the Host header: relative links, or the public URL', async () => {
    const catalogFor = (origin: string, a: Api = api) => a.fetch(new Request(`${origin}/downloads/catalog.json`)).then((r) => r.text());
    const [a, b] = await Promise.all([catalogFor('http://a.example'), catalogFor('http://evil.example:8080')]);
    expect(a).toBe(b);
    expect(a).not.toMatch(/example/);
    const pub = await startApi({ publicUrl: 'https://data.example.org/' });
    try {
      const catalog = JSON.parse(await catalogFor('http://evil.example', pub));
      expect(catalog.tables[0].files[0].url).toBe(`https://data.example.org/downloads/${version}/${catalog.tables[0].files[0].path}`);
      expect(JSON.stringify(catalog)).not.toContain('evil');
    } finally {
      await pub.close();
    }
  });
});

describe('what a first-time user sees', () => {
  const LABEL = '示例数据（生成） / generated sample data';

  it('the demo is labelled generated sample data in GraphQL, GraphiQL, the downloads page and the embed page', async () => {
    const r = await gql(api, '{ release { generated notice counts { reports generatedReports } } }');
    const { release } = r.body.data!;
    expect(release).toMatchObject({ generated: true, notice: expect.stringContaining(`${LABEL}: All ${release.counts.reports} reports of this release were made by gongkai synth`) });
    expect(release.counts.generatedReports).toBe(release.counts.reports);
    expect(r.body).toMatchObject({ extensions: { generated: LABEL } });
    const graphiql = await (await get(api, '/graphql', { accept: 'text/html' })).text();
    expect(graphiql).toContain(`<title>Gongkai 公开 — GraphQL API (release ${version}) · ${LABEL}</title>`);
    const page = await (await get(api, '/downloads/')).text();
    expect(page).toContain(`<h1>Gongkai 公开 — release ${version} · ${LABEL}</h1>`);
    expect(page).toContain(`<p class="generated" role="note"><strong>${release.notice}</strong></p>`);
    expect((await (await get(api, '/downloads/catalog.json')).json()).generated).toBe(true);
    const embed = await (await get(api, '/embed/trend?region=410305')).text();
    expect(embed).toContain('示例数据（生成）：由 gongkai synth 生成的');
    // No real government host in what the demo serves about its reports.
    const urls = await gql(api, '{ reports(first: 100) { edges { node { source { url } } } } }');
    const hosts = new Set(urls.body.data!.reports.edges.map((e: { node: { source: { url: string } } }) => new URL(e.node.source.url).hostname));
    for (const host of hosts) expect(host).toMatch(/\.example\.gov\.invalid$/);
  });

  it('the downloads page says which file to open in Excel and which in DuckDB or pandas, and lists the per-year CSVs', async () => {
    const page = await (await get(api, '/downloads/')).text();
    expect(page).toContain('<strong>Excel, WPS, Numbers:</strong> <code>applications_wide.csv</code>');
    expect(page).toContain('<strong>DuckDB, pandas, R, Arrow:</strong> the Parquet files');
    expect(page).toContain(`Query them with the <a href="/v/${version}/graphql">GraphQL API</a>`);
    const catalog = await (await get(api, '/downloads/catalog.json')).json();
    const apps = catalog.tables.find((t: { name: string }) => t.name === 'applications');
    expect(apps.byYear.map((f: { label: string }) => f.label)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024']);
    expect(page).toContain(`<a href="/downloads/${version}/by-year/applications-2023.csv">2023</a>`);
    expect((await get(api, apps.byYear[0].url)).status).toBe(200);
  });
});

describe('/export/comparison.csv', () => {
  it('follows csvUrl to the same groups as CSV with a BOM', async () => {
    const r = await gql(api, example('1-luoyang-counties-2023.graphql'));
    const { csvUrl, groups } = r.body.data!.applicationComparison;
    const url = new URL(csvUrl, BASE);
    expect(url.searchParams.get('field')).toBe('applicationComparison');
    expect(url.searchParams.get('filter')).toBe('{region: "410300", year: 2023}');
    expect(url.searchParams.get('groupBy')).toBe('[REGION]');
    const res = await get(api, url.pathname + url.search);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 4)).toEqual(['region_code', 'region_name', 'reports', 'new_received']);
    expect(header).toContain('granted_any_share');
    expect(header).not.toContain('granted_share');
    expect(lines).toHaveLength(groups.length + 1);
    lines.slice(1).forEach((line, i) => {
      const cells = Object.fromEntries(line.split(',').map((v, j) => [header[j], v]));
      expect(cells.region_code).toBe(groups[i].region.code);
      expect(cells.region_name).toBe(groups[i].region.name);
      expect(Number(cells.new_received)).toBe(groups[i].newReceived);
      expect(Number(cells.granted_any_share)).toBe(groups[i].grantedAnyShare);
      expect(Number(cells.not_held_share)).toBe(groups[i].notHeldShare);
    });
  });

  it('takes the arguments as JSON too, and labels outcomes in Chinese', async () => {
    const q = new URLSearchParams({
      field: 'applicationComparison',
      filter: JSON.stringify({ region: '410305', year: 2023 }),
      groupBy: JSON.stringify(['OUTCOME']),
      outcomeGroups: JSON.stringify(['DENIED']),
    });
    const res = await get(api, `/export/comparison.csv?${q}`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).slice(1).trim().split('\r\n');
    expect(lines[0].startsWith('outcome,outcome_zh,reports,')).toBe(true);
    expect(lines[0]).toContain('outcome_applications,outcome_share');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'denied_state_secret',
      'denied_prohibited_by_law',
      'denied_security_stability',
      'denied_third_party',
      'denied_internal_affairs',
      'denied_process_info',
      'denied_enforcement_file',
      'denied_admin_query',
    ]);
    expect(lines[1].split(',')[1]).toBe('（三）不予公开 1.属于国家秘密');
  });

  it('neutralises text a spreadsheet would run as a formula; numbers, a negative one too, stay numbers', () => {
    const csv = comparisonCsv([{ region: '410305', reports: 2, new_received: -5 }], 'applications', ['region'], false, () => '=HYPERLINK("http://evil.example/","x")');
    const [header, row] = csv.slice(1).trim().split('\r\n');
    expect(header.split(',').slice(0, 4)).toEqual(['region_code', 'region_name', 'reports', 'new_received']);
    expect(row.startsWith(`410305,"'=HYPERLINK(""http://evil.example/"",""x"")",2,-5,`)).toBe(true);
  });

  it('refuses unknown fields, unknown arguments and bad values with BAD_USER_INPUT', async () => {
    for (const [query, message] of [
      ['field=nope', '"field" must be one of applicationComparison, reviewComparison, proactiveComparison, checkComparison, got "nope"'],
      ['field=reviewComparison&grupBy=[YEAR]', 'reviewComparison has no argument "grupBy" (it has filter, groupBy, includeDerived, limit, rank, regionLevel, scope)'],
      ['field=reviewComparison&groupBy=[WEEKDAY]', 'Argument groupBy.0: Value "WEEKDAY" does not exist in "ComparisonDimension" enum.'],
      ['field=reviewComparison&filter={region:"999999"}', '"filter.region": no region 999999 in this release: list them with regions(level: …, parent: …, nameSearch: …)'],
    ]) {
      const res = await get(api, `/export/comparison.csv?${query}`);
      expect(res.status, query).toBe(400);
      const body = await res.json();
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0].message).toBe(message);
    }
  });
});
