/**
 * `gongkai build INPUT... --out DIR`: folders of reports → a versioned release.
 *
 * Load: find the inputs and their manifest rows; parse them on all cores (cached by content);
 * stream every record into DuckDB as it arrives. Process: the release-level tables and checks
 * (derive.ts). Save: Parquet/CSV (write.ts), the quality report, the metadata, then publish the
 * folder and switch `latest` (versions.ts). One bad file never stops a build: it becomes a row
 * of `inputs` with its error.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFileLimits, type FileLimits } from '../model/limits.ts';
import { DEFAULT_ENGINE, DEFAULT_MAX_OCR_PAGES, ocrIdentity, type OcrEngineName, type OcrSettings } from '../read/ocr.ts';
import { ParseCache, parserFingerprint } from './cache.ts';
import { writeChanges, type ChangesSummary } from './changes.ts';
import { applyReleaseChecks, carryOverChecks, chooseCounted, deriveAgencies, deriveChanges, deriveCoverage, deriveRegions, rollupChecks } from './derive.ts';
import { openDuck, TypedAppender } from './duck.ts';
import { collectGarbage } from './heap.ts';
import { checkGeneratedApart } from './generated.ts';
import { findInputs, type SetAside, type UnfetchedInput } from './inputs.ts';
import { writeMetadata, type ReleaseInfo } from './metadata.ts';
import { defaultJobs, parseAll, type ParseResult } from './pool.ts';
import { writeQuality } from './quality.ts';
import { createCellViews, createStaging, STAGED } from './staging.ts';
import { loadStagingFiles } from './staging-files.ts';
import { rowOfSetAside, rowsOfUnfetched } from './tables.ts';
import { cleanStaleWork, latestVersion, lockOut, makeWorkDir, publish } from './versions.ts';
import { writeTables } from './write.ts';

/**
 * DuckDB's memory during a build; what it needs beyond this it spills to the work folder. Not
 * everything it holds can spill: at 384 MB a 100,000-report build failed with "Out of Memory"
 * while deriving the release checks (and at 256 MB a 10,000-report one while writing).
 */
export const DEFAULT_MEMORY_LIMIT = '512MB';

export interface BuildOptions {
  inputs: string[];
  out: string;
  /** Parse workers; default: every core. */
  jobs?: number;
  /** Parse cache folder; null disables the cache. */
  cacheDir?: string | null;
  /** What one file may cost to parse (pipeline/model/limits.ts); the defaults where not given. */
  limits?: Partial<FileLimits>;
  memoryLimit?: string;
  /** The build's clock (tests pin it). */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /** Data rows per file of by-year/ (default: Excel's limit, 1,048,575; tests cut smaller). */
  excelRows?: number;
  /**
   * Reports per slice where the build works through consecutive reports a slice at a time (the
   * long tables' sort, the changes; default SLICE_REPORTS): tests make several slices of a few reports.
   */
  sliceReports?: number;
  /** How scanned pages are read: an engine and a page limit per file (default paddle, 40 pages); null: no OCR. */
  ocr?: { engine: OcrEngineName; maxPages?: number } | null;
  /** Called with the number of pages OCR has read so far. */
  onOcrPages?: (pages: number) => void;
}

export interface BuildSummary {
  version: string;
  dir: string;
  previous: string | null;
  /** What changed since `previous` (also CHANGES.md and the changes table). */
  changes: ChangesSummary;
  inputs: number;
  reports: number;
  errors: number;
  /** Reports a manifest lists as not fetched (inputs rows with outcome not_fetched, coverage unfetched). */
  notFetched: number;
  warnings: number;
  failed: number;
  /** Reports made by gongkai synth: the release is labelled generated sample data when any are. */
  generated: number;
  cached: number;
  /** Pages read by OCR (scans; none from the cache). */
  ocrPages: number;
  /** Files and folders under the inputs set aside, not reports (rows of inputs with outcome ignored). */
  ignored: number;
  ms: number;
  /** Milliseconds per phase: parse (and load), derive, write, quality, metadata. */
  phases: Record<string, number>;
  /** Milliseconds per step: the parse workers and the staging load (parse phase), each table and format (write phase). */
  steps: Record<string, number>;
}

