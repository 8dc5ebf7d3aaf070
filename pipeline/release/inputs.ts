/**
 * The files a build reads: every report-like file under the INPUT folders (or given
 * directly), with the manifest row that covers it. Paths in the release are relative to the
 * working directory, with / separators, so they read the same on every machine.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';
import { MANIFEST_FILE, manifestKey, readManifest, type ManifestRow } from '../normalize/manifest.ts';

/**
 * Extensions of files that may be reports: web pages, text copies (a report saved as markdown
 * or as a crawler's JSON is a report too), Word and PDF. Anything else is set aside with its
 * reason (SET_ASIDE), and is still a row of the release's inputs.
 */
export const REPORT_EXTENSIONS = ['.html', '.htm', '.shtml', '.xhtml', '.txt', '.text', '.md', '.markdown', '.json', '.pdf', '.docx', '.doc', '.wps'];

/** Files known by name that hold no report, whatever their extension: one row per kind. */
const SET_ASIDE_FILES: [RegExp, string, string][] = [
  [/^manifest\.csv$/i, 'manifest', "the folder's manifest: read for the files it lists"],
  [/^fetch-(?:state\.json|state\.journal|log\.jsonl)$/i, 'fetch_files', 'the state and log of gongkai fetch'],
  [/^(?:readme|licen[cs]e|changelog|copying)(?:\.(?:md|markdown|txt|rst))?$/i, 'documentation', 'documentation, not a report'],
];

/**
 * Folders that hold no reports to read: a generated corpus's ground truth, the earlier versions
 * of files a fetch keeps (the current version is beside the manifest), tool folders. Each is one
 * row of the inputs, with the number of files it holds.
 */
const SKIP_DIRS = new Map([
  ['truth', 'the ground truth of a generated corpus'],
  ['versions', 'earlier versions of fetched reports (the current one is beside the manifest)'],
  ['node_modules', 'a tool folder'],
]);

/** A file or folder under the inputs that is not read as a report, and why. */
export interface SetAside {
  path: string;
  /** Short code: manifest, fetch_files, documentation, not_a_report_format, hidden, folder. */
  code: string;
  reason: string;
  bytes: number | null;
}

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
  /** Files and folders under the inputs that are not read as reports (README.md, manifest.csv, truth/ …). */
  setAside: SetAside[];
  /** Reports the manifests list as not fetched (no file), by path. */
  unfetched: UnfetchedInput[];
}

/** Files below a folder, counted (a set-aside folder is one row that says how many it holds). */
function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) n += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  return n;
}

function walk(dir: string, out: string[], aside: SetAside[], manifests: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const why = entry.name.startsWith('.') ? 'a hidden folder' : SKIP_DIRS.get(entry.name);
      if (why) {
        const n = countFiles(full);
        aside.push({ path: `${relativePath(full)}/`, code: 'folder', reason: `${why}: ${n} file${n === 1 ? '' : 's'} not read`, bytes: null });
      } else walk(full, out, aside, manifests);
      continue;
    }
    if (!entry.isFile()) continue;
    const size = () => statSync(full).size;
    const known = SET_ASIDE_FILES.find(([re]) => re.test(entry.name));
    if (known) {
      aside.push({ path: relativePath(full), code: known[1], reason: known[2], bytes: size() });
      if (entry.name.toLowerCase() === MANIFEST_FILE) manifests.push(dir);
    } else if (entry.name.startsWith('.')) {
      aside.push({ path: relativePath(full), code: 'hidden', reason: 'a hidden file', bytes: size() });
    } else if (REPORT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
      out.push(full);
    } else {
      const ext = /\.[^.]+$/.exec(entry.name)?.[0] ?? '(none)';
      aside.push({ path: relativePath(full), code: 'not_a_report_format', reason: `not a format reports come in (${ext})`, bytes: size() });
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
  const aside: SetAside[] = [];
  const manifests: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) throw new InputError('unreadable', `input ${relativePath(root)} does not exist`);
    if (statSync(root).isDirectory()) walk(root, files, aside, manifests);
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
  for (const folder of [...new Set(manifests)]) {
    for (const row of load(folder)?.values() ?? []) {
      const abs = join(folder, row.path);
      if (row.fetch_error && !seen.has(abs) && !existsSync(abs)) unfetched.push({ path: relativePath(abs), manifest: row });
    }
  }
  unfetched.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seenAside = new Set<string>();
  const setAside = aside.filter((a) => !seenAside.has(a.path) && seenAside.add(a.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out, setAside, unfetched };
}
