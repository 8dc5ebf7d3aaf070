/**
 * Release folders and the `latest` pointer. A build works in a private folder
 * (OUT/.build-<pid>-<random>), claims a version name with an atomic mkdir, moves its finished
 * release into place with one rename, and only then switches `latest` (a symlink replaced by
 * rename, which is atomic). A killed or failed build leaves `latest` and every published
 * release untouched; two concurrent builds claim different names, and — holding the out
 * folder's lock from choosing their previous release to publishing — never the same previous.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** YYYY-MM-DD.N: sortable, readable, unique within a day. */
export const VERSION = /^(\d{4}-\d{2}-\d{2})\.(\d+)$/;

export function compareVersions(a: string, b: string): number {
  const ma = VERSION.exec(a);
  const mb = VERSION.exec(b);
  if (!ma || !mb) return a < b ? -1 : a > b ? 1 : 0;
  return ma[1] !== mb[1] ? (ma[1] < mb[1] ? -1 : 1) : Number(ma[2]) - Number(mb[2]);
}

export function listReleases(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((name) => VERSION.test(name) && existsSync(join(out, name, 'release.json')))
    .sort(compareVersions);
}

/** The version `latest` points at, if any. */
export function latestVersion(out: string): string | null {
  try {
    const target = readlinkSync(join(out, 'latest'));
    return VERSION.test(target) ? target : null;
  } catch {
    return null;
  }
}

/** A process that exists and is not a zombie (a killed build nobody reaped is dead). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

const LOCK = '.lock';

/** The pid a lock file names, or null when it is gone or unreadable. */
function lockHolder(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the out folder's lock (OUT/.lock, created exclusively, holding this process's pid),
 * waiting while another build holds it; returns its release. A lock whose process is gone —
 * a killed build — is stale: it is moved aside under a name of this build's own (a rename, so
 * one build takes it over) and, should it turn out to be a live build's lock, put back.
 */
export async function lockOut(out: string, pollMs = 200): Promise<() => void> {
  mkdirSync(out, { recursive: true });
  const file = join(out, LOCK);
  const mine = `${process.pid}-${randomBytes(4).toString('hex')}\n`;
  for (;;) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = lockHolder(file);
    if (holder !== null && !pidAlive(holder)) {
      const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        renameSync(file, aside);
        const moved = lockHolder(aside);
        if (moved !== null && moved !== holder && pidAlive(moved)) linkSync(aside, file);
        rmSync(aside, { force: true });
      } catch {
        // another build got there first
      }
      continue;
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Removes work folders of builds that are no longer running (killed builds leave them). */
export function cleanStaleWork(out: string): void {
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) {
    const m = /^\.build-(\d+)-/.exec(name);
    if (m && !pidAlive(Number(m[1]))) rmSync(join(out, name), { recursive: true, force: true });
    const l = /^\.latest-(\d+)-/.exec(name);
    if (l && !pidAlive(Number(l[1]))) rmSync(join(out, name), { force: true });
  }
}

export function makeWorkDir(out: string): string {
  mkdirSync(out, { recursive: true });
  const dir = join(out, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  return dir;
}

/** Claims the next free version of the day: mkdir fails if another build took the name. */
function claimVersion(out: string, day: string): string {
  const taken = readdirSync(out)
    .map((n) => VERSION.exec(n))
    .filter((m): m is RegExpExecArray => Boolean(m) && m![1] === day)
    .map((m) => Number(m[2]));
  for (let n = Math.max(0, ...taken) + 1; ; n++) {
    const version = `${day}.${n}`;
    try {
      mkdirSync(join(out, version));
      return version;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Publishes a finished release folder: claims a version, renames the folder onto the claim
 * (replacing the empty claim atomically), then points `latest` at it unless a newer release
 * already took `latest`. `prepare` runs after the version is known, to write it into files.
 */
export function publish(out: string, releaseDir: string, day: string, prepare: (version: string) => void): string {
  const version = claimVersion(out, day);
  try {
    prepare(version);
    renameSync(releaseDir, join(out, version));
  } catch (err) {
    rmSync(join(out, version), { recursive: true, force: true });
    throw err;
  }
  const current = latestVersion(out);
  if (!current || compareVersions(version, current) > 0) {
    const tmp = join(out, `.latest-${process.pid}-${randomBytes(4).toString('hex')}`);
    symlinkSync(version, tmp);
    renameSync(tmp, join(out, 'latest'));
  }
  return version;
}

/**
 * Removes all but the newest `keep` releases (never the one `latest` points at). For caches of
 * releases nobody links to, such as the test suite's demo release; published releases are kept.
 */
export function pruneReleases(out: string, keep: number): string[] {
  const latest = latestVersion(out);
  const old = listReleases(out).slice(0, -Math.max(1, keep)).filter((v) => v !== latest);
  for (const version of old) rmSync(join(out, version), { recursive: true, force: true });
  return old;
}
