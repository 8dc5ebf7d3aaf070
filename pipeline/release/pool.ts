/**
 * Parsing on all cores: a pool of worker threads fed batches of files on demand. Each worker
 * writes the rows of its reports to staging files of its own (staging-files.ts) and sends back
 * one line of outcome per file, in no particular order (the release sorts).
 *
 * The pool finishes when every task has its result, counted over all workers together: a
 * worker that never receives a batch (more workers than batches) does not hold it open.
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

/** Files per batch at most: a batch is one message each way and one flush of the staging files. */
const MAX_BATCH = 16;
/** Batches a worker holds at once: it parses the next while the main thread takes in the last. */
const IN_FLIGHT = 2;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The batch size for `tasks` files on `jobs` workers: small corpora get small batches so that
 * every worker has work, large ones MAX_BATCH.
 */
export function batchSize(tasks: number, jobs: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(tasks / (jobs * IN_FLIGHT * 2))));
}

/** What the pool needs of a worker thread (tests put threads of their own in its place). */
export interface PoolWorker {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: any) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<unknown>;
}

export interface PoolOptions<R> {
  /** The worker script: it answers each posted array of tasks with an array of results. */
  script: URL;
  /** Per-worker data; `worker` (its number in this pool) is added. */
  workerData: Record<string, unknown>;
  jobs: number;
  onResults: (results: R[]) => void | Promise<void>;
  /** Starts a worker; default: a worker thread of `script`. */
  spawn?: (script: URL, workerData: Record<string, unknown>) => PoolWorker;
}

const spawnThread = (script: URL, workerData: Record<string, unknown>): PoolWorker => new Worker(script, { workerData });

/**
 * Runs `tasks` through workers of `script`, handing each worker a batch whenever it holds
 * fewer than IN_FLIGHT, and resolves once results for every task have been taken in by
 * `onResults` (called one batch at a time, in arrival order). A worker error or an
 * `onResults` failure rejects; every worker is terminated before returning either way.
 */
export async function runPool<T, R>(tasks: readonly T[], options: PoolOptions<R>): Promise<void> {
  if (tasks.length === 0) return;
  const size = batchSize(tasks.length, options.jobs);
  const jobs = Math.max(1, Math.min(options.jobs, Math.ceil(tasks.length / size)));
  const spawn = options.spawn ?? spawnThread;
  const workers: PoolWorker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let received = 0;
      let settled = false;
      // Results are taken in one batch at a time, in arrival order.
      let intake = Promise.resolve();
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const feed = (worker: PoolWorker, state: { inFlight: number }) => {
        while (!settled && next < tasks.length && state.inFlight < IN_FLIGHT) {
          const batch = tasks.slice(next, next + size);
          next += batch.length;
          state.inFlight++;
          worker.postMessage(batch);
        }
      };
      for (let index = 0; index < jobs; index++) {
        const worker = spawn(options.script, { ...options.workerData, worker: index });
        workers.push(worker);
        const state = { inFlight: 0 };
        worker.on('message', (results: R[]) => {
          state.inFlight--;
          feed(worker, state);
          intake = intake.then(async () => {
            if (settled) return;
            await options.onResults(results);
            received += results.length;
            if (received >= tasks.length && !settled) {
              settled = true;
              resolve();
            }
          });
          intake.catch(fail);
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (!settled) fail(new Error(`a parse worker exited with code ${code} before the build's files were parsed`));
        });
        feed(worker, state);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Parses every task on `jobs` parse workers, calling `onResults` for each batch as it arrives. */
export function parseAll(
  tasks: ParseTask[],
  options: { jobs: number; cacheDir: string | null; stagingDir: string; onResults: (results: ParseResult[]) => void | Promise<void> },
): Promise<void> {
  return runPool<ParseTask, ParseResult>(tasks, {
    script: new URL('./worker-boot.mjs', import.meta.url),
    workerData: { cacheDir: options.cacheDir, fingerprint: parserFingerprint(), stagingDir: options.stagingDir },
    jobs: options.jobs,
    onResults: options.onResults,
  });
}
