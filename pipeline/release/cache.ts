/**
 * Parse cache: an unchanged file is not parsed again. The key is the SHA-256 of the bytes, the
 * manifest row that applies to it and a fingerprint of the parser's own source, so a changed
 * parser or manifest never serves a stale record. Entries are one JSON file each, written to a
 * temporary name and renamed, so a killed build leaves no half-written entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParseOutcome } from '../model/record.ts';
import type { ManifestRow } from '../normalize/manifest.ts';

/** Source folders whose code decides a record. */
const PARSER_DIRS = ['model', 'read', 'parse', 'check', 'normalize'];

let fingerprintMemo: string | undefined;

/** Hash of the parser's source files: any change to them invalidates the cache. */
export function parserFingerprint(): string {
  if (fingerprintMemo) return fingerprintMemo;
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  for (const dir of PARSER_DIRS) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      if (!name.endsWith('.ts')) continue;
      hash.update(`${dir}/${name}\n`);
      hash.update(readFileSync(join(root, dir, name)));
    }
  }
  fingerprintMemo = hash.digest('hex').slice(0, 16);
  return fingerprintMemo;
}

export function cacheKey(sha256: string, manifest: ManifestRow | null): string {
  if (!manifest) return sha256;
  const { line: _line, path: _path, ...values } = manifest;
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

  /** Removes entries made by other versions of the parser. */
  prune(): void {
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
      try {
        rmSync(join(root, name), { recursive: true, force: true });
      } catch {
        // left for the next build
      }
    }
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): ParseOutcome | null {
    try {
      return JSON.parse(readFileSync(this.file(key), 'utf8')) as ParseOutcome;
    } catch {
      return null;
    }
  }

  /** Writes in the background (the I/O overlaps the next parses); await the promise before exiting. */
  put(key: string, outcome: ParseOutcome): Promise<void> {
    const file = this.file(key);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    return writeFile(tmp, JSON.stringify(outcome)).then(() => rename(tmp, file));
  }
}
