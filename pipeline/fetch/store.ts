/**
 * What a fetch keeps in its output folder, and how it survives a crash:
 *
 *   DIR/<host>/<path of the URL>     the current version of every report file (page or attachment)
 *   DIR/versions/<same path>.<sha8>.<ext>
 *                                    earlier versions: a file whose bytes changed is moved here
 *   DIR/manifest.csv                 one row per report file (and per report that could not be
 *                                    fetched, with fetch_error and no file): what `build` reads
 *   DIR/fetch-state.json             per URL: validators (ETag, Last-Modified), outcome, stored
 *                                    file and versions, what the page linked to; and the run
 *   DIR/fetch-state.journal          the same, one JSON line per URL as it completes, folded into
 *                                    fetch-state.json (written to a temporary file, then renamed)
 *                                    every JOURNAL_LIMIT lines and at the end of a run
 *   DIR/fetch-log.jsonl              every request and outcome, appended
 *
 * A run that stops (Ctrl-C, a crash) leaves the state of every URL it completed; the next run
 * resumes the same run and asks nothing again of those URLs. Files are written to a temporary
 * file and renamed, before the journal line that records them.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_COLUMNS, MANIFEST_FILE, type ManifestColumn } from '../normalize/manifest.ts';
import type { Format } from '../read/formats.ts';
import { attachmentExtension, decodeURIComponentSafe, type ReportLink } from './listing.ts';
import type { FetchOutcome } from './outcomes.ts';

export const STATE_FILE = 'fetch-state.json';
export const JOURNAL_FILE = 'fetch-state.journal';
export const LOG_FILE = 'fetch-log.jsonl';
export const VERSIONS_DIR = 'versions';
/** Temporary files before their rename; a dot folder, which `build` never reads. */
const TMP_DIR = '.fetch-tmp';
/** Journal lines before they are folded into the state file. */
const JOURNAL_LIMIT = 500;

export type UrlKind = 'robots' | 'listing' | 'page' | 'file';

export interface StoredVersion {
  path: string;
  sha256: string;
  fetched_at: string | null;
}

/** Everything known of one URL. */
export interface UrlEntry {
  url: string;
  kind: UrlKind;
  /** How the last request (or decision not to request) ended. */
  outcome: FetchOutcome;
  status: number | null;
  message: string | null;
  /** When the URL was last asked for. */
  checked_at: string;
  etag: string | null;
  last_modified: string | null;
  /** The current file, relative to DIR, when the URL's bytes are kept as a report file. */
  path: string | null;
  sha256: string | null;
  /** When the current file's bytes were downloaded (a 304 leaves it). */
  fetched_at: string | null;
  versions: StoredVersion[];
  /** A listing page: its report links and further pages. */
  reports?: ReportLink[];
  pages?: string[];
  /** A report page: its attachments, whether it is the report itself, its stated date. */
  attachments?: string[];
  carries_report?: boolean;
  published_at?: string | null;
  /** robots.txt: its text. */
  robots?: string;
  /**
   * A body refused for what it is (too_large, wrong_content_type) with its validators: the next
   * run asks whether it changed instead of downloading it again.
   */
  refused?: { outcome: FetchOutcome; message: string | null; status: number | null; etag: string | null; last_modified: string | null } | null;
}

/** What a listing promised about a report file, whatever became of the fetch. */
export interface Promised {
  url: string;
  agency: string | null;
  region_code: string | null;
  year: number;
  title: string;
  published_at: string | null;
}

export interface RunInfo {
  started_at: string;
  finished_at: string | null;
  /** URLs completed in this run: asked nothing again when the run resumes. */
  done: string[];
}

interface State {
  version: 1;
  run: RunInfo | null;
  urls: Record<string, UrlEntry>;
  promised: Record<string, Promised>;
}

type JournalLine = { entry: UrlEntry } | { promised: Promised } | { run: RunInfo };

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// Where a URL's bytes are kept (pure)

const HTML_EXTENSIONS = ['.html', '.htm', '.shtml', '.xhtml'];

/** The extension a file is kept under: from what the bytes are, the URL's own when it agrees. */
export function extensionFor(format: Format | null, url: URL): string {
  const own = /\.[a-z0-9]+$/i.exec(decodeURIComponentSafe(url.pathname))?.[0].toLowerCase() ?? '';
  const keepOwn = (allowed: string[], fallback: string) => (allowed.includes(own) ? own : fallback);
  switch (format) {
    case 'pdf':
      return '.pdf';
    case 'docx':
      return keepOwn(['.docx', '.xlsx'], '.docx');
    case 'doc':
    case 'wps':
      return keepOwn(['.doc', '.wps', '.xls'], format === 'wps' ? '.wps' : '.doc');
    case null:
      // Nothing was downloaded: the file the link promised.
      return attachmentExtension(url) ?? keepOwn(HTML_EXTENSIONS, '.html');
    default:
      return keepOwn(HTML_EXTENSIONS, '.html');
  }
}

