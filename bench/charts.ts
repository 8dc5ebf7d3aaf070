/**
 * Chart rendering: per chart kind, the time to render a chart not seen before (SVG through
 * vega in Node) and the throughput of one already rendered (the render cache), in process.
 * Baseline, in the same run: the chart's comparison query alone (what any answer costs).
 *
 *   npx tsx bench/charts.ts [--release DIR] [--n 30]
 */
import { parseArgs } from 'node:util';
import { createApi } from '../api/server.ts';

const { values } = parseArgs({ options: { release: { type: 'string', default: '.cache/test-demo/releases/latest' }, n: { type: 'string', default: '30' } } });
const N = Number(values.n);
// The per-client rate limit would stop one client's loop: lifted for the measurement.
const api = await createApi({ release: values.release!, logErrors: true, threads: 2, limits: { rateLimit: { requests: 1e9, windowSeconds: 60 } } });
const get = async (path: string) => {
  const res = await api.fetch(new Request(`http://bench${path}`));
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
};
const KINDS = [
  ['outcomes', 'region=410300&year=2023'],
  ['trend', 'region=410305&region=410302&years=2019-2024'],
  ['ranking', 'region=410000&year=2022&measure=reviews'],
  ['applicants', 'region=410305&year=2023'],
] as const;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`# chart rendering (release ${api.state.release.version}, ${api.state.release.counts.reports} reports)\n`);
console.log('| chart | data query alone, p50 | first render (SVG), p50 | render ÷ query | cached, requests/s |');
console.log('|---|---:|---:|---:|---:|');
for (const [kind, query] of KINDS) {
  await get(`/charts/${kind}.svg?${query}`); // warm up code paths
  // The data query alone: the chart's CSV export renders nothing.
  const data: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await get(`/charts/${kind}.csv?${query}&width=${300 + i}`);
    data.push(performance.now() - t);
  }
  // A new width each time: nothing cached, every request queries and renders.
  const cold: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await get(`/charts/${kind}.svg?${query}&width=${700 + i}`);
    cold.push(performance.now() - t);
  }
  const path = `/charts/${kind}.svg?${query}`;
  const t = performance.now();
  let n = 0;
  while (performance.now() - t < 1000) {
    await get(path);
    n++;
  }
  const hot = n / ((performance.now() - t) / 1000);
  console.log(`| ${kind} | ${median(data).toFixed(1)} ms | ${median(cold).toFixed(1)} ms | ${(median(cold) / median(data)).toFixed(1)} | ${Math.round(hot)} |`);
}
await api.close();
