/**
 * HTTP behaviour of the public API: GET queries with ETag and 304, CORS, the per-client rate
 * limit, GraphiQL served without a CDN, and the small routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { BASE, example, get, gql, sqlDuring, startApi } from './helpers.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const getQuery = (query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>) =>
  get(api, `/graphql?query=${encodeURIComponent(query)}${variables ? `&variables=${encodeURIComponent(JSON.stringify(variables))}` : ''}`, { accept: 'application/json', ...headers });

describe('GET queries and caching', () => {
  it('answers a GET query with an ETag tied to the release version, and 304 when it matches', async () => {
    const version = api.state.release.version;
    const q = example('1-luoyang-counties-2023.graphql');
    const first = await getQuery(q);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(new RegExp(`^W/"${version.replace(/\./g, '\\.')}-[\\w-]{22}"$`));
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    const body = await first.json();
    expect(body.data.applicationComparison.groups).toHaveLength(14);

    const again = await getQuery(q, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');

    // another query string is another ETag; a stale ETag gets the full answer
    const other = await getQuery(q, { 'if-none-match': etag }, { year: 2022 });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
    const stale = await getQuery(q, { 'if-none-match': 'W/"2000-01-01.1-xxxxxxxxxxxxxxxxxxxxxx"' });
    expect(stale.status).toBe(200);
  });

  it('does not cache answers with errors, or POSTs', async () => {
    const bad = await getQuery('{ reports(first: 500) { totalCount } }');
    expect(bad.headers.get('cache-control')).toBe('no-store');
    expect(bad.headers.get('etag')).toBeNull();
    const post = await gql(api, '{ release { version } }');
    expect(post.headers.get('etag')).toBeNull();
  });

  it('does not answer If-None-Match: * with 304: it names no ETag of the answer', async () => {
    const q = '{ release { version } }';
    expect((await getQuery(q, { 'if-none-match': '*' })).status).toBe(200);
    expect((await get(api, `/downloads/latest/release.json`, { 'if-none-match': '*' })).status).toBe(200);
    expect((await get(api, '/charts/trend.vl.json?region=410305', { 'if-none-match': '*' })).status).toBe(200);
  });

  it('answers a body that is not JSON with 400, without quoting the body back', async () => {
    const res = await api.fetch(new Request(`${BASE}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'SECRET-TOKEN-4711 {' }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toContain('SECRET');
    expect(JSON.parse(text).errors).toEqual([{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('refuses mutations over GET', async () => {
    const res = await getQuery('mutation { x }');
    expect(res.status).toBe(405);
  });
});

describe('the answer cache', () => {
  const q = example('1-luoyang-counties-2023.graphql');

  it('answers the same operation with the same variables again without DuckDB, GET and POST alike', async () => {
    const first = await sqlDuring(() => gql(api, q, { year: 2021 }));
    expect(first.queries).toBe(1);
    const again = await sqlDuring(() => gql(api, q, { year: 2021 }));
    expect(again.queries).toBe(0);
    expect(again.result.body).toEqual(first.result.body);
    expect(again.result.headers.get('etag')).toBeNull(); // a POST answer is still not HTTP-cacheable

    const other = await sqlDuring(() => gql(api, q, { year: 2020 }));
    expect(other.queries).toBe(1);
    expect(other.result.body.data!.applicationComparison.groups[0]).not.toEqual(first.result.body.data!.applicationComparison.groups[0]);

    const viaGet = await sqlDuring(() => getQuery(q, {}, { year: 2021 }).then((r) => r.json()));
    expect(viaGet.queries).toBe(0);
    expect(viaGet.result).toEqual(first.result.body);
  });

  it('never keys or writes answers by the Host header: links are relative, or from the public URL', async () => {
    const ask = (origin: string, a: Api = api) =>
      a.fetch(new Request(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q, variables: { year: 2019 } }) })).then((r) => r.json());
    const first = await sqlDuring(() => ask('http://a.example'));
    const second = await sqlDuring(() => ask('http://evil.example'));
    expect(first.result.data.applicationComparison.csvUrl).toMatch(/^\/export\//);
    expect(second.result).toEqual(first.result);
    expect(second.queries).toBe(0); // one cache entry, whatever the Host
    const pub = await startApi({ publicUrl: 'https://data.example.org' });
    try {
      expect((await ask('http://evil.example', pub)).data.applicationComparison.csvUrl).toMatch(/^https:\/\/data\.example\.org\/export\//);
    } finally {
      await pub.close();
    }
  });

  it('does not keep answers with errors, or answers over the size bound', async () => {
    const bad = '{ applicationComparison(filter: { region: "999999" }) { groups { reports } } }';
    for (let i = 0; i < 2; i++) expect((await gql(api, bad)).body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const small = await startApi({ limits: { responseCache: { entries: 10, maxAnswerBytes: 100 } } });
    try {
      for (let i = 0; i < 2; i++) expect((await sqlDuring(() => gql(small, q))).queries).toBe(1);
      const tiny = '{ applicationComparison(filter: { region: "410300", year: 2023 }) { totalGroups } }';
      expect((await sqlDuring(() => gql(small, tiny))).queries).toBeGreaterThan(0);
      expect((await sqlDuring(() => gql(small, tiny))).queries).toBe(0);
    } finally {
      await small.close();
    }
    const off = await startApi({ limits: { responseCache: { entries: 0, maxAnswerBytes: 0 } } });
    try {
      for (let i = 0; i < 2; i++) expect((await sqlDuring(() => gql(off, q))).queries).toBe(1);
    } finally {
      await off.close();
    }
  });
});

describe('CORS', () => {
  it('answers a preflight from any origin', async () => {
    const res = await get(api, '/graphql', { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://example.org');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, HEAD, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-max-age')).toBe('86400');
  });

  it('lets pages on other origins read answers, ETags and downloads', async () => {
    const r = await gql(api, '{ release { version } }', {}, { origin: 'https://newsroom.example' });
    expect(r.headers.get('access-control-allow-origin')).toBe('https://newsroom.example');
    expect(r.headers.get('access-control-expose-headers')).toContain('etag');
    const d = await get(api, '/downloads/latest/release.json', { origin: 'https://newsroom.example' });
    expect(d.headers.get('access-control-allow-origin')).toBe('https://newsroom.example');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit, per client', async () => {
    const limited = await startApi({ limits: { rateLimit: { requests: 3, windowSeconds: 60 } }, trustProxy: 1 });
    try {
      const ask = (ip: string) => gql(limited, '{ release { version } }', {}, { 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i++) {
        const ok = await ask('203.0.113.7');
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit-remaining')).toBe(String(2 - i));
      }
      const over = await ask('203.0.113.7');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toBe('20');
      expect(over.body.errors![0]).toEqual({
        message: 'Too many requests: at most 3 per 60 s per client. Retry after 20 s.',
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 20 },
      });
      // another client is not affected; downloads count too
      expect((await ask('198.51.100.2')).status).toBe(200);
      const dl = await limited.fetch(new Request(`${BASE}/downloads/catalog.json`, { headers: { 'x-forwarded-for': '203.0.113.7' } }));
      expect(dl.status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('behind N trusted proxies, takes the address N hops from the right: what the client writes on the left does not count', async () => {
    const one = await startApi({ limits: { rateLimit: { requests: 2, windowSeconds: 60 } }, trustProxy: 1 });
    const two = await startApi({ limits: { rateLimit: { requests: 2, windowSeconds: 60 } }, trustProxy: 2 });
    try {
      const statuses = async (a: Api, chains: string[]) => {
        const out = [];
        for (const chain of chains) out.push((await gql(a, '{ release { version } }', {}, { 'x-forwarded-for': chain })).status);
        return out;
      };
      // One proxy: it appended the client's address last; the forged entries before it change nothing.
      expect(await statuses(one, ['1.1.1.1, 203.0.113.7', '2.2.2.2, 203.0.113.7', '3.3.3.3,203.0.113.7'])).toEqual([200, 200, 429]);
      // Two proxies: the client is second from the right.
      expect(await statuses(two, ['9.9.9.9, 198.51.100.9, 10.0.0.1', '8.8.8.8, 198.51.100.9, 10.0.0.2', '198.51.100.9, 10.0.0.1'])).toEqual([200, 200, 429]);
      expect(await statuses(two, ['198.51.100.10, 10.0.0.1'])).toEqual([200]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const limited = await startApi({ limits: { rateLimit: { requests: 2, windowSeconds: 60 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await gql(limited, '{ release { version } }', {}, { 'x-forwarded-for': `192.0.2.${i}` })).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('hardening headers', () => {
  const csp = (r: Response) => r.headers.get('content-security-policy') ?? '';
  it('every answer: nosniff and a referrer policy', async () => {
    for (const r of [await gql(api, '{ release { version } }'), { headers: (await get(api, '/downloads/latest/release.json')).headers }]) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('charts and embed pages carry a CSP and may be framed by any site', async () => {
    for (const path of ['/charts/trend.svg?region=410305', '/embed/trend?region=410305', '/embed/trend?region=999999', '/v/2001-01-01.1/charts/trend.svg?region=410305']) {
      const r = await get(api, path);
      expect(csp(r), path).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; .*frame-ancestors \*/);
      expect(r.headers.get('x-frame-options'), path).toBeNull();
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('GraphiQL and the downloads page carry a CSP and may not be framed', async () => {
    const graphiql = await get(api, '/graphql', { accept: 'text/html' });
    expect(csp(graphiql)).toContain("frame-ancestors 'none'");
    expect(csp(graphiql)).toContain("connect-src 'self'");
    expect(graphiql.headers.get('x-frame-options')).toBe('DENY');
    const page = await get(api, '/downloads/');
    expect(csp(page)).toMatch(/^default-src 'none'; .*frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('GraphiQL and routes', () => {
  it('serves GraphiQL to browsers, self-contained, with the examples as tabs', async () => {
    const res = await get(api, '/graphql', { accept: 'text/html' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html.length).toBeGreaterThan(1_000_000); // the editor is inlined
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?https?:/i);
    expect(html).not.toContain('unpkg.com');
    expect(html).toContain('JianxiByYear');
    expect(html).toContain('HenanMostReviews2022');
    expect(html).toContain(`release ${api.state.release.version}`);
  });

  it('redirects / to GraphiQL and answers /health', async () => {
    const root = await get(api, '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/graphql');
    expect((await get(api, '/health')).status).toBe(200);
  });
});