/** The build's OCR as its workers take it: every core busy, one engine thread per worker. */
function ocrSettings(ocr: BuildOptions['ocr'], jobs: number): OcrSettings | null {
  if (ocr === null) return null;
  return { engine: ocr?.engine ?? DEFAULT_ENGINE, maxPages: ocr?.maxPages ?? DEFAULT_MAX_OCR_PAGES, threads: Math.max(1, Math.floor(defaultJobs() / jobs)) };
}

/** The parser fingerprint a release was built with (release.json), if it says. */
function previousParser(dir: string): string | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'release.json'), 'utf8')).software?.parser ?? null;
  } catch {
    return null;
  }
}

/**
 * Finds the inputs and parses them into the staging folder. The file list with its manifest
 * rows (tens of MB at 100,000 files) is only reachable from here, so it is garbage once the
 * parse ends and does not sit on the heap through the DuckDB phases.
 */
async function parseInputs(
  options: Pick<BuildOptions, 'inputs' | 'onProgress' | 'onOcrPages'>,
  pool: { jobs: number; cacheDir: string | null; stagingDir: string; limits: FileLimits; ocr: OcrSettings | null; fingerprint: string },
): Promise<{ inputs: number; setAside: SetAside[]; unfetched: UnfetchedInput[]; counts: { reports: number; errors: number; cached: number; ocrPages: number } }> {
  const { files, setAside, unfetched } = findInputs(options.inputs);
  const counts = { reports: 0, errors: 0, cached: 0, ocrPages: 0 };
  const onPage = () => options.onOcrPages?.(++counts.ocrPages);
  let done = 0;
  const onResults = (results: ParseResult[]) => {
    for (const r of results) {
      if (r.cached) counts.cached++;
      if (r.error) counts.errors++;
      else counts.reports++;
    }
    done += results.length;
    options.onProgress?.(done, files.length);
  };
  // Files are sorted by path; their position numbers the reports (staging.ts: rid).
  await parseAll(
    files.map((f, i) => ({ abs: f.abs, path: f.path, bytes: f.bytes, manifest: f.manifest, rid: i + 1 })),
    { ...pool, onResults, onPage },
  );
  return { inputs: files.length, setAside, unfetched, counts };
}

/**
 * The inputs that were not parsed, as rows: the reports the fetch could not get (inputs and the
 * coverage's staging table), and the files and folders set aside with their reason (inputs).
 */
async function loadUnparsed(con: DuckDBConnection, unfetched: UnfetchedInput[], setAside: SetAside[]): Promise<void> {
  const rows = unfetched.map((u) => rowsOfUnfetched(u.path, u.manifest));
  for (const table of ['inputs', 'inputs_without_report'] as const) {
    const columns = STAGED.find((t) => t.name === table)!.columns.map((c) => c.type);
    const appender = new TypedAppender(await con.createAppender(table), columns);
    appender.append(rows.flatMap((r) => (table === 'inputs' ? r.inputs : r.without_report)));
    if (table === 'inputs') appender.append(setAside.map(rowOfSetAside));
    appender.close();
  }
}

