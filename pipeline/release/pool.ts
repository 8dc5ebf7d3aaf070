/**
 * Parsing on all cores: a pool of worker threads fed batches of files on demand. Each worker
 * writes the rows of its reports to staging files of its own (staging-files.ts) and sends back
 * one line of outcome per file, in no particular order (the release sorts).
 *
 * The pool finishes when every task has its result, counted over all workers together: a
 * worker that never receives a batch (more workers than batches) does not hold it open.
 *
 * A worker that is lost — stopped because its file ran past the time limit, out of memory, or
 * crashed — is replaced: the file it was working on (it says when it starts each one) gets a
 * result saying why, the other unanswered files of its batches go back to the queue, and what
 * it wrote after its last answered batch is undone (onWorkerLost). A worker lost before it
 * started any file names no culprit; after a few such losses in a row the pool gives up.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileLimits } from '../model/limits.ts';
import type { OcrSettings } from '../read/ocr.ts';
import type { ManifestRow } from '../normalize/manifest.ts';
import { parserFingerprint } from './cache.ts';
import { rollbackStaging, stageLostFile, type StagingCheckpoint } from './staging-files.ts';

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
/** Workers lost in a row before starting any task: the worker itself is broken, not a file. */
const MAX_BARREN_LOSSES = 3;

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

/**
 * What a worker posts: `{ started: true }` as it starts each task (in the order received),
 * `{ progress }` as the task it runs gets on (a scan's page read, a step of the OCR engine), and
 * for each batch its results — a bare array, or `{ results, checkpoint }` where the checkpoint
 * says what the worker has written so far (handed to onWorkerLost should it be lost later).
 */
export type WorkerMessage<R> = R[] | { results: R[]; checkpoint?: unknown } | { started: true } | { progress: string };

/** Why a task has no result of its own: its worker was lost while running it. */
export interface TaskFailure {
  code: 'timeout' | 'too_large' | 'internal';
  message: string;
}

/** Starts a timer, returns its cancel (tests pass a clock they advance by hand). */
export type SetTimer = (ms: number, fire: () => void) => () => void;
const realTimer: SetTimer = (ms, fire) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

export interface PoolOptions<T, R> {
  /** The worker script: it answers each posted array of tasks with an array of results. */
  script: URL;
  /** Per-worker data; `worker` (its number in this pool, never reused) is added. */
  workerData: Record<string, unknown>;
  jobs: number;
  onResults: (results: R[]) => void | Promise<void>;
  /** Called for each `progress` a worker posts, with what it says. */
  onProgress?: (what: string) => void;
  /** The result of a task whose worker was lost while running it; without it, such a loss rejects. */
  lost?: (task: T, failure: TaskFailure) => R | Promise<R>;
  /** Called, awaited, once a lost worker has stopped: undo what it wrote after `checkpoint`. */
  onWorkerLost?: (workerData: Record<string, unknown>, checkpoint: unknown) => void | Promise<void>;
  /**
   * Wall time one task may run from its `started` or its last `progress`; past it the worker is
   * stopped. 0: no limit. A task that reports progress (a step of OCR) gets the time afresh: a
   * scan that keeps making progress is bounded by the OCR page limit, a stalled one by this.
   */
  taskTimeoutMs?: number;
  /** V8 heap of each worker thread (resourceLimits.maxOldGenerationSizeMb). */
  heapMb?: number;
  /** Starts a worker; default: a worker thread of `script`. */
  spawn?: (script: URL, workerData: Record<string, unknown>, heapMb?: number) => PoolWorker;
  setTimer?: SetTimer;
}

/**
 * The young generation of a parse worker's heap, where V8 puts new objects: 128 MB (V8's default
 * comes to about 48). Reading a report allocates some 0.6 MB of objects that live only while it
 * is read (tokens, value groups, candidate alignments); with room for a few hundred reports
 * between two scavenges, few survive one, and garbage collection falls from ~18 % of parsing to
 * ~2 % (bench/parse.ts runs the parser in a worker with these limits and prints the share).
 */
export const YOUNG_GENERATION_MB = 128;

/**
 * A parse worker's V8 heap: its old generation bounded at `heapMb`, its young generation a
 * quarter of that at most (a worker bounded small must still run out of memory as a worker, and
 * be replaced, not take the process down).
 */
