/**
 * Parse cache: an unchanged file is not parsed again. The key is the SHA-256 of the bytes, the
 * manifest row that applies to it and a fingerprint of the parser's own source, so a changed
 * parser or manifest never serves a stale record. Entries are one JSON file each, written to a
 * temporary name and renamed, so a killed build leaves no half-written entry. Each worker lists
 * the entries once, so a file not in the cache costs no failed read.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { ParseOutcome } from '../model/record.ts';
import { FETCH_COLUMNS, type ManifestRow } from '../normalize/manifest.ts';

/** Source folders whose code decides a record. */
const PARSER_DIRS = ['model', 'read', 'parse', 'check', 'normalize'];

const fingerprints = new Map<string, string>();

/** Hash of the source files of these pipeline folders (memoized). */
export function sourceFingerprint(dirs: readonly string[]): string {
  const memoKey = dirs.join(',');
  const known = fingerprints.get(memoKey);
  if (known) return known;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  for (const dir of dirs) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      if (!name.endsWith('.ts')) continue;
      hash.update(`${dir}/${name}\n`);
      hash.update(readFileSync(join(root, dir, name)));
    }
  }
  const fingerprint = hash.digest('hex').slice(0, 16);
  fingerprints.set(memoKey, fingerprint);
  return fingerprint;
}

/** Hash of the parser's source files: any change to them invalidates the cache. */
export const parserFingerprint = (): string => sourceFingerprint(PARSER_DIRS);

/** The parser's and the release builder's source: a demo release built by other code is rebuilt. */
export const builderFingerprint = (): string => sourceFingerprint([...PARSER_DIRS, 'release']);

export function cacheKey(sha256: string, manifest: ManifestRow | null): string {
  if (!manifest) return sha256;
  const { line: _line, path: _path, ...values } = manifest;
  // What the fetch records about the download never reaches the record: a refetch of the same
  // bytes keeps its cache entry.
  for (const column of FETCH_COLUMNS) delete values[column];
  return `${sha256}-${createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 12)}`;
}

export class ParseCache {
  readonly dir: string;
  constructor(
    readonly root: string,
    fingerprint = parserFingerprint(),
  ) {
    this.dir = join(root, fingerprint);
  }

  /**
   * Removes entries made by other versions of the parser, in the background: after an upgrade
   * that is every entry (100,000 files for 100,000 reports, ~20 s of deletes), which would
   * otherwise hold up the build before its first report. The build awaits it before returning.
   */
  async prune(): Promise<void> {
    const root = dirname(this.dir);
    let names: string[] = [];
    try {
      names = readdirSync(root);
    } catch {
      return;
    }
    for (const name of names) {
      if (join(root, name) === this.dir) continue;
      // Best effort: another build may be writing there right now.
      await rm(join(root, name), { recursive: true, force: true }).catch(() => {
        // left for the next build
      });
    }
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The keys held when first asked (one listing per build and worker): a miss costs no failed read. */
  private held: Set<string> | null = null;
  private heldKeys(): Set<string> {
    if (this.held) return this.held;
    this.held = new Set();
    let shards: string[] = [];
    try {
      shards = readdirSync(this.dir);
    } catch {
      return this.held; // no cache yet
    }
    for (const shard of shards) {
      try {
        for (const name of readdirSync(join(this.dir, shard))) if (name.endsWith('.json')) this.held.add(name.slice(0, -5));
      } catch {
        // not a folder
      }
    }
    return this.held;
  }

  get(key: string): ParseOutcome | null {
    if (!this.heldKeys().has(key)) return null;
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as ParseOutcome;
    } catch {
      return null;
    }
  }

  private readonly shards = new Set<string>();

  /** Written to a temporary name, then renamed: a reader sees a whole entry or none. */
  put(key: string, outcome: ParseOutcome): void {
    const file = this.file(key);
    const shard = dirname(file);
    if (!this.shards.has(shard)) {
      mkdirSync(shard, { recursive: true });
      this.shards.add(shard);
    }
    const tmp = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(tmp, JSON.stringify(outcome));
    renameSync(tmp, file);
    this.held?.add(key);
  }
}
