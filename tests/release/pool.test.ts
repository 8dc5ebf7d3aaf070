/**
 * The parse pool hands out batches on demand and finishes for every corpus size and worker
 * count: every task answered exactly once, no worker left running. The full sweep runs on
 * in-process workers (the pool's scheduling is the subject); the sizes that once hung run on
 * real worker threads too, and one small build runs end to end. A worker that hangs, crashes or
 * runs out of memory mid-batch is replaced: its file gets a result saying why, the rest of its
 * batch is parsed by another worker.
 */
import { EventEmitter } from 'node:events';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../pipeline/release/build.ts';
import { batchSize, runPool, type PoolWorker, type SetTimer, type TaskFailure } from '../../pipeline/release/pool.ts';
import { runSynth } from '../../pipeline/synth/index.ts';

const ECHO = new URL('./workers/echo.mjs', import.meta.url);
const FAULTY = new URL('./workers/faulty.mjs', import.meta.url);

interface Echo {
  task: number;
  worker: number;
}

/** A seeded generator, so a failing sweep repeats. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** An in-process worker answering each batch after a random number of event-loop turns. */
class FakeWorker extends EventEmitter implements PoolWorker {
  pending = 0;
  terminated = false;
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly random: () => number,
  ) {
    super();
  }
  postMessage(batch: number[]): void {
    this.pending++;
    const reply = () => {
      this.pending--;
      if (!this.terminated) this.emit('message', batch.map((task) => ({ task, worker: this.data.worker })));
    };
    if (this.random() < 0.5) setImmediate(reply);
    else setTimeout(reply, Math.floor(this.random() * 3));
  }
  async terminate(): Promise<number> {
    if (!this.terminated) {
      this.terminated = true;
      this.emit('exit', 1);
    }
    return 1;
  }
}

/** Runs the pool on fakes until it settles or nothing is left to happen (a hang). */
async function sweep(size: number, jobs: number, seed: number) {
  const random = lcg(seed);
  const fakes: FakeWorker[] = [];
  const seen: number[] = [];
  let state = 'running' as 'running' | 'resolved' | 'rejected';
  const run = runPool<number, Echo>(
    Array.from({ length: size }, (_, i) => i),
    {
      script: ECHO,
      workerData: {},
      jobs,
      spawn: (_script, data) => {
        const fake = new FakeWorker(data, random);
        fakes.push(fake);
        return fake;
      },
      onResults: async (results) => {
        if (random() < 0.3) await new Promise((r) => setImmediate(r));
        for (const r of results) seen.push(r.task);
      },
    },
  ).then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  // Quiescent: no fake holds a batch and the intake had turns to finish.
  for (let idle = 0; state === 'running' && idle < 20; ) {
    await new Promise((r) => setTimeout(r, 1));
    idle = fakes.some((f) => f.pending > 0) ? 0 : idle + 1;
  }
  if (state !== 'running') await run;
  return { state, seen, fakes };
}

