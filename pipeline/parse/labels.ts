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
import { memoByText } from './memo.ts';

export function normalizeLabel(text: string): string {
  return nfkc(text).replace(/[\s\u00a0\u3000\u200b]+/g, '');
}

/** normalizeLabel of a table cell's text, remembered: tables print the template's words report after report. */
export const normalizeCell = memoByText(20_000, normalizeLabel);

// ---------------------------------------------------------------------------------------------
// Section headings. A heading line is matched by its words, with its numbering taken off
// (HEADING_NUMBERING) and a character or two of slack (sections.ts): one form per row.

export const HEADING_FORMS: [SectionCode, string[]][] = [
  ['overview', ['总体情况', '概述', '概况', '基本情况', '工作概述', '总体概况']],
  ['proactive', ['主动公开政府信息情况', '主动公开政府信息的情况', '主动公开信息情况', '政府信息主动公开情况']],
  ['applications', ['收到和处理政府信息公开申请情况', '收到和处理政府信息公开申请的情况', '收到和处理信息公开申请情况', '依申请公开政府信息情况']],
  [
    'review_litigation',
    [
      '政府信息公开行政复议、行政诉讼情况',
      '政府信息公开行政复议和行政诉讼情况',
      '因政府信息公开工作被申请行政复议、提起行政诉讼情况',
      '因政府信息公开被申请行政复议、提起行政诉讼的情况',
      '行政复议、行政诉讼情况',
    ],
  ],
  ['problems', ['存在的主要问题及改进情况', '政府信息公开工作存在的主要问题及改进情况', '存在的主要问题和改进情况', '存在的问题及改进措施', '主要问题及改进情况']],
  ['other_matters', ['其他需要报告的事项', '其他需要报告事项']],
];

/**
 * Numbering before a heading's words: markdown #, 表二：, 第二部分, 二、, （二）, 2., II. — any of
 * them or none. The numeral is not trusted: sections are renumbered in real reports.
 */
export const HEADING_NUMBERING =
  /^\s*(?:#{1,6}\s*)?(?:表\s*[一二三四五六1-6]\s*[：:、.．]?\s*)?(?:第\s*[一二三四五六七八九十\d]+\s*(?:部分|章|节)\s*[、：:.．]?|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]\s*[、.．]?|[一二三四五六七八九十]+\s*[、.．,，]|\d{1,2}\s*[、.．](?!\d)|[IVX]+\s*[、.．])?\s*/;

// Headings inside a longer line (a crawler's one-line dump), after their numeral: exact forms.
// The numeral must be followed by 、 or a dot: （二）依申请公开 is a sub-head of section 一.
const NUMERAL = (n: string) => `(?<![（(第])${n}\\s*[、.．]\\s*`;

export const INLINE_HEADINGS: { code: SectionCode; pattern: RegExp }[] = [
  { code: 'overview', pattern: new RegExp(`${NUMERAL('[一]')}(?:总体情况|概述|概况)`) },
  { code: 'proactive', pattern: new RegExp(`${NUMERAL('[一二三四五六]')}主动公开(?:政府)?信息(?:的)?(?:情况)?`) },
  { code: 'applications', pattern: new RegExp(`${NUMERAL('[一二三四五六]')}收到和处理(?:政府)?信息公开申请(?:的)?(?:情况)?`) },
  {
    code: 'review_litigation',
    pattern: new RegExp(`${NUMERAL('[一二三四五六]')}(?:因)?(?:政府信息公开(?:工作)?)?(?:被申请)?行政复议[、和及]*(?:提起)?(?:行政诉讼)?(?:的)?(?:情况)?`),
  },
  { code: 'problems', pattern: new RegExp(`${NUMERAL('[一二三四五六]')}(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和)?(?:改进)?(?:情况)?`) },
  { code: 'other_matters', pattern: new RegExp(`${NUMERAL('[一二三四五六]')}其他需要报告的?事项`) },
];

/**
 * Words that show a table is there: header cells and row labels, matched on normalized short
 * lines and table rows (sections.ts scores a candidate section by how many it finds).
 */
export const TABLE_EVIDENCE: Record<'proactive' | 'applications' | 'review_litigation', RegExp[]> = {
  proactive: [/第二十条/, /信息内容/, /制发件数|新制作数量/, /废止件数|新公开数量/, /现行有效|对外公开总数/, /规章/, /规范性文件/, /行政许可/, /行政处罚/, /行政强制/, /事业性收费/, /处理决定数/],
  applications: [/申请人情况/, /自然人/, /商业企业/, /科研机构/, /公益组织/, /法律服务机构/, /新收/, /上年结转/, /予以公开/, /部分公开/, /不予公开/, /国家秘密/, /不掌握/, /不予处理/, /其他处理/, /结转下年/],
  review_litigation: [/行政复议/, /行政诉讼/, /结果维持|维持/, /结果纠正|纠正/, /其他结果/, /尚未审结|审结/, /直接起诉/, /复议后起诉/],
};

/** Header words that open a table printed without its section heading. */
export const TABLE_START: Record<'proactive' | 'applications' | 'review_litigation', RegExp> = {
  proactive: /第二十条第|信息内容(?:本年|.{0,4}件数)/,
  applications: /申请人情况|本列数据的勾稽关系|自然人.{0,8}法人或其他组织/,
  review_litigation: /行政复议.{0,12}行政诉讼/,
};

// ---------------------------------------------------------------------------------------------
// Table rows

export interface RowKey {
  code: string;
  keys: RegExp[];
  /**
   * The row's own words as the template prints them, without group label or enumerator
   * (属于四类过程性信息): a label broken over lines is recognised by its first or last part.
   */
  core: string;
}

/** The words of a template label after its group label and enumerator: （三）不予公开 6.属于… → 属于…. */
export function labelCore(zh: string): string {
  return normalizeLabel(zh).split(/\d[.、]|[)）]|、/).pop() ?? '';
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
  if (!keys) keysByTemplate.set(def, (keys = rowKeys(table, def)));
  return keys;
}

