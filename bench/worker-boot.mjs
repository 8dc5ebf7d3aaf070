// Runs a bench script in a worker thread: worker threads do not inherit the TypeScript loader of
// the main thread, so the worker registers tsx before loading the module its workerData names.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
