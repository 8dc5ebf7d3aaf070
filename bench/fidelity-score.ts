/**
 * How a parsed record scores against what the report prints. Every cell of the expected
 * tables is one of:
 * - exact: the value printed, null where the report prints a blank, or null (or the true
 *   value) where the rendering destroyed the cell (`unreadable`);
 * - missed: null where the report prints a number — not read, but not misleading either;
 * - wrong: a number that is not the one printed, or a number in an unreadable cell that is not
 *   its true value — the worst outcome, counted apart;
 * - unverified: a number read where the expectation leaves the cell open (a real fixture's
 *   doubtful cell), for a person to look at.
 * Besides cells: agency, year and layout; failed checks on a consistent report (false alarms)
 * and broken rules the checks did not catch. Pure functions, tallied per style by the bench.
 */
import { TABLE_CODES, tableDef, type Layout, type TableCode } from '../pipeline/model/codes.ts';
import { isError, type ParseOutcome } from '../pipeline/model/record.ts';

type TableValues = Record<string, Record<string, number | null>>;

/** What a reader should get from one report. */
export interface Expected {
  agency: string | null;
  year: number | null;
  layout: Layout | null;
  /** table → row → column → printed value (null: printed blank). A table that is null has no cells to score. */
  tables: Partial<Record<TableCode, TableValues | null>>;
  /**
   * Score every cell of the layout's template, treating a cell the expectation leaves out as
   * doubtful; without it, only the cells the expectation lists are scored.
   */
  template?: boolean;
  /** "table.row.column" of cells no reader can know: null or the true value is exact. */
  unreadable?: readonly string[];
  /** The rule the report breaks on purpose, with every failing instance; null: consistent. */
  broken?: { check: string; failing: readonly { row?: string; column?: string }[] } | null;
  /** Failing checks the expectation accepts ("code:row:column"), e.g. a real report's own inconsistency. */
  acceptedFails?: readonly string[];
}

export type CellOutcome = 'exact' | 'missed' | 'wrong' | 'unverified';

export interface CellCounts {
  total: number;
  exact: number;
  missed: number;
  wrong: number;
  unverified: number;
}

export interface ReportScore {
  /** The error code when the parser gave an error object instead of a record. */
  error: string | null;
  cells: CellCounts;
  wrong: { cell: string; got: number | null; want: number | null }[];
  missed: string[];
  unverified: { cell: string; got: number }[];
  /** null where the expectation does not say. */
  agency: boolean | null;
  year: boolean | null;
  layout: boolean | null;
  /** Failed checks the expectation does not account for, "code:row-or-column". */
  falseAlarms: string[];
  /** Failing instances of the broken rule that no failed check reports. */
  brokenMissed: string[];
  /** Failing instances of the broken rule over a cell the rendering destroyed: no check can see them. */
  brokenUnassessable: string[];
}

const emptyCounts = (): CellCounts => ({ total: 0, exact: 0, missed: 0, wrong: 0, unverified: 0 });

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** One cell: `want` undefined means the expectation leaves it open. */
export function classifyCell(got: number | null | undefined, want: number | null | undefined, unreadable: boolean): CellOutcome {
  const g = got ?? null;
  if (want === undefined) return g === null ? 'exact' : 'unverified';
  if (unreadable) return g === null || (want !== null && same(g, want)) ? 'exact' : 'wrong';
  if (want === null) return g === null ? 'exact' : 'wrong';
  if (g === null) return 'missed';
  return same(g, want) ? 'exact' : 'wrong';
}

/** The cells to score: the template's (when asked and the layout is known) or the expectation's own. */
function cellsOf(expected: Expected, table: TableCode, values: TableValues): [string, string][] {
  if (expected.template && expected.layout) return tableDef(table, expected.layout).rows.flatMap((r) => r.columns.map((c) => [r.code, c.code] as [string, string]));
  return Object.entries(values).flatMap(([row, cols]) => Object.keys(cols).map((c) => [row, c] as [string, string]));
}

const squeeze = (s: string | null | undefined) => (s == null ? null : s.replace(/\s+/g, ''));

