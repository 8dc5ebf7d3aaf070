/**
 * The release's tables: every column with its DuckDB type, its Frictionless type, an English
 * description and a Chinese label. One definition feeds the DuckDB DDL, the Parquet/CSV
 * export, datapackage.json, the data dictionary and the API.
 */

export type DuckType = 'VARCHAR' | 'INTEGER' | 'SMALLINT' | 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP';

export interface ColumnSpec {
  name: string;
  type: DuckType;
  description: string;
  zh: string;
  /** Frictionless "constraints.enum", for codes with a closed set of values. */
  enum?: readonly string[];
  required?: boolean;
}

export interface TableSpec {
  name: string;
  title: string;
  zh: string;
  description: string;
  columns: ColumnSpec[];
  primaryKey: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
  /** Also written hive-partitioned by year (…/<table>/year=2023/data_0.parquet). */
  partitioned?: boolean;
  /** ORDER BY for deterministic output. */
  order: string;
}

const c = (name: string, type: DuckType, description: string, zh: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ name, type, description, zh, ...extra });

const STATUS = ['pass', 'fail', 'not_assessable'] as const;
const SCOPES = ['agency', 'region_summary'] as const;
const LAYOUTS = ['2019', '2021'] as const;
/** Why a report is not counted (reports.set_aside). */
export const SET_ASIDE = ['duplicate', 'year_unknown'] as const;
/** The rules that choose one report among several claims on an agency, scope and year, in the order they apply (reports.choice). */
export const CHOICES = ['manifest', 'published_at', 'completeness', 'source_path'] as const;

const reportKey = c('report_id', 'VARCHAR', 'Stable id of the report: r + 12 hex digits of the SHA-256 of its source path', '报告编号', { required: true });
const agencyKey = c('agency_id', 'VARCHAR', 'Stable id of the agency across years (see the README: region.kind[.name])', '机关编号');
const regionKey = c('region_code', 'VARCHAR', 'GB/T 2260 code of the agency\'s region (null when unresolved or ambiguous)', '行政区划代码');
const yearKey = c('year', 'SMALLINT', 'The year the report covers', '报告年度');
const scopeKey = c('scope', 'VARCHAR', 'agency: one agency\'s own report; region_summary: a report summing all agencies of an area. Never add the two.', '报告范围', { enum: SCOPES });
const layoutKey = c('layout', 'VARCHAR', 'The template the table follows, detected from the table itself', '表格式样', { enum: LAYOUTS });

/** Columns shared by the three long tables: one row per printed cell. */
function cellTable(name: string, zh: string, description: string, valueType: DuckType): TableSpec {
  return {
    name,
    title: name,
    zh,
    description,
    partitioned: true,
    columns: [
      reportKey,
      agencyKey,
      regionKey,
      yearKey,
      scopeKey,
      layoutKey,
      c('row', 'VARCHAR', 'Canonical row code (pipeline/model/codes.ts)', '行代码', { required: true }),
      c('column', 'VARCHAR', 'Canonical column code', '列代码', { required: true }),
      c('value', valueType, 'The number printed in the cell; null when printed blank, as a dash, slash or 无, or unreadable (never 0)', '数值'),
      c('derived_value', valueType, 'A value inferred where the printed one is unusable (run-together digits), never mixed into value', '推算值'),
      c('derived_rule', 'VARCHAR', 'The rule that produced derived_value', '推算规则'),
      c(
        'reading',
        'VARCHAR',
        'How value was read where not plainly beside its own label: position (its row placed by its place among labelled rows), rules (the one placement the accounting rules keep), repaired (a damaged print read, e.g. O for 0, confirmed by the row\'s rule), ocr (read by OCR from a scanned page, beside its label); null: printed beside its label',
        '读取方式',
        { enum: ['position', 'rules', 'repaired', 'ocr'] },
      ),
      c('ocr_confidence', 'DOUBLE', "Read by OCR from a scanned page: the engine's confidence in the cell's least certain character, 0–1; null for text", '识别置信度'),
      c('location', 'VARCHAR', 'Where the row was read in the source file (line, or table and row)', '原文位置'),
    ],
    primaryKey: ['report_id', 'row', 'column'],
    foreignKeys: [{ fields: ['report_id'], reference: { resource: 'reports', fields: ['report_id'] } }],
    // rid numbers the reports in source-path order (staging.ts).
    order: 'rid, row_ord, col_ord',
  };
}

