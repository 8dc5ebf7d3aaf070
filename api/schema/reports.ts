/**
 * Reports: who published each one, the year it covers, where it came from (path, URL, sha256,
 * and the place in the file each table row was read), its cells with row and column labels,
 * its checks and its warnings.
 */
import { tableDef, type Layout, type TableCode } from '../../pipeline/model/codes.ts';
import { builder } from '../builder.ts';
import type { AgencyRow } from '../data/agencies.ts';
import type { CellRow, CheckRow, ReportFilter, ReportRow, WarningRow } from '../data/reports.ts';
import { countReports, listReports } from '../data/reports.ts';
import { badInput } from '../errors.ts';
import type { ApiContext } from '../context.ts';
import {
  AgencyKindEnum,
  AgencyLevelEnum,
  CheckCodeEnum,
  CheckStatusEnum,
  ClaimChoiceEnum,
  LabelRef,
  ReportSetAsideEnum,
  LayoutEnum,
  ReportStatusEnum,
  ScopeEnum,
  TableCodeEnum,
  checkLabel,
  columnLabel,
  rowLabel,
} from './codes.ts';
import { yearRange } from './inputs.ts';
import { connectionComplexity, offsetConnection } from './pagination.ts';
import { RegionRef, regionFilter } from './regions.ts';

// ---------------------------------------------------------------------------------------------
// Cells, checks, warnings, source

type CellWithLayout = CellRow & { layout: string | null };

export const CellRef = builder.objectRef<CellWithLayout>('Cell').implement({
  description: 'One printed cell of a table, as the report prints it',
  fields: (t) => ({
    table: t.field({ type: TableCodeEnum, resolve: (c) => c.table }),
    row: t.field({ type: LabelRef, description: 'Row code with the label of the report\'s layout', resolve: (c) => rowLabel(c.table, c.row, c.layout) }),
    column: t.field({ type: LabelRef, resolve: (c) => columnLabel(c.table, c.row, c.column, c.layout) }),
    value: t.exposeFloat('value', { nullable: true, description: 'The number printed; null when printed blank, as a dash, slash or 无, or unreadable (never 0)' }),
    derivedValue: t.exposeFloat('derived_value', { nullable: true, description: 'A value inferred where the printed one is unusable (e.g. run-together digits); never mixed into value' }),
    derivedRule: t.exposeString('derived_rule', { nullable: true, description: 'The rule that produced derivedValue' }),
    reading: t.exposeString('reading', {
      nullable: true,
      description:
        'How value was read where not plainly beside its own label: position (its row placed by its place among labelled rows), rules (the one placement the accounting rules keep), repaired (a damaged print read, e.g. O for 0, confirmed by the row rule), ocr (read by OCR from a scanned page, beside its label); null: printed beside its label. The value is served either way: it was printed, and its placement is one the accounting rules allow.',
    }),
    ocrConfidence: t.exposeFloat('ocr_confidence', {
      nullable: true,
      description: "Read by OCR from a scanned page: the engine's confidence in the cell's least certain character, 0–1 (a number read with less than 0.8 was held to its row's accounting rules); null for text",
    }),
    location: t.exposeString('location', { nullable: true, description: 'Where the row was read in the source file (line, or table and row)' }),
  }),
});

export const CheckRef = builder.objectRef<CheckRow>('Check').implement({
  description: 'One accounting check of a report (identity, outcome_sum, column_sum, review_sum, narrative, carry_over, rollup)',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    check: t.field({ type: LabelRef, resolve: (c) => checkLabel(c.check) }),
    table: t.exposeString('table', { nullable: true }),
    row: t.exposeString('row', { nullable: true }),
    column: t.exposeString('column', { nullable: true }),
    status: t.field({ type: CheckStatusEnum, resolve: (c) => c.status as 'pass' }),
    expected: t.exposeFloat('expected', { nullable: true, description: 'The side the rule computes (e.g. new_received + carried_over)' }),
    actual: t.exposeFloat('actual', { nullable: true, description: 'The side printed (e.g. total_processed + carried_forward)' }),
    basis: t.exposeString('basis', { nullable: true, description: 'derived when an operand came from a derived value' }),
    detail: t.exposeString('detail', { nullable: true }),
  }),
});

export const WarningRef = builder.objectRef<WarningRow>('Warning').implement({
  description: 'Something the parser noticed: a blank cell, a converted unit, recovered digits, a missing table…',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    code: t.exposeString('code'),
    where: t.exposeString('where', { nullable: true, description: 'table.row.column, table, or a field' }),
    at: t.exposeString('at', { nullable: true, description: 'Where in the file (line, or table and row)' }),
    raw: t.exposeString('raw', { nullable: true, description: 'The text as printed' }),
    message: t.exposeString('message', { nullable: true }),
  }),
});

