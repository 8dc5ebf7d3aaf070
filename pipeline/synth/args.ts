/**
 * `gongkai synth` arguments and the committed corpus config (data/demo-corpus.json), both
 * checked the same way and turned into SynthOptions. Errors are CliErrors with one clear line.
 */
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.ts';
import { loadRegions } from '../normalize/regions.ts';
import { ALL_STYLES, isStyle, type SynthStyle } from './styles.ts';

export interface SynthOptions {
  out: string;
  /** Two-digit province codes, e.g. ['41']. */
  provinces: string[];
  years: [number, number];
  seed: number;
  /** Share of reports with one broken accounting rule (default 0.05). */
  brokenShare?: number;
  styles?: string[];
  limit?: number;
  /** Reports to leave out, as "region_code/agency-slug/year". */
  exclude?: string[];
  /** Share of reports with page chrome and heading damage (default: each style's own). */
  damage?: number;
  onProgress?: (done: number, total: number) => void;
}

export const SYNTH_DEFAULTS = { provinces: ['41'], years: [2019, 2024] as [number, number], seed: 1, brokenShare: 0.05 };
export const FIRST_YEAR = 2019;
export const LAST_YEAR = 2099;

export const SYNTH_USAGE = `usage: gongkai synth --out DIR [--config FILE] [--provinces 41[,42]] [--years 2019-2024] [--seed N]
                     [--broken-share 0.05] [--styles ${ALL_STYLES.join(',')}] [--limit N] [--damage 0.5]`;

export function checkProvinces(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const codes = list.map((s) => s.trim()).filter(Boolean);
  if (codes.length === 0) throw new CliError(`${where}: give at least one two-digit province code, e.g. 41`);
  const regions = loadRegions();
  for (const c of codes) {
    if (!/^\d{2}$/.test(c)) throw new CliError(`${where}: "${c}" is not a two-digit province code (e.g. 41 for 河南省)`);
    if (!regions.byCode.has(`${c}0000`)) throw new CliError(`${where}: no province has code ${c}`);
  }
  return [...new Set(codes)].sort();
}

export function checkYears(value: unknown, where: string): [number, number] {
  let first: number;
  let last: number;
  if (Array.isArray(value) && value.length === 2) {
    [first, last] = value.map(Number);
  } else {
    const m = /^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$/.exec(String(value));
    if (!m) throw new CliError(`${where}: expected a year or a range like 2019-2024, got "${String(value)}"`);
    first = Number(m[1]);
    last = Number(m[2] ?? m[1]);
  }
  if (!Number.isInteger(first) || !Number.isInteger(last)) throw new CliError(`${where}: years must be whole numbers`);
  if (first > last) throw new CliError(`${where}: the range ${first}-${last} runs backwards`);
  if (first < FIRST_YEAR || last > LAST_YEAR) throw new CliError(`${where}: years must lie within ${FIRST_YEAR}-${LAST_YEAR} (the reports' templates start in ${FIRST_YEAR})`);
  return [first, last];
}

function checkInteger(value: unknown, where: string, min: number): number {
  const n = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`${where}: expected a whole number ≥ ${min}, got "${String(value)}"`);
  return n;
}

function checkShare(value: unknown, where: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d*\.?\d+\s*$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`${where}: expected a share between 0 and 1, got "${String(value)}"`);
  return n;
}

function checkStyles(value: unknown, where: string): SynthStyle[] {
  const list = (Array.isArray(value) ? value.map(String) : String(value).split(',')).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new CliError(`${where}: give at least one style (${ALL_STYLES.join(', ')})`);
  for (const s of list) if (!isStyle(s)) throw new CliError(`${where}: unknown style "${s}" (known: ${ALL_STYLES.join(', ')})`);
  return [...new Set(list)] as SynthStyle[];
}

/**
 * The committed generator config (data/demo-corpus.json) as options, without `out`.
 * Keys: provinces, years, seed, brokenShare, styles, limit, exclude, damage; "description" is ignored.
 */
