/**
 * The bundled demo: the generated corpus of data/demo-corpus.json (every city and county-level
 * region of 河南省, 2019–2024) built into a release of generated sample data only — the real
 * reports of data/reports/real are test fixtures (one of them a placeholder city) and never go
 * into it. `npm start` and the API tests call ensureDemoRelease(): it regenerates the corpus only
 * when the config changed and rebuilds only when the corpus or the code (parser, release builder)
 * changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildSummary } from './release/build.ts';
import { builderFingerprint, sourceFingerprint } from './release/cache.ts';
import { latestVersion, pruneReleases } from './release/versions.ts';
import { runSynth, synthConfigFromJson } from './synth/index.ts';

export const DEMO_CONFIG = 'data/demo-corpus.json';

export interface DemoPaths {
  corpus: string;
  releases: string;
  cache?: string | null;
  /** Keep only this many releases after a rebuild (a cache of releases nobody links to); default: all. */
  keep?: number;
}

/** Everything `npm start` writes lies under data/demo (git-ignored): remove the folder to start over. */
export const DEMO_ROOT = 'data/demo';
export const DEFAULT_DEMO: DemoPaths = { corpus: `${DEMO_ROOT}/corpus`, releases: `${DEMO_ROOT}/releases`, cache: `${DEMO_ROOT}/parse-cache`, keep: 1 };

const STAMP = '.demo-stamp.json';

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Generates the demo corpus unless the one on disk was made from the same config by the same
 * generator (a corpus of an older generator could carry what it no longer writes).
 */
export async function ensureDemoCorpus(dir: string, log: (line: string) => void = () => {}): Promise<void> {
  const configText = readFileSync(DEMO_CONFIG, 'utf8');
  const want = hash(`${configText}\n${sourceFingerprint(['synth'])}`);
  const stampFile = join(dir, STAMP);
  if (existsSync(stampFile) && JSON.parse(readFileSync(stampFile, 'utf8')).config === want) return;
  log(`generating the demo corpus from ${DEMO_CONFIG} into ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  const r = await runSynth({ ...synthConfigFromJson(JSON.parse(configText), DEMO_CONFIG), out: dir });
  writeFileSync(stampFile, `${JSON.stringify({ config: want, reports: r.reports })}\n`);
}

/** What a demo release was built from: the corpus stamp and the code (parser and release builder). */
function inputsStamp(paths: DemoPaths): string {
  const corpus = readFileSync(join(paths.corpus, STAMP), 'utf8');
  return hash(`${corpus}\n${builderFingerprint()}`);
}

type EnsureOptions = { log?: (line: string) => void; onProgress?: (done: number, total: number) => void };

/**
 * The directory of a current release of `inputs` in `releases`, building one when there is none
 * or when the latest was built from inputs or code of another stamp.
 */
async function ensureBuilt(
  what: string,
  inputs: string[],
  stamp: string,
  paths: Omit<DemoPaths, 'corpus'>,
  options: EnsureOptions,
): Promise<{ dir: string; built: BuildSummary | null }> {
  const log = options.log ?? (() => {});
  const latest = latestVersion(paths.releases);
  const recordFile = join(paths.releases, '.demo.json');
  if (latest && existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    if (record.version === latest && record.stamp === stamp) return { dir: join(paths.releases, latest), built: null };
  }
  log(`building the ${what} into ${paths.releases}`);
  const built = await build({ inputs, out: paths.releases, cacheDir: paths.cache, onProgress: options.onProgress });
  writeFileSync(recordFile, `${JSON.stringify({ version: built.version, stamp })}\n`);
  if (paths.keep) for (const version of pruneReleases(paths.releases, paths.keep)) log(`removed the old ${what} ${version}`);
  return { dir: built.dir, built };
}

/**
 * The directory of a current demo release, building one when there is none or when the latest
 * was built from other inputs or by other code.
 */
export async function ensureDemoRelease(paths: DemoPaths = DEFAULT_DEMO, options: EnsureOptions = {}): Promise<{ dir: string; built: BuildSummary | null }> {
  await ensureDemoCorpus(paths.corpus, options.log);
  return ensureBuilt('demo release', [paths.corpus], inputsStamp(paths), paths, options);
}

/** The published reports the tests read (the seed report among them), with their placeholders. */
export const REAL_REPORTS = 'data/reports/real';

/**
 * A release of the reports in data/reports/real alone — published reports and test
 * placeholders, never beside generated ones: the tests that read a real report's cells, warnings
 * and derived values get it from here. Rebuilt when a file there or the code changed.
 */
export async function ensureRealRelease(paths: Omit<DemoPaths, 'corpus'>, options: EnsureOptions = {}): Promise<{ dir: string; built: BuildSummary | null }> {
  const files = readdirSync(REAL_REPORTS).sort();
  const stamp = hash(`${files.map((f) => `${f}:${hash(readFileSync(join(REAL_REPORTS, f), 'latin1'))}`).join('\n')}\n${builderFingerprint()}`);
  return ensureBuilt('release of data/reports/real', [REAL_REPORTS], stamp, paths, options);
}
