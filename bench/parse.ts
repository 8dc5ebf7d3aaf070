/**
 * Parser throughput on one core (this script is single-threaded) and peak memory.
 *
 *   npx tsx bench/parse.ts [--reports 5000] [--seconds 3] [--passes 5]
 *
 * Two workloads:
 * 1. the real fixtures in data/reports/real, each parsed in a loop for its share of --seconds;
 * 2. a batch of generated reports (the demo corpus config, 河南省 2019–2024, every input
 *    style), held in memory and parsed by style, --passes times over each style's reports.
 * This machine's speed drifts by ±30 % over seconds, so every figure is the median of
 * several timed passes, and the baseline's passes alternate with the parser's: a drift slows
 * both alike. Every reader is warmed up (compiled) before timing starts.
 * Everything runs in one worker thread with the heap limits of the build's parse workers
 * (pool.ts: workerResourceLimits), so that the figures are the parser's as a build runs it.
 * The baseline, measured in the same run on the same bytes, is the floor any parser pays:
 * decoding the bytes and one htmlparser2 pass with empty callbacks (HTML) or splitting the
 * lines (text). The ratio says how much the parser adds on top.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { Parser } from 'htmlparser2';
import { parseReport, parseReportAsync } from '../pipeline/parse/report.ts';
import { decode } from '../pipeline/read/decode.ts';
import { sniffFormat } from '../pipeline/read/formats.ts';
import { DEFAULT_FILE_LIMITS } from '../pipeline/model/limits.ts';
import { workerResourceLimits } from '../pipeline/release/pool.ts';
import { planCorpus, synthConfig, synthConfigFromJson } from '../pipeline/synth/index.ts';

if (isMainThread) {
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: { module: import.meta.url, args: process.argv.slice(2) },
    resourceLimits: workerResourceLimits(DEFAULT_FILE_LIMITS.heapMb),
  });
  const code = await new Promise<number>((resolve, reject) => worker.once('error', reject).once('exit', resolve));
  process.exit(code);
}

const { values } = parseArgs({
  args: (workerData as { args: string[] }).args,
  options: { reports: { type: 'string', default: '5000' }, seconds: { type: 'string', default: '3' }, passes: { type: 'string', default: '5' } },
});
const BATCH = Number(values.reports);
const SECONDS = Number(values.seconds);
const PASSES = Math.max(1, Number(values.passes));

interface Input {
  name: string;
  bytes: Uint8Array;
  group: string;
}

function baseline(input: Input): void {
  const text = decode(input.bytes).text;
  if (sniffFormat(input.bytes, input.name) === 'html') new Parser({ onopentag() {}, ontext() {}, onclosetag() {} }).end(text);
  else text.split('\n');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds per call: the median of PASSES slices of a loop that runs for `seconds`. */
function timeLoop(inputs: Input[], fn: (i: Input) => void, seconds: number): number {
  for (const i of inputs) fn(i); // warm up
  const perCall: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < (seconds * 1000) / PASSES) for (const i of inputs) (fn(i), n++);
    perCall.push((performance.now() - start) / n);
  }
  return median(perCall);
}

/** CPU milliseconds (user + system, this process) spent in the parser's timed passes. */
let parseCpuMs = 0;
/** The parser's timed passes (start, end), and the garbage collections (start, duration), in ms. */
const parseWindows: [number, number][] = [];
const collections: [number, number][] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push([e.startTime, e.duration]);
}).observe({ entryTypes: ['gc'] });

function timeOnce(inputs: Input[], fn: (i: Input) => void): number {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const i of inputs) fn(i);
  const ms = performance.now() - start;
  if (fn === parseFn) {
    parseWindows.push([start, start + ms]);
    const used = process.cpuUsage(cpu);
    parseCpuMs += (used.user + used.system) / 1000;
  }
  return ms;
}

/** Median milliseconds of a pass over `inputs`, for the parser and the baseline, passes alternating. */
function timePasses(inputs: Input[]): { ms: number; baseMs: number } {
  const ms: number[] = [];
  const baseMs: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    ms.push(timeOnce(inputs, parseFn));
    baseMs.push(timeOnce(inputs, baseline));
  }
  return { ms: median(ms), baseMs: median(baseMs) };
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const perSecond = (msPerCall: number) => Math.round(1000 / msPerCall);
const kb = (inputs: Input[]) => inputs.reduce((a, i) => a + i.bytes.length, 0) / inputs.length / 1024;

// 1. Real fixtures ------------------------------------------------------------------------------
const dir = 'data/reports/real';
const real: Input[] = readdirSync(dir)
  .filter((f) => !f.endsWith('.md'))
  .sort()
  .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))), group: 'real' }));
const parseFn = (i: Input) => void parseReport(i.bytes, i.name);

