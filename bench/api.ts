/**
 * API latency and throughput on a large release.
 *
 *   npx tsx bench/api.ts --release /tmp/r100k/latest [--iterations 200] [--seconds 10] [--concurrency 32] [--threads N] [--vars FILE]
 *
 * --vars: a JSON file { "<example>.graphql": { "graphql": {variables}, "sql": {parameters} } } for a release
 * whose agencies differ from the demo's (the examples' defaults name demo agencies).
 *
 * 1. Each example of docs/queries through HTTP (a real server on a port, POST, keep-alive),
 *    interleaved with the same question asked as hand-written SQL straight to the server's
 *    DuckDB (the same in-memory tables, its own connection): p50/p99 of both, and
 *    ratio = HTTP p50 ÷ SQL p50, the overhead of HTTP + GraphQL + JSON on top of the query.
 *    For context, the same SQL over the release's Parquet files (what a DuckDB user would run
 *    without the API's summary tables).
 * 2. Throughput: `concurrency` clients each sending the examples in turn for `seconds`.
 * Both with the server's answer cache off, so every request runs its query. Then, on a second
 * server with the answer cache on (the default): the same examples asked again — latency of a
 * cached answer and the throughput of 32 clients repeating the examples.
 *
 * The HTTP clients run in a worker thread, so they do not share the server's event loop; they do
 * share the machine's cores. They use node:http with a keep-alive agent (as load generators such
 * as autocannon do): fetch() would add ~0.3 ms of client work to every request. The rate limit is lifted for the run (the clients are one address).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

// As `gongkai serve` runs it: graphql-js without its development-only checks.
process.env.NODE_ENV ??= 'production';
const { runQuery } = await import('../api/data/db.ts');
const { createApi } = await import('../api/server.ts');

const { values } = parseArgs({
  options: {
    release: { type: 'string', default: '/tmp/r100k/latest' },
    iterations: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    threads: { type: 'string' },
    vars: { type: 'string' },
  },
});
const ITERATIONS = Number(values.iterations);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

/** The examples' questions in plain SQL. `facts` is the API's table; the Parquet variant reads the release's files. */
interface Equivalent {
  file: string;
  facts: string[];
  parquet: string[];
}

const DENIED = ['state_secret', 'prohibited_by_law', 'security_stability', 'third_party', 'internal_affairs', 'process_info', 'enforcement_file', 'admin_query'].map((r) => `denied_${r}`);
const GROUPS: Record<string, string[]> = {
  outcome: ['granted', 'partially_granted'],
  denied: DENIED,
  unavailable: ['unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear'],
  not_processed: ['petition', 'repeat', 'publication', 'mass_repeat', 'confirmation'].map((r) => `not_processed_${r}`),
  other: ['other_no_correction', 'other_fee_unpaid', 'other_other', 'other_handling'],
};
const groupSums = (col: (r: string) => string) => Object.entries(GROUPS).map(([g, rows]) => `${rows.map((r) => `coalesce(sum(${col(r)}), 0)`).join(' + ')} AS ${g}`);