export const SourceRef = builder.objectRef<ReportRow>('Source').implement({
  description: 'Where a report came from',
  fields: (t) => ({
    path: t.exposeString('source_path', { description: "The input file, relative to the build's working directory" }),
    url: t.exposeString('source_url', { nullable: true, description: 'Where the report was published' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the input bytes' }),
    format: t.exposeString('format', { nullable: true, description: 'html, text, docx or pdf; "pdf (ocr: paddle)" when scanned pages were read by OCR' }),
    publishedAt: t.exposeString('published_at', { nullable: true }),
    fetchedAt: t.exposeString('fetched_at', { nullable: true, description: 'When the file was downloaded by gongkai fetch (ISO 8601, UTC)' }),
  }),
});

/** Template order of a table's cells in a layout: row index × 100 + column index. */
function cellOrder(table: TableCode, layout: string | null): (c: CellRow) => number {
  const def = tableDef(table, layout === '2019' ? '2019' : '2021');
  const rows = new Map(def.rows.map((r, i) => [r.code, { i, cols: new Map(r.columns.map((c, j) => [c.code, j])) }]));
  return (c) => {
    const r = rows.get(c.row);
    return r ? r.i * 100 + (r.cols.get(c.column) ?? 99) : 1e6;
  };
}

function knownCodes(table: TableCode, what: 'rows' | 'columns'): Set<string> {
  const out = new Set<string>();
  for (const layout of ['2019', '2021'] as Layout[]) {
    for (const r of tableDef(table, layout).rows) {
      if (what === 'rows') out.add(r.code);
      else for (const c of r.columns) out.add(c.code);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

export const ReportRef = builder.objectRef<ReportRow>('Report');

ReportRef.implement({
  description: 'One parsed annual report (政府信息公开工作年度报告)',
  fields: (t) => ({
    id: t.exposeString('report_id', { description: 'Stable id: r + 12 hex digits of the SHA-256 of the source path' }),
    agencyId: t.exposeString('agency_id', { description: 'Stable id of the agency across years, e.g. 410305.general_office' }),
    agencyName: t.exposeString('agency', { nullable: true, description: 'The agency as this report names it; null when the report names none (see its warnings)' }),
    agency: t.field({ type: AgencyRef, nullable: true, resolve: (r, _, ctx) => ctx.loaders.agency.load(r.agency_id) }),
    region: t.field({ type: RegionRef, nullable: true, description: 'Null when unresolved or ambiguous', resolve: (r, _, ctx) => (r.region_code ? (ctx.state.regions.get(r.region_code) ?? null) : null) }),
    regionStatus: t.exposeString('region_status', { description: 'manifest, resolved, ambiguous or unresolved' }),
    regionCandidates: t.stringList({ description: 'Candidate region codes when ambiguous', resolve: (r) => (r.region_candidates ? r.region_candidates.split('|') : []) }),
    agencyKind: t.field({ type: AgencyKindEnum, resolve: (r) => r.agency_kind as 'government' }),
    agencyLevel: t.field({ type: AgencyLevelEnum, nullable: true, resolve: (r) => r.level as 'city' | null }),
    year: t.exposeInt('year', { nullable: true, description: 'The year the report covers' }),
    layout: t.field({ type: LayoutEnum, nullable: true, resolve: (r) => r.layout as Layout | null }),
    scope: t.field({ type: ScopeEnum, resolve: (r) => r.scope as 'agency' }),
    title: t.exposeString('title', { nullable: true }),
    status: t.field({ type: ReportStatusEnum, resolve: (r) => r.status as 'ok' }),
    checksFailed: t.exposeInt('checks_failed'),
    failedChecks: t.field({ type: [CheckCodeEnum], description: 'The checks this report fails', resolve: (r) => r.failed_checks as 'identity'[] }),
    warningCount: t.exposeInt('warnings'),
    proactiveItemsPublished: t.exposeFloat('proactive_items_published', {
      nullable: true,
      description: 'Items proactively published, as section 一 states it (e.g. 全年主动公开各类信息1152条)',
    }),
    counted: t.exposeBoolean('counted', {
      description: 'True when sums count this report: the one of its agency, scope and year (of several claims, the one the release chose); false when set aside',
    }),
    setAside: t.field({
      type: ReportSetAsideEnum,
      nullable: true,
      description: 'Why the report is not counted; null when counted',
      resolve: (r) => r.set_aside as 'duplicate' | null,
    }),
    countedInstead: t.field({
      type: ReportRef,
      nullable: true,
      description: 'For a duplicate: the report counted for the same agency, scope and year',
      resolve: (r, _, ctx) => (r.counted_instead ? ctx.loaders.report.load(r.counted_instead) : null),
    }),
    choice: t.field({
      type: ClaimChoiceEnum,
      nullable: true,
      description: 'Where several reports claim one agency, scope and year: the rule that chose between this one and the counted one (for the counted one: against the next); null when the report is alone',
      resolve: (r) => r.choice as 'manifest' | null,
    }),
    source: t.field({ type: SourceRef, description: 'Provenance: file, URL, checksum', resolve: (r) => r }),
    cells: t.field({
      type: [CellRef],
      description: 'The cells of one table in template order, each with its row and column labels and the place its row was read',
      args: {
        table: t.arg({ type: TableCodeEnum, required: true }),
        rows: t.arg.stringList({ description: 'Only these row codes, e.g. ["new_received", "total_processed"]' }),
        columns: t.arg.stringList({ description: 'Only these column codes, e.g. ["total"]' }),
      },
      complexity: { field: 2, multiplier: 10 },
      resolve: async (r, args, ctx) => {
        const table = args.table as TableCode;
        for (const what of ['rows', 'columns'] as const) {
          const known = knownCodes(table, what);
          for (const code of args[what] ?? []) {
            if (!known.has(code)) throw badInput(`"${what}": ${table} has no ${what === 'rows' ? 'row' : 'column'} "${code}" (known: ${[...known].join(', ')})`, what);
          }
        }
        const order = cellOrder(table, r.layout);
        return (await ctx.loaders.cells[table].load(r.report_id))
          .filter((c) => (!args.rows || args.rows.includes(c.row)) && (!args.columns || args.columns.includes(c.column)))
          .map((c) => ({ ...c, layout: r.layout }))
          .sort((a, b) => order(a) - order(b));
      },
    }),
    checks: t.field({
      type: [CheckRef],
      args: { statuses: t.arg({ type: [CheckStatusEnum] }), checks: t.arg({ type: [CheckCodeEnum] }) },
      complexity: { field: 2, multiplier: 10 },
      // Without PASS in `statuses`, the (few) checks that did not pass come from memory.
      resolve: async (r, args, ctx) =>
        (await (args.statuses && !(args.statuses as string[]).includes('pass') ? ctx.loaders.checkIssues : ctx.loaders.checks).load(r.report_id)).filter(
          (c) => (!args.statuses || (args.statuses as string[]).includes(c.status)) && (!args.checks || (args.checks as string[]).includes(c.check)),
        ),
    }),
    warnings: t.field({ type: [WarningRef], complexity: { field: 2, multiplier: 10 }, resolve: (r, _, ctx) => ctx.loaders.warnings.load(r.report_id) }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Agency (here because agencies and reports refer to each other)

export const AgencyRef = builder.objectRef<AgencyRow>('Agency');

export const ReportFilterInput = builder.inputType('ReportFilter', {
  description: 'Which reports. Every field narrows the list; leave one out to not filter on it.',
  fields: (t) => ({
    agency: t.string({ description: 'An agency id, e.g. 410305.general_office' }),
    region: t.string({ description: 'A region: reports of agencies in that region or under it. Its code (410300 = 洛阳市 and its districts) or its name (洛阳市, 涧西区, jianxi)' }),
    year: t.int(),
    yearFrom: t.int(),
    yearTo: t.int(),
    layout: t.field({ type: LayoutEnum }),
    scope: t.field({ type: ScopeEnum, description: 'Leave out to list both kinds' }),
    statuses: t.field({ type: [ReportStatusEnum], description: 'Report status: OK, WARNINGS, FAILED' }),
    failingCheck: t.field({ type: CheckCodeEnum, description: 'Only reports that fail this check' }),
    agencyKinds: t.field({ type: [AgencyKindEnum] }),
    agencyLevels: t.field({ type: [AgencyLevelEnum] }),
    counted: t.boolean({ description: 'true: only the reports sums count (one per agency, scope and year); false: only those set aside (duplicates, year unknown)' }),
  }),
});

/** The GraphQL filter: a single `year` besides the range; the region's level is looked up. */
type ReportFilterArgs = Omit<ReportFilter, 'regionOf'> & { year?: number | null };

export function reportFilter(args: ReportFilterArgs | null | undefined, ctx: ApiContext): ReportFilter {
  const f = args ?? {};
  const years = yearRange(f, 'filter', ctx.state.yearSpan);
  return {
    agency: f.agency ?? null,
    ...regionFilter(f.region, ctx.state.regions, 'filter.region'),
    yearFrom: years.from,
    yearTo: years.to,
    layout: f.layout ?? null,
    scope: f.scope ?? null,
    statuses: f.statuses ?? null,
    failingCheck: f.failingCheck ?? null,
    agencyKinds: f.agencyKinds ?? null,
    agencyLevels: f.agencyLevels ?? null,
    counted: f.counted ?? null,
  };
}

export function reportConnection(filter: ReportFilter, args: Parameters<typeof offsetConnection>[0], ctx: ApiContext) {
  return offsetConnection(
    args,
    ctx,
    (limit, offset) => listReports(ctx.session, filter, limit, offset),
    () => countReports(ctx.session, filter),
  );
}

builder.queryFields((t) => ({
  report: t.field({
    type: ReportRef,
    nullable: true,
    args: { id: t.arg.string({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.loaders.report.load(id),
  }),
  reports: t.connection({
    type: ReportRef,
    description: 'Reports in a stable order (year, region, agency), filtered',
    args: { filter: t.arg({ type: ReportFilterInput }) },
    complexity: connectionComplexity,
    resolve: (_, args, ctx) => reportConnection(reportFilter(args.filter, ctx), args, ctx),
  }),
}));
