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

/** A count as prose prints it: 1152, 1,152, or 1 152 (a space between the thousands). */
const COUNT = '(\\d{1,3}(?:[,，\\s]\\d{3})+(?!\\d)|\\d+)';

const PROACTIVE_ITEMS: Pattern[] = [
  { re: new RegExp(`主动公开[^。；\\d]{0,25}?(?:信息|文件|政务信息)[^。；\\d]{0,8}?${COUNT}\\s*(余|多)?\\s*(?:条|件)`) },
  // 通过部门网站当年发布政府信息 393 件; never 依申请公开政府信息 (applications granted).
  { re: new RegExp(`(?<!申请)(?:发布|公开)(?:各类)?(?:政府|政务)信息[^。；\\d]{0,6}?${COUNT}\\s*(余|多)?\\s*(?:条|件)`) },
  { re: new RegExp(`(?<!申请)公开(?:各类)?信息[^。；\\d]{0,6}?${COUNT}\\s*(余|多)?\\s*条`) },
];

export type StatementSubject = 'applications_received' | 'review_cases' | 'litigation_cases' | 'review_corrected' | 'litigation_lost';

/**
 * A clause that qualifies the cases (纠错, 被纠错, 败诉…) is about the corrected or lost ones,
 * not all of them: 未发生因依申请公开被行政复议纠错或行政诉讼败诉的情况 says nothing of how many
 * reviews there were. Such clauses go to the qualified subjects; the plain ones skip them.
 */
const QUALIFIED = /纠错|纠正|败诉|撤销|确认违法|被改变/;

/** The figure first; a sentence saying there were none only when no figure is stated. */
const STATEMENTS: Record<StatementSubject, (Pattern & { qualified?: boolean })[]> = {
  applications_received: [
    { re: new RegExp(`(?:受理|收到|接收|新收)[^。；\\d]{0,30}?申请[^。；\\d]{0,8}?${NUM}\\s*件`) },
    { re: /未(?:收到|受理|接到|接收)[^。；，]{0,15}?(?:政府信息公开)?申请/, none: true },
  ],
  review_cases: [
    { re: new RegExp(`行政复议(?:案件|申请)?[^。；\\d]{0,3}?${NUM}\\s*(?:件|起|宗)`) },
    { re: new RegExp(`${NUM}\\s*(?:件|起|宗)[^。；，\\d]{0,20}?行政复议(?!.{0,6}诉讼)`) },
    { re: /未(?:发生|收到|出现)[^。；]{0,25}?行政复议/, none: true },
  ],
  litigation_cases: [
    { re: new RegExp(`诉讼(?:案件|数)?[^。；\\d]{0,3}?${NUM}\\s*(?:件|起|宗)`) },
    { re: /未(?:发生|收到|出现)[^。；]{0,25}?行政诉讼/, none: true },
  ],
  review_corrected: [
    { re: /未(?:发生|出现|有)?[^。；]{0,30}?被(?:行政)?复议(?:机关|审查机关)?纠(?:错|正)/, none: true, qualified: true },
    { re: /行政复议[^。；]{0,12}?未被[^。；]{0,10}?纠(?:错|正)/, none: true, qualified: true },
  ],
  litigation_lost: [{ re: /未(?:发生|出现|有)?[^。；]{0,30}?行政诉讼败诉/, none: true, qualified: true }],
};

export interface Statement {
  subject: StatementSubject;
  value: number;
  text: string;
}

/** Letters OCR reads for digits, next to a digit and not inside a Latin word (I6件 → 16件). */
const LOOKALIKE_BY_DIGIT = /(?<![A-Za-z])[OoIl](?=[0-9])|(?<=[0-9])[OoIl](?![A-Za-z])/g;
const DIGIT_OF: Record<string, string> = { O: '0', o: '0', I: '1', l: '1' };

/** The last prose flattened: a report's overview is read for its figures and its statements. */
let lastProse: { text: string; flat: string } | null = null;

/** Prose lines join without a break: Chinese has no spaces, and PDF text wraps anywhere. */
export function flatProse(text: string): string {
  if (lastProse?.text === text) return lastProse.flat;
  let flat = nfkc(text).replace(/\n+/g, '');
  for (let before = ''; before !== flat; ) {
    before = flat;
    flat = flat.replace(LOOKALIKE_BY_DIGIT, (c) => DIGIT_OF[c]);
  }
  lastProse = { text, flat };
  return flat;
}

const toNumber = (s: string) => Number(s.replace(/[,，\s]/g, ''));

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

/** The sentence around a match: from the last full stop before it to the next one. */
function sentenceOf(text: string, index: number, length: number): string {
  const start = Math.max(text.lastIndexOf('。', index), text.lastIndexOf('；', index)) + 1;
  const ends = ['。', '；'].map((p) => text.indexOf(p, index + length)).filter((i) => i >= 0);
  return text.slice(start, ends.length ? Math.min(...ends) : text.length);
}

/** STATEMENTS with each pattern global, to find every match in turn. */
const STATEMENT_SCANS = (Object.entries(STATEMENTS) as [StatementSubject, (Pattern & { qualified?: boolean })[]][]).map(
  ([subject, patterns]) => [subject, patterns.map((p) => ({ ...p, re: new RegExp(p.re.source, 'g') }))] as const,
);

export function statements(overview: string): Statement[] {
  const text = flatProse(overview);
  const out: Statement[] = [];
  for (const [subject, patterns] of STATEMENT_SCANS) {
    for (const { re, none, qualified } of patterns) {
      re.lastIndex = 0;
      let found: RegExpExecArray | null = null;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        // A plain subject does not read a clause about corrected or lost cases.
        const clause = none ? m[0] : clauseOf(text, m.index, m[0].length);
        if (!qualified && QUALIFIED.test(none ? sentenceOf(text, m.index, m[0].length) : clause)) continue;
        found = m;
        break;
      }
      if (!found) continue;
      out.push({ subject, value: none ? 0 : toNumber(found[1]), text: none ? found[0] : clauseOf(text, found.index, found[0].length).trim() });
      break;
    }
  }
  return out;
}
