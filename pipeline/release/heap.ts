/**
 * A full garbage collection between the build's phases. Parsing leaves the main thread's heap
 * at a few hundred MB of garbage (worker messages, the file list and its manifest rows); the
 * DuckDB phases that follow allocate almost nothing in JavaScript, so V8 would not collect
 * it for most of the build, and that garbage would count in the build's peak memory.
 * `gc` is the function V8 exposes under --expose-gc; it is taken from a fresh context with the
 * flag on (as test runners do to measure leaks), so no flag is needed on the command line.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
