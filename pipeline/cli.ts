/**
 * The command line: one case per command, errors caught once at the bottom. Exit status: 0 done;
 * 1 the command failed; 2 a usage error (the message, then the usage); 3 done, but some files
 * could not be read as reports (parse: an error object; build: an error row) — scripts can tell.
 * --debug prints the stack.
 *
 *   gongkai parse FILE...        canonical record per file, as NDJSON
 *   gongkai synth --out DIR      a generated corpus with manifest and ground truth
 *   gongkai fetch SOURCES --out DIR    reports collected from government websites, with manifest
 *   gongkai build INPUT... --out DIR   a versioned release
 *   gongkai serve [--release DIR]      the API over a release
 *   gongkai start                      the demo release, built if needed, served
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, GongkaiError } from './errors.ts';
import { FILE_LIMIT_FLAGS, inFlagUnit, type FileLimits } from './model/limits.ts';
import { MANIFEST_FILE, manifestKey, readManifest, type ManifestRow } from './normalize/manifest.ts';
import { parseInput } from './parse/input.ts';
import { DEFAULT_ENGINE, DEFAULT_MAX_OCR_PAGES, ENGINES, ocrEngine, type OcrEngineName, type OcrOptions } from './read/ocr.ts';
import { progressBar } from './progress.ts';
import { parseSynthArgs, runSynth } from './synth/index.ts';
import { build } from './release/build.ts';
import { DEFAULT_HTTP } from './fetch/http.ts';
import { DEFAULT_MAX_PAGES, DEFAULT_PARALLEL, runFetch } from './fetch/run.ts';

const USAGE = `usage: gongkai <command> [options]

commands:
  parse FILE...     print the canonical record of each report as one JSON line (NDJSON);
                    a manifest.csv beside the files (path,agency,region_code,year,
                    source_url,published_at) wins over what the files say
                    --pretty   indent the JSON (one object after another)
                    --ocr paddle|tesseract|off   how pages without a text layer (scans)
                               are read (default paddle: PP-OCRv4, an optional npm
                               dependency); --max-ocr-pages 40 per file
  fetch SOURCES --out DIR
                    collect reports from the listing pages named in SOURCES (CSV:
                    agency,region_code,listing_url): pagination, report pages, attachments,
                    kept in DIR with manifest.csv for build; a second run asks only what
                    changed, a stopped run resumes. Politeness and limits:
                    --delay 1000 (ms between requests to one host), --timeout 30000 (ms),
                    --retries 2, --backoff 2000 (ms, doubling), --max-size 50MB,
                    --max-redirects 5, --max-pages 50 (per source), --parallel 4 (hosts),
                    --user-agent TEXT, --refresh (ignore ETag/Last-Modified)
  build INPUT... --out DIR
                    folders of reports → a versioned release (Parquet, CSV, metadata,
                    quality report); --jobs N, --no-cache | --cache DIR, --memory-limit 512MB,
                    --ocr paddle|tesseract|off, --max-ocr-pages 40 (as for parse)
                    per-file limits (a file over one is an error row, the build goes on):
${FILE_LIMIT_FLAGS.map((f) => `                    --${f.flag} N`.padEnd(42) + `${f.help}, default ${inFlagUnit(f.key)}`).join('\n')}
  serve [--release DIR] [--port 4000] [--host 127.0.0.1] [--trust-proxy N]
        [--public-url URL] [--watch-seconds 5]
                    the GraphQL API, downloads and charts over a release
                    (default data/releases/latest, followed as new releases are
                    published); serve --help explains each option
  start             build the bundled demo release when missing or stale, then serve it
  synth --out DIR   generate a realistic corpus of reports for real regions, with
                    manifest.csv and a ground-truth record per report
                    [--config data/demo-corpus.json] [--provinces 41[,42]]
                    [--years 2019-2024] [--seed N] [--broken-share 0.05]
                    [--styles html-utf8,text-tab,…] [--limit N]

options for every command:
  --debug           print stack traces
  --help            this text

exit status: 0 done; 1 failed; 2 usage error; 3 done, but some files could not be
read as reports (parse printed an error object, build wrote an error row)`;

/** Exit status of a run that finished but could not read every file as a report. */
const FILES_FAILED = 3;

