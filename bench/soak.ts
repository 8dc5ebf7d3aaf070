/**
 * The server under mixed load for a long while, with a release published midway.
 *
 *   npx tsx bench/soak.ts [--minutes 10] [--release .cache/test-demo/releases/latest]
 *                         [--corpus .cache/test-demo/corpus] [--cache .cache/test-demo/parse]
 *
 * Setup: a releases folder with three versions of --release (symlinked files, only release.json
 * differs) and `latest` at the newest; `gongkai serve` on it in a process of its own (its RSS is
 * the server's alone), --trust-proxy 1, the clients spread over 4,096 addresses (so the
 * per-client rate limit, 300 a minute, is not what is measured).
 *
 * First a baseline minute of cached GETs alone (the machine's own noise, measured in the same run),
 * then the mixed load, all through HTTP with keep-alive, for --minutes, each class of clients in a
 * worker thread of its own:
 * - cached GETs: 6 clients, each a GET of one of the examples and small queries (answered from
 *   the server's answer cache after the first time) or a latest chart (its chart cache), ~20 ms apart;
 * - heavy comparisons: 3 clients back to back, 5,000-group comparisons (0.8 MB answers on the
 *   demo release, never cached: over the answer cache's bound), each under an alias of its own;
 * - light uncached comparisons: 2 clients, a county and year not asked before, ~100 ms apart;
 * - pinned charts: 2 clients, SVGs of the two older versions at a width not asked before
 *   (rendered each time), ~200 ms apart.
 * Midway a new release is published into the folder by a real `gongkai build` of --corpus and the
 * real reports (nice 10, parse cache --cache), and a probe asks `{ release { version } }` every
 * second until the server answers with it. The server's RSS is read from /proc every 5 s.
 *
 * Prints a Markdown report: status counts (5xx by status), latency percentiles by class (cached GETs
 * alone and under the mixed load), RSS (median and largest sample) and the machine's load average
 * by minute, the RSS spread after warm-up (the baseline minute and the first fifth of the mixed
 * load) of the minute medians and of single samples, and when the new release was served.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    release: { type: 'string', default: '.cache/test-demo/releases/latest' },
    corpus: { type: 'string', default: '.cache/test-demo/corpus' },
    cache: { type: 'string', default: '.cache/test-demo/parse' },
  },
});
const DURATION_MS = Number(values.minutes) * 60_000;
const source = realpathSync(values.release!);

// Releases: three versions of the source release, latest at the newest.
const dir = mkdtempSync(join(tmpdir(), 'gongkai-soak-'));
const OLD = ['2025-01-01.1', '2025-02-01.1'];
const CURRENT = '2025-03-01.1';
const meta = JSON.parse(readFileSync(join(source, 'release.json'), 'utf8'));
for (const version of [...OLD, CURRENT]) {
  mkdirSync(join(dir, version));
  for (const name of readdirSync(source)) if (name !== 'release.json') symlinkSync(join(source, name), join(dir, version, name));
  writeFileSync(join(dir, version, 'release.json'), JSON.stringify({ ...meta, version }));
}
symlinkSync(CURRENT, join(dir, '.latest-tmp'));
renameSync(join(dir, '.latest-tmp'), join(dir, 'latest'));

// The server, as `gongkai serve` runs it.
const server = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts', '--release', join(dir, 'latest'), '--port', '0', '--trust-proxy', '1', '--watch-seconds', '2'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, NODE_ENV: 'production' },
});
let serverLog = '';
server.stderr.on('data', (d: Buffer) => (serverLog += d.toString()));
const base = await new Promise<URL>((resolve, reject) => {
  const timer = setInterval(() => {
    const m = /GraphQL \+ GraphiQL\s+(http:\/\/\S+)\/graphql/.exec(serverLog);
    if (m) {
      clearInterval(timer);
      resolve(new URL(m[1]));
    }
  }, 100);
  server.on('exit', () => reject(new Error(`the server exited: ${serverLog}`)));
});

// The clients: one worker thread per class, so that reading one class's large answers does not
// delay another's timings. Each sends requests made from its templates — {n} is the request's
// number, {name} the n-th value of vars[name] (cycled) — and reads each answer to the end.
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, templates, vars, clients, pauseMs, from, until } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let seq = 0;
const fill = (text, n) => text.replace(/\\{(\\w+)\\}/g, (_, k) => (k === 'n' ? String(n) : String(vars[k][n % vars[k].length])));
function send(n) {
  const t = templates[n % templates.length];
  const body = t.body === undefined ? undefined : fill(t.body, n);
  const address = '10.' + ((n >> 16) & 255) + '.' + ((n >> 8) & 15) + '.' + (n & 255);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(base + fill(t.path, n), { method: t.method, agent, headers: Object.assign({ 'x-forwarded-for': address, accept: 'application/json' }, body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) }, (res) => {
      let bytes = 0;
      let head = '';
      res.on('data', (c) => {
        bytes += c.length;
        if (res.statusCode >= 400 && head.length < 400) head += c.toString('utf8', 0, 400);
      });
      // A refusal's code (TIMEOUT, OVERLOADED…), from its body or, for a chart, its words.
      res.on('end', () => resolve([res.statusCode, performance.now() - started, bytes, Date.now(), res.statusCode >= 400 ? ((/"code":"(\\w+)"/.exec(head) || [])[1] || (/took longer/.test(head) ? 'TIMEOUT' : /is busy/.test(head) ? 'OVERLOADED' : head.slice(0, 60))) : '']));
    });
    req.on('error', (e) => resolve([0, performance.now() - started, 0, Date.now(), String(e.code || e.message)]));
    req.end(body);
  });
}
const answers = [];
Promise.all(Array.from({ length: clients }, async (_, c) => {
  await new Promise((r) => setTimeout(r, Math.max(0, from - Date.now()) + c * 37));
  while (Date.now() < until) {
    answers.push(await send(seq++ * clients + c));
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
})).then(() => parentPort.postMessage(answers));
`;

/** What a client saw of one request: status, ms, bytes, when it ended, and a refusal's code. */
type Answer = [number, number, number, number, string];

