/**
 * A parse worker: reads each file it is given, serves the record from the cache or parses it,
 * turns it into rows of the release's staged tables (written to this worker's staging files)
 * and posts back one line of outcome per file. Errors become error rows in place of the file,
 * never an exception that stops the build.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseOutcome } from '../model/record.ts';
import { parseInput } from '../parse/input.ts';
import { sha256 } from '../parse/report.ts';
import { isError } from '../model/record.ts';
import { cacheKey, ParseCache } from './cache.ts';
import type { ParseTask, ParseResult } from './pool.ts';
import { StagingWriter } from './staging-files.ts';
import { coverageOf, reportStatus, rowsOfError, rowsOfReport, type ReportRows } from './tables.ts';

const cache = workerData?.cacheDir ? new ParseCache(workerData.cacheDir, workerData.fingerprint) : null;
const staging = new StagingWriter(workerData.stagingDir, workerData.worker);

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
    staging.add('inputs', rowsOfError(outcome, input));
    // An unreadable file the manifest assigns to an agency and year still counts as found.
    const who = coverageOf(task.manifest);
    if (who) staging.add('inputs_without_report', [[who.agency_id, who.region_code, who.year, 'found', `${outcome.error.code}: ${outcome.error.message}`]]);
    return { path, cached, error: outcome.error.code };
  }
  const rows = rowsOfReport(outcome, input, task.rid);
  for (const table of Object.keys(rows) as (keyof ReportRows)[]) staging.add(table, rows[table]);
  return { path, cached, status: reportStatus(outcome) };
}

async function run(task: ParseTask): Promise<Parsed> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(task.abs);
  } catch (err) {
    const outcome: ParseOutcome = { source: task.path, error: { code: 'unreadable', message: `${task.path}: ${(err as Error).message}` } };
    return { path: task.path, bytes: task.bytes, cached: false, outcome };
  }
  const key = cache ? cacheKey(sha256(bytes), task.manifest) : null;
  const hit = key ? cache!.get(key) : null;
  if (hit) return { path: task.path, bytes: bytes.length, cached: true, outcome: { ...hit, source: task.path } };
  const outcome = await parseInput(bytes, task.path, { manifest: task.manifest });
  if (key) cache!.put(key, outcome);
  return { path: task.path, bytes: bytes.length, cached: false, outcome };
}

parentPort!.on('message', async (tasks: ParseTask[]) => {
  const results: ParseResult[] = [];
  for (const task of tasks) results.push(stage(task, await run(task)));
  staging.flush();
  parentPort!.postMessage(results);
});
