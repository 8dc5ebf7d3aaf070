/**
 * Fidelity of the parser: how many cells it reads exactly, misses, or — worst — gets wrong,
 * per rendering style, on generated reports with exact ground truth, and on every real
 * fixture with an expected record.
 *
 *   npx tsx bench/fidelity.ts [--reports 250] [--styles a,b] [--seed 1] [--variants clean,damaged]
 *                             [--office-reports 30] [--real-dir ../shared/fixtures/real] [--ocr paddle]
 *
 * Each style is generated twice from the same reports: `clean` (no page chrome or heading
 * damage: for the new styles only the conversion's own damage) and `damaged` (every report
 * with chrome and heading damage, --damage 1). Reports are generated in memory and taken every
 * fifth of the corpus (河南省 2019–2024), so that they spread over many agencies; styles made by
 * a conversion tool (docx, pdf and the printed pdf-lo-* through LibreOffice, pdf-chromium
 * through Chromium, scans through LibreOffice, poppler, ImageMagick and img2pdf) are written to
 * a temporary folder, fewer of them, and skipped with a note when a tool is missing. Every file
 * goes through parseReportAsync, the entry PDFs need too; scans are read by OCR (--ocr, default
 * paddle).
 *
 * Real fixtures: data/reports/real/<file> against tests/fixtures/real/<file>.expected.json (the
 * reviewed golden record), and against a hand-read <file>.truth.json where there is one, in
 * tests/fixtures/real or in --real-dir (cells a truth leaves out are doubtful: null is exact
 * there, a number is listed as unverified).
 *
 * Prints a table and writes bench/out/fidelity.json. Exit status 0 unless it crashes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseOutcome, ReportRecord } from '../pipeline/model/record.ts';
import { parseReportAsync } from '../pipeline/parse/report.ts';
import { findChromium } from '../pipeline/synth/chromium.ts';
import { DEFAULT_ENGINE, DEFAULT_MAX_OCR_PAGES, ocrEngine, type OcrEngineName, type OcrOptions } from '../pipeline/read/ocr.ts';
import { ALL_STYLES, planCorpus, runSynth, STYLE_DEFS, synthConfig, type SynthReport, type SynthStyle, type SynthTruth } from '../pipeline/synth/index.ts';
import { addToTally, emptyTally, scoreReport, worstQuirks, type Expected, type ReportScore, type Tally } from './fidelity-score.ts';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '250' },
    styles: { type: 'string' },
    seed: { type: 'string', default: '1' },
    variants: { type: 'string', default: 'clean,damaged' },
    'office-reports': { type: 'string', default: '30' },
    'real-dir': { type: 'string', default: join('..', 'shared', 'fixtures', 'real') },
    ocr: { type: 'string', default: DEFAULT_ENGINE },
  },
});
const REPORTS = Number(values.reports);
const OFFICE_REPORTS = Number(values['office-reports']);
const SEED = Number(values.seed);
const STRIDE = 5;
const VARIANTS = values.variants!.split(',').map((v) => v.trim()) as ('clean' | 'damaged')[];
const styles = (values.styles ? values.styles.split(',').map((s) => s.trim()) : [...ALL_STYLES]) as SynthStyle[];
for (const s of styles) if (!(s in STYLE_DEFS)) throw new Error(`bench/fidelity: unknown style "${s}" (known: ${ALL_STYLES.join(', ')})`);
for (const v of VARIANTS) if (v !== 'clean' && v !== 'damaged') throw new Error(`bench/fidelity: unknown variant "${v}" (clean, damaged)`);

const notes: string[] = [];
const started = performance.now();

function expectedOf(truth: SynthTruth): Expected {
  return { agency: truth.agency, year: truth.year, layout: truth.layout, tables: truth.tables, template: true, unreadable: truth.unreadable, broken: truth.broken };
}

interface RowResult {
  name: string;
  style: SynthStyle;
  variant: string;
  tally: Tally;
  ms: number;
  /** A few bad cells and reports to look at. */
  examples: {
    wrong: { path: string; cell: string; got: number | null; want: number | null }[];
    missed: { path: string; cells: number; first: string }[];
    errors: string[];
    falseAlarms: string[];
    /** Reports whose agency, year or layout is not the one printed, with what was read. */
    identity: string[];
    brokenMissed: string[];
  };
}

function newRow(name: string, style: SynthStyle, variant: string): RowResult {
  return { name, style, variant, tally: emptyTally(), ms: 0, examples: { wrong: [], missed: [], errors: [], falseAlarms: [], identity: [], brokenMissed: [] } };
}

