/**
 * Numbers stated in the prose of section 一: the items proactively published (a figure the
 * tables lack), and the figures a table also holds (applications received, review and
 * litigation cases), which the narrative check compares. Wording variants are rows.
 */
import type { Warning } from '../model/record.ts';
import { nfkc } from '../nfkc.ts';

const NUM = '(\\d[\\d,]*)';

interface Pattern {
  re: RegExp;
  /** A sentence that says there were none: the stated figure is 0. */
  none?: boolean;
}

const PROACTIVE_ITEMS: Pattern[] = [
  { re: new RegExp(`主动公开[^。；\\d]{0,25}?(?:信息|文件|政务信息)[^。；\\d]{0,8}?${NUM}\\s*(余|多)?\\s*(?:条|件)`) },
  { re: new RegExp(`(?:发布|公开)(?:各类)?(?:政府|政务)信息[^。；\\d]{0,6}?${NUM}\\s*(余|多)?\\s*条`) },
  { re: new RegExp(`公开(?:各类)?信息[^。；\\d]{0,6}?${NUM}\\s*(余|多)?\\s*条`) },
];

export type StatementSubject = 'applications_received' | 'review_cases' | 'litigation_cases';

/** The figure first; a sentence saying there were none only when no figure is stated. */
const STATEMENTS: Record<StatementSubject, Pattern[]> = {
  applications_received: [
    { re: new RegExp(`(?:受理|收到|接收|新收)[^。；\\d]{0,30}?申请[^。；\\d]{0,8}?${NUM}\\s*件`) },
    { re: /未(?:收到|受理|接到|接收)[^。；，]{0,15}?(?:政府信息公开)?申请/, none: true },
  ],
  review_cases: [
    { re: new RegExp(`行政复议(?:案件|申请)?[^。；\\d]{0,3}?${NUM}\\s*(?:件|起|宗)`) },
    { re: /未(?:发生|收到|出现)[^。；]{0,25}?行政复议/, none: true },
  ],
  litigation_cases: [
    { re: new RegExp(`诉讼(?:案件)?[^。；\\d]{0,3}?${NUM}\\s*(?:件|起|宗)`) },
    { re: /未(?:发生|收到|出现)[^。；]{0,25}?行政诉讼/, none: true },
  ],
};

export interface Statement {
  subject: StatementSubject;
  value: number;
  text: string;
}

/** Prose lines join without a break: Chinese has no spaces, and PDF text wraps anywhere. */
export function flatProse(text: string): string {
  return nfkc(text).replace(/\n+/g, '');
}

const toNumber = (s: string) => Number(s.replace(/,/g, ''));

/** The clause that states the figure: from the last comma or full stop before it. */
function clauseOf(text: string, index: number, length: number): string {
  const before = text.slice(Math.max(0, index - 40), index);
  const cut = Math.max(...['，', ',', '。', '；', ';'].map((p) => before.lastIndexOf(p)));
  return (cut >= 0 ? before.slice(cut + 1) : before) + text.slice(index, index + length);
}

export function proactiveItems(overview: string): { value: number | null; warnings: Warning[] } {
  const text = flatProse(overview);
  for (const { re } of PROACTIVE_ITEMS) {
    const m = re.exec(text);
    if (!m) continue;
    const warnings: Warning[] = m[2]
      ? [{ code: 'approximate_figure', where: 'figures.proactive_items_published', raw: m[0], message: `stated as "${m[1]}${m[2]}": a lower bound` }]
      : [];
    return { value: toNumber(m[1]), warnings };
  }
  return { value: null, warnings: [] };
}

export function statements(overview: string): Statement[] {
  const text = flatProse(overview);
  const out: Statement[] = [];
  for (const [subject, patterns] of Object.entries(STATEMENTS) as [StatementSubject, Pattern[]][]) {
    for (const { re, none } of patterns) {
      const m = re.exec(text);
      if (!m) continue;
      out.push({ subject, value: none ? 0 : toNumber(m[1]), text: none ? m[0] : clauseOf(text, m.index, m[0].length).trim() });
      break;
    }
  }
  return out;
}
