/**
 * The pure core of the generator: a config and a seed in, reports out — each with its relative
 * path, its bytes and its ground truth — plus the manifest. No disk, clock or Math.random:
 * the same config gives the same bytes. Reports are produced lazily, one region at a time, so
 * a corpus of any size streams through a constant amount of memory.
 */
import { TABLE_CODES, type Layout, type TableCode } from '../model/codes.ts';
import type { Tables } from '../model/record.ts';
import { planRegions, type Agency, type AgencyKind, type RegionPlan } from './agencies.ts';
import { damageHeadings, drawChrome, type Chrome } from './damage.ts';
import { blankZeroCells, breakOneRule, ruleFailures, type BlankMode, type Broken, type RuleCode } from './defects.ts';
import { DEFAULT_LABELS, type LabelStyle } from './labels.ts';
import { agencySeries, printedTables, sumFacts, type PrintedTables, type YearFacts } from './numbers.ts';
import { composeDocument } from './prose.ts';
import { Rng } from './random.ts';
import type { ScanRecipe } from './scan.ts';
import { STYLE_DEFS, STYLES, type SynthStyle } from './styles.ts';
import { publicationDate, siteOf, sourceUrl } from './urls.ts';
import { tableDef } from '../model/codes.ts';

export interface SynthConfig {
  /** Two-digit province codes. */
  provinces: string[];
  /** First and last year covered, inclusive. */
  years: [number, number];
  seed: number;
  /** Share of reports with exactly one broken accounting rule. */
  brokenShare: number;
  /** Styles to draw from (all by default). */
  styles: SynthStyle[];
  /** Stop after this many reports (in corpus order). */
  limit?: number;
  /** Reports to leave out, as "region_code/agency-slug/year" (e.g. one a real fixture stands for). */
  exclude?: string[];
  /**
   * Share of reports with page chrome and heading damage (breadcrumbs, wrapped titles, heading
   * typos, renumbering…); unset: each style's own share (none for the default styles).
   */
  damage?: number;
}

export type Scope = 'agency' | 'region_summary';

/** The ground truth of one report, written to truth/<path>.json. */
export interface SynthTruth {
  path: string;
  style: SynthStyle;
  encoding: 'utf-8' | 'gb18030';
  /** The agency as the title names it (what the parser should report). */
  agency: string;
  /** The agency's full name with its hierarchy. */
  agency_full: string;
  /** Stable id of the generated agency, the same across years (a summary shares its government's). */
  agency_key: string;
  region_code: string;
  kind: AgencyKind;
  scope: Scope;
  /** For a region summary: the agency_keys whose agency-scope figures it sums. */
  covers?: string[];
  year: number;
  layout: Layout;
  title: string;
  source_url: string;
  published_at: string;
  /** Exactly the printed values: table → row → column → number, null where printed blank. */
  tables: Tables;
  figures: { proactive_items_published: number | null };
  /** Other figures the prose states: applications received (matches the printed table). */
  narrative: { applications_received: number | null };
  broken: Broken | null;
  /** "table.row.column" of zero cells printed blank. */
  blanks: string[];
  /**
   * "table.row.column" of cells the rendering lost or destroyed, so that no reader can know
   * them (a reader must print null there); `tables` keeps their true values. Absent when none.
   */
  unreadable?: string[];
  /** Features of this rendering worth knowing when a parser fails on it. */
  quirks: string[];
}

export interface ManifestRow {
  path: string;
  agency: string;
  region_code: string;
  year: number;
  source_url: string;
  published_at: string;
  /** Always true: the manifest marks every generated report, and a build labels its release by it. */
  generated: true;
}

export interface SynthReport {
  /** Relative to the output directory, with forward slashes. */
  path: string;
  bytes: Uint8Array;
  /** The text before encoding (equals the bytes decoded with the style's encoding). */
  text: string;
  truth: SynthTruth;
  manifest: ManifestRow;
  /** A scan: the PDF converted from `bytes` is scanned this way (scan.ts), and the seal's cells added to the truth. */
  scan?: ScanRecipe;
}

interface ReportSpec {
  plan: RegionPlan;
  agency: Agency;
  scope: Scope;
  year: number;
  id: string;
}

export interface Corpus {
  /** Number of reports the corpus yields. */
  total: number;
  /** GB/T 2260 codes of the regions whose agencies report, in corpus order. */
  regions: string[];
  reports(): Generator<SynthReport>;
}

