/**
 * The release the API serves: its folder, release.json (the version drives ETags and download
 * URLs) and the list of its files (the only paths /downloads will ever serve).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GongkaiError } from '../pipeline/errors.ts';
import { GENERATED_BOTH } from '../pipeline/release/generated.ts';
import type { QualityReport } from '../pipeline/release/quality.ts';

/** The counts the API reads from release.json: the quality report's summary block. */
export type ReleaseCounts = QualityReport['summary'];

export interface ReleaseFile {
  /** Relative to the release folder, with forward slashes. */
  path: string;
  bytes: number;
}

export interface Release {
  /** The folder as given (e.g. data/releases/latest). */
  given: string;
  /** The real folder (latest resolved). */
  dir: string;
  version: string;
  builtAt: string;
  previous: string | null;
  counts: ReleaseCounts;
  /**
   * Set when the release holds generated reports (release.json `notice`): every surface that
   * shows its numbers says "示例数据（生成） / generated sample data".
   */
  generated: string | null;
  files: ReleaseFile[];
}

/** No release where one was expected: names the folder and says how to make one. */
export class NoReleaseError extends GongkaiError {
  constructor(dir: string, why: string) {
    super(
      'no_release',
      `no release in ${dir}: ${why}. Build one with \`npm run -s gongkai -- build INPUT... --out DIR\` (or \`npm start\`, which builds the demo release), then pass its folder with --release`,
    );
  }
}

function walk(dir: string, prefix = ''): ReleaseFile[] {
  const out: ReleaseFile[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    if (name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = statSync(join(dir, rel));
    if (st.isDirectory()) out.push(...walk(dir, rel));
    else if (st.isFile()) out.push({ path: rel, bytes: st.size });
  }
  return out;
}

export function loadRelease(given: string): Release {
  if (!existsSync(given)) throw new NoReleaseError(given, 'the folder does not exist');
  const dir = realpathSync(given);
  const metaFile = join(dir, 'release.json');
  if (!existsSync(metaFile)) throw new NoReleaseError(given, 'it has no release.json');
  let meta: { version?: unknown; built_at?: unknown; previous?: unknown; counts?: unknown; generated?: unknown; notice?: unknown };
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch (err) {
    throw new NoReleaseError(given, `release.json is not valid JSON (${(err as Error).message})`);
  }
  if (typeof meta.version !== 'string' || !/^[\w.-]+$/.test(meta.version)) throw new NoReleaseError(given, 'release.json has no valid "version"');
  for (const table of ['reports', 'regions', 'agencies', 'applications_wide', 'applications', 'proactive', 'review_litigation', 'checks', 'warnings']) {
    if (!existsSync(join(dir, `${table}.parquet`))) throw new NoReleaseError(given, `${table}.parquet is missing`);
  }
  return {
    given,
    dir,
    version: meta.version,
    builtAt: String(meta.built_at ?? ''),
    previous: typeof meta.previous === 'string' ? meta.previous : null,
    counts: meta.counts as ReleaseCounts,
    generated: meta.generated === true ? (typeof meta.notice === 'string' ? meta.notice : GENERATED_BOTH) : null,
    files: walk(dir).map((f) => ({ ...f, path: relative(dir, join(dir, f.path)).split('\\').join('/') })),
  };
}