const EQUIVALENTS: Equivalent[] = [
  {
    file: '1-luoyang-counties-2023.graphql',
    facts: [
      `SELECT county, count(*) AS reports, sum(app_new_received) AS new_received, sum(app_total_processed) AS total_processed,
              (sum(app_granted) + sum(app_partially_granted)) / sum(app_total_processed) AS granted_share,
              sum(app_unavailable_not_held) / sum(app_total_processed) AS not_held_share
       FROM facts_printed WHERE scope = $scope AND year = $year AND city = $city AND county IS NOT NULL AND has_applications
       GROUP BY county ORDER BY county`,
    ],
    parquet: [
      `SELECT g.code, count(DISTINCT r.report_id) AS reports,
              sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
              sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
              sum(a.value) FILTER (WHERE a.row IN ('granted', 'partially_granted')) / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS granted_share,
              sum(a.value) FILTER (WHERE a.row = 'unavailable_not_held') / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS not_held_share
       FROM reports r JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.city = $city
       JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
       WHERE r.year = $year AND r.scope = $scope GROUP BY g.code ORDER BY g.code`,
    ],
  },
  {
    file: '2-jianxi-2019-2024.graphql',
    facts: [
      `WITH y AS (
         SELECT year, count(*) AS reports, sum(app_new_received) AS new_received, sum(app_total_processed) AS total_processed,
                ${groupSums((r) => `app_${r}`).join(', ')}, ${DENIED.map((r) => `sum(app_${r}) AS ${r}`).join(', ')}
         FROM facts_printed WHERE scope = $scope AND region_code = $district AND year BETWEEN $from - 1 AND $to AND has_applications GROUP BY year)
       SELECT y.*, p.new_received AS previous FROM y LEFT JOIN y p ON p.year = y.year - 1 WHERE y.year >= $from ORDER BY y.year`,
    ],
    parquet: [
      `WITH y AS (
         SELECT r.year, count(DISTINCT r.report_id) AS reports, sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
                sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
                ${Object.entries(GROUPS).map(([g, rows]) => `sum(a.value) FILTER (WHERE a.row IN (${rows.map((r) => `'${r}'`).join(', ')})) AS ${g}`).join(', ')},
                ${DENIED.map((r) => `sum(a.value) FILTER (WHERE a.row = '${r}') AS ${r}`).join(', ')}
         FROM reports r JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
         WHERE r.scope = $scope AND r.region_code = $district AND r.year BETWEEN $from - 1 AND $to GROUP BY r.year)
       SELECT y.*, p.new_received AS previous FROM y LEFT JOIN y p ON p.year = y.year - 1 WHERE y.year >= $from ORDER BY y.year`,
    ],
  },
  {
    file: '3-henan-most-reviews-2022.graphql',
    facts: [
      `SELECT county, count(*) AS reports, sum(rl_review_total) AS total, sum(rl_review_corrected) AS corrected, sum(rl_review_corrected) / sum(rl_review_total) AS corrected_share
       FROM facts_printed WHERE scope = $scope AND year = $year AND province = $province AND county IS NOT NULL AND has_review
       GROUP BY county ORDER BY total DESC, county LIMIT 10`,
    ],
    parquet: [
      `SELECT g.code, count(DISTINCT r.report_id) AS reports, sum(c.value) FILTER (WHERE c."column" = 'total') AS total, sum(c.value) FILTER (WHERE c."column" = 'corrected') AS corrected
       FROM reports r JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.province = $province
       JOIN review_litigation c ON c.report_id = r.report_id AND c.row = 'review'
       WHERE r.year = $year AND r.scope = $scope GROUP BY g.code ORDER BY total DESC, g.code LIMIT 10`,
    ],
  },
  {
    file: '4-normative-documents-by-district.graphql',
    facts: [
      `SELECT county, year, count(*) AS reports, sum(pa_normative_documents_issued) AS issued, sum(items_published) AS items, count(items_published) AS with_items
       FROM facts_printed WHERE scope = $scope AND city = $city AND year BETWEEN $from AND $to AND county IS NOT NULL
       GROUP BY county, year ORDER BY county, year`,
    ],
    parquet: [
      `WITH docs AS (SELECT report_id, max(value) AS issued FROM proactive WHERE row = 'normative_documents' AND "column" IN ('issued', 'made') GROUP BY report_id)
       SELECT g.code, r.year, count(*) AS reports, sum(d.issued) AS issued, sum(r.proactive_items_published) AS items, count(r.proactive_items_published) AS with_items
       FROM reports r JOIN regions g ON g.code = r.region_code AND g.level = 'county' AND g.city = $city
       LEFT JOIN docs d ON d.report_id = r.report_id
       WHERE r.scope = $scope AND r.year BETWEEN $from AND $to GROUP BY g.code, r.year ORDER BY g.code, r.year`,
    ],
  },
  {
    file: '5-identity-failures.graphql',
    facts: [
      `SELECT city, year, count(*) AS reports, count(*) FILTER (WHERE check_identity IN ('pass', 'fail')) AS assessed, count(*) FILTER (WHERE check_identity = 'fail') AS failing
       FROM facts_printed WHERE scope = $scope AND province = $province AND year BETWEEN $from AND $to AND city IS NOT NULL GROUP BY city, year ORDER BY city, year`,
      `SELECT report_id, agency, year, region_code, source_path, source_url, sha256 FROM report_index
       WHERE province = $province AND year BETWEEN $from AND $to AND scope = $scope AND fails_identity
       ORDER BY year, region_code, agency_id, report_id LIMIT 21`,
      `SELECT count(*) FROM report_index WHERE province = $province AND year BETWEEN $from AND $to AND scope = $scope AND fails_identity`,
      `SELECT c.report_id, c."column", c.expected, c.actual FROM check_issues c
       WHERE c."check" = 'identity' AND c.status = 'fail' AND c.report_id IN (
         SELECT report_id FROM report_index WHERE province = $province AND year BETWEEN $from AND $to AND scope = $scope AND fails_identity
         ORDER BY year, region_code, agency_id, report_id LIMIT 20)`,
    ],
    parquet: [
      `WITH per AS (SELECT report_id, bool_or(status = 'fail') AS fail, bool_or(status = 'pass') AS pass FROM checks WHERE "check" = 'identity' GROUP BY report_id)
       SELECT g.city, r.year, count(*) AS reports, count(*) FILTER (WHERE per.fail OR per.pass) AS assessed, count(*) FILTER (WHERE per.fail) AS failing
       FROM reports r JOIN regions g ON g.code = r.region_code AND g.province = $province AND g.city IS NOT NULL LEFT JOIN per ON per.report_id = r.report_id
       WHERE r.scope = $scope AND r.year BETWEEN $from AND $to GROUP BY g.city, r.year ORDER BY g.city, r.year`,
      `WITH failing AS (
         SELECT r.report_id, r.year, r.region_code, r.agency_id FROM reports r JOIN regions g ON g.code = r.region_code AND g.province = $province
         WHERE r.scope = $scope AND r.year BETWEEN $from AND $to AND r.report_id IN (SELECT report_id FROM checks WHERE "check" = 'identity' AND status = 'fail'))
       SELECT f.report_id, c."column", c.expected, c.actual, (SELECT count(*) FROM failing) AS total
       FROM (SELECT * FROM failing ORDER BY year, region_code, agency_id, report_id LIMIT 21) f
       JOIN checks c ON c.report_id = f.report_id AND c."check" = 'identity' AND c.status = 'fail'`,
    ],
  },
  {
    file: '6-luoyang-top-agencies-2023.graphql',
    facts: [
      `WITH cur AS (
         SELECT agency_id, count(*) AS reports, sum(app_new_received) AS new_received, sum(app_total_processed) AS total_processed,
                (sum(app_granted) + sum(app_partially_granted)) / sum(app_total_processed) AS granted_share
         FROM facts_printed WHERE scope = $scope AND year = $year AND (region_code = $city OR city = $city) AND has_applications GROUP BY agency_id),
       top AS (SELECT * FROM cur ORDER BY new_received DESC NULLS LAST, agency_id LIMIT 10),
       prev AS (SELECT agency_id, sum(app_new_received) AS new_received FROM facts_printed
                WHERE scope = $scope AND year = $year - 1 AND agency_id IN (SELECT agency_id FROM top) AND has_applications GROUP BY agency_id)
       SELECT t.*, p.new_received AS previous, a.name, a.region_code, a.agency_kind
       FROM top t LEFT JOIN prev p USING (agency_id) LEFT JOIN agency_index a USING (agency_id) ORDER BY t.new_received DESC, t.agency_id`,
      `SELECT counted, has_applications, count(*) FROM report_index WHERE scope = $scope AND year = $year AND (region_code = $city OR city = $city) GROUP BY ALL`,
    ],
    parquet: [
      `WITH cur AS (
         SELECT r.agency_id, r.year, count(DISTINCT r.report_id) AS reports, sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
                sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
                sum(a.value) FILTER (WHERE a.row IN ('granted', 'partially_granted')) / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS granted_share
         FROM reports r JOIN regions g ON g.code = r.region_code AND (g.code = $city OR g.city = $city)
         JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
         WHERE r.scope = $scope AND r.year BETWEEN $year - 1 AND $year GROUP BY r.agency_id, r.year)
       SELECT c.*, p.new_received AS previous FROM cur c LEFT JOIN cur p ON p.agency_id = c.agency_id AND p.year = c.year - 1
       WHERE c.year = $year ORDER BY c.new_received DESC NULLS LAST, c.agency_id LIMIT 10`,
    ],
  },
  {
    file: '7-agency-2019-2024.graphql',
    facts: [
      `WITH y AS (
         SELECT year, count(*) AS reports, sum(app_new_received) AS new_received, sum(app_total_processed) AS total_processed,
                ${groupSums((r) => `app_${r}`).join(', ')}, sum(app_unavailable_not_held) AS not_held
         FROM facts_printed WHERE scope = $scope AND agency_id = $agency AND year BETWEEN $from - 1 AND $to AND has_applications GROUP BY year)
       SELECT y.*, p.new_received AS previous FROM y LEFT JOIN y p ON p.year = y.year - 1 WHERE y.year >= $from ORDER BY y.year`,
    ],
    parquet: [
      `WITH y AS (
         SELECT r.year, count(DISTINCT r.report_id) AS reports, sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
                sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
                ${Object.entries(GROUPS).map(([g, rows]) => `sum(a.value) FILTER (WHERE a.row IN (${rows.map((r) => `'${r}'`).join(', ')})) AS ${g}`).join(', ')}
         FROM reports r JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
         WHERE r.scope = $scope AND r.agency_id = $agency AND r.year BETWEEN $from - 1 AND $to GROUP BY r.year)
       SELECT y.*, p.new_received AS previous FROM y LEFT JOIN y p ON p.year = y.year - 1 WHERE y.year >= $from ORDER BY y.year`,
    ],
  },
  {
    file: '8-two-departments-side-by-side.graphql',
    facts: [
      `SELECT year, agency_id, count(*) AS reports, sum(app_new_received) AS new_received, sum(app_total_processed) AS total_processed,
              (sum(app_granted) + sum(app_partially_granted)) / sum(app_total_processed) AS granted_share
       FROM facts_printed WHERE scope = $scope AND agency_id IN ($a, $b) AND year BETWEEN $from AND $to AND has_applications
       GROUP BY year, agency_id ORDER BY year, agency_id`,
    ],
    parquet: [
      `SELECT r.year, r.agency_id, count(DISTINCT r.report_id) AS reports, sum(a.value) FILTER (WHERE a.row = 'new_received') AS new_received,
              sum(a.value) FILTER (WHERE a.row = 'total_processed') AS total_processed,
              sum(a.value) FILTER (WHERE a.row IN ('granted', 'partially_granted')) / sum(a.value) FILTER (WHERE a.row = 'total_processed') AS granted_share
       FROM reports r JOIN applications a ON a.report_id = r.report_id AND a."column" = 'total'
       WHERE r.scope = $scope AND r.agency_id IN ($a, $b) AND r.year BETWEEN $from AND $to GROUP BY r.year, r.agency_id ORDER BY r.year, r.agency_id`,
    ],
  },
  {
    file: '9-agencies-failing-checks.graphql',
    facts: [
      `WITH g AS (
         SELECT agency_id, count(*) AS reports, count(*) FILTER (WHERE check_identity IN ('pass', 'fail')) AS assessed, count(*) FILTER (WHERE check_identity = 'fail') AS failing
         FROM facts_printed WHERE scope = $scope AND province = $province AND year BETWEEN $from AND $to GROUP BY agency_id ORDER BY failing DESC, agency_id LIMIT 20)
       SELECT g.*, a.name, a.region_code FROM g LEFT JOIN agency_index a USING (agency_id) ORDER BY g.failing DESC, g.agency_id`,
    ],
    parquet: [
      `WITH per AS (SELECT report_id, bool_or(status = 'fail') AS fail, bool_or(status = 'pass') AS pass FROM checks WHERE "check" = 'identity' GROUP BY report_id)
       SELECT r.agency_id, count(*) AS reports, count(*) FILTER (WHERE per.fail OR per.pass) AS assessed, count(*) FILTER (WHERE per.fail) AS failing
       FROM reports r JOIN regions g ON g.code = r.region_code AND g.province = $province LEFT JOIN per ON per.report_id = r.report_id
       WHERE r.scope = $scope AND r.year BETWEEN $from AND $to GROUP BY r.agency_id ORDER BY failing DESC, r.agency_id LIMIT 20`,
    ],
  },
];