const LAGGARD_SHARE: Record<number, number> = { 2021: 0.06, 2022: 0.03 };

export function planCorpus(config: SynthConfig): Corpus {
  const { seed } = config;
  const years: number[] = [];
  for (let y = config.years[0]; y <= config.years[1]; y++) years.push(y);
  const excluded = new Set(config.exclude ?? []);
  const plans = planRegions(seed, config.provinces);

  const specs: ReportSpec[] = [];
  for (const plan of plans) {
    for (const agency of plan.agencies) {
      for (const year of years) specs.push({ plan, agency, scope: 'agency', year, id: `${agency.regionCode}/${agency.slug}/${year}` });
    }
    if (plan.summary) {
      const gov = plan.agencies[0];
      for (const year of years) specs.push({ plan, agency: gov, scope: 'region_summary', year, id: `${gov.regionCode}/${gov.slug}-summary/${year}` });
    }
  }
  const kept = specs.filter((s) => !excluded.has(s.id));
  const chosen = config.limit !== undefined ? kept.slice(0, config.limit) : kept;

  function* reports(): Generator<SynthReport> {
    let series: Map<string, YearFacts[]> | null = null;
    let current: RegionPlan | null = null;
    for (const spec of chosen) {
      if (spec.plan !== current) {
        current = spec.plan;
        series = new Map(current.agencies.map((a) => [a.key, agencySeries(seed, a, years)]));
      }
      const index = years.indexOf(spec.year);
      const facts =
        spec.scope === 'agency'
          ? series!.get(spec.agency.key)![index]
          : sumFacts(
              spec.year,
              current.agencies.map((a) => series!.get(a.key)![index]),
            );
      yield renderReport(config, spec, facts);
    }
  }
  return { total: chosen.length, regions: plans.map((p) => p.region.code), reports };
}

function chooseLayout(rng: Rng, year: number): { layout: Layout; laggard: boolean } {
  if (year < 2021) return { layout: '2019', laggard: false };
  const share = LAGGARD_SHARE[year] ?? 0.015;
  return rng.chance(share) ? { layout: '2019', laggard: true } : { layout: '2021', laggard: false };
}

function chooseStyle(config: SynthConfig, spec: ReportSpec, rng: Rng): SynthStyle {
  const allowed = config.styles.length > 0 ? config.styles : [...STYLES];
  const weights = allowed.map((s) => [s, STYLE_DEFS[s].weight] as const);
  // An agency's site serves the same format year after year, with the odd exception.
  const usual = new Rng(config.seed, 'style', spec.agency.key, spec.scope).weighted(weights);
  return rng.chance(0.8) ? usual : rng.weighted(weights);
}

function chooseLabels(rng: Rng, halfWidthShare: number): LabelStyle {
  const half = rng.chance(halfWidthShare);
  return {
    halfWidthBrackets: half,
    itemMark: half ? (rng.chance(0.8) ? '. ' : '.') : rng.weighted<LabelStyle['itemMark']>([
      ['.', 80],
      ['、', 10],
      ['. ', 10],
    ]),
    normativeLabel2021: rng.chance(0.08) ? '规范性文件' : '行政规范性文件',
    inForceLabel: rng.chance(0.05) ? '现行有效件数（历史累计）' : '现行有效件数',
  };
}

