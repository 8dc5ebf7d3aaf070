/**
 * Builds the demo release once per test run (the full demo corpus of 河南省 2019–2024 plus the
 * real reports), in .cache/test-demo, and hands its folder to the tests: API and chart tests
 * run against this real release, never a mock. Rebuilt only when the corpus config or the
 * code (parser, release builder) changed; older test releases than the previous one are removed.
 */
import type { TestProject } from 'vitest/node';
import { ensureDemoRelease } from '../pipeline/demo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    demoRelease: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  const { dir, built } = await ensureDemoRelease(
    { corpus: '.cache/test-demo/corpus', releases: '.cache/test-demo/releases', cache: '.cache/test-demo/parse', keep: 2 },
    { log: (line) => console.log(`[demo release] ${line}`) },
  );
  if (built) console.log(`[demo release] ${built.reports} reports, ${built.errors} errors in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('demoRelease', dir);
}