export const workerResourceLimits = (heapMb?: number) =>
  heapMb ? { maxYoungGenerationSizeMb: Math.min(YOUNG_GENERATION_MB, Math.floor(heapMb / 4)), maxOldGenerationSizeMb: heapMb } : { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };

const spawnThread = (script: URL, workerData: Record<string, unknown>, heapMb?: number): PoolWorker => new Worker(script, { workerData, resourceLimits: workerResourceLimits(heapMb) });

interface Live<T> {
  worker: PoolWorker;
  data: Record<string, unknown>;
  /** Batches posted and not answered, oldest first. */
  batches: T[][];
  /** Tasks of those batches started so far. */
  started: number;
  checkpoint: unknown;
  lost: boolean;
  cancelTimer: (() => void) | null;
  /** The task it runs has reported progress: it can be asked to stop (see arm). */
  stoppable: boolean;
  /** It has been asked to stop its task. */
  stopping: boolean;
}

/** Why a worker went away, as the failure of the task it was running. */
function failureOf(cause: { error?: Error; exitCode?: number; timeoutMs?: number }, heapMb: number | undefined): TaskFailure {
  if (cause.timeoutMs !== undefined) return { code: 'timeout', message: `parsing took longer than ${cause.timeoutMs / 1000} s and was stopped` };
  if ((cause.error as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { code: 'too_large', message: `parsing needed more than the ${heapMb ?? '?'} MB of memory a worker may use, and was stopped` };
  }
  if (cause.error) return { code: 'internal', message: `the parse worker failed: ${cause.error.message}` };
  return { code: 'internal', message: `the parse worker exited with code ${cause.exitCode}` };
}

/**
 * Runs `tasks` through workers of `script`, handing each worker a batch whenever it holds
 * fewer than IN_FLIGHT, and resolves once results for every task have been taken in by
 * `onResults` (called one batch at a time, in arrival order). An `onResults` failure, or
 * workers that keep dying before starting any task, reject; every worker is terminated before
 * returning either way.
 */
export async function runPool<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<void> {
  if (tasks.length === 0) return;
  const size = batchSize(tasks.length, options.jobs);
  const jobs = Math.max(1, Math.min(options.jobs, Math.ceil(tasks.length / size)));
  const spawn = options.spawn ?? spawnThread;
  const setTimer = options.setTimer ?? realTimer;
  const timeoutMs = options.taskTimeoutMs ?? 0;
  const all: Live<T>[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      /** Tasks of lost workers, handed out before the rest. */
      const retry: T[] = [];
      let received = 0;
      let spawned = 0;
      let barren = 0;
      let settled = false;
      // Results are taken in one batch at a time, in arrival order.
      let intake = Promise.resolve();
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const take = (step: () => void | Promise<void>, count: number) => {
        intake = intake.then(async () => {
          if (settled) return;
          await step();
          received += count;
          if (received >= tasks.length && !settled) {
            settled = true;
            resolve();
          }
        });
        intake.catch(fail);
      };
      const pending = () => retry.length + tasks.length - next;
      const nextBatch = (): T[] => {
        const batch = retry.splice(0, size);
        const more = Math.min(size - batch.length, tasks.length - next);
        for (let i = 0; i < more; i++) batch.push(tasks[next++]);
        return batch;
      };
      const feed = (live: Live<T>) => {
        while (!settled && !live.lost && pending() > 0 && live.batches.length < IN_FLIGHT) {
          const batch = nextBatch();
          live.batches.push(batch);
          live.worker.postMessage(batch);
        }
      };
      // Past the time limit a worker is stopped. One whose task reports progress (OCR, whose
      // engine runs native code: a worker stopped inside it brings the whole process down) is
      // first asked to stop the task itself, between two steps, and stopped only if it does
      // not within the time limit again.
      const arm = (live: Live<T>) => {
        live.cancelTimer?.();
        live.cancelTimer =
          timeoutMs > 0
            ? setTimer(timeoutMs, () => {
                if (!live.stoppable || live.stopping) return lose(live, { timeoutMs });
                live.stopping = true;
                live.worker.postMessage({ stop: true });
                arm(live);
              })
            : null;
      };

      const lose = (live: Live<T>, cause: { error?: Error; exitCode?: number; timeoutMs?: number }) => {
        if (live.lost || settled) return;
        live.lost = true;
        live.cancelTimer?.();
        const unanswered = live.batches.flat();
        live.batches = [];
        // The task it was running: started, not answered. Those before it in the same batch
        // finished, but their rows were never flushed; they run again, as does everything after.
        const culprit = live.started > 0 ? unanswered[live.started - 1] : undefined;
        retry.unshift(...unanswered.filter((t) => t !== culprit));
        barren = culprit === undefined ? barren + 1 : 0;
        const stopped = live.worker.terminate().catch(() => undefined);
        const failure = failureOf(cause, options.heapMb);
        const lost = options.lost;
        if (culprit !== undefined && !lost) {
          fail(new Error(failure.message));
          return;
        }
        take(
          async () => {
            await stopped;
            await options.onWorkerLost?.(live.data, live.checkpoint);
            if (culprit !== undefined) await options.onResults([await lost!(culprit, failure)]);
          },
          culprit === undefined ? 0 : 1,
        );
        if (barren >= MAX_BARREN_LOSSES) {
          fail(new Error(`parse workers keep stopping before parsing any file (the last: ${failure.message})`));
          return;
        }
        if (pending() > 0 && all.filter((l) => !l.lost).length < jobs) start();
      };

      const start = () => {
        const data = { ...options.workerData, worker: spawned++ };
        const live: Live<T> = { worker: spawn(options.script, data, options.heapMb), data, batches: [], started: 0, checkpoint: undefined, lost: false, cancelTimer: null, stoppable: false, stopping: false };
        all.push(live);
        live.worker.on('message', (message: WorkerMessage<R>) => {
          if (live.lost || settled) return;
          if ('started' in message) {
            live.started++;
            live.stoppable = false;
            live.stopping = false;
            arm(live);
            return;
          }
          if ('progress' in message) {
            live.stoppable = true;
            // A task asked to stop keeps the time it was given to do so.
            if (!live.stopping) arm(live);
            options.onProgress?.(message.progress);
            return;
          }
          const batch = live.batches.shift();
          if (!batch) return;
          const { results, checkpoint } = Array.isArray(message) ? { results: message, checkpoint: live.checkpoint } : message;
          live.checkpoint = checkpoint;
          live.started = Math.max(0, live.started - batch.length);
          live.cancelTimer?.();
          live.cancelTimer = null;
          live.stoppable = false;
          live.stopping = false;
          barren = 0;
          feed(live);
          take(() => options.onResults(results), results.length);
        });
        live.worker.on('error', (error) => lose(live, { error }));
        live.worker.on('exit', (exitCode) => lose(live, { exitCode }));
        feed(live);
      };
      for (let i = 0; i < jobs; i++) start();
    });
  } finally {
    for (const live of all) {
      live.lost = true;
      live.cancelTimer?.();
    }
    await Promise.all(all.map((l) => l.worker.terminate().catch(() => undefined)));
  }
}