/**
 * The manifest.csv that lists a file: in its folder or a folder above it (a corpus keeps one at
 * its root). Each manifest is read once; its rows win over what the file says.
 */
function manifestLookup(): (file: string) => Promise<ManifestRow | null> {
  const byFolder = new Map<string, Promise<Map<string, ManifestRow> | null>>();
  const load = (folder: string) => {
    let manifest = byFolder.get(folder);
    if (!manifest) {
      manifest = readFile(join(folder, MANIFEST_FILE), 'utf8').then(
        (text) => readManifest(text, folder),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
          throw err;
        },
      );
      byFolder.set(folder, manifest);
    }
    return manifest;
  };
  return async (file) => {
    let folder = dirname(resolve(file));
    for (let depth = 0; depth < MANIFEST_DEPTH; depth++) {
      const row = (await load(folder))?.get(manifestKey(resolve(file), folder));
      if (row) return row;
      const up = dirname(folder);
      if (up === folder) break;
      folder = up;
    }
    return null;
  };
}

/** How many folders up from a file a manifest.csv is looked for. */
const MANIFEST_DEPTH = 6;

/** --ocr and --max-ocr-pages → how the parser OCRs scanned pages (undefined: OCR off). */
function ocrOption(values: { ocr?: string; 'max-ocr-pages'?: string }, threads: number, onPage?: () => void): OcrOptions | undefined {
  const name = values.ocr ?? DEFAULT_ENGINE;
  if (name === 'off') return undefined;
  if (!(name in ENGINES)) throw new CliError(`--ocr must be one of ${[...Object.keys(ENGINES), 'off'].join(', ')}, got ${name}`);
  const maxPages = wholeNumber('max-ocr-pages', values['max-ocr-pages'], DEFAULT_MAX_OCR_PAGES, 1);
  return { engine: ocrEngine(name as OcrEngineName, threads), maxPages, ...(onPage ? { onPage } : {}) };
}

const OCR_FLAGS = { ocr: { type: 'string' }, 'max-ocr-pages': { type: 'string' } } as const;

async function parse(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { pretty: { type: 'boolean' }, debug: { type: 'boolean' }, ...OCR_FLAGS } });
  if (positionals.length === 0) throw new CliError('parse needs at least one FILE');
  const ocr = ocrOption(values, availableParallelism());
  const manifestOf = manifestLookup();
  let failed = 0;
  for (const file of positionals) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      const reason = READ_ERRORS[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message;
      process.stdout.write(`${JSON.stringify({ source: file, error: { code: 'unreadable', message: `${file}: ${reason}` } })}\n`);
      failed++;
      continue;
    }
    const outcome = await parseInput(bytes, file, { manifest: await manifestOf(file), ocr });
    if ('error' in outcome) failed++;
    process.stdout.write(`${values.pretty ? JSON.stringify(outcome, null, 2) : JSON.stringify(outcome)}\n`);
  }
  if (failed) {
    console.error(`parse: ${failed} of ${positionals.length} files could not be read as reports (their error objects say why)`);
    process.exitCode = FILES_FAILED;
  }
}

/** Why a file could not be opened, for the codes a user meets (else the system's message). */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a folder (parse takes files; build reads folders)',
  EACCES: 'permission denied',
};

async function synth(argv: string[]): Promise<void> {
  const options = parseSynthArgs(argv);
  const bar = progressBar('synth');
  try {
    const result = await runSynth({ ...options, onProgress: (done, total) => bar.update(done, total) });
    bar.stop();
    console.error(`synth: ${result.reports} reports, ${result.files} files in ${options.out} (${(result.ms / 1000).toFixed(1)} s)`);
  } finally {
    bar.stop();
  }
}

/** The per-file limits given as --<flag> N, in each flag's unit. */
function fileLimitsOf(values: Record<string, unknown>): Partial<FileLimits> {
  const limits: Partial<FileLimits> = {};
  for (const f of FILE_LIMIT_FLAGS) {
    const text = values[f.flag];
    if (text === undefined) continue;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`--${f.flag} must be a positive number (${f.unit}), got ${String(text)}`);
    limits[f.key] = Math.round(n * f.scale);
  }
  return limits;
}

