/**
 * The release being served (version, build time, counts, its tables and where to download
 * them) and the codebook: every table, row and column code with its labels.
 */
import { APPLICANT_COLUMNS, CHECKS, OUTCOME_GROUPS, TABLE_CODES, tableDef, type Label, type Layout, type RowDef, type TableDef } from '../../pipeline/model/codes.ts';
import { builder } from '../builder.ts';
import { buildCatalog, type Catalog } from '../downloads.ts';
import type { Release } from '../release.ts';
import { LabelRef, LayoutEnum } from './codes.ts';

const CountsRef = builder.objectRef<Release['counts']>('ReleaseCounts').implement({
  fields: (t) => ({
    inputs: t.exposeInt('inputs', { description: 'Input files' }),
    reports: t.exposeInt('reports', { description: 'Reports parsed' }),
    errors: t.exposeInt('errors', { description: 'Inputs that gave no report' }),
    reportsOk: t.exposeInt('reports_ok'),
    reportsWithWarnings: t.exposeInt('reports_with_warnings'),
    reportsFailed: t.exposeInt('reports_failed'),
    generatedReports: t.int({ description: 'Reports made by gongkai synth (generated sample data, published by no agency)', resolve: (c) => c.generated_reports ?? 0 }),
  }),
});

type CatalogTable = Catalog['tables'][number];
type CatalogFile = CatalogTable['files'][number];

const DownloadRef = builder.objectRef<CatalogFile>('Download').implement({
  fields: (t) => ({
    url: t.exposeString('url'),
    bytes: t.exposeFloat('bytes'),
    sha256: t.exposeString('sha256', { nullable: true, description: 'From the release\'s SHA256SUMS' }),
  }),
});

const TableInfoRef = builder.objectRef<CatalogTable>('ReleaseTable').implement({
  description: 'A table of the release, as Parquet and CSV (the same list as /downloads/catalog.json)',
  fields: (t) => ({
    name: t.exposeString('name'),
    zh: t.exposeString('zh'),
    description: t.exposeString('description'),
    parquet: t.field({ type: DownloadRef, nullable: true, resolve: (x) => x.files.find((f) => f.format === 'parquet') ?? null }),
    csv: t.field({ type: DownloadRef, nullable: true, resolve: (x) => x.files.find((f) => f.format === 'csv') ?? null }),
  }),
});

const ReleaseRef = builder.objectRef<Release>('Release').implement({
  description: 'The release this API serves',
  fields: (t) => ({
    version: t.exposeString('version', { description: 'YYYY-MM-DD.N; ETags of GET responses carry it' }),
    builtAt: t.exposeString('builtAt'),
    previous: t.exposeString('previous', { nullable: true }),
    generated: t.boolean({
      description: 'True when the release holds generated sample data (示例数据（生成）): reports made by gongkai synth, whose numbers describe no real agency',
      resolve: (r) => r.generated !== null,
    }),
    notice: t.string({ nullable: true, description: 'What is generated, in a sentence (null for a release of published reports only)', resolve: (r) => r.generated }),
    counts: t.field({ type: CountsRef, resolve: (r) => r.counts }),
    years: t.intList({
      description: 'The years reports cover',
      resolve: async (_, __, ctx) => (await ctx.session.query<{ year: number }>('SELECT DISTINCT year FROM report_index WHERE year IS NOT NULL ORDER BY year')).map((r) => r.year),
    }),
    downloadsUrl: t.string({ description: 'The catalog of downloadable files (JSON)', resolve: (_, __, ctx) => `${ctx.baseUrl}/downloads/catalog.json` }),
    tables: t.field({ type: [TableInfoRef], resolve: (r, _, ctx) => buildCatalog(r, ctx.baseUrl).tables }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Codebook

const RowDefRef = builder.objectRef<RowDef>('RowDefinition').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
    group: t.exposeString('group', { description: 'Outcome group (table 3) or 条款 (table 2)' }),
    columns: t.field({ type: [LabelRef], resolve: (r) => r.columns.map(({ code, zh, en }) => ({ code, zh, en })) }),
  }),
});

const TableDefRef = builder.objectRef<TableDef & { layout: Layout }>('TableDefinition').implement({
  fields: (t) => ({
    code: t.exposeString('code'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
    layout: t.field({ type: LayoutEnum, resolve: (d) => d.layout }),
    rows: t.field({ type: [RowDefRef], resolve: (d) => [...d.rows] }),
  }),
});

const pick = ({ code, zh, en }: Label): Label => ({ code, zh, en });

const CodebookRef = builder.objectRef<{ layout: Layout }>('Codebook').implement({
  description: 'The canonical codes (pipeline/model/codes.ts) with their labels',
  fields: (t) => ({
    tables: t.field({ type: [TableDefRef], resolve: ({ layout }) => TABLE_CODES.map((c) => ({ ...tableDef(c, layout), layout })) }),
    outcomeGroups: t.field({ type: [LabelRef], resolve: () => OUTCOME_GROUPS.map(pick) }),
    applicantTypes: t.field({ type: [LabelRef], resolve: () => APPLICANT_COLUMNS.map(pick) }),
    checks: t.field({ type: [LabelRef], resolve: () => CHECKS.map(pick) }),
  }),
});

builder.queryFields((t) => ({
  release: t.field({ type: ReleaseRef, resolve: (_, __, ctx) => ctx.state.release }),
  codebook: t.field({
    type: CodebookRef,
    args: { layout: t.arg({ type: LayoutEnum, required: true, defaultValue: '2021' }) },
    resolve: (_, { layout }) => ({ layout: layout as Layout }),
  }),
}));
