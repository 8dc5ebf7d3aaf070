/**
 * Parsing on all cores: a pool of worker threads fed batches of files. Each worker writes the
 * rows of its reports to staging files of its own (staging-files.ts) and sends back one line
 * of outcome per file, in no particular order (the release sorts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ManifestRow } from '../normalize/manifest.ts';
import { parserFingerprint } from './cache.ts';

export interface ParseTask {
  abs: string;
  path: string;
  bytes: number;
  manifest: ManifestRow | null;
  /** The report's number in this build (its position in path order). */
  rid: number;
}

/** What the main thread hears of a file: the rows went to the worker's staging files. */
export interface ParseResult {
  path: string;
  cached: boolean;
  /** ok, warnings or failed for a report; absent for an error. */
  status?: string;
  /** The error code when the file gave no report. */
  error?: string;
}

const BATCH = 16;
const IN_FLIGHT = 2;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Parses every task on `jobs` workers, calling `onResults` for each batch as it arrives. */
export async function parseAll(
  tasks: ParseTask[],
  options: { jobs: number; cacheDir: string | null; stagingDir: string; onResults: (results: ParseResult[]) => void | Promise<void> },
): Promise<void> {
  if (tasks.length === 0) return;
  const jobs = Math.max(1, Math.min(options.jobs, Math.ceil(tasks.length / BATCH)));
  const shared = { cacheDir: options.cacheDir, fingerprint: parserFingerprint(), stagingDir: options.stagingDir };
  let next = 0;
  let failure: Error | null = null;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, (_, index) => {
        const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...shared, worker: index } });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          // Two batches in flight: the worker parses the next while the main thread loads the last.
          let inFlight = 0;
          let pending = Promise.resolve();
          const feed = () => {
            while (!failure && next < tasks.length && inFlight < IN_FLIGHT) {
              const batch = tasks.slice(next, next + BATCH);
              next += batch.length;
              inFlight++;
              worker.postMessage(batch);
            }
          };
          worker.on('message', (results: ParseResult[]) => {
            inFlight--;
            feed();
            pending = pending.then(() => options.onResults(results));
            pending.then(
              () => {
                if (inFlight === 0 && (failure || next >= tasks.length)) resolve();
              },
              (err: Error) => {
                failure = err;
                reject(err);
              },
            );
          });
          worker.on('error', (err) => {
            failure = err;
            reject(err);
          });
          worker.on('exit', (code) => {
            if (code !== 0 && !failure) reject(new Error(`a parse worker exited with code ${code}`));
          });
          feed();
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
