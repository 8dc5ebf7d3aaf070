/**
 * One parsed report → rows of the release tables (reports, the three long cell tables, checks,
 * warnings, inputs), in the column order of schema.ts plus the internal ordering columns.
 * Pure: the loader appends what this returns.
 */
import { createHash } from 'node:crypto';
import { TABLE_CODES, tableDef, type Layout } from '../model/codes.ts';
import type { ErrorRecord, ReportRecord } from '../model/record.ts';
import { describeFailure } from '../fetch/outcomes.ts';
import { normalizeAgency } from '../normalize/agencies.ts';
import type { ManifestRow } from '../normalize/manifest.ts';
import type { SetAside } from './inputs.ts';

export type Value = string | number | boolean | null;
export type Row = Value[];

export interface InputInfo {
  /** Relative, with / separators. */
  path: string;
  bytes: number;
  cached: boolean;
  /** The manifest row that lists the file, if any: its source URL and fetch time. */
  manifest: ManifestRow | null;
}

/** Rows for the staged tables of staging.ts, keyed by table name. */
export interface ReportRows {
  reports: Row[];
  proactive_cells: Row[];
  applications_cells: Row[];
  review_litigation_cells: Row[];
  row_locations: Row[];
  checks: Row[];
  warnings: Row[];
  inputs: Row[];
}

export function reportId(sourcePath: string): string {
  return `r${createHash('sha256').update(sourcePath).digest('hex').slice(0, 12)}`;
}

export function reportStatus(record: ReportRecord): 'ok' | 'warnings' | 'failed' {
  if (record.checks.some((c) => c.status === 'fail')) return 'failed';
  return record.warnings.length ? 'warnings' : 'ok';
}

/**
 * Does the manifest assign the file to an agency and a year? Then the report's identity is the
 * manifest's, and among several reports claiming one agency and year it is the one counted.
 */
export function manifestClaims(manifest: ManifestRow | null): boolean {
  return manifest?.year != null && Boolean(manifest.agency || manifest.region_code);
}

/** `rid`: the report's number in this build, which the narrow cell rows refer to. */
export function rowsOfReport(record: ReportRecord, input: InputInfo, rid: number): ReportRows {
  const id = reportId(input.path);
  const who = record.identity;
  const layout = record.layout;
  const status = reportStatus(record);
  const out: ReportRows = { reports: [], proactive_cells: [], applications_cells: [], review_litigation_cells: [], row_locations: [], checks: [], warnings: [], inputs: [] };

  out.reports.push([
    id,
    who.agency_id,
    record.agency,
    who.region_code,
    who.region_status,
    who.region_candidates.length > 1 ? who.region_candidates.join('|') : null,
    who.agency_kind,
    who.level,
    record.year,
    layout,
    who.scope,
    record.title,
    input.path,
    record.page.url ?? null,
    record.page.published_at ?? null,
    input.manifest?.fetched_at ?? null,
    record.format,
    record.sha256,
    status,
    record.checks.filter((c) => c.status === 'fail').length,
    record.warnings.length,
    record.figures.proactive_items_published,
    input.manifest?.generated === true,
    // counted, set_aside, counted_instead, choice: decided once every report is in (derive.ts).
    null,
    null,
    null,
    null,
    rid,
    record.layouts.proactive ?? null,
    record.layouts.applications ?? null,
    manifestClaims(input.manifest),
  ]);

  for (const table of TABLE_CODES) {
    const values = record.tables[table];
    if (!values) continue;
    const tableLayout: Layout = (table === 'review_litigation' ? null : record.layouts[table]) ?? layout ?? '2021';
    const cells = out[`${table}_cells`];
    tableDef(table, tableLayout).rows.forEach((row, rowOrd) => {
      const location = record.locations[`${table}.${row.code}`];
      if (location) out.row_locations.push([rid, table, rowOrd, location]);
      row.columns.forEach((column, colOrd) => {
        const derived = record.derived[`${table}.${row.code}.${column.code}`];
        const cellNote = record.readings[`${table}.${row.code}.${column.code}`];
        const rowNote = record.readings[`${table}.${row.code}`];
        // The cell's own mark (repaired), else its row's (position, rules), else ocr: on a scan
        // every number is OCR'd, and how its row was placed says more.
        const basis = cellNote && cellNote.basis !== 'ocr' ? cellNote.basis : (rowNote?.basis ?? cellNote?.basis ?? null);
        cells.push([rid, rowOrd, colOrd, values[row.code]?.[column.code] ?? null, derived ? derived.value : null, derived ? derived.rule : null, basis, cellNote?.confidence ?? null]);
      });
    });
  }

  record.checks.forEach((check, i) => {
    out.checks.push([id, i + 1, check.code, check.table, check.row ?? null, check.column ?? null, check.status, check.expected, check.actual, check.basis ?? null, check.statement ?? null]);
  });
  record.warnings.forEach((w, i) => {
    out.warnings.push([id, i + 1, w.code, w.where, w.at ?? null, w.raw ?? null, w.message ?? null]);
  });
  out.inputs.push([input.path, record.sha256, input.bytes, status === 'ok' ? 'ok' : 'warnings', null, null, id, input.cached, record.page.url ?? null, input.manifest?.fetched_at ?? null]);
  return out;
}

export function rowsOfError(error: ErrorRecord, input: InputInfo): Row[] {
  const m = input.manifest;
  return [[input.path, error.sha256 ?? null, input.bytes, 'error', error.error.code, error.error.message, null, input.cached, m?.source_url ?? null, m?.fetched_at ?? null]];
}

/**
 * A file that gave no report: its row of `inputs`, and — when a manifest assigns it to an agency
 * and year — its coverage row, so the report still counts as found.
 */
export function rowsOfFailedInput(error: ErrorRecord, input: InputInfo): { inputs: Row[]; inputs_without_report: Row[] } {
  const who = coverageOf(input.manifest);
  return {
    inputs: rowsOfError(error, input),
    inputs_without_report: who ? [[who.agency_id, who.region_code, who.year, 'found', `${error.error.code}: ${error.error.message}`]] : [],
  };
}

/**
 * The agency and year a manifest row assigns to an input that gave no report — the agency as the
 * manifest names it, else as the link's title does — for coverage; null without both.
 */
export function coverageOf(manifest: ManifestRow | null): { agency_id: string; region_code: string | null; year: number } | null {
  if (!manifest?.year || !(manifest.agency || manifest.title)) return null;
  const who = normalizeAgency({ agency: manifest.agency ?? null, title: manifest.title ?? null, manifest });
  return { agency_id: who.agency_id, region_code: who.region_code, year: manifest.year };
}

/** A report a manifest lists as not fetched: its inputs row and its coverage row. */
/** A file or folder under the inputs that is not read as a report: a row of inputs with its reason. */
export function rowOfSetAside(a: SetAside): Row {
  return [a.path, null, a.bytes, 'ignored', a.code, a.reason, null, false, null, null];
}

export function rowsOfUnfetched(path: string, manifest: ManifestRow): { inputs: Row[]; without_report: Row[] } {
  const reason = `${describeFailure(manifest.fetch_error!, manifest.http_status)}: ${manifest.source_url ?? path}`;
  const who = coverageOf(manifest);
  return {
    inputs: [[path, null, null, 'not_fetched', manifest.fetch_error!, reason, null, false, manifest.source_url ?? null, null]],
    without_report: who ? [[who.agency_id, who.region_code, who.year, 'unfetched', reason]] : [],
  };
}
