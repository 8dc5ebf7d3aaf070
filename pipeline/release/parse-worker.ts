/**
 * A parse worker: reads each file it is given, serves the record from the cache or parses it,
 * and posts the outcomes back in one message per batch. Errors become error records in place
 * of the file, never an exception that stops the build.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseOutcome } from '../model/record.ts';
import { parseInput } from '../parse/input.ts';
import { sha256 } from '../parse/report.ts';
import { cacheKey, ParseCache } from './cache.ts';
import type { ParseTask, ParseResult } from './pool.ts';

const cache = workerData?.cacheDir ? new ParseCache(workerData.cacheDir, workerData.fingerprint) : null;

async function run(task: ParseTask): Promise<ParseResult> {
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
  for (const task of tasks) results.push(await run(task));
  parentPort!.postMessage(results);
});
