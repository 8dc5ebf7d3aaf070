/**
 * The corpus generator's thin writer around the pure core (corpus.ts): it validates options,
 * streams the reports to OUT/<province>/<region>/<agency>/<year>.<ext>, their ground truth to
 * OUT/truth/<same path>.json, and OUT/manifest.csv last. Every file is written to a temporary
 * name and renamed into place, so an interrupted run never leaves a half-written file.
 *
 * It never imports the parser (pipeline/parse, pipeline/read): reports come from its own
 * templates, so parser bugs cannot leak into the ground truth.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CliError } from '../errors.ts';
import { checkProvinces, checkShare, checkStyles, checkYears, SYNTH_DEFAULTS, type SynthOptions } from './args.ts';
import { manifestCsv, planCorpus, truthJson, type ManifestRow, type SynthConfig, type SynthReport } from './corpus.ts';
import { printAll, requireChromium } from './chromium.ts';
import { convertAll, requireSoffice, writeHtmlFor, type Conversion } from './office.ts';
import { requireScanTools, scanPdf } from './scan.ts';
import { STYLE_DEFS } from './styles.ts';

export { parseSynthArgs, synthConfigFromJson, SYNTH_USAGE, type SynthOptions } from './args.ts';
export { planCorpus, manifestCsv, truthJson, type SynthConfig, type SynthReport, type SynthTruth, type ManifestRow, type Corpus } from './corpus.ts';
export { ALL_STYLES, HARD_STYLES, OFFICE_STYLES, PRINT_STYLES, STYLES, STYLE_DEFS, type SynthStyle } from './styles.ts';
export { ruleFailures, type Broken, type RuleCode, type RuleFailure } from './defects.ts';

export interface SynthResult {
  reports: number;
  files: number;
  ms: number;
}

/** Options as the core takes them: checked, defaults filled in. */
export function synthConfig(options: Omit<SynthOptions, 'out' | 'onProgress'>): SynthConfig {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new CliError(`synth: limit must be a whole number ≥ 1, got ${limit}`);
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new CliError(`synth: seed must be a whole number ≥ 0, got ${options.seed}`);
  return {
    provinces: checkProvinces(options.provinces ?? SYNTH_DEFAULTS.provinces, 'synth: provinces'),
    years: checkYears(options.years ?? SYNTH_DEFAULTS.years, 'synth: years'),
    seed: options.seed,
    brokenShare: checkShare(options.brokenShare ?? SYNTH_DEFAULTS.brokenShare, 'synth: brokenShare'),
    styles: options.styles === undefined ? [] : checkStyles(options.styles, 'synth: styles'),
    ...(limit !== undefined ? { limit } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.damage !== undefined ? { damage: checkShare(options.damage, 'synth: damage') } : {}),
  };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Generates the corpus into options.out. Existing files at the same paths are replaced. */
export async function runSynth(options: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  if (!options.out) throw new CliError('synth: an output directory is required');
  const config = synthConfig(options);
  const corpus = planCorpus(config);
  const made = new Set<string>();
  const ensureDir = (dir: string) => {
    if (made.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  const rows: ManifestRow[] = [];
  const conversions: Conversion[] = [];
  const scans: { pdf: string; target: string; truthFile: string; truth: SynthReport['truth']; recipe: NonNullable<SynthReport['scan']> }[] = [];
  // A missing tool is an error before anything is written.
  const kinds = new Set(config.styles.map((s) => STYLE_DEFS[s].convert));
  if (kinds.has('chromium-pdf')) requireChromium();
  if ([...kinds].some((k) => k && k !== 'chromium-pdf')) requireSoffice();
  if (config.styles.includes('scan')) requireScanTools();
  let done = 0;
  for (const report of corpus.reports()) {
    const file = join(options.out, report.path);
    const truthFile = join(options.out, 'truth', `${report.path}.json`);
    ensureDir(dirname(file));
    ensureDir(dirname(truthFile));
    // Word and PDF: the HTML now, LibreOffice or Chromium converts it after the loop; a scan is
    // made from its PDF after that.
    const kind = STYLE_DEFS[report.truth.style].convert;
    if (report.scan && kind) {
      const pdf = `${file}.tmp-${process.pid}.print.pdf`;
      conversions.push(writeHtmlFor(pdf, report.bytes, kind));
      scans.push({ pdf, target: file, truthFile, truth: report.truth, recipe: report.scan });
    } else if (kind) conversions.push(writeHtmlFor(file, report.bytes, kind));
    else writeAtomic(file, report.bytes);
    writeAtomic(truthFile, truthJson(report.truth));
    rows.push(report.manifest);
    done++;
    options.onProgress?.(done, corpus.total);
    // Let a progress bar redraw now and then.
    if (done % 250 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const office = conversions.filter((c) => c.kind !== 'chromium-pdf');
  if (office.length) convertAll(office);
  const printed = conversions.filter((c) => c.kind === 'chromium-pdf');
  if (printed.length) await printAll(printed);
  for (const { pdf, target, truthFile, truth, recipe } of scans) {
    const tmp = `${target}.tmp-${process.pid}`;
    const unreadable = scanPdf(pdf, tmp, recipe);
    renameSync(tmp, target);
    rmSync(pdf, { force: true });
    // The seal's cells are known only now: the truth is written again with them.
    if (unreadable.length) writeAtomic(truthFile, truthJson({ ...truth, unreadable: [...new Set([...(truth.unreadable ?? []), ...unreadable])].sort() }));
  }
  ensureDir(options.out);
  writeAtomic(join(options.out, 'manifest.csv'), manifestCsv(rows));
  return { reports: done, files: done * 2 + 1, ms: Math.round(performance.now() - started) };
}
