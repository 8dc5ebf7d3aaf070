/**
 * Results remembered by their text. Reports print the template's headings, header cells and
 * row labels over and over, so what the reader works out for a line of text is worth keeping
 * for the next report. Bounded: the table is emptied when it reaches its limit.
 */
export function memoByText<T>(limit: number, compute: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = compute(text);
    if (cache.size >= limit) cache.clear();
    cache.set(text, value);
    return value;
  };
}