function record(row: RowResult, path: string, outcome: ParseOutcome, score: ReportScore, truth: { quirks?: string[]; broken?: unknown }): void {
  addToTally(row.tally, score, truth.quirks ?? [], Boolean(truth.broken));
  const ex = row.examples;
  for (const w of score.wrong) if (ex.wrong.length < 25) ex.wrong.push({ path, ...w });
  if (score.missed.length && ex.missed.length < 10) ex.missed.push({ path, cells: score.missed.length, first: score.missed[0] });
  if (score.error && ex.errors.length < 10) ex.errors.push(`${path}: ${'error' in outcome ? outcome.error.message : ''}`);
  for (const a of score.falseAlarms) if (ex.falseAlarms.length < 10) ex.falseAlarms.push(`${path} ${a}`);
  for (const b of score.brokenMissed) if (ex.brokenMissed.length < 10) ex.brokenMissed.push(`${path} ${b}`);
  if ((score.agency === false || score.year === false || score.layout === false) && ex.identity.length < 10 && !('error' in outcome)) {
    ex.identity.push(`${path}: agency ${JSON.stringify(outcome.agency)}, year ${outcome.year}, layout ${outcome.layout} (title ${JSON.stringify(outcome.title)})`);
  }
}

/** Every STRIDE-th report of the corpus in one style, up to `count`. */
function* sample(style: SynthStyle, damage: number, count: number): Generator<SynthReport> {
  const corpus = planCorpus(synthConfig({ provinces: ['41'], years: [2019, 2024], seed: SEED, brokenShare: 0.05, styles: [style], damage }));
  let i = 0;
  let kept = 0;
  for (const report of corpus.reports()) {
    if (i++ % STRIDE !== 0) continue;
    yield report;
    if (++kept >= count) return;
  }
}

