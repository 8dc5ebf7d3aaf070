/**
 * The releases a server answers from. One is current: what `latest` pointed at when last looked
 * (refresh() looks again, and a running server looks every few seconds). Older ones, siblings
 * of it in the releases folder, are opened on demand for pinned URLs (/v/<version>/…).
 *
 * Each request takes a lease on the release it uses and gives it back when its answer is done:
 * a release is never closed while a lease on it is out. A release nobody holds and that is not
 * current is idle; at most `maxIdle` idle releases stay open (the least recently used is closed
 * first), so the number open is bounded by the requests in flight plus `maxIdle`. A switch of
 * `latest` is atomic for new requests: they lease the new release, while requests already
 * answering from the old one finish with it.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VERSION } from '../pipeline/release/versions.ts';
import { AgencyCounts, AgencyNames, AgencyRows } from './data/agencies.ts';
import { Database } from './data/db.ts';
import { RegionIndex } from './data/regions.ts';
import { Lru } from './lru.ts';
import { loadRelease, type Release } from './release.ts';

/** One open release: its files, its database and its regions. */
export interface Served {
  release: Release;
  db: Database;
  regions: RegionIndex;
  /** Its agencies counted by region (comparison cost estimates). */
  agencies: AgencyCounts;
  /** The agencies names given in its requests stand for (comparisons' filter.agencies). */
  agencyNames: AgencyNames;
  /** Agency rows shown beside comparisons' groups, read once each. */
  agencyRows: AgencyRows;
  /** How many years its reports cover (comparison cost estimates). */
  years: number;
  /** The first and last year its reports cover (null without reports): named when a filter misses them. */
  yearSpan: { first: number; last: number } | null;
}

export interface Lease {
  served: Served;
  /** Gives the lease back (once; later calls do nothing). */
  release(): void;
}

/** A version that is not a release beside the current one. */
export class ReleaseNotAvailable extends Error {}

interface Entry {
  version: string;
  served: Promise<Served>;
  refs: number;
}

