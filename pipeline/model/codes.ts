/**
 * The canonical codes of the annual report: tables, rows, columns and sections, with the
 * Chinese label the official template prints and an English label. This module is the one
 * place a code is defined; the parser, the release tables and the API all import it.
 * See docs/report-format.md (a copy of the shared spec) for the meaning of each code.
 */

export type Layout = '2019' | '2021';
export const LAYOUTS: readonly Layout[] = ['2019', '2021'];

export type TableCode = 'proactive' | 'applications' | 'review_litigation';
export const TABLE_CODES: readonly TableCode[] = ['proactive', 'applications', 'review_litigation'];

export interface Label {
  code: string;
  zh: string;
  en: string;
}

/** What a column holds: a count, a signed change (2019 本年增/减) or an amount in 万元. */
export type ValueKind = 'count' | 'signed' | 'amount';

export interface ColumnDef extends Label {
  kind: ValueKind;
}

export interface RowDef extends Label {
  /** Outcome group for table 3 rows; sub-table (条款) for table 2 rows. */
  group: string;
  columns: readonly ColumnDef[];
}

export interface TableDef extends Label {
  section: SectionCode;
  rows: readonly RowDef[];
}

// ---------------------------------------------------------------------------------------------
// Sections

export type SectionCode = 'overview' | 'proactive' | 'applications' | 'review_litigation' | 'problems' | 'other_matters';

export const SECTIONS: readonly (Label & { code: SectionCode; numeral: string })[] = [
  { code: 'overview', numeral: '一', zh: '总体情况', en: 'Overview' },
  { code: 'proactive', numeral: '二', zh: '主动公开政府信息情况', en: 'Proactive disclosure' },
  { code: 'applications', numeral: '三', zh: '收到和处理政府信息公开申请情况', en: 'Disclosure applications received and handled' },
  { code: 'review_litigation', numeral: '四', zh: '政府信息公开行政复议、行政诉讼情况', en: 'Administrative review and litigation' },
  { code: 'problems', numeral: '五', zh: '存在的主要问题及改进情况', en: 'Main problems and improvements' },
  { code: 'other_matters', numeral: '六', zh: '其他需要报告的事项', en: 'Other matters to report' },
];

// ---------------------------------------------------------------------------------------------
// Table 2 — proactive disclosure

const count = (code: string, zh: string, en: string): ColumnDef => ({ code, zh, en, kind: 'count' });
const amount = (code: string, zh: string, en: string): ColumnDef => ({ code, zh, en, kind: 'amount' });
const signed = (code: string, zh: string, en: string): ColumnDef => ({ code, zh, en, kind: 'signed' });

const DOCS_2021 = [
  count('issued', '本年制发件数', 'Issued this year'),
  count('repealed', '本年废止件数', 'Repealed this year'),
  count('in_force', '现行有效件数', 'In force'),
];
const DECISIONS = [count('decisions', '本年处理决定数量', 'Decisions this year')];

export const PROACTIVE_2021: TableDef = {
  code: 'proactive',
  section: 'proactive',
  zh: '主动公开政府信息情况',
  en: 'Proactive disclosure',
  rows: [
    { code: 'regulations', zh: '规章', en: 'Regulations', group: 'art20_1', columns: DOCS_2021 },
    { code: 'normative_documents', zh: '行政规范性文件', en: 'Normative documents', group: 'art20_1', columns: DOCS_2021 },
    { code: 'licensing', zh: '行政许可', en: 'Administrative licensing', group: 'art20_5', columns: DECISIONS },
    { code: 'punishment', zh: '行政处罚', en: 'Administrative punishment', group: 'art20_6', columns: DECISIONS },
    { code: 'coercion', zh: '行政强制', en: 'Administrative coercion', group: 'art20_6', columns: DECISIONS },
    {
      code: 'fees',
      zh: '行政事业性收费',
      en: 'Administrative fees',
      group: 'art20_8',
      columns: [amount('amount_10k_yuan', '本年收费金额（单位：万元）', 'Amount collected (10,000 yuan)')],
    },
  ],
};