console.log(`# parse throughput, one core (node ${process.version})\n`);
// Warm up: compiled code for every path the fixtures take, before the first one is timed.
timeLoop(real, parseFn, SECONDS / 3);
timeLoop(real, baseline, SECONDS / 6);
console.log('## real fixtures (each in a loop, then all five round-robin)\n');
console.log('| file | KB | reports/s | baseline/s | parse ÷ baseline |');
console.log('|---|---:|---:|---:|---:|');
for (const input of real) {
  const p = timeLoop([input], parseFn, SECONDS / real.length);
  const b = timeLoop([input], baseline, SECONDS / real.length / 2);
  console.log(`| ${input.name} | ${(input.bytes.length / 1024).toFixed(1)} | ${perSecond(p)} | ${perSecond(b)} | ${(p / b).toFixed(1)} |`);
}
const all = timeLoop(real, parseFn, SECONDS);
console.log(`| **all five** | ${kb(real).toFixed(1)} avg | **${perSecond(all)}** | | |\n`);

// 2. A generated batch -------------------------------------------------------------------------
const config = synthConfigFromJson(JSON.parse(readFileSync('data/demo-corpus.json', 'utf8')));
const corpus = planCorpus(synthConfig({ ...config, limit: BATCH }));
const batch: Input[] = [];
for (const r of corpus.reports()) batch.push({ name: r.path, bytes: r.bytes, group: r.truth.style });
const rssBefore = process.memoryUsage().rss;

const groups = [...new Set(batch.map((i) => i.group))].sort().map((g) => ({ style: g, inputs: batch.filter((i) => i.group === g) }));
// Warm up every reader (compiled code for each style) before any timing.
for (const { inputs } of groups) for (const i of inputs.slice(0, 100)) parseFn(i);
console.log(`## generated batch: ${batch.length} reports (demo corpus config), median of ${PASSES} passes per style\n`);
console.log('| style | reports | KB avg | reports/s | baseline/s | parse ÷ baseline |');
console.log('|---|---:|---:|---:|---:|---:|');
let totalMs = 0;
let totalBase = 0;
for (const { style, inputs } of groups) {
  const { ms, baseMs } = timePasses(inputs);
  totalMs += ms;
  totalBase += baseMs;
  console.log(`| ${style} | ${inputs.length} | ${kb(inputs).toFixed(1)} | ${rate(inputs.length, ms)} | ${rate(inputs.length, baseMs)} | ${(ms / baseMs).toFixed(1)} |`);
}
const mb = batch.reduce((a, i) => a + i.bytes.length, 0) / 1e6;
console.log(`| **all** | ${batch.length} | ${kb(batch).toFixed(1)} | **${rate(batch.length, totalMs)}** | ${rate(batch.length, totalBase)} | ${(totalMs / totalBase).toFixed(1)} |\n`);
console.log(`input ${mb.toFixed(1)} MB at ${(mb / (totalMs / 1000)).toFixed(1)} MB/s`);
// On a shared machine wall time counts the minutes other processes held the core; CPU time
// (this process's, compiler and GC threads included) is what a parse costs on a free core.
console.log(`parser CPU time: ${rate(batch.length * PASSES, parseCpuMs)} reports per CPU second over the ${PASSES} passes`);
// The observer hears of collections after the synchronous passes: let it, then sum those inside them.
await new Promise((resolve) => setTimeout(resolve, 10));
const gcMs = collections.filter(([at]) => parseWindows.some(([a, b]) => at >= a && at < b)).reduce((sum, [, d]) => sum + d, 0);
const parseMs = parseWindows.reduce((sum, [a, b]) => sum + b - a, 0);
console.log(`garbage collection: ${((100 * gcMs) / parseMs).toFixed(1)} % of the parser's timed passes`);
const usage = process.resourceUsage();
console.log(`peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MB (the batch itself holds ${mb.toFixed(0)} MB of input; RSS before parsing ${(rssBefore / 1e6).toFixed(0)} MB)`);

// 3. Word and PDF ---------------------------------------------------------------------------------
async function timeAsync(input: Input, seconds: number): Promise<{ n: number; ms: number }> {
  await parseReportAsync(input.bytes, input.name);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    await parseReportAsync(input.bytes, input.name);
    n++;
  }
  return { n, ms: performance.now() - start };
}

const office = 'tests/fixtures/office';
const PAGES: Record<string, number> = { 'city-2025-full': 7, 'city-2025-long': 3, 'city-2025': 3, 'shanghai-2019': 3 };
console.log('\n## Word and PDF fixtures (LibreOffice-made), one core\n');
console.log('| file | pages | KB | reports/s |');
console.log('|---|---:|---:|---:|');
for (const ext of ['docx', 'pdf']) {
  for (const base of Object.keys(PAGES)) {
    const name = `${base}.${ext}`;
    const input: Input = { name, bytes: new Uint8Array(readFileSync(join(office, name))), group: ext };
    const r = await timeAsync(input, SECONDS / 2);
    console.log(`| ${name} | ${PAGES[base]} | ${(input.bytes.length / 1024).toFixed(0)} | ${rate(r.n, r.ms)} |`);
  }
}
