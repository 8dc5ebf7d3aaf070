/** One build in its own process, for bench/build.ts: prints the summary and peak RSS as JSON. */
import { build } from '../pipeline/release/build.ts';

const [out, cache, ...inputs] = process.argv.slice(2);
const summary = await build({ inputs, out, cacheDir: cache === '-' ? null : cache });
console.log(JSON.stringify({ ...summary, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
