/**
 * How much database work runs at once. Every query a request sends to DuckDB takes a slot in a
 * lane first: `light` for the ordinary questions, given back when the query ends; `heavy` for
 * comparisons expected to return many groups (comparisons.ts estimates how many), held until the
 * request's answer is made (db.ts: Session, as that answer is heavy work too). Each lane
 * runs a few queries at once and queues a few more; past that a query is refused at once with
 * OVERLOADED (HTTP 503, Retry-After), and a queued query gives up at its request's deadline.
 * Heavy questions thus wait behind each other, not in front of the light ones, and answers from
 * the caches never queue at all; heavy ones also wait while the event loop is busy (setLoad),
 * so that the server's one JavaScript thread keeps time for everything else.
 */
import { performance } from 'node:perf_hooks';
import { ApiError } from './errors.ts';

export type Lane = 'light' | 'heavy';

export interface LaneLimits {
  /** Queries running at once. */
  concurrent: number;
  /** Queries waiting for a slot; more are refused. */
  queue: number;
}

interface Waiter {
  admit: () => void;
}

class LaneState {
  running = 0;
  readonly waiting: Waiter[] = [];
  constructor(
    readonly name: Lane,
    readonly limits: LaneLimits,
  ) {}
}

export interface AdmissionOptions {
  retryAfterSeconds: number;
  /** Heavy work starts only while the event loop is busy at most this share of the time (0: always). */
  heavyMaxLoad: number;
  /** Measure the event loop's load with a timer (the server); tests set it with setLoad() instead. */
  measureLoad: boolean;
}

/** How often the event loop's load is measured, ms; each measure weighs a quarter of the average. */
const LOAD_TICK_MS = 50;
const LOAD_WEIGHT = 0.25;

export class Admission {
  private readonly lanes: Record<Lane, LaneState>;
  readonly retryAfterSeconds: number;
  /** The share of recent time the event loop was busy (a moving average over ~200 ms). */
  private busy = 0;
  private readonly ticker: NodeJS.Timeout | null = null;

  constructor(
    limits: Record<Lane, LaneLimits>,
    private readonly options: AdmissionOptions,
  ) {
    this.lanes = { light: new LaneState('light', limits.light), heavy: new LaneState('heavy', limits.heavy) };
    this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.measureLoad && options.heavyMaxLoad > 0) {
      let last = performance.eventLoopUtilization();
      this.ticker = setInterval(() => {
        const now = performance.eventLoopUtilization();
        this.setLoad(this.busy + LOAD_WEIGHT * (performance.eventLoopUtilization(now, last).utilization - this.busy));
        last = now;
      }, LOAD_TICK_MS);
      this.ticker.unref();
    }
  }

  /** How busy a lane is (tests, the soak). */
  load(lane: Lane): { running: number; waiting: number } {
    const l = this.lanes[lane];
    return { running: l.running, waiting: l.waiting.length };
  }

  /** The event loop's load now, 0–1 (the timer's measure, or a test's). */
  setLoad(share: number): void {
    this.busy = Math.min(1, Math.max(0, share));
    this.admitWaiting(this.lanes.heavy);
  }

  /**
   * Heavy work starts only while the event loop has time to spare: every request — cached
   * answers too — is answered by the server's one JavaScript thread, and a heavy answer is tens
   * of milliseconds of work on it. While the loop is busier than heavyMaxLoad, heavy requests
   * wait (up to their deadline), and the time goes to everything else.
   */
  private open(l: LaneState): boolean {
    return l.running < l.limits.concurrent && (l.name === 'light' || this.options.heavyMaxLoad <= 0 || this.busy <= this.options.heavyMaxLoad);
  }

  private admitWaiting(l: LaneState): void {
    while (l.waiting.length && this.open(l)) {
      l.running++;
      l.waiting.shift()!.admit();
    }
  }

  /**
   * Waits for a slot in `lane`, at most until `deadline` (epoch ms; `timedOut` makes the error
   * then); resolves to the function that gives the slot back.
   */
  enter(lane: Lane, deadline: number, timedOut: () => Error): Promise<() => void> {
    const l = this.lanes[lane];
    const leave = once(() => {
      l.running--;
      this.admitWaiting(l);
    });
    if (!l.waiting.length && this.open(l)) {
      l.running++;
      return Promise.resolve(leave);
    }
    if (l.waiting.length >= l.limits.queue) {
      return Promise.reject(
        new ApiError(
          'OVERLOADED',
          `The server is busy with ${lane === 'heavy' ? 'large comparisons' : 'other questions'} (${l.running} running, ${l.waiting.length} waiting). Retry after ${this.retryAfterSeconds} s${lane === 'heavy' ? ', or ask for fewer groups (limit, groupBy, a narrower filter)' : ''}.`,
          { lane, retryAfterSeconds: this.retryAfterSeconds },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve(leave);
        },
      };
      const timer = setTimeout(() => {
        const i = l.waiting.indexOf(waiter);
        if (i >= 0) l.waiting.splice(i, 1);
        reject(timedOut());
      }, Math.max(0, deadline - Date.now()));
      l.waiting.push(waiter);
    });
  }

  /** Stops measuring the load. */
  close(): void {
    if (this.ticker) clearInterval(this.ticker);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
