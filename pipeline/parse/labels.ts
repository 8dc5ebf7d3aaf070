/**
 * Where a printed label is matched to a canonical code. Every variant real reports use is a
 * row in one of these tables: a new variant is one more pattern, not a new branch of code.
 *
 * Patterns run on normalized text (see `normalizeLabel`): NFKC (full-width brackets, commas and
 * digits become ASCII) with all spaces removed, so "(二) 部分公开 (区分处理的, …)" and
 * "（二）部分公开（区分处理的，…）" look the same. A key only needs to identify the row: rows
 * are matched in template order, so a key is tried only a few rows ahead of the last match.
 */
import type { Layout, SectionCode, TableDef } from '../model/codes.ts';
import { nfkc } from '../nfkc.ts';

export function normalizeLabel(text: string): string {
  return nfkc(text).replace(/[\s\u00a0\u3000\u200b]+/g, '');
}

// ---------------------------------------------------------------------------------------------
// Section headings (一 … 六), matched on the raw text of a line so that a heading inside a long
// line (a crawler's one-line dump) is found too. The numeral must be followed by 、 or a dot:
// （二）依申请公开 is a sub-head of section 一, not section 二.

const NUMERAL = (n: string) => `(?<![（(第])${n}\\s*[、.．]\\s*`;

export const SECTION_HEADINGS: { code: SectionCode; pattern: RegExp }[] = [
  { code: 'overview', pattern: new RegExp(`${NUMERAL('一')}(?:总体情况|概述|概况)`) },
  { code: 'proactive', pattern: new RegExp(`${NUMERAL('二')}主动公开(?:政府)?信息(?:的)?(?:情况)?`) },
  { code: 'applications', pattern: new RegExp(`${NUMERAL('三')}收到和处理(?:政府)?信息公开申请(?:的)?(?:情况)?`) },
  {
    code: 'review_litigation',
    pattern: new RegExp(`${NUMERAL('四')}(?:因)?(?:政府信息公开(?:工作)?)?(?:被申请)?行政复议[、和及]*(?:提起)?(?:行政诉讼)?(?:的)?(?:情况)?`),
  },
  { code: 'problems', pattern: new RegExp(`${NUMERAL('五')}(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和)?(?:改进)?(?:情况)?`) },
  { code: 'other_matters', pattern: new RegExp(`${NUMERAL('六')}其他需要报告的?事项`) },
];

// ---------------------------------------------------------------------------------------------
// Table rows

export interface RowKey {
  code: string;
  keys: RegExp[];
}

/** Table 2 rows. 收费 alone would match the header 本年收费金额, so the key is 事业性收费. */
const PROACTIVE_KEYS: Record<string, RegExp[]> = {
  regulations: [/规章/],
  normative_documents: [/规范性文件/],
  licensing: [/行政许可/, /许可$/],
  other_services: [/其他对外管理服务|对外管理服务事项/],
  punishment: [/行政处罚/, /处罚$/],
  coercion: [/行政强制/, /强制$/],
  fees: [/事业性收费/, /收费$/],
  procurement: [/集中采购|政府采购/],
};

/**
 * Table 3 rows. Group labels (（三）不予公开, （四）无法提供 …) are deliberately not keys. Labels
 * wrap inside narrow cells (PDF, Word), so every long label also has a key made of its first
 * few characters: "4.无正当理由大量反 | 复申请" is found by 大量反.
 */
const APPLICATION_KEYS: Record<string, RegExp[]> = {
  new_received: [/新收/, /本年(?:度)?收到/],
  carried_over: [/上年(?:度)?结转/],
  granted: [/予以公开/],
  partially_granted: [/部分公开/],
  denied_state_secret: [/国家秘密/],
  denied_prohibited_by_law: [/法律、?行政法规禁止|禁止公开/, /其他法律/],
  denied_security_stability: [/三安全一稳定|危及/],
  denied_third_party: [/第三方/],
  denied_internal_affairs: [/内部事务/, /三类内部/],
  denied_process_info: [/过程性/, /四类过程/],
  denied_enforcement_file: [/执法案卷/, /属于行政执法/],
  denied_admin_query: [/行政查询|查询事项/],
  unavailable_not_held: [/不掌握/, /本机关不/],
  unavailable_needs_creation: [/另行制作|没有现成/],
  unavailable_unclear: [/补正后|仍不明确/],
  not_processed_petition: [/信访|举报投诉/],
  not_processed_repeat: [/重复申请/, /\d[.、]重复申/],
  not_processed_publication: [/出版物/, /公开出版/, /要求提供公开/],
  not_processed_mass_repeat: [/大量反复/, /无正当理由大量/, /大量反/],
  not_processed_confirmation: [/确认或重新|重新出具|要求行政机关确认/, /要求行政机关/],
  other_no_correction: [/逾期不补|不补正/, /申请人无正当理由/, /无正当理由逾期/],
  other_fee_unpaid: [/收费通知|缴纳费用/, /逾期未按/],
  other_other: [/3[.、]?其他$/],
  other_handling: [/其他处理/],
  total_processed: [/总计$/],
  carried_forward: [/结转下年|下年度继续办理|继续办理/],
};

const keysByTemplate = new WeakMap<TableDef, RowKey[]>();

/** The keys of a template's rows, made once per template. */
export function templateKeys(table: 'proactive' | 'applications', def: TableDef): RowKey[] {
  let keys = keysByTemplate.get(def);
  if (!keys) keysByTemplate.set(def, (keys = rowKeys(table, def.rows.map((r) => r.code))));
  return keys;
}

function rowKeys(table: 'proactive' | 'applications', codes: readonly string[]): RowKey[] {
  const source = table === 'proactive' ? PROACTIVE_KEYS : APPLICATION_KEYS;
  return codes.map((code) => {
    const keys = source[code];
    if (!keys) throw new Error(`no label keys for ${table}.${code}`);
    return { code, keys };
  });
}

// ---------------------------------------------------------------------------------------------
// Layout evidence: words only one template prints. The layout is decided from the table itself.

export const LAYOUT_EVIDENCE: Record<'proactive' | 'applications', Record<Layout, RegExp[]>> = {
  proactive: {
    '2021': [/制发件数/, /废止件数/, /现行有效/, /收费金额/],
    '2019': [/新制作/, /新公开数量/, /对外公开总数/, /上一年项目数/, /本年增\/?减/, /对外管理服务/, /集中采购|采购项目/],
  },
  applications: {
    '2021': [/逾期不补|不补正/, /收费通知|缴纳费用/],
    // 2021 tables print （六）其他处理 too, as a group label: the 2021 words outnumber this one.
    '2019': [/其他处理/],
  },
};