export function scoreReport(outcome: ParseOutcome, expected: Expected): ReportScore {
  const score: ReportScore = { error: null, cells: emptyCounts(), wrong: [], missed: [], unverified: [], agency: null, year: null, layout: null, falseAlarms: [], brokenMissed: [], brokenUnassessable: [] };
  const record = isError(outcome) ? null : outcome;
  if (!record) score.error = isError(outcome) ? outcome.error.code : 'unknown';
  const unreadable = new Set(expected.unreadable ?? []);

  for (const table of TABLE_CODES) {
    const want = expected.tables[table];
    if (!want) continue;
    const got = record?.tables[table] ?? null;
    for (const [row, column] of cellsOf(expected, table, want)) {
      const key = `${table}.${row}.${column}`;
      const g = got?.[row]?.[column] ?? null;
      const w = want[row] && column in want[row] ? want[row][column] : undefined;
      const outcome = classifyCell(g, w, unreadable.has(key));
      score.cells.total++;
      score.cells[outcome]++;
      if (outcome === 'wrong') score.wrong.push({ cell: key, got: g, want: w ?? null });
      else if (outcome === 'missed') score.missed.push(key);
      else if (outcome === 'unverified') score.unverified.push({ cell: key, got: g! });
    }
  }
  if (!record) {
    if (expected.agency !== null) score.agency = false;
    if (expected.year !== null) score.year = false;
    if (expected.layout !== null) score.layout = false;
    return score;
  }
  if (expected.agency !== null) score.agency = squeeze(record.agency) === squeeze(expected.agency);
  if (expected.year !== null) score.year = record.year === expected.year;
  if (expected.layout !== null) score.layout = record.layout === expected.layout;

  const fails = record.checks.filter((c) => c.status === 'fail');
  const accepted = new Set(expected.acceptedFails ?? []);
  const broken = expected.broken ?? null;
  for (const c of fails) {
    const key = `${c.code}:${c.row ?? ''}:${c.column ?? ''}`;
    if (accepted.has(key)) continue;
    if (broken && c.code === broken.check) continue;
    score.falseAlarms.push(`${c.code}:${c.row ?? c.column ?? ''}`);
  }
  if (broken) {
    const places = new Set(fails.filter((c) => c.code === broken.check).map((c) => c.row ?? c.column));
    for (const f of broken.failing) {
      if (places.has(f.row ?? f.column)) continue;
      // A rule over a cell the rendering destroyed cannot be checked: not assessable, not missed.
      const scope = (key: string) => (f.row ? key.split('.')[1] === f.row : key.split('.')[2] === f.column);
      if ([...unreadable].some(scope)) score.brokenUnassessable.push(`${broken.check}:${f.row ?? f.column}`);
      else score.brokenMissed.push(`${broken.check}:${f.row ?? f.column}`);
    }
  }
  return score;
}

/** Scores of many reports, added up, with the quirks the bad cells co-occur with. */
export interface Tally {
  reports: number;
  errors: number;
  cells: CellCounts;
  agency: { scored: number; exact: number };
  year: { scored: number; exact: number };
  layout: { scored: number; exact: number };
  /** Reports with at least one false alarm, and the alarms. */
  falseAlarmReports: number;
  falseAlarms: number;
  brokenReports: number;
  /** Broken reports with a failing instance no check caught, and those instances. */
  brokenMissedReports: number;
  brokenMissed: number;
  /** Broken reports whose broken rule runs over a destroyed cell (and is otherwise caught). */
  brokenUnassessableReports: number;
  /** quirk → reports carrying it, and the wrong and missed cells in those reports. */
  quirks: Record<string, { reports: number; cells: number; wrong: number; missed: number }>;
}

export function emptyTally(): Tally {
  return {
    reports: 0,
    errors: 0,
    cells: emptyCounts(),
    agency: { scored: 0, exact: 0 },
    year: { scored: 0, exact: 0 },
    layout: { scored: 0, exact: 0 },
    falseAlarmReports: 0,
    falseAlarms: 0,
    brokenReports: 0,
    brokenMissedReports: 0,
    brokenMissed: 0,
    brokenUnassessableReports: 0,
    quirks: {},
  };
}

export function addToTally(tally: Tally, score: ReportScore, quirks: readonly string[] = [], broken = false): void {
  tally.reports++;
  if (score.error) tally.errors++;
  for (const k of Object.keys(tally.cells) as (keyof CellCounts)[]) tally.cells[k] += score.cells[k];
  for (const field of ['agency', 'year', 'layout'] as const) {
    if (score[field] === null) continue;
    tally[field].scored++;
    if (score[field]) tally[field].exact++;
  }
  if (score.falseAlarms.length) tally.falseAlarmReports++;
  tally.falseAlarms += score.falseAlarms.length;
  if (broken) tally.brokenReports++;
  if (score.brokenMissed.length) tally.brokenMissedReports++;
  else if (score.brokenUnassessable.length) tally.brokenUnassessableReports++;
  tally.brokenMissed += score.brokenMissed.length;
  for (const q of quirks) {
    const t = (tally.quirks[q] ??= { reports: 0, cells: 0, wrong: 0, missed: 0 });
    t.reports++;
    t.cells += score.cells.total;
    t.wrong += score.cells.wrong;
    t.missed += score.cells.missed;
  }
}

/**
 * The quirks whose reports lose the largest share of their cells (wrong or missed), among
 * quirks seen in at least `minReports` reports; ties by the wrong cells.
 */
export function worstQuirks(tally: Tally, n: number, minReports = 3): [string, Tally['quirks'][string]][] {
  const bad = (t: Tally['quirks'][string]) => (t.cells ? (t.wrong + t.missed) / t.cells : 0);
  return Object.entries(tally.quirks)
    .filter(([, t]) => t.wrong + t.missed > 0 && t.reports >= minReports)
    .sort((a, b) => bad(b[1]) - bad(a[1]) || b[1].wrong - a[1].wrong || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}
