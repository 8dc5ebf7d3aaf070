/**
 * Codes as GraphQL: the `Label` object (code + the template's Chinese + English) and the enums of
 * closed code sets. Every value comes from pipeline/model/codes.ts or the release schema
 * (pipeline/release/schema.ts); nothing is redefined here.
 */
import {
  APPLICANT_COLUMNS,
  CHECKS,
  LAYOUTS,
  OUTCOME_GROUPS,
  SECTIONS,
  TABLE_CODES,
  labelOf,
  tableDef,
  type Label,
  type Layout,
  type TableCode,
} from '../../pipeline/model/codes.ts';
import { tableSpec } from '../../pipeline/release/schema.ts';
import { builder } from '../builder.ts';
import { OUTCOME_BUCKETS } from '../data/comparisons.ts';

export const LabelRef = builder.objectRef<Label>('Label').implement({
  description: 'A canonical code with the label the official template prints (zh) and an English one (codes.ts)',
  fields: (t) => ({
    code: t.exposeString('code'),
    zh: t.exposeString('zh'),
    en: t.exposeString('en'),
  }),
});

const enumName = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function codeEnum<const T extends string>(name: string, description: string, values: readonly { code: T; description?: string }[], prefix = '') {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(values.map((v) => [prefix + enumName(v.code), { value: v.code, description: v.description }])) as Record<string, { value: T }>,
  });
}

const columnEnum = (table: string, column: string) => tableSpec(table).columns.find((c) => c.name === column)!.enum!;

export const ScopeEnum = codeEnum('Scope', 'Whose report: one agency\'s own, or a region summary that sums all agencies of an area. Never added together.', [
  { code: 'agency', description: '机关本身的年度报告: one agency\'s own report' },
  { code: 'region_summary', description: '本地区汇总报告: a report summing all agencies of an area' },
]);

export const LayoutEnum = codeEnum(
  'Layout',
  'The template a table follows: 2019 (国办公开办函〔2019〕60号) or 2021 (国办公开办函〔2021〕30号)',
  LAYOUTS.map((code) => ({ code })),
  'LAYOUT_',
);

/** A column's closed set of codes (schema.ts), each with its description here: a code without one fails at startup. */
function describedEnum(name: string, description: string, table: string, column: string, describe: Record<string, string>) {
  return codeEnum(
    name,
    description,
    columnEnum(table, column).map((code) => {
      if (!describe[code]) throw new Error(`${name}: no description for ${table}.${column} "${code}"`);
      return { code, description: describe[code] };
    }),
  );
}

export const ReportSetAsideEnum = describedEnum('ReportSetAside', 'Why a report is kept in the release but not counted in its sums (reports.set_aside)', 'reports', 'set_aside', {
  duplicate: 'Another report claims the same agency, scope and year and was chosen (countedInstead, choice)',
  year_unknown: 'The year the report covers could not be read',
});

export const ClaimChoiceEnum = describedEnum(
  'ClaimChoice',
  'The rules that choose the report counted among several claiming one agency, scope and year, in the order they apply (reports.choice)',
  'reports',
  'choice',
  {
    manifest: 'The manifest assigns the agency and year to this file',
    published_at: 'The latest published',
    completeness: 'The most cells with a value, printed or derived',
    source_path: 'The first by source path, when nothing else tells them apart',
  },
);

export const AgencyKindEnum = codeEnum(
  'AgencyKind',
  'government 人民政府, general_office 办公室/办公厅, department …局/…委员会/…厅, township …镇/乡/街道, other',
  columnEnum('reports', 'agency_kind').map((code) => ({ code })),
);

export const AgencyLevelEnum = codeEnum('AgencyLevel', 'The administrative level of an agency', ['province', 'city', 'county', 'township'].map((code) => ({ code })));

export const RegionLevelEnum = codeEnum(
  'RegionLevel',
  'The level of a GB/T 2260 region',
  columnEnum('regions', 'level').map((code) => ({ code: code as 'province' | 'city' | 'county' })),
);

export const ReportStatusEnum = codeEnum(
  'ReportStatus',
  'ok: every assessable check passes and nothing was warned; warnings: cells were blank, converted or recovered; failed: an accounting check fails',
  columnEnum('reports', 'status').map((code) => ({ code })),
);

export const CheckCodeEnum = codeEnum('CheckCode', 'The accounting checks (codes.ts CHECKS)', CHECKS.map((c) => ({ code: c.code, description: `${c.zh}: ${c.en}` })));

export const CheckStatusEnum = codeEnum('CheckStatus', 'pass, fail or not_assessable (an operand is blank)', columnEnum('checks', 'status').map((code) => ({ code })));

export const TableCodeEnum = codeEnum(
  'TableCode',
  'The three tables of a report',
  TABLE_CODES.map((code) => ({ code, description: SECTIONS.find((s) => s.code === code)!.zh })),
);

export const OutcomeGroupEnum = codeEnum(
  'OutcomeGroup',
  'How an application ended (codes.ts OUTCOME_GROUPS, without intake and the total)',
  OUTCOME_BUCKETS.map((g) => ({ code: g.code, description: `${g.zh}: ${g.en}` })),
);

export const ApplicantTypeEnum = codeEnum(
  'ApplicantType',
  'The columns of table 3: six applicant types and their total',
  APPLICANT_COLUMNS.map((c) => ({ code: c.code, description: `${c.zh}: ${c.en}` })),
);

export const SortOrderEnum = builder.enumType('SortOrder', { values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const });

// ---------------------------------------------------------------------------------------------
// Labels for codes

export const tableLabel = (table: TableCode): Label => {
  const d = tableDef(table, '2021');
  return { code: table, zh: d.zh, en: d.en };
};

/** A row's label as the report's own layout prints it (规范性文件 in 2019, 行政规范性文件 in 2021). */
export function rowLabel(table: TableCode, row: string, layout: string | null): Label {
  const own = layout === '2019' || layout === '2021' ? tableDef(table, layout as Layout).rows.find((r) => r.code === row) : undefined;
  const r = own ?? labelOf(table, row).row;
  return r ? { code: r.code, zh: r.zh, en: r.en } : { code: row, zh: row, en: row };
}

export function columnLabel(table: TableCode, row: string, column: string, layout: string | null): Label {
  const own = layout === '2019' || layout === '2021' ? tableDef(table, layout as Layout).rows.find((r) => r.code === row)?.columns.find((c) => c.code === column) : undefined;
  const c = own ?? labelOf(table, row, column).column;
  return c ? { code: c.code, zh: c.zh, en: c.en } : { code: column, zh: column, en: column };
}

export const outcomeGroupLabel = (code: string): Label => {
  const g = OUTCOME_GROUPS.find((x) => x.code === code)!;
  return { code: g.code, zh: g.zh, en: g.en };
};

export const applicantLabel = (code: string): Label => {
  const c = APPLICANT_COLUMNS.find((x) => x.code === code)!;
  return { code: c.code, zh: c.zh, en: c.en };
};

export const checkLabel = (code: string): Label => {
  const c = CHECKS.find((x) => x.code === code);
  return c ? { code: c.code, zh: c.zh, en: c.en } : { code, zh: code, en: code };
};
