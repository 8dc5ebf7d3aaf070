/**
 * Every limit refuses with a clear message and a code: too deep, too many aliases, too costly
 * (page-size complexity, literal or variable), too many tokens, too large a page or comparison, a
 * query past its time; and wrong arguments are BAD_USER_INPUT naming the argument.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { DEFAULT_LIMITS } from '../../api/limits.ts';
import { example, get, gql, startApi } from './helpers.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const codeOf = (r: Awaited<ReturnType<typeof gql>>) => r.body.errors?.map((e) => e.extensions?.code);

describe('query limits', () => {
  it('refuses a query deeper than maxDepth', async () => {
    let sel = 'code';
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth; i++) sel = `children { ${sel} }`;
    const r = await gql(api, `{ region(code: "410000") { ${sel} } }`);
    expect(r.body.data).toBeUndefined();
    expect(codeOf(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.body.errors![0].message).toMatch(/depth limit of 10 exceeded, found 12/);
    expect(r.body.errors![0].extensions!.limit).toBe('depth');
  });

  it('answers 400 for a refused query under the GraphQL-over-HTTP media type', async () => {
    let sel = 'code';
    for (let i = 0; i < DEFAULT_LIMITS.maxDepth; i++) sel = `children { ${sel} }`;
    const r = await gql(api, `{ region(code: "410000") { ${sel} } }`, {}, { accept: 'application/graphql-response+json' });
    expect(r.status).toBe(400);
    expect(codeOf(r)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses more aliases than maxAliases', async () => {
    const fields = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `v${i}: release { version }`).join(' ');
    const r = await gql(api, `{ ${fields} }`);
    expect(codeOf(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.body.errors![0].message).toBe(`Query refused: Aliases limit of ${DEFAULT_LIMITS.maxAliases} exceeded, found ${DEFAULT_LIMITS.maxAliases + 1}. See the limits in /docs/api.md.`);
  });

  it('prices a literal page size as a variable one, and lets ordinary questions through', async () => {
    // A page of 50 reports with their cells; 20 agencies × 6 years of reports with a cell each.
    const page = '{ reports(first: 50, filter: { region: "410300", year: 2023 }) { edges { node { id year cells(table: APPLICATIONS, rows: ["new_received"]) { column { code } value reading } } } } }';
    const pageVar = 'query ($n: Int) { reports(first: $n, filter: { region: "410300", year: 2023 }) { edges { node { id year cells(table: APPLICATIONS, rows: ["new_received"]) { column { code } value reading } } } } }';
    // What is shown here is that the cost limit lets them through; a generous timeout keeps a busy
    // machine from deciding the outcome (the timeout has its own test).
    const roomy = await startApi({ limits: { queryTimeoutMs: 120_000 } });
    try {
      const literal = await gql(roomy, page);
      expect(literal.body.errors).toBeUndefined();
      expect(literal.body.data!.reports.edges).toHaveLength(50);
      expect((await gql(roomy, pageVar, { n: 50 })).body).toEqual(literal.body);
      const grid = await gql(roomy, '{ agencies(first: 20, filter: { region: "410300" }) { edges { node { id reports(first: 6) { edges { node { year cells(table: APPLICATIONS, rows: ["new_received"]) { value } } } } } } } }');
      expect(grid.body.errors).toBeUndefined();
      expect(grid.body.data!.agencies.edges).toHaveLength(20);
    } finally {
      await roomy.close();
    }
    // Past the limit, literal and variable refusals name the same complexity and say what to ask instead.
    const nested = (first: string) => `{ agencies(first: ${first}) { edges { node { reports(first: ${first}) { edges { node { id cells(table: APPLICATIONS) { value } } } } } } } }`;
    const big = await gql(api, nested('100'));
    const bigVar = await gql(api, `query ($n: Int) ${nested('$n')}`, { n: 100 });
    expect(codeOf(big)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(big.body.errors![0].extensions!.found).toBe(bigVar.body.errors![0].extensions!.found);
    expect(big.body.errors![0].message).toMatch(/ask one comparison — applicationComparison\(filter: \{ agencies: \[\.\.\.\], yearFrom, yearTo \}, groupBy: \[AGENCY, YEAR\]\)/);
  });

  it('refuses a query whose page sizes multiply past maxComplexity', async () => {
    // Page sizes given as variables count as written ones do.
    const nested = 'query ($n: Int) { agencies(first: $n) { edges { node { reports(first: $n) { edges { node { id cells(table: APPLICATIONS) { value } } } } } } } }';
    const r = await gql(api, nested, { n: 100 });
    expect(r.body.data).toBeNull();
    expect(codeOf(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.body.errors![0].extensions!.limit).toBe('complexity');
    expect(r.body.errors![0].message).toMatch(/^Query complexity \d+ exceeds the limit of 20000: a connection costs its page size \(first\) times its selection/);
    // the same shape with small pages is fine
    const ok = await gql(api, nested, { n: 2 });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.agencies.edges).toHaveLength(2);
  });

  it('refuses a document with more than maxTokens tokens', async () => {
    const r = await gql(api, `{ release { ${'version '.repeat(DEFAULT_LIMITS.maxTokens)} } }`);
    expect(codeOf(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.body.errors![0].message).toMatch(/Token limit of 2000 exceeded/);
  });

  it('suggests the field meant, and serves the limits page a refusal points at', async () => {
    const r = await gql(api, '{ release { versio } }');
    expect(r.body.errors![0].message).toBe('Cannot query field "versio" on type "Release". Did you mean "version"?');
    const doc = await get(api, '/docs/api.md');
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await doc.text()).toBe(readFileSync('docs/api.md', 'utf8'));
  });

  it('answers a year the release does not cover with the years it does', async () => {
    const r = await gql(api, '{ applicationComparison(filter: { year: 2030 }) { groups { newReceived } } }');
    expect(r.body.errors![0]).toMatchObject({ message: 'This release covers the years 2019–2024; the filter asks for 2030', extensions: { code: 'BAD_USER_INPUT', argument: 'filter.year' } });
    const before = await gql(api, '{ reports(filter: { yearTo: 2010 }) { totalCount } }');
    expect(before.body.errors![0].message).toBe('This release covers the years 2019–2024; the filter asks for …–2010');
    const overlapping = await gql(api, '{ reports(filter: { yearFrom: 2024, yearTo: 2030 }) { totalCount } }');
    expect(overlapping.body.errors).toBeUndefined();
  });

  it("counts a comparison's groups in its cost: fifteen aliases of a 5,000-group comparison are refused, one is not", async () => {
    const comparison = (i: number) => `c${i}: applicationComparison(groupBy: [REGION, YEAR, APPLICANT_TYPE], limit: 5000) { groups { region { code } year newReceived grantedShare } }`;
    const many = await gql(api, `{ ${Array.from({ length: 15 }, (_, i) => comparison(i)).join(' ')} }`);
    expect(codeOf(many)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(many.body.errors![0].extensions!.limit).toBe('complexity');
    const one = await gql(api, `{ ${comparison(0)} }`);
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data!.c0.groups).toHaveLength(5000);
    // The same comparison narrowed by its filter costs what it can return: one county, one year.
    const narrow = await gql(api, `{ ${Array.from({ length: 15 }, (_, i) => comparison(i).replace('limit: 5000', `limit: 5000, filter: { region: "410305", year: ${2019 + (i % 5)} }`)).join(' ')} }`);
    expect(narrow.body.errors).toBeUndefined();
  });

  it('lets every example through the limits', async () => {
    for (const f of readdirSync('docs/queries').filter((f) => f.endsWith('.graphql'))) {
      const r = await gql(api, example(f));
      expect(r.body.errors, f).toBeUndefined();
    }
  });
});

describe('page sizes', () => {
  it('defaults to 20 and allows up to 100', async () => {
    const r = await gql(api, '{ a: reports { edges { cursor } } b: reports(first: 100) { edges { cursor } } }');
    expect(r.body.data!.a.edges).toHaveLength(DEFAULT_LIMITS.defaultPageSize);
    expect(r.body.data!.b.edges).toHaveLength(DEFAULT_LIMITS.maxPageSize);
  });

  it('refuses first above 100, negative sizes and foreign cursors', async () => {
    for (const [args, message] of [
      ['first: 101', '"first" must be between 0 and 100 (the maximum page size), got 101'],
      ['first: -1', '"first" must be between 0 and 100 (the maximum page size), got -1'],
      ['after: "bm90LWEtY3Vyc29y"', '"after" is not a cursor from this API: use pageInfo.endCursor (or startCursor) of a previous page'],
      ['last: 5', '"last" needs "before" (or "first"): page backwards from a cursor'],
    ]) {
      const r = await gql(api, `{ reports(${args}) { totalCount } }`);
      expect(codeOf(r), args).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].message).toBe(message);
    }
  });

  it('bounds comparison rows by limit (at most 5000) and says when it cut', async () => {
    const r = await gql(api, '{ applicationComparison(groupBy: [REGION, YEAR], limit: 7) { totalGroups truncated groups { year } } }');
    expect(r.body.data!.applicationComparison.groups).toHaveLength(7);
    expect(r.body.data!.applicationComparison.truncated).toBe(true);
    expect(r.body.data!.applicationComparison.totalGroups).toBeGreaterThan(7);
    const bad = await gql(api, '{ applicationComparison(limit: 5001) { totalGroups } }');
    expect(bad.body.errors![0].message).toBe('"limit" must be between 1 and 5000, got 5001');
  });
});

describe('bad arguments', () => {
  const cases: [string, string, string][] = [
    ['{ applicationComparison(filter: { region: "4103" }) { totalGroups } }', 'filter.region', '"filter.region": must be a 6-digit GB/T 2260 code such as 410305 (涧西区) or a region\'s name, got "4103"'],
    ['{ applicationComparison(filter: { region: "999999" }) { totalGroups } }', 'filter.region', '"filter.region": no region 999999 in this release: list them with regions(level: …, parent: …, nameSearch: …)'],
    ['{ applicationComparison(filter: { year: 2023, yearFrom: 2020 }) { totalGroups } }', 'filter.year', 'Give either "filter.year" or "filter.yearFrom"/"filter.yearTo", not both'],
    ['{ applicationComparison(filter: { yearFrom: 2024, yearTo: 2019 }) { totalGroups } }', 'filter.yearFrom', '"filter.yearFrom" (2024) is after "filter.yearTo" (2019)'],
    ['{ applicationComparison(filter: { year: 1850 }) { totalGroups } }', 'filter.year', '"filter.year" must be a year between 2000 and 2100, got 1850'],
    ['{ applicationComparison(groupBy: [YEAR, YEAR]) { totalGroups } }', 'groupBy', '"groupBy" lists YEAR twice'],
    ['{ applicationComparison(groupBy: [REGION], rank: { by: NEW_RECEIVED, within: [YEAR] }) { totalGroups } }', 'rank.within', '"rank.within" may only name dimensions of groupBy; YEAR is not in groupBy'],
    ['{ applicationComparison(groupBy: [REGION], rank: { by: OUTCOME_SHARE }) { totalGroups } }', 'rank.by', '"rank.by" OUTCOME_SHARE needs OUTCOME or OUTCOME_GROUP in groupBy'],
    ['{ applicationComparison(groupBy: [YEAR], outcomeGroups: [DENIED]) { totalGroups } }', 'outcomeGroups', '"outcomeGroups" applies only when groupBy has OUTCOME or OUTCOME_GROUP'],
    ['{ applicationComparison(groupBy: [APPLICANT_TYPE], applicant: COMMERCIAL) { totalGroups } }', 'applicant', '"applicant" must stay TOTAL when grouping by APPLICANT_TYPE'],
    ['{ reviewComparison(rank: { by: REVIEW_TOTAL, top: 0 }) { totalGroups } }', 'rank.top', '"rank.top" must be between 1 and 5000, got 0'],
    ['{ reports(filter: { region: "410305", yearTo: 1999 }) { totalCount } }', 'filter.yearTo', '"filter.yearTo" must be a year between 2000 and 2100, got 1999'],
    ['{ regions(parent: "12") { totalCount } }', 'parent', '"parent": must be a 6-digit GB/T 2260 code such as 410305 (涧西区) or a region\'s name, got "12"'],
  ];
  it.each(cases)('%s → BAD_USER_INPUT on %s', async (query, argument, message) => {
    const r = await gql(api, query);
    expect(codeOf(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors![0].extensions!.argument).toBe(argument);
    expect(r.body.errors![0].message).toBe(message);
  });

  it('refuses an unknown cell row with the known ones listed', async () => {
    const r = await gql(api, '{ reports(first: 1) { edges { node { cells(table: APPLICATIONS, rows: ["nope"]) { value } } } } }');
    expect(codeOf(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors![0].message).toMatch(/^"rows": applications has no row "nope" \(known: new_received, carried_over, /);
  });

  it('refuses values outside an enum before running anything: scopes cannot be mixed', async () => {
    const r = await gql(api, '{ applicationComparison(scope: ALL) { totalGroups } }');
    expect(codeOf(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.body.errors![0].message).toBe('Value "ALL" does not exist in "Scope" enum.');
    const grouped = await gql(api, '{ applicationComparison(groupBy: [SCOPE]) { totalGroups } }');
    expect(codeOf(grouped)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('masks unexpected errors', async () => {
    const r = await gql(api, '{ report(id: "r000000000000") { id } }');
    expect(r.body).toEqual({ data: { report: null }, extensions: { generated: '示例数据（生成） / generated sample data' } });
  });
});

describe('query timeout', () => {
  it('stops a query past queryTimeoutMs with TIMEOUT, and the server keeps answering', async () => {
    const slow = await startApi({ limits: { queryTimeoutMs: 1 } });
    try {
      const r = await gql(slow, '{ applicationComparison(groupBy: [REGION, YEAR, APPLICANT_TYPE, OUTCOME], regionLevel: COUNTY) { totalGroups } }');
      expect(codeOf(r)).toEqual(['TIMEOUT']);
      // worth asking again: 503 with Retry-After, not a 500
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe(String(DEFAULT_LIMITS.retryAfterSeconds));
      expect(r.body.errors![0].message).toBe('The query took longer than 1 ms and was stopped. Narrow the filter (years, region) or ask for fewer rows.');
      const again = await gql(slow, '{ release { version } }');
      expect(again.body.data!.release.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    } finally {
      await slow.close();
    }
  });
});

describe('request body', () => {
  /** A raw HTTP request to a real server: status and JSON body. */
  async function post(headers: Record<string, string>, body: string | string[]): Promise<{ status: number; body: any }> {
    const server = createServer(api.handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/graphql', method: 'POST', headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        for (const chunk of [body].flat()) req.write(chunk);
        req.end();
      });
    } finally {
      server.close();
      server.closeAllConnections();
    }
  }
  const query = JSON.stringify({ query: '{ release { version } }' });

  it('answers a body that states its length', async () => {
    const r = await post({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(query)) }, query);
    expect(r.status).toBe(200);
    expect(r.body.data.release.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  it('refuses a body over maxBodyBytes from its Content-Length, before reading it (413)', async () => {
    const big = JSON.stringify({ query: '{ release { version } }', variables: { pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) } });
    const r = await post({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, big);
    expect(r.status).toBe(413);
    expect(r.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', maxBodyBytes: 100_000 });
    expect(r.body.errors[0].message).toBe(`The request body has ${Buffer.byteLength(big)} bytes; at most 100000 are accepted.`);
  });

  it('refuses a chunked body without a length (411)', async () => {
    const r = await post({ 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, [query.slice(0, 10), query.slice(10)]);
    expect(r.status).toBe(411);
    expect(r.body.errors[0].extensions.code).toBe('LENGTH_REQUIRED');
  });
});