export function synthConfigFromJson(json: unknown, where = 'config'): Omit<SynthOptions, 'out' | 'onProgress'> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`${where}: expected a JSON object`);
  const o = json as Record<string, unknown>;
  const known = new Set(['description', 'provinces', 'years', 'seed', 'brokenShare', 'styles', 'limit', 'exclude', 'damage']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new CliError(`${where}: unknown key "${k}" (known: ${[...known].join(', ')})`);
  const exclude = o.exclude === undefined ? undefined : o.exclude;
  if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((e) => typeof e === 'string' && /^\d{6}\/[a-z0-9-]+\/\d{4}$/.test(e)))) {
    throw new CliError(`${where}: exclude must be a list of "region_code/agency-slug/year" strings`);
  }
  return {
    provinces: o.provinces === undefined ? SYNTH_DEFAULTS.provinces : checkProvinces(o.provinces, `${where}: provinces`),
    years: o.years === undefined ? SYNTH_DEFAULTS.years : checkYears(o.years, `${where}: years`),
    seed: o.seed === undefined ? SYNTH_DEFAULTS.seed : checkInteger(o.seed, `${where}: seed`, 0),
    brokenShare: o.brokenShare === undefined ? SYNTH_DEFAULTS.brokenShare : checkShare(o.brokenShare, `${where}: brokenShare`),
    ...(o.styles === undefined ? {} : { styles: checkStyles(o.styles, `${where}: styles`) }),
    ...(o.limit === undefined ? {} : { limit: checkInteger(o.limit, `${where}: limit`, 1) }),
    ...(exclude === undefined ? {} : { exclude: exclude as string[] }),
    ...(o.damage === undefined ? {} : { damage: checkShare(o.damage, `${where}: damage`) }),
  };
}

const FLAGS = new Set(['--out', '--config', '--provinces', '--years', '--seed', '--broken-share', '--styles', '--limit', '--damage']);

/**
 * Parses the arguments after `gongkai synth` (a leading "synth" is tolerated). `--config FILE`
 * reads a corpus config such as data/demo-corpus.json; flags given beside it win.
 */
export function parseSynthArgs(argv: readonly string[]): SynthOptions {
  const args = argv[0] === 'synth' ? argv.slice(1) : [...argv];
  const given = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) throw new CliError(`synth: unexpected argument "${arg}"\n${SYNTH_USAGE}`);
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!FLAGS.has(flag)) throw new CliError(`synth: unknown option ${flag}\n${SYNTH_USAGE}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliError(`synth: ${flag} needs a value\n${SYNTH_USAGE}`);
      i++;
    }
    if (given.has(flag)) throw new CliError(`synth: ${flag} given twice`);
    given.set(flag, value);
  }
  const out = given.get('--out');
  if (!out) throw new CliError(`synth: --out DIR is required\n${SYNTH_USAGE}`);

  let base: Omit<SynthOptions, 'out' | 'onProgress'> = { ...SYNTH_DEFAULTS };
  const configPath = given.get('--config');
  if (configPath) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (err) {
      throw new CliError(`synth: cannot read --config ${configPath}: ${(err as Error).message}`);
    }
    base = synthConfigFromJson(json, configPath);
  }
  const flag = (name: string) => given.get(name);
  return {
    ...base,
    out,
    ...(flag('--provinces') !== undefined ? { provinces: checkProvinces(flag('--provinces'), 'synth: --provinces') } : {}),
    ...(flag('--years') !== undefined ? { years: checkYears(flag('--years'), 'synth: --years') } : {}),
    ...(flag('--seed') !== undefined ? { seed: checkInteger(flag('--seed'), 'synth: --seed', 0) } : {}),
    ...(flag('--broken-share') !== undefined ? { brokenShare: checkShare(flag('--broken-share'), 'synth: --broken-share') } : {}),
    ...(flag('--styles') !== undefined ? { styles: checkStyles(flag('--styles'), 'synth: --styles') } : {}),
    ...(flag('--limit') !== undefined ? { limit: checkInteger(flag('--limit'), 'synth: --limit', 1) } : {}),
    ...(flag('--damage') !== undefined ? { damage: checkShare(flag('--damage'), 'synth: --damage') } : {}),
  };
}

export { checkStyles, checkShare, checkInteger };
