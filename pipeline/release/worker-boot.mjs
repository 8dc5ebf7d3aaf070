// Starts a parse worker: worker threads do not inherit the TypeScript loader of the main
// thread, so the worker registers tsx before loading the TypeScript module.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
