/**
 * How fast the corpus generator writes: 10,000 reports (河南省 and 湖北省, 2019–2024, cut at
 * 10,000) into a temporary directory, then reports/s, MB written and wall time.
 *
 *   npx tsx bench/synth.ts [--keep]
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../pipeline/synth/index.ts';

const REPORTS = 10_000;

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const out = mkdtempSync(join(tmpdir(), 'gongkai-synth-bench-'));
  try {
    const result = await runSynth({ out, provinces: ['41', '42'], years: [2019, 2024], seed: 1, limit: REPORTS });
    const reportBytes = bytesUnder(out) - bytesUnder(join(out, 'truth'));
    const truthBytes = bytesUnder(join(out, 'truth'));
    const seconds = result.ms / 1000;
    console.log(`reports      ${result.reports}`);
    console.log(`files        ${result.files}`);
    console.log(`wall time    ${seconds.toFixed(2)} s`);
    console.log(`reports/s    ${Math.round(result.reports / seconds)}`);
    console.log(`MB written   ${((reportBytes + truthBytes) / 1e6).toFixed(1)} (reports ${(reportBytes / 1e6).toFixed(1)}, truth ${(truthBytes / 1e6).toFixed(1)}, manifest included in reports)`);
    if (keep) console.log(`kept in      ${out}`);
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
