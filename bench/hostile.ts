/**
 * A corpus of good reports mixed with full-size hostile files, built with the default per-file
 * limits, in a process of its own: every file accounted for, the build's peak RSS (main thread
 * and parse workers: one process) and its time.
 *
 *   npx tsx bench/hostile.ts [--good N] [--keep]
 *
 * Hostile files (tests/fixtures/hostile.ts): a PDF whose page tree lists one page 100,000 times
 * (600 KB), a DOCX zip bomb whose document.xml inflates to 2 GB (2 MB), 100,000 nested HTML
 * elements, an HTML table whose spans expand to 20 million cells (memory), and a slow PDF that
 * lists one page 45,000 times (pdfjs takes minutes: its work grows with the square of the
 * entries). The page limits are raised for this run, --max-pdf-pages/--max-pdf-tree 50000, so
 * that the slow PDF meets the time limit rather than the page limit. Good reports:
 * the real ones, the Word and PDF fixtures and N generated ones (default 300).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runSynth } from '../pipeline/synth/index.ts';
import { deepHtml, pageTreeBombPdf, slowHtml, zipBombDocx } from '../tests/fixtures/hostile.ts';

const { values } = parseArgs({ options: { good: { type: 'string', default: '300' }, keep: { type: 'boolean' } } });
const dir = mkdtempSync(join(tmpdir(), 'gongkai-hostile-bench-'));
const inputs = join(dir, 'inputs');
mkdirSync(join(inputs, 'hostile'), { recursive: true });
mkdirSync(join(inputs, 'good'), { recursive: true });

const hostile: [string, Buffer][] = [
  ['page-tree-bomb.pdf', pageTreeBombPdf(100_000)],
  ['zip-bomb.docx', zipBombDocx(2048)],
  ['nested.html', deepHtml(100_000)],
  ['span-grid.html', slowHtml(2000)],
  ['slow-pages.pdf', pageTreeBombPdf(45_000)],
];
for (const [name, bytes] of hostile) writeFileSync(join(inputs, 'hostile', name), bytes);
for (const file of readdirSync('data/reports/real').filter((f) => !f.endsWith('.md'))) copyFileSync(join('data/reports/real', file), join(inputs, 'good', file));
for (const file of readdirSync('tests/fixtures/office').filter((f) => /\.(docx|pdf)$/.test(f) && f !== 'scan.pdf')) copyFileSync(join('tests/fixtures/office', file), join(inputs, 'good', file));
await runSynth({ out: join(inputs, 'good', 'synth'), provinces: ['41'], years: [2019, 2024], seed: 11, limit: Number(values.good) });

const flags = ['--no-cache', '--max-pdf-pages', '50000', '--max-pdf-tree', '50000'];
console.log(`# hostile corpus build (node ${process.version}, ${availableParallelism()} cores, parse workers on every core)\n`);
console.log(`command: gongkai build ${inputs} --out … ${flags.join(' ')} (every other limit at its default)\n`);
console.log('| hostile file | bytes on disk |\n|---|---:|');
for (const [name, bytes] of hostile) console.log(`| ${name} | ${bytes.length.toLocaleString('en-US')} |`);

// The build in its own process: its peak RSS is the build's, main thread and workers together.
const started = performance.now();
const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/build-run.ts', '--limits={"pdfPages":50000,"pdfPageTree":50000}', join(dir, 'out'), '-', inputs], {
  encoding: 'utf8',
  maxBuffer: 1 << 26,
});
const summary = JSON.parse(out.trim().split('\n').at(-1)!);
const wall = (performance.now() - started) / 1000;
const quality = JSON.parse(readFileSync(join(summary.dir, 'quality.json'), 'utf8')) as { errors: { error_code: string; files: { path: string; message: string }[] }[] };

console.log(`\n${summary.inputs} files: ${summary.reports} reports, ${summary.errors} errors; every file accounted for: ${summary.reports + summary.errors === summary.inputs}`);
console.log(`build ${(summary.ms / 1000).toFixed(1)} s (process ${wall.toFixed(1)} s), peak RSS ${summary.maxRssMB} MB\n`);
console.log('| file | error | message |\n|---|---|---|');
for (const e of quality.errors) for (const f of e.files) console.log(`| ${basename(f.path)} | ${e.error_code} | ${f.message.replace(/^.*?: /, '')} |`);

if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`\nkept ${dir}`);
