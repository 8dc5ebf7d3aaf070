/**
 * Scanned reports read by OCR: each engine on the same generated scans — cells exact, missed and
 * wrong against the truth, broken rules caught, seconds per page and peak memory — and the
 * release build on them (pages/s, reports/s, peak memory), every figure from this run.
 *
 *   npx tsx bench/ocr.ts --corpus DIR [--engines paddle,tesseract] [--skip N] [--limit N] [--minutes M] [--threads 2] [--build] [--json bench/out/ocr.json]
 *   npx tsx bench/ocr.ts --reports 20       # generates the scans first (synth --styles scan), then the same
 *
 * The corpus is one `synth --styles scan` wrote (its truth/ folder beside the PDFs). Each engine
 * runs in a child process of its own, so that its peak memory (max RSS) is its own; reports are
 * parsed one after another with the engine on `--threads` CPU threads. `--build` adds a release
 * build of the same reports on every core (OCR in the worker pool, no cache). Prints a table and
 * writes its figures to --json. Wall times swing with the machine's load; CPU seconds per page
 * (the process, its threads and the programs it runs) much less. `--minutes`: an engine takes no
 * further report once it has run that long (its figures cover the reports it read).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseReportAsync } from '../pipeline/parse/report.ts';
import { ENGINES, ocrEngine, type OcrEngineName } from '../pipeline/read/ocr.ts';
import { build } from '../pipeline/release/build.ts';
import { runSynth, type SynthTruth } from '../pipeline/synth/index.ts';
import { addToTally, emptyTally, scoreReport, type Tally } from './fidelity-score.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    reports: { type: 'string', default: '20' },
    engines: { type: 'string', default: Object.keys(ENGINES).join(',') },
    limit: { type: 'string' },
    skip: { type: 'string', default: '0' },
    minutes: { type: 'string' },
    threads: { type: 'string', default: '2' },
    build: { type: 'boolean', default: false },
    seed: { type: 'string', default: '11' },
    json: { type: 'string', default: 'bench/out/ocr.json' },
    // Internal: run one engine (or the build) in this process and write its figures to --out.
    child: { type: 'string' },
    out: { type: 'string' },
  },
});

interface Figures {
  name: string;
  reports: number;
  pages: number;
  seconds: number;
  /** CPU seconds of this process, its threads and the programs it ran (user + system): less swayed by a loaded machine than the wall time. */
  cpuSeconds: number;
  maxRssMb: number;
  tally: Tally;
  /** Cells read wrong: what was read, what is printed. */
  wrong: { path: string; cell: string; got: number | null; want: number | null }[];
}

const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));

/** The corpus's scans in path order: `limit` of them after the first `skip` (slices of one corpus, run apart, add up). */
function truths(corpus: string, limit?: number): { path: string; truth: SynthTruth }[] {
  const skip = Number(values.skip);
  const dir = join(corpus, 'truth');
  const all = walk(dir)
    .sort()
    .map((f) => ({ path: relative(dir, f).replace(/\.json$/, ''), truth: JSON.parse(readFileSync(f, 'utf8')) as SynthTruth }))
    .filter((t) => t.truth.style === 'scan');
  return all.slice(skip, limit ? skip + limit : undefined);
}

const expected = (t: SynthTruth) => ({ agency: t.agency, year: t.year, layout: t.layout, tables: t.tables, template: true, unreadable: t.unreadable, broken: t.broken });
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU seconds of the processes this one waited for (Tesseract runs as one per page): Linux's /proc, 0 elsewhere. */
function childCpu(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime, fields 16 and 17 of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}
const cpuNow = () => {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + childCpu();
};

/** One engine over the corpus, in this process. */
async function runEngine(name: OcrEngineName, corpus: string, limit: number | undefined, threads: number): Promise<Figures> {
  const engine = ocrEngine(name, threads);
  const loaded = await engine();
  if (typeof loaded === 'string') throw new Error(`${name}: ${loaded}`);
  const figures: Figures = { name, reports: 0, pages: 0, seconds: 0, cpuSeconds: 0, maxRssMb: 0, tally: emptyTally(), wrong: [] };
  const started = performance.now();
  const cpu = cpuNow();
  const budget = values.minutes ? Number(values.minutes) * 60_000 : Infinity;
  for (const { path, truth } of truths(corpus, limit)) {
    if (performance.now() - started > budget) break;
    const outcome = await parseReportAsync(readFileSync(join(corpus, path)), path, { ocr: { engine, maxPages: 100, onPage: () => figures.pages++ } });
    const score = scoreReport(outcome, expected(truth));
    addToTally(figures.tally, score, truth.quirks, Boolean(truth.broken));
    for (const w of score.wrong) figures.wrong.push({ path, ...w });
    figures.reports++;
    process.stderr.write(`${name}: ${figures.reports} reports, ${figures.pages} pages, ${((performance.now() - started) / 1000).toFixed(0)} s\r`);
  }
  process.stderr.write('\n');
  figures.seconds = (performance.now() - started) / 1000;
  figures.cpuSeconds = cpuNow() - cpu;
  figures.maxRssMb = maxRssMb();
  return figures;
}

