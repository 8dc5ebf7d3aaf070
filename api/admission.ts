/**
 * How much database work runs at once. Every query a request sends to DuckDB takes a slot in a
 * lane first and gives it back when the query ends: `light` for the ordinary questions, `heavy`
 * for comparisons expected to return many groups (comparisons.ts estimates how many). Each lane
 * runs a few queries at once and queues a few more; past that a query is refused at once with
 * OVERLOADED (HTTP 503, Retry-After), and a queued query gives up at its request's deadline.
 * Heavy questions thus wait behind each other, not in front of the light ones, and answers from
 * the caches never queue at all.
 */
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

export class Admission {
  private readonly lanes: Record<Lane, LaneState>;

  constructor(
    limits: Record<Lane, LaneLimits>,
    readonly retryAfterSeconds: number,
  ) {
    this.lanes = { light: new LaneState('light', limits.light), heavy: new LaneState('heavy', limits.heavy) };
  }

  /** How busy a lane is (tests, the soak). */
  load(lane: Lane): { running: number; waiting: number } {
    const l = this.lanes[lane];
    return { running: l.running, waiting: l.waiting.length };
  }

  /**
   * Waits for a slot in `lane`, at most until `deadline` (epoch ms; `timedOut` makes the error
   * then); resolves to the function that gives the slot back.
   */
  enter(lane: Lane, deadline: number, timedOut: () => Error): Promise<() => void> {
    const l = this.lanes[lane];
    const leave = once(() => {
      const next = l.waiting.shift();
      if (next) next.admit();
      else l.running--;
    });
    if (l.running < l.limits.concurrent) {
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
        // The slot passes straight from the query that ends to this one: `running` stays.
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
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
