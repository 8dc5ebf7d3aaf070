import { defineConfig } from 'vitest/config';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

const require = createRequire(import.meta.url);

export default defineConfig({
  // graphql@16 ships index.js (CJS) and index.mjs without an "exports" map: Node, Pothos and Yoga
  // load index.js while Vite would load index.mjs for test files. One alias keeps one graphql realm.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: a single fork on a 2-core machine. Most
    // test files wait on child processes, a browser or DuckDB rather than compute, so two forks
    // keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 60_000,
    // The demo release the API and chart tests read, built once per run.
    globalSetup: ['tests/global-setup.ts'],
    hookTimeout: 600_000,
  },
});
