/**
 * The files a build reads: every report-like file under the INPUT folders (or given
 * directly), with the manifest row that covers it. Paths in the release are relative to the
 * working directory, with / separators, so they read the same on every machine.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { MANIFEST_FILE, manifestKey, readManifest, type ManifestRow } from '../normalize/manifest.ts';

/** Extensions of files that may be reports; anything else in an input folder is not an input. */
export const REPORT_EXTENSIONS = ['.html', '.htm', '.shtml', '.xhtml', '.txt', '.text', '.pdf', '.docx', '.doc', '.wps'];
/**
 * Folders that hold no reports to read: a generated corpus's ground truth, the earlier versions
 * of files a fetch keeps (the current version is beside the manifest), tool folders.
 */
const SKIP_DIRS = new Set(['truth', 'versions', 'node_modules', '.git', '.cache']);

export interface InputFile {
  /** Absolute path. */
  abs: string;
  /** Relative to the working directory, / separators: the report's source path in the release. */
  path: string;
  bytes: number;
  manifest: ManifestRow | null;
}

/** A report a manifest lists with a fetch_error: the listing promised it, the fetch could not get it. */
export interface UnfetchedInput {
  /** The file the fetch would have written, relative to the working directory. */
  path: string;
  manifest: ManifestRow;
}

export interface Inputs {
  files: InputFile[];
  /** Files under the input folders that are not reports (README.md, manifest.csv, …). */
  ignored: number;
  /** Reports the manifests list as not fetched (no file), by path. */
  unfetched: UnfetchedInput[];
}

function walk(dir: string, out: string[], ignored: { n: number; manifests: string[] }): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(full, out, ignored);
    } else if (entry.isFile()) {
      if (REPORT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(full);
      else {
        ignored.n++;
        if (entry.name === MANIFEST_FILE) ignored.manifests.push(dir);
      }
    }
  }
}

export function relativePath(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return (rel.startsWith('..') ? abs : rel).split(sep).join('/');
}

/** The manifest.csv of a folder, each read once. */
function manifestLoader(): (folder: string) => Map<string, ManifestRow> | null {
  const cache = new Map<string, Map<string, ManifestRow> | null>();
  return (folder) => {
    if (!cache.has(folder)) {
      const file = join(folder, MANIFEST_FILE);
      cache.set(folder, existsSync(file) ? readManifest(readFileSync(file, 'utf8'), folder) : null);
    }
    return cache.get(folder)!;
  };
}

/** Every manifest.csv from a file's folder up to its input root; the nearest that lists it wins. */
function manifestFinder(roots: string[], load: (folder: string) => Map<string, ManifestRow> | null): (abs: string) => ManifestRow | null {
  return (abs) => {
    const root = roots.find((r) => abs === r || abs.startsWith(r + sep)) ?? dirname(abs);
    for (let folder = dirname(abs); ; folder = dirname(folder)) {
      const row = load(folder)?.get(manifestKey(abs, folder));
      if (row) return row;
      if (folder === root || dirname(folder) === folder) return null;
    }
  };
}

export function findInputs(paths: string[]): Inputs {
  const roots = paths.map((p) => resolve(p));
  const files: string[] = [];
  const ignored = { n: 0, manifests: [] as string[] };
  for (const root of roots) {
    if (!existsSync(root)) throw new InputError('unreadable', `input ${relativePath(root)} does not exist`);
    if (statSync(root).isDirectory()) walk(root, files, ignored);
    else files.push(root);
  }
  const load = manifestLoader();
  const manifestOf = manifestFinder(roots.filter((r) => statSync(r).isDirectory()), load);
  const seen = new Set<string>();
  const out: InputFile[] = [];
  for (const abs of files) {
    if (seen.has(abs)) continue;
    seen.add(abs);
    out.push({ abs, path: relativePath(abs), bytes: statSync(abs).size, manifest: manifestOf(abs) });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Rows for reports the fetch could not get: there is no file to walk to, so the manifests say.
  const unfetched: UnfetchedInput[] = [];
  for (const folder of [...new Set(ignored.manifests)]) {
    for (const row of load(folder)?.values() ?? []) {
      const abs = join(folder, row.path);
      if (row.fetch_error && !seen.has(abs) && !existsSync(abs)) unfetched.push({ path: relativePath(abs), manifest: row });
    }
  }
  unfetched.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out, ignored: ignored.n, unfetched };
}