const DOCS_2019 = [
  count('made', '本年新制作数量', 'Made this year'),
  count('published', '本年新公开数量', 'Published this year'),
  count('total_public', '对外公开总数量', 'Total public'),
];
const ITEMS_2019 = [
  count('prior_items', '上一年项目数量', 'Items in the prior year'),
  signed('change', '本年增/减', 'Change this year'),
  count('decisions', '处理决定数量', 'Decisions'),
];

export const PROACTIVE_2019: TableDef = {
  code: 'proactive',
  section: 'proactive',
  zh: '主动公开政府信息情况',
  en: 'Proactive disclosure',
  rows: [
    { code: 'regulations', zh: '规章', en: 'Regulations', group: 'art20_1', columns: DOCS_2019 },
    { code: 'normative_documents', zh: '规范性文件', en: 'Normative documents', group: 'art20_1', columns: DOCS_2019 },
    { code: 'licensing', zh: '行政许可', en: 'Administrative licensing', group: 'art20_5', columns: ITEMS_2019 },
    { code: 'other_services', zh: '其他对外管理服务事项', en: 'Other external management services', group: 'art20_5', columns: ITEMS_2019 },
    { code: 'punishment', zh: '行政处罚', en: 'Administrative punishment', group: 'art20_6', columns: ITEMS_2019 },
    { code: 'coercion', zh: '行政强制', en: 'Administrative coercion', group: 'art20_6', columns: ITEMS_2019 },
    { code: 'fees', zh: '行政事业性收费', en: 'Administrative fees', group: 'art20_8', columns: ITEMS_2019.slice(0, 2) },
    {
      code: 'procurement',
      zh: '政府集中采购',
      en: 'Centralised government procurement',
      group: 'art20_9',
      columns: [count('items', '采购项目数量', 'Procurement items'), amount('amount_10k_yuan', '采购总金额', 'Total amount (10,000 yuan)')],
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Table 3 — applications

export const APPLICANT_COLUMNS: readonly ColumnDef[] = [
  count('natural_person', '自然人', 'Natural persons'),
  count('commercial', '法人或其他组织·商业企业', 'Commercial enterprises'),
  count('research', '法人或其他组织·科研机构', 'Research institutions'),
  count('public_interest', '法人或其他组织·社会公益组织', 'Public-interest organisations'),
  count('legal_services', '法人或其他组织·法律服务机构', 'Legal service providers'),
  count('other_org', '法人或其他组织·其他', 'Other organisations'),
  count('total', '总计', 'Total'),
];

/** The six applicant columns that `total` sums. */
export const APPLICANT_TYPES = APPLICANT_COLUMNS.slice(0, 6).map((c) => c.code);

export type OutcomeGroup = 'intake' | 'outcome' | 'denied' | 'unavailable' | 'not_processed' | 'other' | 'total';

export const OUTCOME_GROUPS: readonly (Label & { code: OutcomeGroup })[] = [
  { code: 'intake', zh: '收到和结转', en: 'Intake and carry-over' },
  { code: 'outcome', zh: '予以公开/部分公开', en: 'Granted or partly granted' },
  { code: 'denied', zh: '不予公开', en: 'Denied' },
  { code: 'unavailable', zh: '无法提供', en: 'Unavailable' },
  { code: 'not_processed', zh: '不予处理', en: 'Not processed' },
  { code: 'other', zh: '其他处理', en: 'Other handling' },
  { code: 'total', zh: '总计', en: 'Total processed' },
];

const appRow = (code: string, zh: string, en: string, group: OutcomeGroup): RowDef => ({
  code,
  zh,
  en,
  group,
  columns: APPLICANT_COLUMNS,
});

const APPLICATION_ROWS_HEAD: RowDef[] = [
  appRow('new_received', '一、本年新收政府信息公开申请数量', 'New applications received', 'intake'),
  appRow('carried_over', '二、上年结转政府信息公开申请数量', 'Carried over from the previous year', 'intake'),
  appRow('granted', '三、本年度办理结果（一）予以公开', 'Granted', 'outcome'),
  appRow('partially_granted', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 'Partially granted', 'outcome'),
  appRow('denied_state_secret', '（三）不予公开 1.属于国家秘密', 'Denied: state secret', 'denied'),
  appRow('denied_prohibited_by_law', '2.其他法律行政法规禁止公开', 'Denied: prohibited by other laws', 'denied'),
  appRow('denied_security_stability', '3.危及“三安全一稳定”', 'Denied: endangers security or stability', 'denied'),
  appRow('denied_third_party', '4.保护第三方合法权益', 'Denied: third-party rights', 'denied'),
  appRow('denied_internal_affairs', '5.属于三类内部事务信息', 'Denied: internal affairs', 'denied'),
  appRow('denied_process_info', '6.属于四类过程性信息', 'Denied: process information', 'denied'),
  appRow('denied_enforcement_file', '7.属于行政执法案卷', 'Denied: enforcement file', 'denied'),
  appRow('denied_admin_query', '8.属于行政查询事项', 'Denied: administrative query', 'denied'),
  appRow('unavailable_not_held', '（四）无法提供 1.本机关不掌握相关政府信息', 'Unavailable: not held', 'unavailable'),
  appRow('unavailable_needs_creation', '2.没有现成信息需要另行制作', 'Unavailable: would need to be created', 'unavailable'),
  appRow('unavailable_unclear', '3.补正后申请内容仍不明确', 'Unavailable: request still unclear', 'unavailable'),
  appRow('not_processed_petition', '（五）不予处理 1.信访举报投诉类申请', 'Not processed: petition or complaint', 'not_processed'),
  appRow('not_processed_repeat', '2.重复申请', 'Not processed: repeated application', 'not_processed'),
  appRow('not_processed_publication', '3.要求提供公开出版物', 'Not processed: asks for a publication', 'not_processed'),
  appRow('not_processed_mass_repeat', '4.无正当理由大量反复申请', 'Not processed: mass repeated applications', 'not_processed'),
  appRow('not_processed_confirmation', '5.要求行政机关确认或重新出具已获取信息', 'Not processed: asks to confirm or reissue', 'not_processed'),
];

const APPLICATION_ROWS_TAIL: RowDef[] = [
  appRow('total_processed', '（七）总计', 'Total processed', 'total'),
  appRow('carried_forward', '四、结转下年度继续办理', 'Carried forward to the next year', 'intake'),
];

export const APPLICATIONS_2021: TableDef = {
  code: 'applications',
  section: 'applications',
  zh: '收到和处理政府信息公开申请情况',
  en: 'Disclosure applications',
  rows: [
    ...APPLICATION_ROWS_HEAD,
    appRow('other_no_correction', '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'Other: applicant did not correct in time', 'other'),
    appRow('other_fee_unpaid', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'Other: fee not paid', 'other'),
    appRow('other_other', '3.其他', 'Other: other', 'other'),
    ...APPLICATION_ROWS_TAIL,
  ],
};

export const APPLICATIONS_2019: TableDef = {
  ...APPLICATIONS_2021,
  rows: [...APPLICATION_ROWS_HEAD, appRow('other_handling', '（六）其他处理', 'Other handling', 'other'), ...APPLICATION_ROWS_TAIL],
};

/** Outcome rows summed into total_processed: from `granted` to the last `other_*` row. */
export function outcomeRows(table: TableDef): string[] {
  return table.rows.filter((r) => r.group !== 'intake' && r.group !== 'total').map((r) => r.code);
}

// ---------------------------------------------------------------------------------------------
// Table 4 — administrative review and litigation

export const REVIEW_COLUMNS: readonly ColumnDef[] = [
  count('upheld', '结果维持', 'Upheld'),
  count('corrected', '结果纠正', 'Corrected'),
  count('other', '其他结果', 'Other result'),
  count('pending', '尚未审结', 'Pending'),
  count('total', '总计', 'Total'),
];

export const REVIEW_LITIGATION: TableDef = {
  code: 'review_litigation',
  section: 'review_litigation',
  zh: '政府信息公开行政复议、行政诉讼情况',
  en: 'Administrative review and litigation',
  rows: [
    { code: 'review', zh: '行政复议', en: 'Administrative review', group: 'review', columns: REVIEW_COLUMNS },
    { code: 'litigation_direct', zh: '行政诉讼·未经复议直接起诉', en: 'Litigation without prior review', group: 'litigation', columns: REVIEW_COLUMNS },
    { code: 'litigation_after_review', zh: '行政诉讼·复议后起诉', en: 'Litigation after review', group: 'litigation', columns: REVIEW_COLUMNS },
  ],
};

// ---------------------------------------------------------------------------------------------
// Lookup

export const TABLE_DEFS: Record<TableCode, Record<Layout, TableDef>> = {
  proactive: { '2019': PROACTIVE_2019, '2021': PROACTIVE_2021 },
  applications: { '2019': APPLICATIONS_2019, '2021': APPLICATIONS_2021 },
  review_litigation: { '2019': REVIEW_LITIGATION, '2021': REVIEW_LITIGATION },
};

export function tableDef(table: TableCode, layout: Layout): TableDef {
  return TABLE_DEFS[table][layout];
}

/**
 * A record key, `table.row` or `table.row.column`, made once per name. Records and checks key
 * their maps by these; a key built anew for every report is a new string that V8 has to look
 * up in its string table each time it names a property.
 */
const KEYS = new Map<string, Map<string, string>>();
export function keyOf(prefix: string, code: string): string {
  let byCode = KEYS.get(prefix);
  if (!byCode) KEYS.set(prefix, (byCode = new Map()));
  let key = byCode.get(code);
  if (key === undefined) byCode.set(code, (key = `${prefix}.${code}`));
  return key;
}

/** Every (table, row, column) a layout defines, in template order. */
export function cellsOf(table: TableCode, layout: Layout): { row: RowDef; column: ColumnDef }[] {
  return tableDef(table, layout).rows.flatMap((row) => row.columns.map((column) => ({ row, column })));
}

/** Labels of every code across layouts, for release dictionaries and the API. */
export function labelOf(table: TableCode, row: string, column?: string): { row?: Label; column?: Label } {
  for (const layout of LAYOUTS) {
    const r = tableDef(table, layout).rows.find((x) => x.code === row);
    if (r) return { row: r, column: column ? r.columns.find((c) => c.code === column) : undefined };
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Checks

export type CheckCode = 'identity' | 'outcome_sum' | 'column_sum' | 'review_sum' | 'narrative' | 'carry_over' | 'rollup';
export type CheckStatus = 'pass' | 'fail' | 'not_assessable';

export const CHECKS: readonly (Label & { code: CheckCode })[] = [
  { code: 'identity', zh: '第一项加第二项之和等于第三项加第四项之和', en: 'new_received + carried_over = total_processed + carried_forward, per column' },
  { code: 'outcome_sum', zh: '办理结果之和等于总计', en: 'total_processed = sum of the outcome rows, per column' },
  { code: 'column_sum', zh: '总计列等于各类申请人之和', en: 'total column = sum of the six applicant columns, per row' },
  { code: 'review_sum', zh: '总计等于维持、纠正、其他、尚未审结之和', en: 'total = upheld + corrected + other + pending, per row' },
  { code: 'narrative', zh: '正文数字与表格一致', en: 'a figure stated in section 一 equals the table' },
  { code: 'carry_over', zh: '本年结转下年等于下年的上年结转', en: "carried_forward of year N = carried_over of year N+1" },
  { code: 'rollup', zh: '汇总报告等于各机关报告之和', en: 'a region summary equals the sum of its agencies' },
];