interface Template {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}
interface ClientClass {
  name: string;
  clients: number;
  pauseMs: number;
  templates: Template[];
  vars?: Record<string, (string | number)[]>;
}
const post = (query: string): Template => ({ method: 'POST', path: '/graphql', body: JSON.stringify({ query }) });
const examples = readdirSync('docs/queries')
  .filter((f) => f.endsWith('.graphql'))
  .map((f) => readFileSync(join('docs/queries', f), 'utf8'));
const counties = ['410302', '410303', '410304', '410305', '410307', '410308', '410311', '410323', '410324', '410325', '410326', '410327', '410328', '410329'];
const CLASSES: ClientClass[] = [
  {
    name: 'cached GET',
    clients: 6,
    pauseMs: 20,
    templates: [
      ...examples.map((q): Template => ({ method: 'GET', path: `/graphql?query=${encodeURIComponent(q)}` })),
      { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ release { version counts { reports } } }')}` },
      { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ regions(level: CITY, parent: "410000") { edges { node { code name } } } }')}` },
      { method: 'GET', path: '/charts/outcomes.svg?region=410300&year=2023' },
      { method: 'GET', path: '/charts/trend.svg?region=410305' },
    ],
  },
  {
    name: 'heavy comparison',
    clients: 3,
    pauseMs: 0,
    templates: [post('{ heavy{n}: applicationComparison(groupBy: [REGION, YEAR, APPLICANT_TYPE], limit: 5000) { groups { region { code name } year applicantType { code } newReceived grantedShare notHeldShare } } }')],
  },
  {
    name: 'light comparison',
    clients: 2,
    pauseMs: 100,
    templates: [post('{ c{n}: applicationComparison(filter: { region: "{county}", year: {year} }, groupBy: [AGENCY_KIND]) { groups { agencyKind reports newReceived grantedShare } } }')],
    vars: { county: counties, year: [2019, 2020, 2021, 2022, 2023, 2024, 2021] },
  },
  {
    name: 'pinned chart',
    clients: 2,
    pauseMs: 200,
    templates: [{ method: 'GET', path: '/v/{old}/charts/trend.svg?region={county}&width={width}' }],
    vars: { old: OLD, county: counties, width: Array.from({ length: 1361 }, (_, i) => 240 + i) },
  },
];