export async function build(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  /** Finer timings of the write phase, by table and format. */
  const steps: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    const t = performance.now();
    phases[name] = Math.round(t - mark);
    mark = t;
  };
  const now = options.now ?? new Date();
  const jobs = options.jobs ?? defaultJobs();
  cleanStaleWork(options.out);
  const work = makeWorkDir(options.out);
  const releaseDir = join(work, 'release');
  mkdirSync(releaseDir);
  mkdirSync(join(work, 'tmp'));
  // An in-memory database that spills to the work folder past its memory limit: the staged
  // cells are read back once or twice, never worth writing to a database file first.
  const duck = await openDuck(':memory:', { threads: jobs, memoryLimit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT, tempDirectory: join(work, 'tmp') });
  const con = duck.connection;
  let pruning: Promise<void> | undefined;
  let unlock: (() => void) | undefined;
  try {
    // Memory DuckDB holds outside its limit, measured at 100,000 reports: the Parquet writer
    // buffers this many row groups per copy before writing them out (default 5: ~80 MB more at
    // the peak); freed memory is handed back to the system after any task that used more than
    // the threshold (default 128 MB: ~90 MB more), by background threads. Neither costs time.
    await con.run('SET write_buffer_row_group_count = 1');
    await con.run(`SET allocator_flush_threshold = '16MB'`);
    await con.run('SET allocator_background_threads = true');
    await createStaging(con);
    const ocr = ocrSettings(options.ocr, jobs);
    // A record depends on the parser's source and, for a scan, on the OCR engine that read it.
    const fingerprint = `${parserFingerprint()}.${createHash('sha256').update(ocrIdentity(ocr)).digest('hex').slice(0, 8)}`;
    const cache = options.cacheDir === null ? null : new ParseCache(options.cacheDir ?? join('.cache', 'gongkai', 'parse'), fingerprint);
    // Stale entries are deleted while the build runs; awaited before it returns.
    pruning = cache?.prune();
    const stagingDir = join(work, 'staging');
    mkdirSync(stagingDir);
    const limits = resolveFileLimits(options.limits);
    const { inputs, setAside, unfetched, counts } = await parseInputs(options, { jobs, cacheDir: cache?.root ?? null, stagingDir, limits, ocr, fingerprint });
    collectGarbage();
    const loading = performance.now();
    steps.workers = Math.round(loading - mark);
    await loadStagingFiles(con, stagingDir, STAGED.map((t) => t.name));
    await loadUnparsed(con, unfetched, setAside);
    await createCellViews(con);
    await checkGeneratedApart(con);
    steps.load = Math.round(performance.now() - loading);
    phase('parse');

    // From here to publishing, one build at a time per out folder: the previous release it
    // compares with must still be latest when it publishes.
    unlock = await lockOut(options.out);
    const previous = latestVersion(options.out);

    await deriveRegions(con);
    await deriveAgencies(con);
    await chooseCounted(con);
    await carryOverChecks(con);
    await rollupChecks(con);
    await applyReleaseChecks(con);
    await deriveCoverage(con);
    const previousDir = previous ? join(options.out, previous) : null;
    const sameParser = previousDir !== null && previousParser(previousDir) === parserFingerprint();
    const compared = await deriveChanges(con, previousDir, sameParser, options.sliceReports);
    phase('derive');

    const written = await writeTables(con, releaseDir, steps, { excelRows: options.excelRows, sliceReports: options.sliceReports });
    phase('write');
    const quality = await writeQuality(con, releaseDir, written.rows);
    const changes = await writeChanges(con, releaseDir, { previous, compared, sameParser });
    phase('quality');
    const info: Omit<ReleaseInfo, 'version'> = { builtAt: now.toISOString(), previous, inputs: options.inputs, files: written.files, quality, changes };
    duck.connection.closeSync();
    duck.instance.closeSync();

    const version = publish(options.out, releaseDir, now.toISOString().slice(0, 10), (v) => writeMetadata(releaseDir, { ...info, version: v }));
    phase('metadata');
    const summary = quality.summary;
    return {
      version,
      dir: join(options.out, version),
      previous,
      changes,
      inputs,
      reports: counts.reports,
      errors: counts.errors,
      notFetched: unfetched.length,
      warnings: summary.reports_with_warnings,
      failed: summary.reports_failed,
      generated: summary.generated_reports,
      cached: counts.cached,
      ocrPages: counts.ocrPages,
      ignored: setAside.length,
      ms: Math.round(performance.now() - started),
      phases,
      steps,
    };
  } finally {
    unlock?.();
    await pruning;
    try {
      duck.connection.closeSync();
      duck.instance.closeSync();
    } catch {
      // already closed
    }
    rmSync(work, { recursive: true, force: true });
  }
}