async function buildCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      jobs: { type: 'string' },
      'no-cache': { type: 'boolean' },
      cache: { type: 'string' },
      'memory-limit': { type: 'string' },
      ...OCR_FLAGS,
      ...Object.fromEntries(FILE_LIMIT_FLAGS.map((f) => [f.flag, { type: 'string' as const }])),
    },
  });
  if (!values.out) throw new CliError('build needs --out DIR');
  if (positionals.length === 0) throw new CliError('build needs at least one INPUT folder or file');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1)) throw new CliError(`--jobs must be a whole number ≥ 1, got ${values.jobs}`);
  const bar = progressBar('build');
  const ocr = ocrOption(values, 1);
  let files: [number, number] = [0, 0];
  try {
    const s = await build({
      inputs: positionals,
      out: values.out,
      jobs,
      cacheDir: values['no-cache'] ? null : values.cache,
      memoryLimit: values['memory-limit'],
      limits: fileLimitsOf(values),
      ocr: ocr ? { engine: (values.ocr ?? DEFAULT_ENGINE) as OcrEngineName, maxPages: ocr.maxPages } : null,
      onProgress: (done, total) => bar.update(...(files = [done, total])),
      onOcrPages: (pages) => bar.update(...files, `${pages} pages OCR'd`),
    });
    bar.stop();
    console.error(
      `build: release ${s.version} in ${s.dir}${s.previous ? ` (previous ${s.previous})` : ''}\n` +
        `  files ${s.inputs}: ${s.reports} reports (${s.reports - s.warnings - s.failed} ok, ${s.warnings} with warnings, ${s.failed} failing a check), ${s.errors} errors` +
        `${s.ignored ? `; ${s.ignored} other files ignored` : ''}\n` +
        (s.notFetched ? `  ${s.notFetched} reports listed but not fetched (coverage: unfetched; QUALITY.md says why)\n` : '') +
        (s.generated ? `  ${s.generated} reports are generated sample data (gongkai synth): the release is labelled so\n` : '') +
        `  ${s.cached} from cache${s.ocrPages ? `, ${s.ocrPages} scanned pages read by OCR` : ''}, ${(s.ms / 1000).toFixed(1)} s` +
        (s.previous
          ? `\n  since ${s.previous}: ${s.changes.reports_added} reports added, ${s.changes.reports_removed} removed, ${s.changes.cells_changed} cells changed (CHANGES.md)`
          : ''),
    );
    if (s.errors) {
      console.error(`build: ${s.errors} files could not be read as reports (rows of errors and inputs; QUALITY.md lists them)`);
      process.exitCode = FILES_FAILED;
    }
  } finally {
    bar.stop();
  }
}

/** A whole number ≥ min from a flag, or the default. */
function wholeNumber(flag: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min) throw new CliError(`--${flag} must be a whole number ≥ ${min}, got ${raw}`);
  return n;
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** 50MB, 512KB, 1048576 → bytes. */
function size(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?B)?$/i.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) throw new CliError(`--${flag} must be a size such as 50MB, 512KB or a number of bytes, got ${raw}`);
  return Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toUpperCase()]);
}