/**
 * Parses every task on `jobs` parse workers, calling `onResults` for each batch as it arrives.
 * Scanned pages are OCR'd in the workers as `ocr` says; each page read calls `onPage`, and each
 * page and step of the engine gives its file the time limit afresh.
 */
export function parseAll(
  tasks: ParseTask[],
  options: {
    jobs: number;
    cacheDir: string | null;
    stagingDir: string;
    limits: FileLimits;
    onResults: (results: ParseResult[]) => void | Promise<void>;
    ocr?: OcrSettings | null;
    fingerprint?: string;
    onPage?: () => void;
  },
): Promise<void> {
  return runPool<ParseTask, ParseResult>(tasks, {
    script: new URL('./worker-boot.mjs', import.meta.url),
    workerData: {
      cacheDir: options.cacheDir,
      fingerprint: options.fingerprint ?? parserFingerprint(),
      stagingDir: options.stagingDir,
      limits: options.limits,
      ocr: options.ocr ?? null,
    },
    jobs: options.jobs,
    onResults: options.onResults,
    onProgress: (what) => what === 'page' && options.onPage?.(),
    taskTimeoutMs: options.limits.timeoutMs,
    heapMb: options.limits.heapMb,
    lost: (task, failure) => stageLostFile(options.stagingDir, task, failure),
    onWorkerLost: (data, checkpoint) => rollbackStaging(options.stagingDir, Number(data.worker), checkpoint as StagingCheckpoint | undefined),
  });
}