export const TABLES: TableSpec[] = [
  {
    name: 'reports',
    title: 'reports',
    zh: '年度报告',
    description: 'One row per parsed report: who published it, the year it covers, where it came from, and how it fared.',
    columns: [
      reportKey,
      agencyKey,
      c('agency', 'VARCHAR', 'The agency as the report names it', '机关名称'),
      regionKey,
      c('region_status', 'VARCHAR', 'How the region was decided', '区划认定', { enum: ['manifest', 'resolved', 'ambiguous', 'unresolved'] }),
      c('region_candidates', 'VARCHAR', 'Candidate region codes when ambiguous, separated by |', '候选区划'),
      c('agency_kind', 'VARCHAR', 'government, general_office, department, township or other', '机关类别', { enum: ['government', 'general_office', 'department', 'township', 'other'] }),
      c('level', 'VARCHAR', 'province, city, county or township', '层级'),
      yearKey,
      layoutKey,
      scopeKey,
      c('title', 'VARCHAR', 'The report\'s title', '标题'),
      c('source_path', 'VARCHAR', 'The input file, relative to the build\'s working directory', '源文件'),
      c('source_url', 'VARCHAR', 'Where the report was published (manifest or page)', '原文链接'),
      c('published_at', 'VARCHAR', 'Publication date as given', '发布日期'),
      c('fetched_at', 'VARCHAR', 'When the file\'s bytes were downloaded (ISO 8601, UTC), from the manifest `gongkai fetch` writes', '抓取时间'),
      c('format', 'VARCHAR', 'html, text, docx or pdf; "pdf (ocr: paddle)" when scanned pages were read by OCR (the engine named)', '文件格式'),
      c('sha256', 'VARCHAR', 'SHA-256 of the input bytes', '文件校验值'),
      c('status', 'VARCHAR', 'ok: every assessable check passes and nothing was warned; warnings: checks pass but cells were blank, converted or recovered; failed: an accounting check fails', '状态', { enum: ['ok', 'warnings', 'failed'] }),
      c('checks_failed', 'INTEGER', 'Number of failed checks (per report and release-level)', '未通过校验数'),
      c('warnings', 'INTEGER', 'Number of warnings', '警告数'),
      c('proactive_items_published', 'BIGINT', 'Items proactively published, as section 一 states it (e.g. 全年主动公开各类信息1152条)', '主动公开信息条数'),
      c('generated', 'BOOLEAN', 'True for a report made by gongkai synth (its manifest says generated=true): generated sample data, published by no agency', '生成数据', { required: true }),
      c(
        'counted',
        'BOOLEAN',
        'True for the one report of its agency, scope and year that sums count (coverage.report_id); false for a report set aside (set_aside says why). Every report is one or the other.',
        '是否计入',
        { required: true },
      ),
      c(
        'set_aside',
        'VARCHAR',
        'Why a report is not counted: duplicate (another report claims the same agency, scope and year and was chosen: counted_instead, choice), year_unknown (the year it covers could not be read). Null when counted.',
        '未计入原因',
        { enum: SET_ASIDE },
      ),
      c('counted_instead', 'VARCHAR', 'For a duplicate: the report counted for its agency, scope and year', '计入报告编号'),
      c(
        'choice',
        'VARCHAR',
        'Where several reports claim one agency, scope and year, the rule that chose between this report and the counted one (for the counted one: against the next): manifest (the manifest assigns the agency and year to one file), published_at (the latest published), completeness (the most cells with a value), source_path (the first by path, when nothing else differs). Null when the report is alone.',
        '选取依据',
        { enum: CHOICES },
      ),
    ],
    primaryKey: ['report_id'],
    foreignKeys: [
      { fields: ['agency_id'], reference: { resource: 'agencies', fields: ['agency_id'] } },
      { fields: ['region_code'], reference: { resource: 'regions', fields: ['code'] } },
    ],
    order: 'rid',
  },
  {
    name: 'agencies',
    title: 'agencies',
    zh: '机关',
    description: 'One row per agency seen in any report, with the name of its latest report.',
    columns: [
      agencyKey,
      c('name', 'VARCHAR', 'The name in the agency\'s latest report', '机关名称'),
      regionKey,
      c('agency_kind', 'VARCHAR', 'government, general_office, department, township or other', '机关类别'),
      c('level', 'VARCHAR', 'province, city, county or township', '层级'),
      c('first_year', 'SMALLINT', 'First year with a report', '最早年度'),
      c('last_year', 'SMALLINT', 'Last year with a report', '最近年度'),
      c('reports', 'INTEGER', 'Reports in this release', '报告数'),
    ],
    primaryKey: ['agency_id'],
    foreignKeys: [{ fields: ['region_code'], reference: { resource: 'regions', fields: ['code'] } }],
    order: 'agency_id',
  },
  {
    name: 'regions',
    title: 'regions',
    zh: '行政区划',
    description: 'The GB/T 2260 regions present in the release and their ancestors, as a hierarchy.',
    columns: [
      c('code', 'VARCHAR', '6-digit GB/T 2260 code', '行政区划代码', { required: true }),
      c('name', 'VARCHAR', 'Official name', '名称'),
      c('display_name', 'VARCHAR', 'The name people write (the province for a municipality\'s 市辖区)', '通用名称'),
      c('level', 'VARCHAR', 'province, city or county', '层级', { enum: ['province', 'city', 'county'] }),
      c('parent', 'VARCHAR', 'Code of the parent region', '上级区划'),
      c('province', 'VARCHAR', 'Code of the province', '所属省级'),
      c('city', 'VARCHAR', 'Code of the city (null for a province)', '所属地级'),
      c('gbt2260', 'BOOLEAN', 'False for NBS-only codes (development zones)', '是否国标代码'),
    ],
    primaryKey: ['code'],
    order: 'code',
  },
  cellTable('proactive', '主动公开政府信息情况', 'Table 2 in long form: one row per report, row and column.', 'DOUBLE'),
  cellTable('applications', '收到和处理政府信息公开申请情况', 'Table 3 in long form: one row per report, outcome row and applicant column.', 'INTEGER'),
  cellTable('review_litigation', '政府信息公开行政复议、行政诉讼情况', 'Table 4 in long form: one row per report, row (review, litigation) and column.', 'INTEGER'),
  {
    name: 'checks',
    title: 'checks',
    zh: '校验结果',
    description: 'Every accounting check: the per-report rules (identity, outcome_sum, column_sum, review_sum, narrative) and the release-level ones (carry_over, rollup).',
    columns: [
      reportKey,
      c('seq', 'INTEGER', 'Order of the check within the report', '序号', { required: true }),
      c('check', 'VARCHAR', 'Check code (pipeline/model/codes.ts CHECKS)', '校验项', { required: true }),
      c('table', 'VARCHAR', 'The table it ran on', '表'),
      c('row', 'VARCHAR', 'The row a per-row rule ran on', '行代码'),
      c('column', 'VARCHAR', 'The column a per-column rule ran on', '列代码'),
      c('status', 'VARCHAR', 'pass, fail or not_assessable (an operand is blank or unknown)', '结果', { enum: STATUS }),
      c('expected', 'DOUBLE', 'The side the rule computes (e.g. new_received + carried_over)', '应为'),
      c('actual', 'DOUBLE', 'The side printed (e.g. total_processed + carried_forward)', '实为'),
      c('basis', 'VARCHAR', 'derived when an operand came from a derived value', '依据'),
      c('detail', 'VARCHAR', 'For narrative checks the prose statement; for carry_over the other year\'s report; for rollup the coverage', '说明'),
    ],
    primaryKey: ['report_id', 'seq'],
    foreignKeys: [{ fields: ['report_id'], reference: { resource: 'reports', fields: ['report_id'] } }],
    order: 'report_id, seq',
  },
  {
    name: 'warnings',
    title: 'warnings',
    zh: '警告',
    description: 'Everything the parser noticed: blank cells, converted units, recovered digits, missing rows or tables, ambiguous regions.',
    columns: [
      reportKey,
      c('seq', 'INTEGER', 'Order of the warning within the report', '序号', { required: true }),
      c('code', 'VARCHAR', 'Warning code', '警告代码', { required: true }),
      c('where', 'VARCHAR', 'table.row.column, table, or a field', '位置'),
      c('at', 'VARCHAR', 'Where in the file (line, or table and row)', '原文位置'),
      c('raw', 'VARCHAR', 'The text as printed', '原文'),
      c('message', 'VARCHAR', 'What happened', '说明'),
    ],
    primaryKey: ['report_id', 'seq'],
    foreignKeys: [{ fields: ['report_id'], reference: { resource: 'reports', fields: ['report_id'] } }],
    order: 'report_id, seq',
  },
  {
    name: 'coverage',
    title: 'coverage',
    zh: '覆盖情况',
    description:
      'Agency × year for every agency seen in the release and every year of it: missing, unfetched (a listing promised it but the fetch failed), found (input found but not readable), parsed, or passing its checks.',
    columns: [
      agencyKey,
      scopeKey,
      regionKey,
      yearKey,
      c('status', 'VARCHAR', 'missing, unfetched, found, parsed or passing', '状态', { enum: ['missing', 'unfetched', 'found', 'parsed', 'passing'] }),
      c('report_id', 'VARCHAR', 'The report counted, when there is one (of several, the one reports.choice explains)', '报告编号'),
      c('reports', 'INTEGER', 'Report files found for this agency and year, readable or not (more than 1: duplicates)', '报告数'),
      c('set_aside', 'VARCHAR', 'The other reports claiming this agency, scope and year, set aside (their report_ids, separated by |); null when none', '未计入报告'),
      c('choice', 'VARCHAR', 'With reports set aside: the rule that chose the counted one against the next (manifest, published_at, completeness, source_path)', '选取依据', { enum: CHOICES }),
      c('reason', 'VARCHAR', 'Why there is no report: the fetch failure (unfetched) or the read error (found), with the URL or file; several joined by "; "', '缺失原因'),
    ],
    primaryKey: ['agency_id', 'scope', 'year'],
    order: 'agency_id, scope, year',
  },
  {
    name: 'inputs',
    title: 'inputs',
    zh: '输入文件',
    description:
      'Every file under the input folders with its outcome: read (ok, warnings), failed (error), set aside with the reason (ignored: manifests, documentation, formats reports do not come in, a generated corpus\'s truth/ folder as one row), and every report a manifest lists as not fetched. Nothing is lost: rows = reports + errors + ignored + not fetched.',
    columns: [
      c('path', 'VARCHAR', 'The input file, relative to the build\'s working directory (not_fetched: the file the fetch would have written)', '文件', { required: true }),
      c('sha256', 'VARCHAR', 'SHA-256 of the bytes', '校验值'),
      c('bytes', 'BIGINT', 'Size in bytes', '字节数'),
      c('outcome', 'VARCHAR', 'ok, warnings (a report with warnings or failed checks), error, ignored (not read as a report: see error_code and message), or not_fetched (a report the manifest lists with a fetch_error: no file)', '结果', {
        enum: ['ok', 'warnings', 'error', 'ignored', 'not_fetched'],
      }),
      c('error_code', 'VARCHAR', 'Why the file gave no report (ignored: manifest, fetch_files, documentation, hidden, not_a_report_format, folder; not_fetched: the fetch outcome, pipeline/fetch/outcomes.ts)', '错误代码'),
      c('message', 'VARCHAR', 'The error message, naming the file and the place', '错误信息'),
      reportKey,
      c('cached', 'BOOLEAN', 'True when the parse came from the cache (same bytes, same manifest row, same parser)', '缓存'),
      c('source_url', 'VARCHAR', 'Where the file was published (manifest or page)', '原文链接'),
      c('fetched_at', 'VARCHAR', 'When the file\'s bytes were downloaded (ISO 8601, UTC), from the manifest', '抓取时间'),
    ],
    primaryKey: ['path'],
    order: 'path',
  },
  {
    name: 'changes',
    title: 'changes',
    zh: '版本变更',
    description: 'What changed since the previous release, down to the cell: reports added and removed, and every cell whose value changed.',
    columns: [
      c('change', 'VARCHAR', 'report_added, report_removed or cell_changed', '变更类型', { enum: ['report_added', 'report_removed', 'cell_changed'] }),
      reportKey,
      c('source_path', 'VARCHAR', 'The report\'s source file', '源文件'),
      c('table', 'VARCHAR', 'For a changed cell: its table', '表'),
      c('row', 'VARCHAR', 'For a changed cell: its row', '行代码'),
      c('column', 'VARCHAR', 'For a changed cell: its column', '列代码'),
      c('old_value', 'DOUBLE', 'The value in the previous release', '原值'),
      c('new_value', 'DOUBLE', 'The value in this release', '新值'),
      c('old_sha256', 'VARCHAR', 'The source revision behind the old value: SHA-256 of the file the previous release read', '原文件校验值'),
      c('new_sha256', 'VARCHAR', 'The source revision behind the new value: SHA-256 of the file this release read', '新文件校验值'),
      c('old_fetched_at', 'VARCHAR', 'When the previous release\'s file was downloaded, when it was fetched', '原文件抓取时间'),
      c('new_fetched_at', 'VARCHAR', 'When this release\'s file was downloaded, when it was fetched', '新文件抓取时间'),
    ],
    // No primary key: a report added or removed has no table, row or column.
    primaryKey: [],
    order: 'report_id, change, "table", "row", "column"',
  },
];

/** applications_wide is derived from applications: its columns are generated from the codes. */
export const WIDE_TABLE = 'applications_wide';

export function tableSpec(name: string): TableSpec {
  const t = TABLES.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}