/** The examples' default variables, as SQL parameters. */
const PARAMS: Record<string, Record<string, string | number>> = {
  '1-luoyang-counties-2023.graphql': { scope: 'agency', year: 2023, city: '410300' },
  '2-jianxi-2019-2024.graphql': { scope: 'agency', district: '410305', from: 2019, to: 2024 },
  '3-henan-most-reviews-2022.graphql': { scope: 'agency', year: 2022, province: '410000' },
  '4-normative-documents-by-district.graphql': { scope: 'agency', city: '410300', from: 2019, to: 2024 },
  '5-identity-failures.graphql': { scope: 'agency', province: '410000', from: 2019, to: 2024 },
  '6-luoyang-top-agencies-2023.graphql': { scope: 'agency', year: 2023, city: '410300' },
  '7-agency-2019-2024.graphql': { scope: 'agency', agency: '410000.dept.发展和改革委员会', from: 2019, to: 2024 },
  '8-two-departments-side-by-side.graphql': { scope: 'agency', a: '410305.dept.民政局', b: '410305.dept.自然资源局', from: 2019, to: 2024 },
  '9-agencies-failing-checks.graphql': { scope: 'agency', province: '410000', from: 2019, to: 2024 },
};

/** Variables and SQL parameters that replace an example's defaults (--vars). */
const VARS: Record<string, { graphql?: Record<string, unknown>; sql?: Record<string, string | number> }> = values.vars ? JSON.parse(readFileSync(values.vars, 'utf8')) : {};
const paramsOf = (file: string) => ({ ...PARAMS[file], ...VARS[file]?.sql });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => x.toFixed(1);

