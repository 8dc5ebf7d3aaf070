/**
 * A per-request batch loader (the DataLoader idea in a few lines): every load() made in the same
 * tick becomes one query, so a page of 20 reports asking for their cells costs one query, not
 * 20. Results are cached for the rest of the request.
 */
export class BatchLoader<K, V> {
  private readonly cache = new Map<K, Promise<V>>();
  private queue: { key: K; resolve: (v: V) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly fetch: (keys: K[]) => Promise<Map<K, V>>,
    private readonly missing: (key: K) => V,
  ) {}

  load(key: K): Promise<V> {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const promise = new Promise<V>((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => void this.dispatch());
      this.queue.push({ key, resolve, reject });
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async dispatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const found = await this.fetch(batch.map((b) => b.key));
      for (const b of batch) b.resolve(found.has(b.key) ? found.get(b.key)! : this.missing(b.key));
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}

/** Groups rows by a key, keeping their order. */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}
