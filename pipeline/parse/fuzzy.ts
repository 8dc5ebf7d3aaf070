/**
 * Approximate matching of printed words against the template's: an edit distance bounded by
 * a small budget (a heading with one wrong, missing or extra character), computed in a band
 * so that a line far from every form costs a few comparisons.
 */

/** The edit distance of a and b when it is at most `k`, else -1. */
export function withinDistance(a: string, b: string, k: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > k) return -1;
  if (k === 0) return a === b ? 0 : -1;
  const far = k + 1;
  let prev = new Array<number>(m + 2);
  let cur = new Array<number>(m + 2);
  for (let j = 0; j <= m; j++) prev[j] = j <= k ? j : far;
  prev[m + 1] = far;
  for (let i = 1; i <= n; i++) {
    // Only cells within k of the diagonal can stay within k; the cells just outside read as far.
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[0] = i <= k ? i : far;
    cur[lo - 1] = lo > 1 ? far : cur[0];
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      let v = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    cur[hi + 1] = far;
    if (rowMin > k) return -1;
    [prev, cur] = [cur, prev];
  }
  return prev[m] <= k ? prev[m] : -1;
}