/** Characters no file name may hold; a / decoded from %2F would open a folder (or climb out). */
const UNSAFE = /[<>:"\\|?*\x00-\x1f/]/g;
const MAX_SEGMENT = 100;

/** host/dir/name.ext: the URL's path, decoded (Chinese file names stay readable), made safe. */
export function storagePath(url: URL, ext: string): string {
  const safe = (s: string) => (s === '.' || s === '..' ? '_' : s.replace(UNSAFE, '_')).slice(0, MAX_SEGMENT);
  const segments = url.pathname.split('/').slice(1).map((s) => safe(decodeURIComponentSafe(s)));
  let name = segments.pop() || 'index';
  const dot = name.lastIndexOf('.');
  if (dot > 0) name = name.slice(0, dot);
  // Two URLs that differ in their query only (download.jsp?id=1, ?id=2) are two files.
  if (url.search) name += `.q${sha256Hex(url.search).slice(0, 8)}`;
  return [url.host.replace(/:/g, '_'), ...segments.filter(Boolean), `${name}${ext}`].join('/');
}

/** versions/<path without ext>.<sha8><ext> */
export function versionPath(path: string, sha256: string): string {
  const dot = path.lastIndexOf('.');
  const [stem, ext] = dot > path.lastIndexOf('/') ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  return `${VERSIONS_DIR}/${stem}.${sha256.slice(0, 8)}${ext}`;
}

// ---------------------------------------------------------------------------------------------
// The store

export class FetchStore {
  private state: State = { version: 1, run: null, urls: {}, promised: {} };
  private done = new Set<string>();
  /** path → the URL it holds, so two URLs never share a file. */
  private owners = new Map<string, string>();
  private journalLines = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const snapshot = join(dir, STATE_FILE);
    if (existsSync(snapshot)) this.state = JSON.parse(readFileSync(snapshot, 'utf8')) as State;
    const journal = join(dir, JOURNAL_FILE);
    if (existsSync(journal)) {
      for (const line of readFileSync(journal, 'utf8').split('\n')) {
        if (!line) continue;
        let parsed: JournalLine;
        try {
          parsed = JSON.parse(line) as JournalLine;
        } catch {
          continue; // the line a crash cut short
        }
        this.apply(parsed);
        this.journalLines++;
      }
    }
    this.done = new Set(this.state.run?.finished_at === null ? this.state.run.done : []);
    for (const e of Object.values(this.state.urls)) if (e.path) this.owners.set(e.path, e.url);
  }

  private apply(line: JournalLine): void {
    if ('entry' in line) {
      this.state.urls[line.entry.url] = line.entry;
      if (this.state.run && !this.state.run.finished_at) this.state.run.done.push(line.entry.url);
    } else if ('promised' in line) this.state.promised[line.promised.url] = line.promised;
    else this.state.run = line.run;
  }

  private journal(line: JournalLine): void {
    appendFileSync(join(this.dir, JOURNAL_FILE), `${JSON.stringify(line)}\n`);
    if (++this.journalLines >= JOURNAL_LIMIT) this.compact();
  }

  /** Folds the journal into the state file: a temporary file renamed over it, then an empty journal. */
  compact(): void {
    writeAtomic(join(this.dir, STATE_FILE), JSON.stringify(this.state), this.tmp());
    writeFileSync(join(this.dir, JOURNAL_FILE), '');
    this.journalLines = 0;
  }

  /** Starts a run, or resumes the one a stop left unfinished. */
  startRun(now: string): { resumed: boolean; done: number } {
    const run = this.state.run;
    if (run && run.finished_at === null) return { resumed: true, done: this.done.size };
    this.state.run = { started_at: now, finished_at: null, done: [] };
    this.done = new Set();
    this.journal({ run: this.state.run });
    return { resumed: false, done: 0 };
  }

  finishRun(now: string): void {
    if (!this.state.run) return;
    this.state.run = { ...this.state.run, finished_at: now, done: [] };
    this.compact();
  }

  entry(url: string): UrlEntry | undefined {
    return this.state.urls[url];
  }

  /** Completed in this run (before a stop, when resuming): not asked again. */
  isDone(url: string): boolean {
    return this.done.has(url);
  }

  record(entry: UrlEntry): void {
    this.state.urls[entry.url] = entry;
    this.done.add(entry.url);
    this.journal({ entry });
    this.state.run?.done.push(entry.url);
  }

  promise(promised: Promised): void {
    const before = this.state.promised[promised.url];
    if (before && JSON.stringify(before) === JSON.stringify(promised)) return;
    this.state.promised[promised.url] = promised;
    this.journal({ promised });
  }

  /** A path for `url` no other URL holds. */
  private pathFor(url: URL, ext: string): string {
    const path = storagePath(url, ext);
    const owner = this.owners.get(path);
    if (!owner || owner === url.href) return path;
    return path.replace(/(\.[^./]+)?$/, (e) => `.u${sha256Hex(url.href).slice(0, 8)}${e}`);
  }

  private tmp(): string {
    const dir = join(this.dir, TMP_DIR);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Keeps a URL's bytes as its current file. Bytes equal to the file already there change
   * nothing; different bytes move that file to versions/ first (named by its own checksum, so a
   * crash between the two steps never mislabels one).
   */
  saveFile(url: string, bytes: Uint8Array, format: Format | null, previous: UrlEntry | undefined, fetchedAt: string): Pick<UrlEntry, 'path' | 'sha256' | 'fetched_at' | 'versions'> & { change: 'new' | 'changed' | 'unchanged' } {
    const u = new URL(url);
    const sha256 = sha256Hex(bytes);
    const ext = extensionFor(format, u);
    const path = previous?.path?.endsWith(ext) ? previous.path : this.pathFor(u, ext);
    const versions = [...(previous?.versions ?? [])];
    const abs = join(this.dir, path);
    let change: 'new' | 'changed' | 'unchanged' = 'new';
    if (existsSync(abs)) {
      const current = sha256Hex(readFileSync(abs));
      if (current === sha256) return { path, sha256, fetched_at: previous?.sha256 === sha256 ? (previous.fetched_at ?? fetchedAt) : fetchedAt, versions, change: 'unchanged' };
      versions.push(this.retire(path, current, previous?.sha256 === current ? previous.fetched_at : null));
      change = 'changed';
    }
    // A URL whose file changed its kind (a page that became a PDF): the old file is a version too.
    if (previous?.path && previous.path !== path && existsSync(join(this.dir, previous.path))) {
      versions.push(this.retire(previous.path, sha256Hex(readFileSync(join(this.dir, previous.path))), previous.fetched_at));
      change = 'changed';
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeAtomic(abs, bytes, this.tmp());
    this.owners.set(path, url);
    return { path, sha256, fetched_at: fetchedAt, versions, change };
  }

  /** Moves a current file into versions/ and says where it went. */
  retire(path: string, sha256: string, fetchedAt: string | null): StoredVersion {
    const to = versionPath(path, sha256);
    const abs = join(this.dir, to);
    mkdirSync(dirname(abs), { recursive: true });
    if (existsSync(abs)) rmSync(join(this.dir, path));
    else renameSync(join(this.dir, path), abs);
    return { path: to, sha256, fetched_at: fetchedAt };
  }

  hasFile(entry: UrlEntry | undefined): boolean {
    return Boolean(entry?.path && existsSync(join(this.dir, entry.path)));
  }

  log(line: object): void {
    appendFileSync(join(this.dir, LOG_FILE), `${JSON.stringify(line)}\n`);
  }

  /**
   * manifest.csv from the state: every promised report with a current file, and every promised
   * report this run could not fetch (fetch_error, http_status, the path the file would have had).
   * Sorted by path; written to a temporary file and renamed.
   */
  writeManifest(): { files: number; failed: number } {
    const rows: ManifestLine[] = [];
    const promised = Object.values(this.state.promised).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
    let failed = 0;
    for (const p of promised) {
      const e = this.state.urls[p.url];
      const common = { agency: p.agency, region_code: p.region_code, year: p.year, source_url: p.url, published_at: p.published_at, title: p.title };
      if (e && this.hasFile(e)) {
        rows.push({ ...common, path: e.path!, fetched_at: e.fetched_at, sha256: e.sha256, http_status: e.status, fetch_error: null });
      } else if (e && this.done.has(p.url) && e.outcome !== 'ok' && e.outcome !== 'not_modified') {
        rows.push({ ...common, path: this.pathFor(new URL(p.url), extensionFor(null, new URL(p.url))), fetched_at: null, sha256: null, http_status: e.status, fetch_error: e.outcome });
        failed++;
      }
    }
    rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const text = [FETCHED_COLUMNS.join(','), ...rows.map((r) => FETCHED_COLUMNS.map((c) => csvField(r[c])).join(','))].join('\n');
    writeAtomic(join(this.dir, MANIFEST_FILE), `\ufeff${text}\n`, this.tmp());
    return { files: rows.length - failed, failed };
  }

  close(): void {
    rmSync(join(this.dir, TMP_DIR), { recursive: true, force: true });
  }
}

/** The manifest columns a fetch writes: every one but `generated` (what it fetched was published). */
const FETCHED_COLUMNS = MANIFEST_COLUMNS.filter((c): c is Exclude<ManifestColumn, 'generated'> => c !== 'generated');
type ManifestLine = Record<(typeof FETCHED_COLUMNS)[number], string | number | null> & { path: string };

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

let tmpCounter = 0;

/** Write to a temporary file in `tmpDir` (same file system), then rename over `file`. */
export function writeAtomic(file: string, data: string | Uint8Array, tmpDir: string): void {
  const tmp = join(tmpDir, `${process.pid}-${++tmpCounter}.tmp`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