function formatThousands(n: number): string {
  const s = String(Math.abs(n));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** The printed text of a value; amounts with two decimals in some reports. */
function formatValue(value: number, amount: boolean, o: { thousands: boolean; twoDecimals: boolean }): string {
  if (amount) {
    if (o.twoDecimals || !Number.isInteger(value)) {
      const fixed = value.toFixed(2);
      return o.twoDecimals ? fixed : fixed.replace(/0$/, '');
    }
    return String(value);
  }
  return o.thousands && Math.abs(value) >= 1000 ? formatThousands(value) : String(value);
}

const AMOUNT_COLUMNS = new Set(['amount_10k_yuan']);

const UNRELATED_TITLES = [
  '关于做好2024年度政务公开工作的通知',
  '政府信息公开指南',
  '关于公布行政规范性文件清理结果的通知',
  '政府信息主动公开目录',
  '关于调整政务公开工作领导小组成员的通知',
];

function renderReport(config: SynthConfig, spec: ReportSpec, facts: YearFacts): SynthReport {
  const { agency, scope, year } = spec;
  const seed = config.seed;
  const rng = new Rng(seed, 'report', agency.key, scope, year);
  const quirks: string[] = [];

  const { layout, laggard } = chooseLayout(rng, year);
  if (laggard) quirks.push('laggard_layout');
  const style = chooseStyle(config, spec, rng);
  const def = STYLE_DEFS[style];

  // Numbers: the consistent tables, then at most one broken rule or some blank zero cells.
  const tables = printedTables(facts, layout);
  let broken: Broken | null = null;
  let blanks: string[] = [];
  if (rng.chance(config.brokenShare)) {
    broken = breakOneRule(rng, tables, layout);
    assertOnlyBroken(tables, layout, broken, spec.id);
  } else if (rng.chance(def.blankShare)) {
    const regsZero = Object.values(tables.proactive.regulations).every((v) => v === 0);
    const mode = rng.weighted<BlankMode>([
      ['sparse', 50],
      ['zeros', 30],
      ['regulations', regsZero ? 20 : 0],
    ]);
    blanks = blankZeroCells(rng, tables, mode);
    quirks.push(`blank_${mode}`);
  }
  const blankMark = rng.weighted(def.blankMarks);
  const numberLook = { thousands: rng.chance(def.thousandsShare), twoDecimals: rng.chance(0.3) };
  if (numberLook.thousands) quirks.push('thousands_separator');
  const value = (table: TableCode, row: string, column: string): string => {
    const v = tables[table][row][column];
    return v === null ? blankMark : formatValue(v, AMOUNT_COLUMNS.has(column), numberLook);
  };

  // Names, place and date of publication.
  const name = printedName(rng, agency, scope);
  if (agency.cityName && name.startsWith(agency.cityName)) quirks.push('city_prefix');
  const site = siteOf(seed, agency);
  const when = publicationDate(rng, year);
  const url = sourceUrl(rng, site, when, style === 'text-pdf');

  const composed = composeDocument({
    rng,
    agency,
    printedName: name,
    scope,
    year,
    layout,
    tables,
    items: facts.items,
    site: { name: site.siteName, host: site.host, phone: site.phone },
  });
  quirks.push(...composed.quirks);

  const labels = chooseLabels(rng, def.halfWidthShare);
  if (labels.halfWidthBrackets || labels.itemMark !== DEFAULT_LABELS.itemMark) quirks.push('label_marks');
  if (labels.normativeLabel2021 !== DEFAULT_LABELS.normativeLabel2021 && layout === '2021') quirks.push('label_variant_normative');
  if (labels.inForceLabel !== DEFAULT_LABELS.inForceLabel && layout === '2021') quirks.push('label_variant_in_force');

  // Page chrome and heading damage come from a stream of their own: a damaged report has the
  // same numbers and prose as its clean twin, and a corpus without damage draws nothing here.
  const damage = config.damage ?? def.damage?.share ?? 0;
  let chrome: Chrome | null = null;
  let blocks = composed.blocks;
  if (def.damage && damage > 0) {
    const damageRng = new Rng(seed, 'damage', agency.key, scope, year);
    if (damageRng.chance(damage)) {
      const drawn = drawChrome(damageRng, { title: composed.title, printedName: name, siteName: site.siteName, publisher: site.publisher, publishedAt: when.date }, def.damage);
      const headings = damageHeadings(damageRng, blocks, def.damage);
      chrome = drawn.chrome;
      blocks = headings.blocks;
      quirks.push(...drawn.quirks, ...headings.quirks);
    }
  }

  const pageRng = new Rng(seed, 'page', agency.key, scope, year);
  const prev = pageRng.chance(0.3) ? (pageRng.chance(0.3) ? `${name}${year - 1}年政府信息公开工作年度报告` : pageRng.pick(UNRELATED_TITLES)) : undefined;
  const next = pageRng.chance(0.3) ? pageRng.pick(UNRELATED_TITLES) : undefined;
  const rendered = def.render({
    rng,
    title: composed.title,
    blocks,
    layout,
    labels,
    value,
    chrome,
    page: {
      siteName: site.siteName,
      host: site.host,
      url,
      publisher: site.publisher,
      publishedAt: when.date,
      icp: site.icp,
      siteCode: site.siteCode,
      prev,
      next,
    },
  });
  quirks.push(...rendered.quirks);
  const applied = quirks.filter((q) => !rendered.unapplied?.includes(q));

  const slug = scope === 'region_summary' ? `${agency.slug}-summary` : agency.slug;
  const path = `${agency.provinceCode}/${agency.regionCode}/${slug}/${year}.${def.ext}`;
  const truth: SynthTruth = {
    path,
    style,
    encoding: def.encoding,
    agency: name,
    agency_full: agency.fullName,
    agency_key: agency.key,
    region_code: agency.regionCode,
    kind: agency.kind,
    scope,
    ...(scope === 'region_summary' ? { covers: spec.plan.agencies.map((a) => a.key) } : {}),
    year,
    layout,
    title: composed.title,
    source_url: url,
    published_at: when.date,
    tables: orderedTables(tables, layout),
    figures: { proactive_items_published: composed.items },
    narrative: { applications_received: composed.applications },
    broken,
    blanks,
    ...(rendered.unreadable?.length ? { unreadable: [...rendered.unreadable].sort() } : {}),
    quirks: [...new Set(applied)].sort(),
  };
  return {
    path,
    bytes: rendered.bytes,
    text: rendered.text,
    truth,
    manifest: { path, agency: name, region_code: agency.regionCode, year, source_url: url, published_at: when.date, generated: true },
    ...(rendered.scan ? { scan: rendered.scan } : {}),
  };
}

/** Summaries name the government or just the region (涧西区2023年…), with or without the city. */
function printedName(rng: Rng, agency: Agency, scope: Scope): string {
  if (scope === 'region_summary' && rng.chance(0.5)) {
    return agency.cityName && rng.chance(0.3) ? agency.cityName + agency.regionName : agency.regionName;
  }
  return rng.chance(0.9) || agency.names.length === 1 ? agency.names[0] : rng.pick(agency.names.slice(1));
}

/** Tables in template order: rows and columns as the layout defines them. */
function orderedTables(tables: PrintedTables, layout: Layout): Tables {
  const out = {} as Tables;
  for (const t of TABLE_CODES) {
    const rows: Record<string, Record<string, number | null>> = {};
    for (const row of tableDef(t, layout).rows) {
      const cols: Record<string, number | null> = {};
      for (const c of row.columns) cols[c.code] = tables[t][row.code][c.code];
      rows[row.code] = cols;
    }
    out[t] = rows;
  }
  return out;
}

/** A broken report must break its rule, in exactly the instances it records, and no other. */
function assertOnlyBroken(tables: PrintedTables, layout: Layout, broken: Broken, id: string): void {
  const failures = ruleFailures(tables, layout);
  const expected = broken.failing.map((f) => `${broken.check}:${f.row ?? ''}:${f.column ?? ''}`).sort();
  const actual = failures.map((f) => `${f.check}:${f.check === 'identity' || f.check === 'outcome_sum' ? '' : f.row}:${f.check === 'identity' || f.check === 'outcome_sum' ? f.column : ''}`).sort();
  if (expected.join('|') !== actual.join('|')) {
    throw new Error(`synth: breaking ${broken.check} in ${id} gave ${actual.join(', ')} instead of ${expected.join(', ')}`);
  }
}

/**
 * The truth file's text: two-space JSON, except that an object of plain values (a table row,
 * a broken cell) stays on one line, so a table reads as a table.
 */
export function truthJson(truth: SynthTruth): string {
  const render = (value: unknown, indent: string): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    const inner = indent + '  ';
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
      return `[\n${value.map((v) => inner + render(v, inner)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
      return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    }
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(',\n')}\n${indent}}`;
  };
  return render(truth, '') + '\n';
}

/**
 * manifest.csv: one row per report, sorted by path. The `generated` column marks every row as
 * generated: a build of the corpus labels its release as generated sample data by it.
 */
export function manifestCsv(rows: readonly ManifestRow[]): string {
  const esc = (v: string | number | boolean) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = 'path,agency,region_code,year,source_url,published_at,generated';
  const sorted = [...rows].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [header, ...sorted.map((r) => [r.path, r.agency, r.region_code, r.year, r.source_url, r.published_at, r.generated].map(esc).join(','))].join('\n') + '\n';
}

export type { RuleCode };