function rowKeys(table: 'proactive' | 'applications', def: TableDef): RowKey[] {
  const source = table === 'proactive' ? PROACTIVE_KEYS : APPLICATION_KEYS;
  return def.rows.map(({ code, zh }) => {
    const keys = source[code];
    if (!keys) throw new Error(`no label keys for ${table}.${code}`);
    return { code, keys, core: labelCore(zh) };
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

// ---------------------------------------------------------------------------------------------
// Page chrome: lines a web page, its print or its text copy carries above the report, never its
// title or agency. Matched on a cleaned line (NFKC, spaces collapsed).

export const PAGE_CHROME: RegExp[] = [
  // Breadcrumbs: 首页 > 政务公开 > …, 当前位置：…, 您现在的位置：…
  /^(?:当前|您(?:现在)?的|您所在的|所在)?位置\s*[:：]/,
  /^正文$/,
  /^(?:网站)?首页\s*(?:[>»＞/|｜·-]|$)/,
  // Publication lines: 发布时间：… 来源：… 字号：[大 中 小] 浏览次数 打印本页 关闭窗口
  /^(?:发布(?:时间|日期)|来源|信息来源|字号|浏览(?:次数)?|点击(?:数|率)|访问量|作者|编辑|责任编辑|发布机构|索引号|文号|主题分类|成文日期)\s*[:：]/,
  /(?:字号|字体)\s*[:：]?\s*[\[【]?\s*大\s*中\s*小/,
  /打印(?:本页|此页)|关闭(?:本页|窗口)|【\s*打印\s*】|分享到|收藏本页|加入收藏/,
  // Site names: 洛阳市人民政府门户网站, 中国·涧西, …政府网
  /(?:门户网站|政府网站|政务网|政府网|信息公开(?:平台|网))$/,
  /^(?:政府信息公开|政务公开|信息公开)(?:目录|专栏|平台)?$/,
];

/**
 * Paths of short steps (政务公开 > 政府信息公开 > 年报): chrome too, unless the line is a report's
 * title of its own (洛阳市涧西区人民政府办公室 | 2023年…年度报告, a title split into cells).
 */
export const CHROME_PATHS: RegExp[] = [
  /^[^。，；]{1,16}(?:\s*[>»＞]\s*[^。，；>»＞]{1,16}){2,}$/,
  /^[^。，；|｜]{1,12}(?:\s*[|｜/]\s*[^。，；|｜/]{1,14}){2,}$/,
];

// ---------------------------------------------------------------------------------------------
// Column headers: the words printed over each column, in template order, longest first. A
// header cell is read as a sequence of them (a PDF may run two cells into one: 结果纠正其他结果),
// and a wrapped cell by its first part (商业企 / 业). Columns that print the same words (table 4's
// three blocks) take them in order, left to right.

export const APPLICANT_HEADERS: readonly (readonly string[])[] = [
  ['自然人'],
  ['商业企业'],
  ['科研机构'],
  ['社会公益组织'],
  ['法律服务机构'],
  ['其他', '其它'],
  ['总计', '合计'],
];

const REVIEW_BLOCK_HEADERS: readonly (readonly string[])[] = [['结果维持', '维持'], ['结果纠正', '纠正'], ['其他结果', '其它结果'], ['尚未审结', '审结'], ['总计', '合计']];
export const REVIEW_HEADERS: readonly (readonly string[])[] = [...REVIEW_BLOCK_HEADERS, ...REVIEW_BLOCK_HEADERS, ...REVIEW_BLOCK_HEADERS];