/** The API on a port; the rate limit is lifted (the clients are one address). */
async function serve(answerCacheEntries: number) {
  const t = performance.now();
  const api = await createApi({
    release: values.release!,
    limits: { rateLimit: { requests: 1e9, windowSeconds: 1 }, responseCache: { entries: answerCacheEntries, maxAnswerBytes: 256 * 1024 } },
    logErrors: true,
    threads: values.threads ? Number(values.threads) : undefined,
  });
  const startupMs = performance.now() - t;
  const server = createServer(api.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await api.close();
  };
  return { api, url, startupMs, stop };
}

const uncached = await serve(0);
const { api, startupMs } = uncached;
const sqlCon = await api.state.db.instance.connect();
// A plain DuckDB over the release's files, as a user without the API would query them.
for (const t of ['reports', 'regions', 'applications', 'proactive', 'review_litigation', 'checks']) {
  await sqlCon.run(`CREATE OR REPLACE TEMP VIEW ${t} AS SELECT * FROM read_parquet('${join(api.state.release.dir, `${t}.parquet`).replace(/'/g, "''")}')`);
}

const examples = readdirSync('docs/queries')
  .filter((f) => f.endsWith('.graphql'))
  .sort()
  .map((file) => ({ file, body: JSON.stringify({ query: readFileSync(join('docs/queries', file), 'utf8'), variables: VARS[file]?.graphql ?? {} }) }));

