/**
 * The printed wording of the three tables as the official templates lay them out, and the
 * small variations real reports make (half-width brackets, 1、 for 1., 规范性文件 for
 * 行政规范性文件…). Variants are data: one entry each.
 */
import type { Layout } from '../model/codes.ts';

/** Table 3 row labels, split into the group cell and the item cell the template prints. */
export const APPLICATION_LABELS: Record<string, { group?: string; label: string }> = {
  new_received: { label: '一、本年新收政府信息公开申请数量' },
  carried_over: { label: '二、上年结转政府信息公开申请数量' },
  granted: { label: '（一）予以公开' },
  partially_granted: { label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  denied_state_secret: { group: '（三）不予公开', label: '1.属于国家秘密' },
  denied_prohibited_by_law: { group: '（三）不予公开', label: '2.其他法律行政法规禁止公开' },
  denied_security_stability: { group: '（三）不予公开', label: '3.危及“三安全一稳定”' },
  denied_third_party: { group: '（三）不予公开', label: '4.保护第三方合法权益' },
  denied_internal_affairs: { group: '（三）不予公开', label: '5.属于三类内部事务信息' },
  denied_process_info: { group: '（三）不予公开', label: '6.属于四类过程性信息' },
  denied_enforcement_file: { group: '（三）不予公开', label: '7.属于行政执法案卷' },
  denied_admin_query: { group: '（三）不予公开', label: '8.属于行政查询事项' },
  unavailable_not_held: { group: '（四）无法提供', label: '1.本机关不掌握相关政府信息' },
  unavailable_needs_creation: { group: '（四）无法提供', label: '2.没有现成信息需要另行制作' },
  unavailable_unclear: { group: '（四）无法提供', label: '3.补正后申请内容仍不明确' },
  not_processed_petition: { group: '（五）不予处理', label: '1.信访举报投诉类申请' },
  not_processed_repeat: { group: '（五）不予处理', label: '2.重复申请' },
  not_processed_publication: { group: '（五）不予处理', label: '3.要求提供公开出版物' },
  not_processed_mass_repeat: { group: '（五）不予处理', label: '4.无正当理由大量反复申请' },
  not_processed_confirmation: { group: '（五）不予处理', label: '5.要求行政机关确认或重新出具已获取信息' },
  other_no_correction: { group: '（六）其他处理', label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' },
  other_fee_unpaid: { group: '（六）其他处理', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请' },
  other_other: { group: '（六）其他处理', label: '3.其他' },
  other_handling: { label: '（六）其他处理' },
  total_processed: { label: '（七）总计' },
  carried_forward: { label: '四、结转下年度继续办理' },
};

export const OUTCOME_BLOCK_LABEL = '三、本年度办理结果';
export const ACCOUNTING_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

export const APPLICANT_HEADER = {
  applicants: '申请人情况',
  natural: '自然人',
  orgs: '法人或其他组织',
  total: '总计',
  kinds: ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
};

export const REVIEW_HEADER = {
  review: '行政复议',
  litigation: '行政诉讼',
  direct: '未经复议直接起诉',
  after: '复议后起诉',
  results: ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
};

/** Table 2 sub-tables: the article each cites, the header of its value columns, its rows. */
export interface ProactiveBlock {
  article: string;
  header: string[];
  rows: { code: string; label: string }[];
}

export function proactiveBlocks(layout: Layout, style: LabelStyle): ProactiveBlock[] {
  if (layout === '2021') {
    return [
      {
        article: '第二十条第（一）项',
        header: ['本年制发件数', '本年废止件数', style.inForceLabel],
        rows: [
          { code: 'regulations', label: '规章' },
          { code: 'normative_documents', label: style.normativeLabel2021 },
        ],
      },
      { article: '第二十条第（五）项', header: ['本年处理决定数量'], rows: [{ code: 'licensing', label: '行政许可' }] },
      {
        article: '第二十条第（六）项',
        header: ['本年处理决定数量'],
        rows: [
          { code: 'punishment', label: '行政处罚' },
          { code: 'coercion', label: '行政强制' },
        ],
      },
      { article: '第二十条第（八）项', header: ['本年收费金额（单位：万元）'], rows: [{ code: 'fees', label: '行政事业性收费' }] },
    ];
  }
  return [
    {
      article: '第二十条第（一）项',
      header: ['本年新制作数量', '本年新公开数量', '对外公开总数量'],
      rows: [
        { code: 'regulations', label: '规章' },
        { code: 'normative_documents', label: '规范性文件' },
      ],
    },
    {
      article: '第二十条第（五）项',
      header: ['上一年项目数量', '本年增/减', '处理决定数量'],
      rows: [
        { code: 'licensing', label: '行政许可' },
        { code: 'other_services', label: '其他对外管理服务事项' },
      ],
    },
    {
      article: '第二十条第（六）项',
      header: ['上一年项目数量', '本年增/减', '处理决定数量'],
      rows: [
        { code: 'punishment', label: '行政处罚' },
        { code: 'coercion', label: '行政强制' },
      ],
    },
    { article: '第二十条第（八）项', header: ['上一年项目数量', '本年增/减'], rows: [{ code: 'fees', label: '行政事业性收费' }] },
    { article: '第二十条第（九）项', header: ['采购项目数量', '采购总金额'], rows: [{ code: 'procurement', label: '政府集中采购' }] },
  ];
}

/** How one report words its labels. */
export interface LabelStyle {
  /** （一） or (一) followed by a space, as in the jianxi copy. */
  halfWidthBrackets: boolean;
  /** "1." "1. " or "1、" before numbered items. */
  itemMark: '.' | '. ' | '、';
  normativeLabel2021: '行政规范性文件' | '规范性文件';
  inForceLabel: '现行有效件数' | '现行有效件数（历史累计）';
}

export const DEFAULT_LABELS: LabelStyle = {
  halfWidthBrackets: false,
  itemMark: '.',
  normativeLabel2021: '行政规范性文件',
  inForceLabel: '现行有效件数',
};

/** Applies a label style to a template label. */
export function styleLabel(text: string, style: LabelStyle): string {
  let out = text;
  if (style.itemMark !== '.') out = out.replace(/^(\d)\./, `$1${style.itemMark}`);
  if (style.halfWidthBrackets) {
    out = out.replace(/（([一二三四五六七八九十])）/g, '($1) ');
    out = out.replace(/（区分处理的，只计这一情形，不计其他情形）/, ' (区分处理的, 只计这一情形, 不计其他情形)');
  }
  return out;
}
