/**
 * Release build at scale: 100,000 generated reports, built cold, again with the parse cache,
 * and a third time against a previous release said to be made by another parser (so every
 * report is compared with it cell by cell); and 10,000 for comparison of peak memory (it
 * should stay flat as the corpus grows).
 *
 *   npx tsx bench/build.ts [--reports 100000] [--small 10000] [--work DIR] [--keep]
 *
 * Each build runs in its own process, so its peak RSS (main thread, parse workers and
 * DuckDB together) is its own. Baseline, measured in the same run on the same files: reading
 * and hashing every input once — the I/O floor of any build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findInputs } from '../pipeline/release/inputs.ts';
import { runSynth } from '../pipeline/synth/index.ts';

const { values } = parseArgs({ options: { reports: { type: 'string', default: '100000' }, small: { type: 'string', default: '10000' }, work: { type: 'string', default: '/tmp/gongkai-bench-build' }, keep: { type: 'boolean' } } });
const BIG = Number(values.reports);
const SMALL = Number(values.small);
const work = values.work!;
/** Enough provinces for 100,000 reports over 2019–2024 (the generator stops at --reports). */
const PROVINCES = ['41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '61', '62', '13', '32', '33', '34', '35', '36', '37'];

async function corpus(n: number): Promise<string> {
  const dir = join(work, `corpus-${n}`);
  if (existsSync(join(dir, 'manifest.csv'))) return dir;
  const t = performance.now();
  await runSynth({ out: dir, provinces: PROVINCES, years: [2019, 2024], seed: 1, limit: n });
  console.error(`generated ${n} reports in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  return dir;
}

function baseline(dir: string): number {
  const t = performance.now();
  for (const f of findInputs([dir]).files) createHash('sha256').update(readFileSync(f.abs)).digest();
  return performance.now() - t;
}

interface Run { ms: number; reports: number; cached: number; maxRssMB: number; version: string; phases: Record<string, number>; changes: { compared: number } }

function runBuild(dir: string, out: string, cache: string): Run {
  const stdout = execFileSync('npx', ['tsx', 'bench/build-run.ts', out, cache, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

mkdirSync(work, { recursive: true });
const rows: string[] = [];
for (const n of [SMALL, BIG]) {
  const dir = await corpus(n);
  const count = findInputs([dir]).files.length;
  if (count !== n) throw new Error(`the corpus holds ${count} reports, not ${n}: add provinces`);
  const out = join(work, `releases-${n}`);
  const cache = join(work, `cache-${n}`);
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  const base = baseline(dir);
  const cold = runBuild(dir, out, cache);
  const warm = runBuild(dir, out, cache);
  // A release made by another parser: the next build compares every report cell by cell.
  const info = join(out, 'latest', 'release.json');
  const released = JSON.parse(readFileSync(info, 'utf8'));
  writeFileSync(info, JSON.stringify({ ...released, software: { ...released.software, parser: 'another parser' } }));
  const compare = runBuild(dir, out, cache);
  const rate = (r: Run) => Math.round(r.reports / (r.ms / 1000));
  const phases = (r: Run) => ['parse', 'derive', 'write', 'quality', 'metadata'].map((p) => `${(r.phases[p] / 1000).toFixed(1)}`).join(' / ');
  rows.push(`| ${n.toLocaleString('en-US')} | cold | ${(cold.ms / 1000).toFixed(1)} s | ${rate(cold)} | ${cold.maxRssMB} MB | ${(cold.ms / base).toFixed(1)} | ${phases(cold)} |`);
  rows.push(`| ${n.toLocaleString('en-US')} | cached (${warm.cached} hits) | ${(warm.ms / 1000).toFixed(1)} s | ${rate(warm)} | ${warm.maxRssMB} MB | ${(warm.ms / base).toFixed(1)} | ${phases(warm)} |`);
  rows.push(`| ${n.toLocaleString('en-US')} | cached, ${compare.changes.compared.toLocaleString('en-US')} reports compared with the previous release | ${(compare.ms / 1000).toFixed(1)} s | ${rate(compare)} | ${compare.maxRssMB} MB | ${(compare.ms / base).toFixed(1)} | ${phases(compare)} |`);
  console.error(`${n}: baseline (read + hash every input) ${(base / 1000).toFixed(1)} s`);
}
console.log(`# release build, ${availableParallelism()} cores, node ${process.version}\n`);
console.log('| reports | run | wall time | reports/s | peak RSS | ÷ baseline (read + hash inputs) | s: parse / derive / write / quality / metadata |');
console.log('|---:|---|---:|---:|---:|---:|---|');
for (const r of rows) console.log(r);
if (!values.keep) rmSync(work, { recursive: true, force: true });