/** The HTTP client: a worker thread that sends one example, or keeps `concurrency` requests in flight. */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { bodies } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let url;
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
async function one(i) {
  const t = performance.now();
  const { status, text } = await post(bodies[i]);
  if (status !== 200 || text.startsWith('{"errors"')) throw new Error('HTTP ' + status + ': ' + text.slice(0, 300));
  return performance.now() - t;
}
parentPort.on('message', async (m) => {
  url = m.url;
  try {
    if (m.kind === 'one') return parentPort.postMessage({ ms: await one(m.i) });
    const latencies = [];
    const until = performance.now() + m.seconds * 1000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: m.concurrency }, async (_, c) => {
      for (let i = c; performance.now() < until; i++) latencies.push(await one(i % bodies.length));
    }));
    parentPort.postMessage({ latencies, seconds: (performance.now() - t0) / 1000 });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});`;

const client = new Worker(CLIENT, { eval: true, workerData: { bodies: examples.map((e) => e.body) } });
function ask<T>(message: object): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once('message', (m: T & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
    client.postMessage(message);
  });
}
let url = uncached.url;
const http = async (i: number) => (await ask<{ ms: number }>({ kind: 'one', i, url })).ms;
const throughput = async () => {
  const load = await ask<{ latencies: number[]; seconds: number }>({ kind: 'load', concurrency: CONCURRENCY, seconds: SECONDS, url });
  const n = load.latencies.length;
  return `${n} requests in ${load.seconds.toFixed(1)} s: **${(n / load.seconds).toFixed(0)} requests/s**; latency p50 ${ms(pct(load.latencies, 50))} ms, p99 ${ms(pct(load.latencies, 99))} ms`;
};

async function sql(statements: string[], params: Record<string, string | number>): Promise<number> {
  const t = performance.now();
  for (const s of statements) {
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`\\$${k}\\b`).test(s)));
    await runQuery(sqlCon, s, used);
  }
  return performance.now() - t;
}

const release = api.state.release;
console.log(`# API latency — ${release.counts.reports.toLocaleString('en')} reports (release ${release.version}), node ${process.version}\n`);
console.log(`startup ${(startupMs / 1000).toFixed(1)} s (views and summary tables ${(api.state.db.startupMs / 1000).toFixed(1)} s), RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`);

