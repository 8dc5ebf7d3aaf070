/**
 * One build in its own process, for bench/build.ts and bench/hostile.ts: prints the summary and
 * peak RSS as JSON. `--limits={"pdfPages":50000}` sets per-file limits.
 */
import { build } from '../pipeline/release/build.ts';

const args = process.argv.slice(2);
const limits = args[0]?.startsWith('--limits=') ? JSON.parse(args.shift()!.slice('--limits='.length)) : undefined;
const [out, cache, ...inputs] = args;
const summary = await build({ inputs, out, cacheDir: cache === '-' ? null : cache, limits });
console.log(JSON.stringify({ ...summary, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
