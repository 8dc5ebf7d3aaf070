/**
 * Template alignment: number groups in document order against the template's rows. Groups
 * printed beside their labels anchor the table; groups between anchors fill the rows between
 * them in order; where several placements fit equally, the accounting rules choose, and where
 * they cannot, the rows are left unread with the candidates named — never guessed.
 */
import { describe, expect, it } from 'vitest';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';

/** Table 3 as a text copy: a header, then one line per row; a row is [label or '', seven values]. */
function report(rows: [string, string][]): ReportRecord {
  const lines = [
    '测试区人民政府办公室2023年政府信息公开工作年度报告',
    '一、总体情况',
    '2023年，区政府办公室依法做好政府信息公开工作。',
    '三、收到和处理政府信息公开申请情况',
    '申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计',
    ...rows.map(([label, values]) => `${label}\t${values.split(' ').join('\t')}`),
    '四、政府信息公开行政复议、行政诉讼情况',
    '五、存在的主要问题及改进情况',
    '无。',
  ];
  const r = parseReport(new Uint8Array(Buffer.from(lines.join('\n'))), 'align.txt');
  if (isError(r)) throw new Error(r.error.message);
  return r;
}

const ZERO = '0 0 0 0 0 0 0';
const row = (r: ReportRecord, code: string) => Object.values(r.tables.applications![code]);

/** The 25 rows of the 2021 template with their labels, every value 0 but a few. */
function labelled(overrides: Record<number, string> = {}): [string, string][] {
  const labels = [
    '一、本年新收政府信息公开申请数量', '二、上年结转政府信息公开申请数量', '三、本年度办理结果（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
    '（三）不予公开 1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益', '5.属于三类内部事务信息', '6.属于四类过程性信息',
    '7.属于行政执法案卷', '8.属于行政查询事项', '（四）无法提供 1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确',
    '（五）不予处理 1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息',
    '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '3.其他', '（七）总计', '四、结转下年度继续办理',
  ];
  return labels.map((label, i) => [label, overrides[i] ?? ZERO]);
}

describe('template alignment', () => {
  it('rows of numbers without labels between labelled rows are read by their place, and marked so', () => {
    const rows = labelled({ 0: '3 0 0 0 0 0 3', 2: '1 0 0 0 0 0 1', 12: '2 0 0 0 0 0 2', 23: '3 0 0 0 0 0 3' });
    rows[12][0] = '';
    rows[13][0] = '';
    const r = report(rows);
    expect(row(r, 'unavailable_not_held')).toEqual([2, 0, 0, 0, 0, 0, 2]);
    expect(row(r, 'unavailable_needs_creation')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.readings['applications.unavailable_not_held']).toEqual({ basis: 'position' });
    expect(r.readings['applications.granted']).toBeUndefined();
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('an extra row among unlabelled ones: the accounting rules choose the only placement that holds', () => {
    // A subtotal printed over rows 12 and 13, which print no labels: three groups for two rows.
    // Only dropping the subtotal keeps total_processed = the outcome rows.
    const rows = labelled({ 0: '3 0 0 0 0 0 3', 12: '2 0 0 0 0 0 2', 13: '1 0 0 0 0 0 1', 23: '3 0 0 0 0 0 3' });
    rows[12][0] = '';
    rows[13][0] = '';
    rows.splice(12, 0, ['（四）无法提供', '3 0 0 0 0 0 3']);
    const r = report(rows);
    expect(row(r, 'unavailable_not_held')).toEqual([2, 0, 0, 0, 0, 0, 2]);
    expect(row(r, 'unavailable_needs_creation')).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(r.readings['applications.unavailable_not_held']).toEqual({ basis: 'rules' });
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });

  it('where the rules cannot choose either, the rows are null with a warning naming the candidates', () => {
    // Two unlabelled rows of zeros for three unlabelled rows: any placement keeps every rule.
    const rows = labelled({ 0: '1 0 0 0 0 0 1', 2: '1 0 0 0 0 0 1', 23: '1 0 0 0 0 0 1' });
    rows.splice(14, 1);
    rows[12][0] = '';
    rows[13][0] = '';
    const r = report(rows);
    for (const code of ['unavailable_not_held', 'unavailable_needs_creation', 'unavailable_unclear']) expect(row(r, code)).toEqual(new Array(7).fill(null));
    const warnings = r.warnings.filter((w) => w.code === 'alignment_ambiguous');
    expect(warnings.map((w) => w.where)).toEqual(['applications.unavailable_not_held', 'applications.unavailable_needs_creation', 'applications.unavailable_unclear']);
    expect(warnings[0].message).toMatch(/candidates: \[unavailable_not_held, unavailable_needs_creation\] or/);
  });

  it('a stray number between rows is not a row', () => {
    const rows = labelled({ 0: '5 0 0 0 0 0 5', 2: '5 0 0 0 0 0 5', 23: '5 0 0 0 0 0 5' });
    rows.splice(5, 0, ['', '9']);
    const r = report(rows);
    expect(row(r, 'denied_prohibited_by_law')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
  });
});