// Warm up every path.
for (const [i, e] of examples.entries()) {
  const eq = EQUIVALENTS.find((x) => x.file === e.file)!;
  for (let k = 0; k < 5; k++) {
    await http(i);
    await sql(eq.facts, paramsOf(e.file));
  }
  await sql(eq.parquet, paramsOf(e.file));
}

const times: Record<string, { http: number[]; sql: number[]; parquet: number[] }> = {};
for (let i = 0; i < ITERATIONS; i++) {
  for (const [k, e] of examples.entries()) {
    const eq = EQUIVALENTS.find((x) => x.file === e.file)!;
    const t = (times[e.file] ??= { http: [], sql: [], parquet: [] });
    t.http.push(await http(k));
    t.sql.push(await sql(eq.facts, paramsOf(e.file)));
    if (i < Math.max(10, ITERATIONS / 10)) t.parquet.push(await sql(eq.parquet, paramsOf(e.file)));
  }
}

console.log(`## Latency, ${ITERATIONS} runs each, one client, answer cache off (ms)\n`);
console.log('| example | HTTP p50 | HTTP p99 | SQL p50 | SQL p99 | ratio (p50) | SQL on Parquet p50 |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const e of examples) {
  const t = times[e.file];
  console.log(`| ${e.file.replace('.graphql', '')} | ${ms(pct(t.http, 50))} | ${ms(pct(t.http, 99))} | ${ms(pct(t.sql, 50))} | ${ms(pct(t.sql, 99))} | ${(pct(t.http, 50) / pct(t.sql, 50)).toFixed(2)} | ${ms(pct(t.parquet, 50))} |`);
}

console.log(`\n## Throughput, ${CONCURRENCY} concurrent clients, ${SECONDS} s, the examples in turn, answer cache off\n`);
console.log(await throughput());
sqlCon.closeSync();
await uncached.stop();

// The default server: answers kept in memory.
const cached = await serve(500);
url = cached.url;
for (const i of examples.keys()) await http(i);
const hits: Record<string, number[]> = {};
for (let i = 0; i < ITERATIONS; i++) for (const [k, e] of examples.entries()) (hits[e.file] ??= []).push(await http(k));
console.log(`\n## Answer cache on (the default): the same examples asked again, ${ITERATIONS} runs each (ms)\n`);
console.log('| example | HTTP p50 | HTTP p99 | ÷ SQL p50 above |');
console.log('|---|---:|---:|---:|');
for (const e of examples) console.log(`| ${e.file.replace('.graphql', '')} | ${ms(pct(hits[e.file], 50))} | ${ms(pct(hits[e.file], 99))} | ${(pct(hits[e.file], 50) / pct(times[e.file].sql, 50)).toFixed(2)} |`);
console.log(`\n${CONCURRENCY} concurrent clients, ${SECONDS} s: ${await throughput()}`);
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

await client.terminate();
await cached.stop();
