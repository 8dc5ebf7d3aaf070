/**
 * The release's regions (a few hundred to a few thousand rows) held in memory as a tree: region
 * lookups, children and ancestors never touch the database.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { runQuery } from './db.ts';

export interface RegionRow {
  code: string;
  name: string;
  display_name: string;
  level: 'province' | 'city' | 'county';
  parent: string | null;
  province: string | null;
  city: string | null;
  gbt2260: boolean;
}

export class RegionIndex {
  private readonly byCode = new Map<string, RegionRow>();
  private readonly childrenOf = new Map<string, RegionRow[]>();
  readonly all: readonly RegionRow[];

  constructor(rows: RegionRow[]) {
    this.all = [...rows].sort((a, b) => a.code.localeCompare(b.code));
    for (const r of this.all) this.byCode.set(r.code, r);
    for (const r of this.all) {
      // A parent missing from the release (never, as built) would make its children roots.
      if (r.parent && this.byCode.has(r.parent)) {
        const list = this.childrenOf.get(r.parent) ?? [];
        list.push(r);
        this.childrenOf.set(r.parent, list);
      }
    }
  }

  static async load(con: DuckDBConnection): Promise<RegionIndex> {
    return new RegionIndex(await runQuery<RegionRow>(con, 'SELECT code, name, display_name, level, parent, province, city, gbt2260 FROM regions ORDER BY code'));
  }

  get(code: string): RegionRow | undefined {
    return this.byCode.get(code);
  }

  children(code: string): RegionRow[] {
    return this.childrenOf.get(code) ?? [];
  }

  /** From the province down to the region's parent. */
  ancestors(code: string): RegionRow[] {
    const out: RegionRow[] = [];
    let r = this.byCode.get(code);
    while (r?.parent) {
      r = this.byCode.get(r.parent);
      if (r) out.unshift(r);
    }
    return out;
  }

  private readonly counts = new Map<string, number>();

  /**
   * How many regions of `level` there are under `root` (all of them without one, or when `root`
   * is not a region of the release). Counted once per level and region: the keys are regions.
   */
  countAt(level: RegionRow['level'], root: string | null | undefined): number {
    const known = root && this.byCode.has(root) ? root : '';
    const key = `${level}|${known}`;
    let n = this.counts.get(key);
    if (n === undefined) {
      n = this.all.filter((r) => r.level === level && (!known || this.within(r.code, known))).length;
      this.counts.set(key, n);
    }
    return n;
  }

  /** Is `code` the region `root` or inside it? */
  within(code: string, root: string): boolean {
    const r = this.byCode.get(code);
    return !!r && (r.code === root || r.city === root || r.province === root);
  }

  search(filter: { level?: string | null; parent?: string | null; nameSearch?: string | null }): RegionRow[] {
    const needle = filter.nameSearch?.trim();
    return this.all.filter(
      (r) =>
        (!filter.level || r.level === filter.level) &&
        (!filter.parent || r.parent === filter.parent) &&
        (!needle || r.name.includes(needle) || r.display_name.includes(needle)),
    );
  }
}
