/**
 * Builds the demo release once per test run (the full demo corpus of 河南省 2019–2024, generated
 * sample data as `npm start` serves it) and a release of the real reports of data/reports/real,
 * in .cache/test-demo, and hands their folders to the tests: API and chart tests run against
 * these releases, never a mock. Rebuilt only when the inputs or the code (parser, release
 * builder) changed; older test releases than the previous one are removed.
 */
import type { TestProject } from 'vitest/node';
import { ensureDemoRelease, ensureRealRelease } from '../pipeline/demo.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    demoRelease: string;
    realRelease: string;
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
  const real = await ensureRealRelease({ releases: '.cache/test-demo/real-releases', cache: '.cache/test-demo/parse', keep: 2 }, { log: (line) => console.log(`[real release] ${line}`) });
  project.provide('realRelease', real.dir);
}