/** A release build of the reports on every core, in this process (its workers' memory counts). */
async function runBuild(corpus: string, limit: number | undefined): Promise<Figures> {
  const out = mkdtempSync(join(tmpdir(), 'gongkai-ocr-build-'));
  // The same reports the engines read: with a limit, copies of the first ones in a folder of their own.
  const inputs = limit ? mkdtempSync(join(tmpdir(), 'gongkai-ocr-inputs-')) : corpus;
  if (limit) for (const { path } of truths(corpus, limit)) cpSync(join(corpus, path), join(inputs, path));
  try {
    const figures: Figures = { name: 'build (paddle, all cores)', reports: 0, pages: 0, seconds: 0, cpuSeconds: 0, maxRssMb: 0, tally: emptyTally(), wrong: [] };
    const started = performance.now();
    const cpu = cpuNow();
    const summary = await build({ inputs: [inputs], out, cacheDir: null, onOcrPages: (p) => (figures.pages = p) });
    figures.seconds = (performance.now() - started) / 1000;
    figures.reports = summary.reports;
    figures.cpuSeconds = cpuNow() - cpu;
    figures.maxRssMb = maxRssMb();
    return figures;
  } finally {
    rmSync(out, { recursive: true, force: true });
    if (limit) rmSync(inputs, { recursive: true, force: true });
  }
}

if (values.child) {
  const corpus = values.corpus!;
  const limit = values.limit ? Number(values.limit) : undefined;
  const figures = values.child === 'build' ? await runBuild(corpus, limit) : await runEngine(values.child as OcrEngineName, corpus, limit, Number(values.threads));
  writeFileSync(values.out!, JSON.stringify(figures));
  process.exit(0);
}

let corpus = values.corpus;
let generated: string | null = null;
if (!corpus) {
  generated = corpus = mkdtempSync(join(tmpdir(), 'gongkai-ocr-corpus-'));
  process.stderr.write(`generating ${values.reports} scanned reports in ${corpus}\n`);
  await runSynth({ out: corpus, provinces: ['41'], years: [2019, 2024], seed: Number(values.seed), styles: ['scan'], limit: Number(values.reports) });
}

const children = [...values.engines!.split(',').map((e) => e.trim()).filter(Boolean), ...(values.build ? ['build'] : [])];
const results: Figures[] = [];
const notes: string[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'gongkai-ocr-bench-'));
try {
  for (const child of children) {
    if (child !== 'build' && !(child in ENGINES)) throw new Error(`bench/ocr: unknown engine "${child}" (${Object.keys(ENGINES).join(', ')})`);
    const out = join(scratch, `${child}.json`);
    try {
      execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--child', child, '--corpus', corpus, '--out', out, '--threads', values.threads!, '--skip', values.skip!, ...(values.limit ? ['--limit', values.limit] : []), ...(values.minutes ? ['--minutes', values.minutes] : [])], { stdio: ['ignore', 'inherit', 'inherit'] });
      results.push(JSON.parse(readFileSync(out, 'utf8')) as Figures);
    } catch (err) {
      notes.push(`${child}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  if (generated) rmSync(generated, { recursive: true, force: true });
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(2)}%` : '–');
const header = ['run', 'reports', 'pages', 'cells', 'exact', 'missed', 'WRONG', 'broken caught', 'false alarms', 's/page', 'CPU s/page', 'pages/s', 'reports/s', 'peak RSS'];
const rows = results.map((r) => {
  const t = r.tally;
  const scored = r.name.startsWith('build');
  return [
    r.name,
    String(r.reports),
    String(r.pages),
    scored ? '–' : String(t.cells.total),
    scored ? '–' : pct(t.cells.exact, t.cells.total),
    scored ? '–' : pct(t.cells.missed, t.cells.total),
    scored ? '–' : `${t.cells.wrong}`,
    scored ? '–' : `${t.brokenReports - t.brokenMissedReports}/${t.brokenReports}`,
    scored ? '–' : `${t.falseAlarms} (${t.falseAlarmReports})`,
    r.pages ? (r.seconds / r.pages).toFixed(2) : '–',
    r.pages ? (r.cpuSeconds / r.pages).toFixed(2) : '–',
    (r.pages / r.seconds).toFixed(3),
    (r.reports / r.seconds).toFixed(3),
    `${r.maxRssMb} MB`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((l) => l[i].length)));
const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(fmt(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(fmt(r));
for (const r of results) for (const w of r.wrong.slice(0, 15)) console.log(`  ${r.name} wrong: ${w.path} ${w.cell} = ${w.got} (printed ${w.want})`);
for (const n of notes) console.log(`note: ${n}`);
mkdirSync(dirname(values.json!), { recursive: true });
writeFileSync(values.json!, JSON.stringify({ command: `npx tsx bench/ocr.ts ${process.argv.slice(2).join(' ')}`.trim(), date: new Date().toISOString(), results, notes }, null, 2) + '\n');
console.log(`wrote ${values.json}`);
