/**
 * The server under concurrency and change: many pinned releases at once, a release published
 * while serving, a chart whose query fails, parameters that are not what they claim, and heavy
 * comparisons next to light questions. Releases are versions of the demo release made of
 * symlinks (helpers.ts: releaseVersions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admission } from '../../api/admission.ts';
import type { Api } from '../../api/server.ts';
import { get, gql, releaseVersions, sqlDuring, startApi } from './helpers.ts';

describe('pinned charts of several older releases at once', () => {
  // More than two older releases in use at once is what once closed a release under its requests.
  const OLD = ['2025-01-01.1', '2025-02-01.1', '2025-03-01.1'];
  let versions: ReturnType<typeof releaseVersions>;
  let api: Api;
  beforeAll(async () => {
    versions = releaseVersions([...OLD, '2025-05-01.1']);
    api = await startApi({ release: versions.latest, limits: { idleReleases: 1, queryTimeoutMs: 60_000 } });
  });
  afterAll(async () => {
    await api?.close();
    versions.cleanup();
  });

  it('answers 128 concurrent requests over three older releases, each from its own release', { timeout: 120_000 }, async () => {
    const counties = api.state.regions.children('410300').map((r) => r.code);
    const charts = counties.flatMap((c) => [`trend.vl.json?region=${c}`, `applicants.csv?region=${c}&year=2023`]);
    const paths = Array.from({ length: 128 }, (_, i) => `/v/${OLD[i % OLD.length]}/charts/${charts[Math.floor(i / OLD.length) % charts.length]}`);
    const answers = await Promise.all(paths.map((p) => get(api, p)));
    const failed = await Promise.all(answers.map(async (r, i) => (r.status === 200 ? null : `${paths[i]}: ${r.status} ${(await r.text()).slice(0, 200)}`)));
    expect(failed.filter(Boolean)).toEqual([]);
    expect(answers.map((r) => r.headers.get('x-gongkai-release'))).toEqual(paths.map((p) => p.split('/')[2]));
    // At rest: the current release and at most idleReleases idle ones stay open.
    expect(api.server.releases.open).toBeLessThanOrEqual(2);
    // and a closed one opens again on demand
    expect((await get(api, `/v/${OLD[0]}/charts/trend.vl.json?region=410305`)).status).toBe(200);
  });
});

describe('a release published while serving', () => {
  const q = '{ release { version } applicationComparison(filter: { region: "410305", year: 2023 }) { groups { newReceived } } }';
  const getQuery = (api: Api, headers: Record<string, string> = {}) => get(api, `/graphql?query=${encodeURIComponent(q)}`, { accept: 'application/json', ...headers });

  it('is noticed within watchIntervalMs and served to new requests; a request already running finishes on the old one', { timeout: 60_000 }, async () => {
    const versions = releaseVersions(['2025-06-01.1']);
    const api = await startApi({ release: versions.latest, limits: { watchIntervalMs: 50 } });
    try {
      const before = await getQuery(api);
      expect((await before.json()).data.release.version).toBe('2025-06-01.1');
      const etag = before.headers.get('etag')!;
      const running = api.server.releases.lease(); // a request still answering from the old release

      versions.publish('2025-07-01.1');
      const version = async () => (await gql(api, '{ release { version } }')).body.data!.release.version;
      await expect.poll(version, { timeout: 30_000, interval: 50 }).toBe('2025-07-01.1');
      expect(await api.refresh()).toBeNull(); // nothing newer to switch to
      // Caches and ETags are keyed by version: the old answer is neither served nor confirmed.
      const after = await getQuery(api, { 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect((await after.json()).data.release.version).toBe('2025-07-01.1');
      expect(JSON.parse(await (await get(api, '/downloads/latest/release.json')).text()).version).toBe('2025-07-01.1');
      expect((await get(api, '/downloads/2025-07-01.1/release.json')).status).toBe(200);
      expect((await get(api, '/charts/trend.vl.json?region=410305')).headers.get('x-gongkai-release')).toBe('2025-07-01.1');

      // The old release is still open for the request holding it, and pinned URLs reach it.
      const session = running.served.db.session(5000);
      expect(await session.query('SELECT count(*) > 0 AS any FROM reports')).toEqual([{ any: true }]);
      await session.close();
      running.release();
      expect((await get(api, '/v/2025-06-01.1/charts/trend.vl.json?region=410305')).status).toBe(200);
      expect((await get(api, '/downloads/2025-06-01.1/release.json')).status).toBe(200);
    } finally {
      await api.close();
      versions.cleanup();
    }
  });
});

describe('charts under failure, odd parameters, heavy comparisons', () => {
  let api: Api;
  beforeAll(async () => {
    // One heavy comparison at a time and one waiting; the event loop's load does not hold heavy
    // work back here (heavyMaxLoad 0: the last test checks that apart); no answer cache.
    api = await startApi({ limits: { heavyQueries: 1, heavyQueue: 1, heavyMaxLoad: 0, responseCache: { entries: 0, maxAnswerBytes: 0 } } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('a chart whose data query times out answers 503 with Retry-After, and the failure is not kept: the same chart answers later', async () => {
    const limits = api.state.limits;
    const saved = limits.queryTimeoutMs;
    limits.queryTimeoutMs = 0; // every query is past its deadline
    let failed: Response;
    try {
      failed = await get(api, '/charts/trend.svg?region=410303');
    } finally {
      limits.queryTimeoutMs = saved;
    }
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(failed.headers.get('cache-control')).toBe('no-store');
    expect(await failed.text()).toContain('took longer than 0 ms');
    const again = await get(api, '/charts/trend.svg?region=410303');
    expect(again.status).toBe(200);
  });

  it('checks regions before anything is asked of the database or kept', async () => {
    for (const path of ['/charts/trend.svg?region=999999', '/charts/trend.svg?region=410305&region=999998', '/charts/trend.svg?region=x']) {
      const { result, queries } = await sqlDuring(() => get(api, path));
      expect([400, 404], path).toContain(result.status);
      expect(queries, path).toBe(0);
    }
  });

  it('heavy comparisons wait behind each other and past a short queue get 503 OVERLOADED; light ones are answered meanwhile', async () => {
    const { admission } = api.server;
    // A heavy comparison already running holds the only heavy slot.
    const running = await admission.enter('heavy', Date.now() + 60_000, () => new Error('not expected'));
    const heavy = (year: number) =>
      gql(api, `{ applicationComparison(groupBy: [REGION, APPLICANT_TYPE], filter: { year: ${year} }, limit: 5000) { groups { newReceived } } }`);
    const waiting = heavy(2022);
    await expect.poll(() => admission.load('heavy').waiting).toBe(1);
    const refused = await heavy(2023);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.body.errors![0].extensions!.code).toBe('OVERLOADED');
    const light = await gql(api, '{ applicationComparison(filter: { region: "410305", year: 2023 }) { groups { newReceived } } }');
    expect(light.status).toBe(200);
    expect(light.body.errors).toBeUndefined();
    running();
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.body.data!.applicationComparison.groups.length).toBeGreaterThan(500);
    expect(admission.load('heavy')).toEqual({ running: 0, waiting: 0 });
  });

  it('heavy work waits while the event loop is busier than heavyMaxLoad; light work does not', async () => {
    const admission = new Admission({ light: { concurrent: 1, queue: 1 }, heavy: { concurrent: 1, queue: 2 } }, { retryAfterSeconds: 2, heavyMaxLoad: 0.5, measureLoad: false });
    const later = () => Date.now() + 60_000;
    const never = () => new Error('not expected');
    admission.setLoad(0.9);
    let admitted = false;
    const heavy = admission.enter('heavy', later(), never).then((leave) => {
      admitted = true;
      return leave;
    });
    (await admission.enter('light', later(), never))();
    await new Promise((r) => setImmediate(r));
    expect(admitted).toBe(false);
    expect(admission.load('heavy')).toEqual({ running: 0, waiting: 1 });
    admission.setLoad(0.3);
    (await heavy)();
    expect(admitted).toBe(true);
    expect(admission.load('heavy')).toEqual({ running: 0, waiting: 0 });
    admission.close();
  });
});