// A baseline minute of cached GETs alone, then the mixed load for --minutes.
const BASELINE_MS = 60_000;
const started = Date.now();
const mixedFrom = started + BASELINE_MS;
const END = mixedFrom + DURATION_MS;
const running = () => Date.now() < END;
const workers = CLASSES.map(
  (k) =>
    new Promise<{ name: string; answers: Answer[] }>((resolve, reject) => {
      const w = new Worker(CLIENT, {
        eval: true,
        workerData: { base: base.origin, templates: k.templates, vars: k.vars ?? {}, clients: k.clients, pauseMs: k.pauseMs, from: k.name === 'cached GET' ? started : mixedFrom, until: END },
      });
      w.once('message', (answers) => resolve({ name: k.name, answers }));
      w.once('error', reject);
    }),
);

/** The probe's one question, on the main thread (rarely: once a second while waiting). */
function ask(query: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query });
  return new Promise((resolve) => {
    const req = request(`${base.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': '10.255.0.1' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// RSS of the server process.
interface Sample {
  at: number;
  mb: number;
  load: number;
}
const rss: Sample[] = [];
const rssOf = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
const sampler = setInterval(() => rss.push({ at: Date.now() - started, mb: rssOf(), load: loadavg()[0] }), 5000);

// Midway: a real build publishes a new release into the folder; a probe waits for it to be served.
interface Published {
  version: string;
  builtMs: number;
  at: number;
  servedAfterMs: number | null;
  via: string;
}
let published = null as Published | null;
const publishing = (async () => {
  await pause(BASELINE_MS + DURATION_MS / 2);
  const t = Date.now();
  let version: string;
  let via: string;
  if (existsSync(values.corpus!)) {
    // Asynchronously: the clients of this process keep running while it builds.
    const builder = spawn('nice', ['-n', '10', process.execPath, '--import', 'tsx', 'pipeline/cli.ts', 'build', values.corpus!, 'data/reports/real', '--out', dir, '--cache', values.cache!], {
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((r) => builder.on('exit', r));
    if (code !== 0) throw new Error(`the build exited with ${code}`);
    version = readdirSync(dir).filter((n) => /^\d{4}-\d{2}-\d{2}\.\d+$/.test(n) && !n.startsWith('2025-')).sort().at(-1)!;
    via = `gongkai build ${values.corpus} data/reports/real --out … --cache ${values.cache} (nice 10)`;
  } else {
    version = '2025-04-01.1';
    mkdirSync(join(dir, version));
    for (const name of readdirSync(source)) if (name !== 'release.json') symlinkSync(join(source, name), join(dir, version, name));
    writeFileSync(join(dir, version, 'release.json'), JSON.stringify({ ...meta, version }));
    symlinkSync(version, join(dir, '.latest-tmp'));
    renameSync(join(dir, '.latest-tmp'), join(dir, 'latest'));
    via = 'a new version folder and latest moved to it (no corpus to build)';
  }
  const at = Date.now();
  published = { version, builtMs: at - t, at: at - started, servedAfterMs: null, via };
  while (running()) {
    const a = await ask('{ release { version } }');
    if (a.status === 200 && a.body.includes(version)) {
      published.servedAfterMs = Date.now() - at;
      break;
    }
    await pause(1000);
  }
})();

const results = await Promise.all(workers);
await publishing;
clearInterval(sampler);
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));

// Report.
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '—');
console.log(`# soak: ${values.minutes} min of mixed load after a baseline minute (node ${process.version}, ${availableParallelism()} cores; server: gongkai serve, one process)\n`);
console.log('| class | requests | 2xx | 4xx | 5xx | p50 ms | p95 ms | p99 ms | max ms | MB answered |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
const statuses = new Map<number, number>();
const row = (name: string, answers: Answer[]) => {
  const ms = answers.map(([, t]) => t);
  const n = (lo: number, hi: number) => answers.filter(([status]) => status >= lo && status < hi).length;
  const mb = answers.reduce((sum, [, , bytes]) => sum + bytes, 0) / 1e6;
  console.log(`| ${name} | ${answers.length} | ${n(200, 300)} | ${n(400, 500)} | ${n(500, 600)} | ${fmt(pct(ms, 50))} | ${fmt(pct(ms, 95))} | ${fmt(pct(ms, 99))} | ${fmt(Math.max(...ms))} | ${fmt(mb)} |`);
};
for (const k of results) {
  for (const [status] of k.answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (k.name === 'cached GET') {
    row('cached GET, baseline minute (alone)', k.answers.filter(([, , , at]) => at < mixedFrom));
    row('cached GET, under the mixed load', k.answers.filter(([, , , at]) => at >= mixedFrom));
  } else row(k.name, k.answers);
}
console.log(`\nstatus counts: ${[...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? 'connection error' : s}: ${n}`).join(', ')}`);
const fivexx = [...statuses].filter(([s]) => s >= 500);
console.log(`5xx by status: ${fivexx.length ? fivexx.map(([s, n]) => `${s}: ${n}`).join(', ') : 'none'}`);
const refusals = new Map<string, number>();
for (const k of results) for (const [status, , , , why] of k.answers) if (status >= 400 || status === 0) refusals.set(`${k.name} ${status} ${why}`, (refusals.get(`${k.name} ${status} ${why}`) ?? 0) + 1);
if (refusals.size) console.log(`not answered 2xx, by class, status and code: ${[...refusals].map(([k, n]) => `${k}: ${n}`).join('; ')}`);

const minutes = Math.ceil((END - started) / 60_000);
const byMinute = (pick: (r: Sample) => number, of: (xs: number[]) => number) =>
  Array.from({ length: minutes }, (_, m) => {
    const xs = rss.filter((r) => r.at >= m * 60_000 && r.at < (m + 1) * 60_000).map(pick);
    return xs.length ? fmt(of(xs)) : '—';
  }).join(', ');
console.log(`\nserver RSS (MB), median of each minute's samples: ${byMinute((r) => r.mb, (xs) => pct(xs, 50))}`);
console.log(`server RSS (MB), largest sample of each minute: ${byMinute((r) => r.mb, (xs) => Math.max(...xs))}`);
console.log(`machine load average (1 min), by minute: ${byMinute((r) => r.load, (xs) => xs.reduce((a, b) => a + b, 0) / xs.length)}`);
// After warm-up: the baseline minute and the first fifth of the mixed load.
const warmFrom = BASELINE_MS + DURATION_MS / 5;
const warm = rss.filter((r) => r.at >= warmFrom);
const minuteMedians = Array.from({ length: minutes }, (_, m) => warm.filter((r) => r.at >= m * 60_000 && r.at < (m + 1) * 60_000).map((r) => r.mb))
  .filter((xs) => xs.length)
  .map((xs) => pct(xs, 50));
const level = pct(minuteMedians, 50);
const spread = (xs: number[]) => `${fmt(((Math.min(...xs) - level) / level) * 100)} % / +${fmt(((Math.max(...xs) - level) / level) * 100)} %`;
console.log(
  `after warm-up: minute medians ${fmt(Math.min(...minuteMedians))}–${fmt(Math.max(...minuteMedians))} MB, ${spread(minuteMedians)} of their median (${fmt(level)} MB); ` +
    `single samples ${fmt(Math.min(...warm.map((r) => r.mb)))}–${fmt(Math.max(...warm.map((r) => r.mb)))} MB, ${spread(warm.map((r) => r.mb))}`,
);
const p = published;
console.log(
  p
    ? `\nnew release ${p.version} published at ${fmt(p.at / 1000)} s (${p.via}, ${fmt(p.builtMs / 1000)} s), ${p.servedAfterMs === null ? 'NOT served before the end' : `served ${fmt(p.servedAfterMs / 1000)} s later`}`
    : '\nno release published',
);
rmSync(dir, { recursive: true, force: true });
