/**
 * The canonical record `parse` prints for one report, and the error object printed in its
 * place when a file cannot be read as a report. Shapes follow docs/report-format.md.
 */
import type { AgencyWarningCode } from '../normalize/agencies.ts';
import type { CheckCode, CheckStatus, Layout, TableCode } from './codes.ts';

/** row code → column code → printed value (null: blank, dash, 无, or unreadable). */
export type TableValues = Record<string, Record<string, number | null>>;

export type Tables = Record<TableCode, TableValues | null>;

export interface Check {
  code: CheckCode;
  table: TableCode;
  /** The row a per-row rule ran on (column_sum, review_sum, narrative). */
  row?: string;
  /** The column a per-column rule ran on (identity, outcome_sum, narrative). */
  column?: string;
  status: CheckStatus;
  expected: number | null;
  actual: number | null;
  /** `derived` when an operand came from `derived` rather than from a printed cell. */
  basis?: 'derived';
  /** For narrative checks: what section 一 states, as written. */
  statement?: string;
}

export interface Warning {
  code: WarningCode;
  /** table.row.column, table.row, table, or a metadata field. */
  where: string;
  message?: string;
  /** The text as printed, where it helps to see it. */
  raw?: string;
  /** Where in the file: "line 63", "table 2 row 5". */
  at?: string;
}

export type WarningCode =
  | 'blank_cell'
  | 'invalid_number'
  | 'unit_converted'
  | 'unit_assumed'
  | 'table_missing'
  | 'row_missing'
  | 'row_values_mismatch'
  | 'run_together_digits'
  | 'run_together_ambiguous'
  | 'layout_uncertain'
  | 'mixed_layout'
  | 'year_missing'
  | 'year_conflict'
  | 'agency_missing'
  | 'approximate_figure'
  | 'section_missing'
  | 'alignment_ambiguous'
  | 'table_clipped'
  | 'values_unplaced'
  | 'manifest_override'
  | 'decoding_replaced'
  // From agency normalization (pipeline/normalize/agencies.ts).
  | AgencyWarningCode;

/** A value the pipeline inferred, never printed: kept apart from `tables`. */
export interface Derived {
  value: number;
  rule: string;
  /** The printed text the value was recovered from. */
  raw?: string;
}

/**
 * How a value was read when it was not printed plainly beside its own label. For a row
 * ("table.row"): placed by its position among labelled rows, or, of several placements, the
 * one the accounting rules keep. For a cell ("table.row.column"): repaired from a damaged
 * print (an O read as 0, a stray mark taken out), kept because the row's rules hold with it;
 * or read by OCR from a scan, with the engine's confidence.
 * The values stay in `tables` (they were printed); this says how they were read.
 */
export interface Reading {
  basis: 'position' | 'rules' | 'repaired' | 'ocr';
  /** The cell as printed, for a repaired value. */
  raw?: string;
  /** Read by OCR: the engine's confidence in the cell's weakest character, 0–1. */
  confidence?: number;
}

export interface ReportRecord {
  source: string;
  sha256: string;
  format: string;
  title: string | null;
  agency: string | null;
  year: number | null;
  layout: Layout | null;
  /** Layout of each table as detected from the table itself. */
  layouts: Partial<Record<TableCode, Layout>>;
  tables: Tables;
  figures: { proactive_items_published: number | null };
  /** "table.row.column" → inferred value. */
  derived: Record<string, Derived>;
  checks: Check[];
  warnings: Warning[];
  /** "table.row" → where the row was read in the file. */
  locations: Record<string, string>;
  /** "table.row" or "table.row.column" → how it was read, where not plainly by its label (see Reading). */
  readings: Record<string, Reading>;
  /** Metadata a crawler's dump or the page carried (source URL, publication date, publisher). */
  page: { url?: string; published_at?: string; publisher?: string };
  /** Who published it: region, kind, level, scope and the id that joins it across years. */
  identity: AgencyIdentity;
}

export interface AgencyIdentity {
  agency_id: string;
  region_code: string | null;
  /** Where the region was ambiguous: every candidate, and region_code stays null. */
  region_candidates: string[];
  region_status: 'manifest' | 'resolved' | 'ambiguous' | 'unresolved';
  region_source: 'manifest' | 'name' | 'title' | 'text' | 'host' | null;
  agency_kind: 'government' | 'general_office' | 'department' | 'township' | 'other';
  level: 'province' | 'city' | 'county' | 'township' | null;
  /** region_summary: the report sums all agencies of an area; never add it to agency reports. */
  scope: 'agency' | 'region_summary';
  scope_evidence: string | null;
}

export type ErrorCode =
  | 'empty_file'
  | 'binary_file'
  | 'unreadable'
  | 'not_a_report'
  | 'unsupported_format'
  | 'no_text_layer'
  // Over a limit of pipeline/model/limits.ts: too big (bytes, pages, memory), nested too deep, too slow.
  | 'too_large'
  | 'too_deep'
  | 'timeout'
  | 'internal';

export interface ErrorRecord {
  source: string;
  sha256?: string;
  error: { code: ErrorCode; message: string };
}

export type ParseOutcome = ReportRecord | ErrorRecord;

export function isError(outcome: ParseOutcome): outcome is ErrorRecord {
  return 'error' in outcome;
}