describe('the parse pool', () => {
  it('finishes for every corpus size from 0 to 100 files on 1 to 4 workers, each task answered once', async () => {
    const problems: string[] = [];
    for (let jobs = 1; jobs <= 4; jobs++) {
      for (let size = 0; size <= 100; size++) {
        const { state, seen, fakes } = await sweep(size, jobs, size * 7 + jobs);
        const sorted = [...seen].sort((a, b) => a - b);
        if (state !== 'resolved') problems.push(`${size} files × ${jobs} workers: ${state}`);
        else if (sorted.length !== size || sorted.some((t, i) => t !== i)) problems.push(`${size} files × ${jobs} workers: answers ${sorted.length}`);
        else if (fakes.some((f) => !f.terminated)) problems.push(`${size} files × ${jobs} workers: a worker left running`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every worker work on a small corpus', async () => {
    // 17 files on 2 workers once left the second worker without a batch and the pool open.
    expect(batchSize(17, 2)).toBeLessThanOrEqual(Math.ceil(17 / 2));
    const { seen, fakes } = await sweep(17, 2, 1);
    expect(seen).toHaveLength(17);
    expect(fakes).toHaveLength(2);
  });

  it('rejects when taking in results fails, and stops every worker', async () => {
    const fakes: FakeWorker[] = [];
    const random = lcg(3);
    await expect(
      runPool<number, Echo>([1, 2, 3, 4, 5, 6, 7, 8], {
        script: ECHO,
        workerData: {},
        jobs: 2,
        spawn: (_s, data) => {
          const fake = new FakeWorker(data, random);
          fakes.push(fake);
          return fake;
        },
        onResults: () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(fakes.every((f) => f.terminated)).toBe(true);
  });

  it('rejects when a worker exits before the work is done', async () => {
    await expect(
      runPool<number, Echo>([1, 2, 3], {
        script: ECHO,
        workerData: {},
        jobs: 1,
        spawn: (_s, data) => {
          const fake = new FakeWorker(data, lcg(5));
          fake.postMessage = () => setImmediate(() => fake.emit('exit', 3));
          return fake;
        },
        onResults: () => {},
      }),
    ).rejects.toThrow(/exited with code 3/);
  });

  it('finishes on real worker threads at the sizes that hung (17–40 files)', async () => {
    for (const [size, jobs] of [
      [0, 2],
      [1, 4],
      [17, 2],
      [32, 2],
      [33, 3],
      [40, 4],
      [100, 4],
    ]) {
      const seen: number[] = [];
      const workers = new Set<number>();
      await runPool<number, Echo>(
        Array.from({ length: size }, (_, i) => i),
        {
          script: ECHO,
          workerData: { jitter: 3 },
          jobs,
          onResults: (results) => {
            for (const r of results) {
              seen.push(r.task);
              workers.add(r.worker);
            }
          },
        },
      );
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i));
      if (size >= 17) expect(workers.size).toBe(jobs);
    }
  });
});

describe('a small corpus', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('of 17 files builds on 2 workers', async () => {
    const inputs = mkdtempSync(join(tmpdir(), 'gongkai-pool-'));
    const out = mkdtempSync(join(tmpdir(), 'gongkai-pool-out-'));
    dirs.push(inputs, out);
    await runSynth({ out: join(inputs, 'synth'), provinces: ['41'], years: [2023, 2023], seed: 4, limit: 11, styles: ['text-tab'] });
    cpSync('data/reports/real', join(inputs, 'real'), { recursive: true });
    const summary = await build({ inputs: [inputs], out, jobs: 2, cacheDir: null, now: new Date('2026-01-31T08:00:00Z') });
    expect(summary.inputs).toBe(17);
    expect(summary.reports + summary.errors).toBe(17);
    expect(readdirSync(out).filter((n) => n.startsWith('.build-'))).toEqual([]);
  });
});

interface Faulty {
  n: number;
  fault?: 'hang' | 'crash' | 'oom';
}
type Outcome = { task: number; worker?: number; error?: TaskFailure['code']; message?: string };

/** An in-process worker that says when it starts each task and never answers the task that hangs. */
class HangingFake extends EventEmitter implements PoolWorker {
  terminated = false;
  private queue: Faulty[][] = [];
  private busy = false;
  constructor(private readonly data: Record<string, unknown>) {
    super();
  }
  postMessage(batch: Faulty[]): void {
    this.queue.push(batch);
    if (!this.busy) setImmediate(() => this.work());
  }
  private work(): void {
    if (this.busy) return;
    const batch = this.queue.shift();
    if (!batch || this.terminated) return;
    this.busy = true;
    const results: Outcome[] = [];
    for (const task of batch) {
      this.emit('message', { started: true });
      if (task.fault === 'hang') return; // busy for ever, as a thread in an endless loop
      results.push({ task: task.n, worker: Number(this.data.worker) });
    }
    this.busy = false;
    this.emit('message', { results, checkpoint: results.length });
    setImmediate(() => this.work());
  }
  async terminate(): Promise<number> {
    if (!this.terminated) {
      this.terminated = true;
      this.emit('exit', 1);
    }
    return 1;
  }
}

/** A clock the test advances: timers fire only when it says so. */
function manualClock() {
  const timers = new Set<{ fire: () => void }>();
  const setTimer: SetTimer = (_ms, fire) => {
    const t = { fire };
    timers.add(t);
    return () => timers.delete(t);
  };
  return {
    setTimer,
    pending: () => timers.size,
    fireAll: () => {
      for (const t of [...timers]) {
        timers.delete(t);
        t.fire();
      }
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('a worker that fails mid-batch', () => {
  it('is stopped when a task runs past the time limit, and the rest of its batch runs elsewhere', async () => {
    const clock = manualClock();
    const fakes: HangingFake[] = [];
    const outcomes: Outcome[] = [];
    const lostCalls: unknown[] = [];
    const tasks: Faulty[] = Array.from({ length: 12 }, (_, n) => (n === 4 ? { n, fault: 'hang' } : { n }));
    let done = false;
    const run = runPool<Faulty, Outcome>(tasks, {
      script: ECHO,
      workerData: {},
      jobs: 2,
      taskTimeoutMs: 1000,
      setTimer: clock.setTimer,
      spawn: (_s, data) => {
        const fake = new HangingFake(data);
        fakes.push(fake);
        return fake;
      },
      lost: (task, failure) => ({ task: task.n, error: failure.code, message: failure.message }),
      onWorkerLost: (_data, checkpoint) => void lostCalls.push(checkpoint),
      onResults: (results) => void outcomes.push(...results),
    }).then(() => (done = true));
    // Every task but the hanging one's batch is answered; the hanging task's timer is pending.
    for (let i = 0; i < 20 && outcomes.length < 9; i++) await settle();
    expect(done).toBe(false);
    expect(clock.pending()).toBe(1);
    clock.fireAll();
    await run;
    const byTask = new Map(outcomes.map((o) => [o.task, o]));
    expect([...byTask.keys()].sort((a, b) => a - b)).toEqual(tasks.map((t) => t.n));
    expect(outcomes).toHaveLength(12);
    expect(byTask.get(4)).toEqual({ task: 4, error: 'timeout', message: 'parsing took longer than 1 s and was stopped' });
    expect(outcomes.filter((o) => o.error)).toHaveLength(1);
    // the hanging worker was replaced by a third, and all were stopped at the end
    expect(fakes).toHaveLength(3);
    expect(fakes.every((f) => f.terminated)).toBe(true);
    expect(lostCalls).toHaveLength(1);
  });

  it('on real threads: a hang, a crash and an out-of-memory task each get their error, every other task its answer', { timeout: 60_000 }, async () => {
    const faults: Record<number, Faulty['fault']> = { 5: 'hang', 12: 'crash', 17: 'oom' };
    const tasks: Faulty[] = Array.from({ length: 24 }, (_, n) => ({ n, ...(faults[n] ? { fault: faults[n] } : {}) }));
    const outcomes: Outcome[] = [];
    const checkpoints: { worker: number; checkpoint: unknown }[] = [];
    await runPool<Faulty, Outcome>(tasks, {
      script: FAULTY,
      workerData: {},
      jobs: 2,
      taskTimeoutMs: 3000,
      heapMb: 24,
      lost: (task, failure) => ({ task: task.n, error: failure.code }),
      onWorkerLost: (data, checkpoint) => void checkpoints.push({ worker: Number(data.worker), checkpoint }),
      onResults: (results) => void outcomes.push(...results),
    });
    expect(outcomes.map((o) => o.task).sort((a, b) => a - b)).toEqual(tasks.map((t) => t.n));
    expect(Object.fromEntries(outcomes.filter((o) => o.error).map((o) => [o.task, o.error]))).toEqual({ 5: 'timeout', 12: 'internal', 17: 'too_large' });
    // Each lost worker's checkpoint lists only tasks whose answers the pool took in.
    expect(checkpoints).toHaveLength(3);
    const answered = new Set(outcomes.filter((o) => !o.error).map((o) => o.task));
    for (const { checkpoint } of checkpoints) for (const t of (checkpoint as number[] | undefined) ?? []) expect(answered.has(t)).toBe(true);
    // replacements are new workers, never a reused number
    const workers = new Set(outcomes.flatMap((o) => (o.worker === undefined ? [] : [o.worker])));
    expect(Math.max(...workers)).toBeGreaterThanOrEqual(2);
  });

  it('rejects without a `lost` handler, as a pool that cannot account for the task', async () => {
    await expect(
      runPool<Faulty, Outcome>([{ n: 0 }, { n: 1, fault: 'crash' }], { script: FAULTY, workerData: {}, jobs: 1, onResults: () => {} }),
    ).rejects.toThrow('the parse worker exited with code 7');
  });
});

/**
 * An in-process worker whose tasks report progress (as OCR does) and then wait, one task at a
 * time: an even task ends when asked to stop, an odd one never does.
 */
class ProgressFake extends EventEmitter implements PoolWorker {
  terminated = false;
  stopsAsked = 0;
  private queue: number[] = [];
  private current: number | null = null;
  postMessage(message: Faulty[] | { stop: true }): void {
    if (Array.isArray(message)) {
      this.queue.push(...message.map((t) => t.n));
      if (this.current === null) this.next();
      return;
    }
    this.stopsAsked++;
    const task = this.current;
    if (task === null || task % 2 === 1) return;
    setImmediate(() => {
      this.emit('message', { results: [{ task, error: 'timeout', message: 'stopped itself' }] });
      this.next();
    });
  }
  private next(): void {
    this.current = this.queue.shift() ?? null;
    if (this.current === null) return;
    setImmediate(() => {
      this.emit('message', { started: true });
      this.emit('message', { progress: 'page' });
    });
  }
  async terminate(): Promise<number> {
    if (!this.terminated) {
      this.terminated = true;
      this.emit('exit', 1);
    }
    return 1;
  }
}

describe('a task that reports progress (OCR)', () => {
  it('is asked to stop past the time limit, and its worker is stopped only if it does not', async () => {
    const clock = manualClock();
    const fakes: ProgressFake[] = [];
    const outcomes: Outcome[] = [];
    const progress: string[] = [];
    const run = runPool<Faulty, Outcome>([{ n: 0 }, { n: 1 }], {
      script: ECHO,
      workerData: {},
      jobs: 1,
      taskTimeoutMs: 1000,
      setTimer: clock.setTimer,
      spawn: () => {
        const fake = new ProgressFake();
        fakes.push(fake);
        return fake;
      },
      lost: (task, failure) => ({ task: task.n, error: failure.code, message: failure.message }),
      onProgress: (what) => void progress.push(what),
      onResults: (results) => void outcomes.push(...results),
    });
    const until = async (ok: () => boolean) => {
      for (let i = 0; i < 20 && !ok(); i++) await settle();
    };
    await until(() => progress.length === 1);
    // Task 0 past the limit: asked to stop, it ends with its own error; the worker goes on.
    clock.fireAll();
    await until(() => progress.length === 2);
    expect(outcomes).toEqual([{ task: 0, error: 'timeout', message: 'stopped itself' }]);
    expect([fakes.length, fakes[0].stopsAsked, fakes[0].terminated]).toEqual([1, 1, false]);
    // Task 1 past the limit: asked to stop, it does not; past the limit again, it is stopped.
    clock.fireAll();
    await settle();
    expect([fakes[0].stopsAsked, fakes[0].terminated]).toEqual([2, false]);
    clock.fireAll();
    await run;
    expect(outcomes[1]).toEqual({ task: 1, error: 'timeout', message: 'parsing took longer than 1 s and was stopped' });
    expect(fakes[0].terminated).toBe(true);
  });
});