async function fetchCommand(argv: string[]): Promise<void> {
  const number = { type: 'string' } as const;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      delay: number,
      timeout: number,
      retries: number,
      backoff: number,
      'max-size': number,
      'max-redirects': number,
      'max-pages': number,
      parallel: number,
      'user-agent': { type: 'string' },
      refresh: { type: 'boolean' },
    },
  });
  if (!values.out) throw new CliError('fetch needs --out DIR');
  if (values['user-agent'] !== undefined && !/^[\x20-\x7e]+$/.test(values['user-agent'])) throw new CliError('--user-agent must be printable ASCII (an HTTP header)');
  if (positionals.length !== 1) throw new CliError('fetch needs one SOURCES file (CSV: agency,region_code,listing_url)');
  const http = {
    delayMs: wholeNumber('delay', values.delay, DEFAULT_HTTP.delayMs),
    timeoutMs: wholeNumber('timeout', values.timeout, DEFAULT_HTTP.timeoutMs, 1),
    retries: wholeNumber('retries', values.retries, DEFAULT_HTTP.retries),
    backoffMs: wholeNumber('backoff', values.backoff, DEFAULT_HTTP.backoffMs),
    maxBytes: size('max-size', values['max-size'], DEFAULT_HTTP.maxBytes),
    maxRedirects: wholeNumber('max-redirects', values['max-redirects'], DEFAULT_HTTP.maxRedirects),
    userAgent: values['user-agent'] || DEFAULT_HTTP.userAgent,
  };
  // Ctrl-C stops after the request under way is abandoned; what completed is kept for the resume.
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    console.error('\nfetch: stopping (Ctrl-C again to quit at once)…');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = progressBar('fetch');
  try {
    const s = await runFetch({
      sources: positionals[0],
      out: values.out,
      http,
      maxPages: wholeNumber('max-pages', values['max-pages'], DEFAULT_MAX_PAGES, 1),
      parallel: wholeNumber('parallel', values.parallel, DEFAULT_PARALLEL, 1),
      refresh: values.refresh,
      signal: stop.signal,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    const failed = Object.entries(s.failed).map(([code, n]) => `${n} ${code}`);
    console.error(
      `fetch: ${s.sources} sources, ${s.listing_pages} listing pages, ${s.reports} report links${s.resumed ? ' (resumed)' : ''}\n` +
        `  files: ${s.files.new} new, ${s.files.changed} changed (earlier versions in versions/), ${s.files.unchanged} unchanged\n` +
        `  requests: ${s.requests} (${s.conditional_requests} conditional); failed: ${failed.length ? failed.join(', ') : 'none'}\n` +
        `  ${values.out}/manifest.csv: ${s.manifest.files} report files, ${s.manifest.failed} reports not fetched; log ${s.log} (${(s.ms / 1000).toFixed(1)} s)`,
    );
    if (s.interrupted) {
      console.error('fetch: stopped before the end; run the same command again to resume');
      process.exitCode = 130;
    }
  } finally {
    bar.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The API over a release; imported only here, so other commands do not load GraphQL. */
async function serve(argv: string[]): Promise<void> {
  // graphql-js skips its development-only checks (instanceOf across realms) in production.
  process.env.NODE_ENV ??= 'production';
  const { runServe } = await import('../api/server.ts');
  await runServe(argv);
}

/** `npm start`: the demo release (built when missing or stale), then the API over it. */
async function start(argv: string[]): Promise<void> {
  const { ensureDemoRelease } = await import('./demo.ts');
  const bar = progressBar('demo release');
  const { dir, built } = await ensureDemoRelease(undefined, { log: (line) => console.error(`start: ${line}`), onProgress: (d, t) => bar.update(d, t) });
  bar.stop();
  if (built) console.error(`start: release ${built.version}: ${built.reports} reports, ${built.errors} errors (${(built.ms / 1000).toFixed(1)} s)`);
  await serve(['--release', dir, ...argv]);
}

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = { parse, synth, fetch: fetchCommand, build: buildCommand, serve, start };

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`unknown command "${command}"\n${USAGE}`);
  try {
    await run(rest.filter((a) => a !== '--debug'));
  } catch (err) {
    // parseArgs's own errors (an unknown option, a missing value) are usage errors like ours.
    if (String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw new CliError(`${command}: ${(err as Error).message}\n${USAGE}`);
    throw err;
  }
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof CliError) {
    console.error(`gongkai: ${err.message}`);
    process.exitCode = 2;
  } else if (err instanceof GongkaiError) {
    console.error(`gongkai: ${err.message}${debug ? `\n${err.stack}` : ''}`);
    process.exitCode = 1;
  } else {
    console.error(debug && err instanceof Error ? err.stack : `gongkai: ${err instanceof Error ? err.message : String(err)} (run with --debug for the stack)`);
    process.exitCode = 1;
  }
});
