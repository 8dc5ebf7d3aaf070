/**
 * A parse worker: reads each file it is given, serves the record from the cache or parses it,
 * turns it into rows of the release's staged tables (written to this worker's staging files)
 * and posts back one line of outcome per file. Errors become error rows in place of the file,
 * never an exception that stops the build.
 *
 * Batches are worked through one at a time, in the order received, and the worker says when it
 * starts each file: the pool times each file from there, and knows which file a worker it had
 * to stop was on (pool.ts).
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_FILE_LIMITS, inFlagUnit, type FileLimits } from '../model/limits.ts';
import { ocrForWorker, type OcrSettings } from '../read/ocr.ts';
import type { ParseOutcome } from '../model/record.ts';
import { parseInput } from '../parse/input.ts';
import { sha256 } from '../parse/report.ts';
import { isError } from '../model/record.ts';
import { cacheKey, ParseCache } from './cache.ts';
import type { ParseTask, ParseResult, WorkerMessage } from './pool.ts';
import { StagingWriter } from './staging-files.ts';
import { reportStatus, rowsOfFailedInput, rowsOfReport, type ReportRows } from './tables.ts';

const cache = workerData?.cacheDir ? new ParseCache(workerData.cacheDir, workerData.fingerprint) : null;
const staging = new StagingWriter(workerData.stagingDir, workerData.worker);
const limits: FileLimits = workerData.limits ?? DEFAULT_FILE_LIMITS;
/**
 * Scans are OCR'd as the build says. Each page read and each step of the engine is reported: the
 * build counts pages, and the pool gives the file its time limit afresh at each (a long scan
 * that makes progress has not hung; stopping a worker inside the engine's native code would
 * bring the whole process down).
 */
const ocr = workerData.ocr ? ocrForWorker(workerData.ocr as OcrSettings, (what) => post({ progress: what }), () => stopAsked) : undefined;
/** The pool asked to stop the file being read (past its time limit); OCR stops at its next step. */
let stopAsked = false;

/** Errors that depend on the limits of this build, not on the file alone: never cached. */
const LIMIT_ERRORS = new Set(['too_large', 'too_deep', 'timeout']);

interface Parsed {
  path: string;
  bytes: number;
  cached: boolean;
  outcome: ParseOutcome;
}

/** The outcome's rows go to the staging files; the main thread gets one line of summary. */
function stage(task: ParseTask, { path, bytes, cached, outcome }: Parsed): ParseResult {
  const input = { path, bytes, cached, manifest: task.manifest };
  if (isError(outcome)) {
    const rows = rowsOfFailedInput(outcome, input);
    staging.add('inputs', rows.inputs);
    staging.add('inputs_without_report', rows.inputs_without_report);
    return { path, cached, error: outcome.error.code };
  }
  const rows = rowsOfReport(outcome, input, task.rid);
  for (const table of Object.keys(rows) as (keyof ReportRows)[]) staging.add(table, rows[table]);
  return { path, cached, status: reportStatus(outcome) };
}

async function run(task: ParseTask): Promise<Parsed> {
  const failed = (code: 'unreadable' | 'too_large', message: string): Parsed => ({
    path: task.path,
    bytes: task.bytes,
    cached: false,
    outcome: { source: task.path, error: { code, message: `${task.path}: ${message}` } },
  });
  if (task.bytes > limits.fileBytes) return failed('too_large', `the file has ${task.bytes} bytes, more than the limit of ${inFlagUnit('fileBytes', limits)} (--max-file-size)`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(task.abs);
  } catch (err) {
    return failed('unreadable', (err as Error).message);
  }
  const hash = sha256(bytes);
  const key = cache ? cacheKey(hash, task.manifest) : null;
  const hit = key ? cache!.get(key) : null;
  if (hit) return { path: task.path, bytes: bytes.length, cached: true, outcome: { ...hit, source: task.path } };
  const outcome = await parseInput(bytes, task.path, { manifest: task.manifest, limits, ocr, sha256: hash });
  if (key && !(isError(outcome) && LIMIT_ERRORS.has(outcome.error.code))) cache!.put(key, outcome);
  return { path: task.path, bytes: bytes.length, cached: false, outcome };
}

const post = (message: WorkerMessage<ParseResult>) => parentPort!.postMessage(message);

async function runBatch(tasks: ParseTask[]): Promise<void> {
  const results: ParseResult[] = [];
  for (const task of tasks) {
    stopAsked = false;
    post({ started: true });
    results.push(stage(task, await run(task)));
  }
  post({ results, checkpoint: staging.flush() });
}

// A PDF read by pdfjs awaits between pages: without the chain a second batch would start
// before the first is answered.
let queue = Promise.resolve();
parentPort!.on('message', (message: ParseTask[] | { stop: true }) => {
  if (!Array.isArray(message)) stopAsked = true;
  else queue = queue.then(() => runBatch(message));
});