async function openServed(dir: string, threads: number | undefined): Promise<Served> {
  const release = loadRelease(dir);
  const db = await Database.open(release, { threads });
  try {
    const con = await db.instance.connect();
    try {
      const regions = await RegionIndex.load(con);
      const agencies = await AgencyCounts.load(con);
      const [n, first, last] = (await con.runAndReadAll('SELECT count(DISTINCT year), min(year), max(year) FROM report_index')).getRows()[0];
      const yearSpan = first === null || last === null ? null : { first: Number(first), last: Number(last) };
      return { release, db, regions, agencies, agencyNames: new AgencyNames(), agencyRows: new AgencyRows(), years: Number(n), yearSpan };
    } finally {
      con.closeSync();
    }
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface ReleasesOptions {
  /** DuckDB threads of the current release (pinned ones get one each). */
  threads?: number;
  /** Idle releases kept open. */
  maxIdle: number;
  log?: (line: string) => void;
}

export class Releases {
  private readonly entries = new Map<string, Entry>();
  /** Idle entries, least recently used first. */
  private readonly idle = new Map<string, Entry>();
  private current!: { entry: Entry; served: Served; dir: string };
  /** Release files read for downloads of other versions (no database). */
  private readonly infos = new Lru<string, Release>(8);
  private refreshing: Promise<string | null> | null = null;
  /** A target `latest` pointed at that failed to open: not tried again until it changes. */
  private failedDir: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly given: string,
    private readonly options: ReleasesOptions,
  ) {}

  static async open(given: string, options: ReleasesOptions): Promise<Releases> {
    const releases = new Releases(given, options);
    const dir = realpathSync(loadRelease(given).dir);
    const entry: Entry = { version: '', served: openServed(dir, options.threads), refs: 0 };
    const served = await entry.served;
    entry.version = served.release.version;
    releases.entries.set(entry.version, entry);
    releases.current = { entry, served, dir };
    return releases;
  }

  /** The current release, for one request. */
  lease(): Lease {
    const { entry, served } = this.current;
    entry.refs++;
    this.idle.delete(entry.version);
    return this.leaseOf(entry, served);
  }

  /** The current release without a lease: for what outlives no request (startup lines, tests). */
  get served(): Served {
    return this.current.served;
  }

  /** A release by version: the current one, or a sibling folder opened on demand. */
  async pinned(version: string): Promise<Lease> {
    if (version === this.current.served.release.version) return this.lease();
    if (!VERSION.test(version)) throw new ReleaseNotAvailable(`no release "${version}" (versions look like 2026-11-26.1)`);
    let entry = this.entries.get(version);
    if (!entry) {
      const dir = join(dirname(this.current.dir), version);
      if (!existsSync(join(dir, 'release.json'))) throw new ReleaseNotAvailable(`release ${version} is not available on this server`);
      const opening: Entry = { version, served: openServed(dir, 1), refs: 0 };
      opening.served.catch(() => {
        if (this.entries.get(version) === opening) this.entries.delete(version);
      });
      this.entries.set(version, (entry = opening));
    }
    entry.refs++;
    this.idle.delete(version);
    try {
      return this.leaseOf(entry, await entry.served);
    } catch (err) {
      entry.refs--;
      throw err;
    }
  }

  /** A release's files and metadata by version (downloads), without opening its database. */
  info(version: string): Release | null {
    if (version === this.current.served.release.version) return this.current.served.release;
    if (!VERSION.test(version)) return null;
    let release = this.infos.get(version);
    if (!release) {
      const dir = join(dirname(this.current.dir), version);
      if (!existsSync(join(dir, 'release.json'))) return null;
      try {
        release = loadRelease(dir);
      } catch {
        return null;
      }
      this.infos.set(version, release);
    }
    return release;
  }

  /** Releases open now (current, leased and idle), for tests and the soak. */
  get open(): number {
    return this.entries.size;
  }

  private leaseOf(entry: Entry, served: Served): Lease {
    let held = true;
    return {
      served,
      release: () => {
        if (!held) return;
        held = false;
        entry.refs--;
        if (entry.refs === 0 && entry !== this.current.entry) this.retire(entry);
      },
    };
  }

  /** An entry nobody holds goes idle; past maxIdle the least recently used idle one is closed. */
  private retire(entry: Entry): void {
    if (this.entries.get(entry.version) !== entry) return;
    this.idle.delete(entry.version);
    this.idle.set(entry.version, entry);
    for (const [version, victim] of this.idle) {
      if (this.idle.size <= this.options.maxIdle) break;
      this.idle.delete(version);
      this.entries.delete(version);
      void victim.served.then((s) => s.db.close()).catch(() => undefined);
    }
  }

  /**
   * Looks at `latest` again; when it points at another release, opens it and makes it current
   * (new requests lease it; the old one goes idle once its last request is done). Returns the
   * new version, or null when nothing changed.
   */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.switchIfMoved().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async switchIfMoved(): Promise<string | null> {
    let dir: string;
    try {
      dir = realpathSync(this.given);
    } catch {
      return null; // latest is being replaced this very moment, or gone: keep serving
    }
    if (this.closed || dir === this.current.dir || dir === this.failedDir) return null;
    let served: Served;
    let entry: Entry;
    try {
      const version = loadRelease(dir).version;
      entry = this.entries.get(version) ?? { version, served: openServed(dir, this.options.threads), refs: 0 };
      this.entries.set(version, entry);
      this.idle.delete(version);
      served = await entry.served;
    } catch (err) {
      this.failedDir = dir;
      this.options.log?.(`gongkai serve: ${this.given} now points at ${dir}, which could not be opened (${(err as Error).message}); still serving ${this.current.served.release.version}`);
      return null;
    }
    if (this.closed) return null;
    const old = this.current.entry;
    this.current = { entry, served, dir };
    this.failedDir = null;
    if (old.refs === 0) this.retire(old);
    this.options.log?.(`gongkai serve: now serving release ${served.release.version} (was ${old.version})`);
    return served.release.version;
  }

  /** Looks at `latest` every `ms` milliseconds until closed. */
  watch(ms: number): void {
    if (ms <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.refresh(), ms);
    this.timer.unref();
  }

  /** Stops watching and closes every release (a request still running gets an error). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.served.then((s) => s.db.close()).catch(() => undefined)));
  }
}
