/**
 * A map of at most `max` entries that drops the least recently used: every cache of the server
 * is one, so none grows with what clients ask.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      // Most recently used goes last.
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * A cache of promises that keeps only successes: a rejected promise is dropped as it rejects, so
 * one failure (a timeout) is not served again to everyone who asks after it.
 */
export class PromiseCache<K, V> {
  private readonly lru: Lru<K, Promise<V>>;

  constructor(max: number) {
    this.lru = new Lru(max);
  }

  get(key: K, make: () => Promise<V>): Promise<V> {
    let promise = this.lru.get(key);
    if (!promise) {
      promise = make();
      this.lru.set(key, promise);
      const made = promise;
      made.catch(() => {
        if (this.lru.get(key) === made) this.lru.delete(key);
      });
    }
    return promise;
  }

  get size(): number {
    return this.lru.size;
  }
}