const hasSoffice = () => spawnSync('soffice', ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
/** The tool a converted style needs, if it is missing. */
const missingTool = (kind: string): string | null => (kind === 'chromium-pdf' ? (findChromium() ? null : 'Chromium') : hasSoffice() ? null : 'LibreOffice (soffice)');
const hasTool = (tool: string, flag: string) => spawnSync(tool, [flag], { stdio: 'ignore', timeout: 30_000 }).status === 0;

/** Scans are read by OCR, with the engine --ocr names. */
const ocr: OcrOptions = { engine: ocrEngine(values.ocr as OcrEngineName, availableParallelism()), maxPages: DEFAULT_MAX_OCR_PAGES };

/** Styles made by a conversion tool: generated to disk by the writer, read back, removed. */
async function officeRow(row: RowResult, count: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-fidelity-'));
  try {
    await runSynth({ out: dir, provinces: ['41'], years: [2019, 2024], seed: SEED, styles: [row.style], limit: count });
    const truthDir = join(dir, 'truth');
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const truthFile of walk(truthDir).sort()) {
      const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as SynthTruth;
      const path = relative(truthDir, truthFile).replace(/\.json$/, '');
      const outcome = await parseReportAsync(readFileSync(join(dir, path)), path, { ocr });
      record(row, path, outcome, scoreReport(outcome, expectedOf(truth)), truth);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: RowResult[] = [];
for (const style of styles) {
  const def = STYLE_DEFS[style];
  for (const variant of VARIANTS) {
    if (variant === 'damaged' && !def.damage) continue;
    const row = newRow(variant === 'clean' ? style : `${style} +damage`, style, variant);
    const t0 = performance.now();
    if (def.convert) {
      const tool = missingTool(def.convert);
      if (tool) {
        notes.push(`${style}: skipped, ${tool} is not on the PATH`);
        continue;
      }
      if (style === 'scan') {
        const missing = [['pdftoppm', '-v'], ['convert', '-version'], ['img2pdf', '--version']].filter(([tool, flag]) => !hasTool(tool, flag)).map(([tool]) => tool);
        const engine = await ocr.engine();
        if (missing.length || typeof engine === 'string') {
          notes.push(`scan: skipped, ${missing.length ? `${missing.join(', ')} not on the PATH` : engine}`);
          continue;
        }
      }
      await officeRow(row, OFFICE_REPORTS);
    } else {
      for (const report of sample(style, variant === 'damaged' ? 1 : 0, REPORTS)) {
        const outcome = await parseReportAsync(report.bytes, report.path);
        record(row, report.path, outcome, scoreReport(outcome, expectedOf(report.truth)), report.truth);
      }
    }
    row.ms = Math.round(performance.now() - t0);
    rows.push(row);
    process.stderr.write(`${row.name}: ${row.tally.reports} reports, ${(row.ms / 1000).toFixed(1)} s\n`);
  }
}

// Real fixtures.
interface RealResult {
  name: string;
  expectedFrom: string;
  score: ReportScore;
}
const real: RealResult[] = [];
const goldenDir = 'tests/fixtures/real';
for (const file of readdirSync(goldenDir).filter((f) => f.endsWith('.expected.json')).sort()) {
  const name = file.replace(/\.expected\.json$/, '');
  const source = join('data/reports/real', name);
  if (!existsSync(source)) {
    notes.push(`${name}: no ${source} beside its expected record`);
    continue;
  }
  const golden = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as ReportRecord;
  const outcome = await parseReportAsync(readFileSync(source), source);
  const acceptedFails = golden.checks.filter((c) => c.status === 'fail').map((c) => `${c.code}:${c.row ?? ''}:${c.column ?? ''}`);
  real.push({ name: `${name} (golden)`, expectedFrom: join(goldenDir, file), score: scoreReport(outcome, { agency: golden.agency, year: golden.year, layout: golden.layout, tables: golden.tables, acceptedFails }) });
}
// Hand-read truths: the repository's (beside the golden records, sources in data/reports/real)
// and those of --real-dir, each report once.
const realDir = values['real-dir']!;
const truthDirs: { dir: string; sources: string }[] = [{ dir: goldenDir, sources: 'data/reports/real' }];
if (existsSync(realDir)) truthDirs.push({ dir: realDir, sources: realDir });
else notes.push(`real fixtures with a .truth.json: ${realDir} not found, only the repository's read`);
const truthsRead = new Set<string>();
for (const { dir, sources } of truthDirs) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.truth.json')).sort()) {
    const name = file.replace(/\.truth\.json$/, '');
    const source = join(sources, name);
    if (truthsRead.has(name)) continue;
    if (!existsSync(source)) {
      notes.push(`${name}: no ${source} beside its truth`);
      continue;
    }
    truthsRead.add(name);
    const truth = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Expected & { notes?: string };
    const outcome = await parseReportAsync(readFileSync(source), source);
    real.push({ name: `${name} (truth)`, expectedFrom: join(dir, file), score: scoreReport(outcome, { agency: truth.agency, year: truth.year, layout: truth.layout, tables: truth.tables, template: true, broken: null }) });
  }
}

// The table.
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(2)}%` : '–');
const frac = (x: { scored: number; exact: number }) => (x.scored ? `${x.exact}/${x.scored}` : '–');
const header = ['style', 'reports', 'errors', 'cells', 'exact', 'missed', 'WRONG', 'unverified', 'agency', 'year', 'layout', 'false alarms (reports)', 'broken caught'];
const lines: string[][] = rows.map(({ name, tally: t }) => [
  name,
  String(t.reports),
  String(t.errors),
  String(t.cells.total),
  pct(t.cells.exact, t.cells.total),
  pct(t.cells.missed, t.cells.total),
  `${t.cells.wrong} (${pct(t.cells.wrong, t.cells.total)})`,
  String(t.cells.unverified),
  frac(t.agency),
  frac(t.year),
  frac(t.layout),
  `${t.falseAlarms} (${t.falseAlarmReports})`,
  `${t.brokenReports - t.brokenMissedReports - t.brokenUnassessableReports}/${t.brokenReports}${t.brokenUnassessableReports ? ` (+${t.brokenUnassessableReports} over a destroyed cell)` : ''}`,
]);
for (const { name, score: s } of real) {
  const yes = (b: boolean | null) => (b === null ? '–' : b ? '1/1' : '0/1');
  lines.push([`real: ${name}`, '1', s.error ? '1' : '0', String(s.cells.total), pct(s.cells.exact, s.cells.total), pct(s.cells.missed, s.cells.total), `${s.cells.wrong} (${pct(s.cells.wrong, s.cells.total)})`, String(s.cells.unverified), yes(s.agency), yes(s.year), yes(s.layout), `${s.falseAlarms.length}`, '–']);
}
const widths = header.map((h, i) => Math.max([...h].length, ...lines.map((l) => [...l[i]].length)));
const fmt = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
console.log(fmt(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const l of lines) console.log(fmt(l));

/** A quirk seen in a handful of reports says little: at least 3 % of the row's reports, and 5. */
const minReports = (t: Tally) => Math.max(5, Math.ceil(t.reports * 0.03));
console.log('\nWorst quirks (share of the cells of reports with the quirk that are wrong or missed; wrong cells):');
for (const { name, tally } of rows) {
  const worst = worstQuirks(tally, 5, minReports(tally));
  if (worst.length === 0) continue;
  console.log(`  ${name}: ${worst.map(([q, t]) => `${q} ${pct(t.wrong + t.missed, t.cells)} (${t.wrong} wrong, ${t.reports} reports)`).join('; ')}`);
}
for (const { name, score } of real) {
  if (score.wrong.length) console.log(`  real ${name}: wrong ${score.wrong.map((w) => `${w.cell}=${w.got} (want ${w.want})`).join(', ')}`);
  if (score.unverified.length) console.log(`  real ${name}: unverified ${score.unverified.map((u) => `${u.cell}=${u.got}`).join(', ')}`);
}
for (const n of notes) console.log(`note: ${n}`);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${rows.reduce((s, r) => s + r.tally.reports, 0)} generated reports and ${real.length} real ones in ${seconds} s`);

mkdirSync('bench/out', { recursive: true });
const out = {
  command: `npx tsx bench/fidelity.ts ${process.argv.slice(2).join(' ')}`.trim(),
  date: new Date().toISOString(),
  options: { reports: REPORTS, officeReports: OFFICE_REPORTS, seed: SEED, stride: STRIDE, variants: VARIANTS, styles },
  rows: rows.map((r) => ({ name: r.name, style: r.style, variant: r.variant, ms: r.ms, tally: r.tally, worstQuirks: worstQuirks(r.tally, 10, minReports(r.tally)), examples: r.examples })),
  real: real.map((r) => ({ name: r.name, expectedFrom: r.expectedFrom, ...r.score })),
  notes,
};
writeFileSync('bench/out/fidelity.json', JSON.stringify(out, null, 2) + '\n');
console.log('wrote bench/out/fidelity.json');
