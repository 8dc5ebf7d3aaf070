/**
 * Damage a report picks up between the agency's page and a reader, whatever the file format:
 * the page's chrome copied along with the article (a breadcrumb, the site or column name, the
 * publication line, print/close links, a page <title> naming the column instead of the report),
 * a title wrapped over two lines, and section headings that deviate from the template (a wrong,
 * missing or extra character, a space inside, other numbering or none, numbering that restarts
 * after extra prose sections as in shanghai-stcsm-2024.pdf.md, markdown marks, a table printed
 * without its heading). Every variant is a row in a table below; every draw comes from the
 * report's own damage stream, so damage never changes the report's numbers or prose.
 */
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';

/** The page furniture a copy carries; every list empty and both fields null for a clean copy. */
export interface Chrome {
  /** Lines before the title: the breadcrumb first when there is one, then the site or column name. */
  before: string[];
  /** The title as printed over several lines, or null when it is printed on one. */
  titleLines: string[] | null;
  /** Lines between the title and the body: publication date, source, font size, hits. */
  meta: string[];
  /** Lines after the body: print and close links. */
  after: string[];
  /** The HTML page's <title> when it names the column or site rather than the report. */
  headTitle: string | null;
}

/** How a style takes damage: the share of its reports damaged by default, and per-kind odds. */
export interface DamageProfile {
  /** Share of reports damaged when the corpus config sets none (--damage overrides it). */
  share: number;
  /** Odds of markdown heading marks (## 二、…): text renderings only. */
  markdown: number;
  /** Odds that the numbering restarts after extra numbered prose sections. */
  renumber: number;
  /** Odds of a page <title> naming the column or site: HTML only. */
  headTitle: number;
}

/** Text and HTML copies of pages: damaged only when the corpus asks (--damage). */
export const PAGE_COPY_DAMAGE: DamageProfile = { share: 0, markdown: 0.2, renumber: 0.15, headTitle: 0 };
export const HTML_DAMAGE: DamageProfile = { share: 0, markdown: 0, renumber: 0.15, headTitle: 0.5 };

// ---------------------------------------------------------------------------------------------
// Page chrome

const CRUMB_PATHS: readonly (readonly [readonly string[], number])[] = [
  [['首页', '政务公开', '政府信息公开年报'], 30],
  [['首页', '政务公开', '政府信息公开', '政府信息公开年报'], 20],
  [['首页', '信息公开', '法定主动公开内容', '政府信息公开年度报告'], 12],
  [['首页', '政府信息公开', '年度报告'], 12],
  [['网站首页', '政务公开', '政府信息公开工作年度报告'], 10],
  [['首页', '政务公开', '法定主动公开内容', '年度报告'], 8],
  [['首页', '政府信息公开', '政府信息公开年报', '部门年报'], 8],
];
const CRUMB_LEADS: readonly (readonly [string, number])[] = [
  ['', 35],
  ['当前位置：', 35],
  ['您现在的位置：', 15],
  ['当前位置:', 8],
  ['您所在的位置：', 7],
];
const CRUMB_SEPARATORS: readonly (readonly [string, number])[] = [
  [' | ', 20],
  ['>', 20],
  [' > ', 20],
  [' » ', 10],
  ['/', 8],
  ['｜', 10],
  [' ＞ ', 7],
  ['>>', 5],
];

/** The line under the breadcrumb: the site's name or the column's. */
const COLUMN_LINES: readonly (readonly [string, number])[] = [
  ['{site}', 40],
  ['{site}门户网站', 15],
  ['政府信息公开年报', 20],
  ['年度报告', 10],
  ['政府信息公开', 15],
];

const META_FORMS: readonly (readonly [string, number])[] = [
  ['发布时间：{date}  来源：{publisher}  字号：[大 中 小]', 25],
  ['发布日期：{date}\u3000\u3000信息来源：{publisher}\u3000\u3000浏览次数：{hits}', 15],
  ['时间：{date} {time}    来源：{publisher}    【字体：大 中 小】', 15],
  ['{date}    来源：{publisher}    【打印】', 10],
  ['发布时间：{date} {time}\n来源：{publisher}\n浏览次数：{hits}', 15],
  ['来源：{publisher}    发布时间：{date}    【字号 大 中 小】    【打印本页】', 10],
  ['作者：{publisher}   来源：{site}   发布时间：{date}   浏览次数：{hits}', 10],
];

const AFTER_FORMS: readonly (readonly [string, number])[] = [
  ['打印本页 关闭窗口', 35],
  ['【打印本页】【关闭窗口】', 25],
  ['【打印】 【关闭】', 15],
  ['分享到：\n打印本页  关闭窗口', 10],
  ['扫一扫在手机打开当前页\n【打印本页】 【关闭窗口】', 15],
];

const HEAD_TITLES: readonly (readonly [string, number])[] = [
  ['政府信息公开年报_{site}', 35],
  ['{site}', 25],
  ['年度报告 - {site}', 20],
  ['{site}-政务公开', 20],
];

const fill = (form: string, vars: Record<string, string>) => form.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

export interface ChromeInput {
  title: string;
  /** The agency as the title names it. */
  printedName: string;
  siteName: string;
  publisher: string;
  publishedAt: string;
}

function breadcrumb(rng: Rng, title: string): string {
  const lead = rng.weighted(CRUMB_LEADS);
  const sep = rng.weighted(CRUMB_SEPARATORS);
  const path = [...rng.weighted(CRUMB_PATHS)];
  // Some sites end the trail with the page's own title, cut short.
  if (lead && rng.chance(0.3)) path.push(rng.chance(0.5) ? title : `${title.slice(0, rng.int(8, 14))}…`);
  return lead + path.join(sep);
}

/** Splits a title in two: after the agency's name, or at an arbitrary point outside a number. */
export function wrapTitle(rng: Rng, title: string, name: string): string[] {
  if (title.startsWith(name) && title.length > name.length + 4 && rng.chance(0.5)) return [name, title.slice(name.length).trim()];
  const cuts: number[] = [];
  for (let i = 4; i <= title.length - 4; i++) {
    if (/\d/.test(title[i - 1]) && /\d/.test(title[i])) continue;
    if (title[i] === ' ' || title[i - 1] === ' ') continue;
    cuts.push(i);
  }
  const at = rng.pick(cuts);
  return [title.slice(0, at).trimEnd(), title.slice(at).trimStart()];
}

export function drawChrome(rng: Rng, p: ChromeInput, profile: DamageProfile): { chrome: Chrome; quirks: string[] } {
  const quirks: string[] = [];
  const vars = {
    site: p.siteName,
    publisher: p.publisher,
    date: p.publishedAt,
    time: `${String(rng.int(8, 18)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`,
    hits: String(rng.int(12, 4800)),
  };
  const chrome: Chrome = { before: [], titleLines: null, meta: [], after: [], headTitle: null };
  const crumb = rng.chance(0.7);
  if (crumb) {
    chrome.before.push(breadcrumb(rng, p.title));
    quirks.push('breadcrumb');
  }
  if (rng.chance(crumb ? 0.3 : 0.5)) {
    chrome.before.push(fill(rng.weighted(COLUMN_LINES), vars));
    quirks.push('site_name');
  }
  if (rng.chance(0.45)) {
    chrome.titleLines = wrapTitle(rng, p.title, p.printedName);
    quirks.push('title_wrapped');
  }
  if (rng.chance(0.6)) {
    chrome.meta = fill(rng.weighted(META_FORMS), vars).split('\n');
    quirks.push('page_meta');
  }
  if (rng.chance(0.4)) {
    chrome.after = rng.weighted(AFTER_FORMS).split('\n');
    quirks.push('page_tools');
  }
  if (rng.chance(profile.headTitle)) {
    chrome.headTitle = fill(rng.weighted(HEAD_TITLES), vars);
    quirks.push('head_title');
  }
  if (chrome.before.length === 0 && !chrome.titleLines && chrome.meta.length === 0) {
    chrome.before.push(breadcrumb(rng, p.title));
    quirks.push('breadcrumb');
  }
  return { chrome, quirks };
}

// ---------------------------------------------------------------------------------------------
// Headings

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const numeral = (n: number) => NUMERALS[n - 1] ?? String(n);

/** How a report numbers its sections instead of 一、 (one scheme for the whole report). */
const NUMBERINGS: readonly (readonly [{ format: (n: number) => string; quirk: string }, number])[] = [
  [{ format: (n) => `（${numeral(n)}）`, quirk: 'heading_numbering' }, 18],
  [{ format: (n) => `(${numeral(n)})`, quirk: 'heading_numbering' }, 8],
  [{ format: (n) => `${n}.`, quirk: 'heading_numbering' }, 12],
  [{ format: (n) => `${n}、`, quirk: 'heading_numbering' }, 10],
  [{ format: (n) => `第${numeral(n)}部分 `, quirk: 'heading_numbering' }, 10],
  [{ format: (n) => `${numeral(n)}.`, quirk: 'heading_numbering' }, 8],
  [{ format: (n) => `${numeral(n)} 、`, quirk: 'heading_numbering' }, 6],
  [{ format: () => '', quirk: 'heading_unnumbered' }, 16],
];
const STANDARD_NUMBERING = (n: number) => `${numeral(n)}、`;

/** Characters typed or recognised as another: one wrong character in a heading. */
const TYPOS: readonly (readonly [string, string])[] = [
  ['情', '倩'],
  ['情', '请'],
  ['况', '兄'],
  ['申', '伸'],
  ['请', '清'],
  ['议', '义'],
  ['讼', '松'],
  ['息', '惜'],
  ['处', '外'],
  ['复', '夏'],
  ['诉', '拆'],
  ['政', '正'],
  ['府', '付'],
  ['开', '升'],
  ['公', '功'],
  ['收', '牧'],
  ['理', '里'],
  ['题', '提'],
  ['事', '是'],
  ['总', '忿'],
];

/** Headings stcsm-style reports number before the tables (一、总体情况 二、… then the tables from 一). */
const EXTRA_SECTIONS = ['主动公开工作情况', '依申请公开工作情况', '政府信息管理情况', '政府信息公开平台建设情况', '监督保障情况'];

const TABLE_SECTIONS = new Set(['proactive', 'applications', 'review_litigation']);

interface HeadingParts {
  index: number;
  num: number | null;
  body: string;
}

const NUMBERED = /^([一二三四五六七八九十]+)、(.*)$/;

function partsOf(text: string): { num: number | null; body: string } {
  const m = NUMBERED.exec(text);
  return m ? { num: NUMERALS.indexOf(m[1]) + 1, body: m[2] } : { num: null, body: text };
}

const stripSubNumber = (text: string) => text.replace(/^[（(][一二三四五六七八九十][）)]\s*/, '').replace(/。.*$/, '');

/**
 * Promotes the overview's parts to numbered sections (二、主动公开工作情况…) and numbers the
 * table sections from 一 again, the problems 四 and the other matters 五, as
 * shanghai-stcsm-2024.pdf.md does.
 */
function renumber(blocks: Block[]): Block[] {
  const overview = blocks.findIndex((b) => b.kind === 'heading' && b.section === 'overview');
  const proactive = blocks.findIndex((b) => b.kind === 'heading' && b.section === 'proactive');
  if (overview < 0 || proactive < 0) return blocks;
  const middle = blocks.slice(overview + 1, proactive);
  let promoted: Block[];
  if (middle.some((b) => b.kind === 'subheading')) {
    promoted = middle.map((b) => (b.kind === 'subheading' ? { kind: 'heading', text: stripSubNumber(b.text) } : b));
  } else {
    // No part headings: the intro stays under 一, each later paragraph gets a section of its own.
    let extra = 0;
    promoted = middle.flatMap((b, i) => (b.kind === 'para' && i > 0 && extra < EXTRA_SECTIONS.length ? [{ kind: 'heading', text: EXTRA_SECTIONS[extra++] } as Block, b] : [b]));
  }
  const out = [...blocks.slice(0, overview + 1), ...promoted, ...blocks.slice(proactive)];
  let prose = 1;
  let tables = 0;
  return out.map((b, i) => {
    if (b.kind !== 'heading') return b;
    const body = partsOf(b.text).body;
    if (i <= overview || (b.section === undefined && tables === 0)) return { ...b, text: `${numeral(b.section === 'overview' ? 1 : ++prose)}、${body}` };
    return { ...b, text: `${numeral(++tables)}、${body}` };
  });
}

function typo(rng: Rng, body: string): string {
  const kind = rng.weighted<'wrong' | 'missing' | 'extra'>([
    ['wrong', 50],
    ['missing', 25],
    ['extra', 25],
  ]);
  const chars = [...body];
  if (kind === 'wrong') {
    const spots = chars.flatMap((ch, i) => TYPOS.filter(([from]) => from === ch).map(([, to]) => [i, to] as const));
    if (spots.length > 0) {
      const [i, to] = rng.pick(spots);
      chars[i] = to;
      return chars.join('');
    }
  }
  if (kind === 'missing') {
    if (body.endsWith('情况') && rng.chance(0.4)) return body.slice(0, -2);
    chars.splice(rng.int(1, chars.length - 1), 1);
    return chars.join('');
  }
  // Extra: a character doubled.
  const i = rng.int(1, chars.length - 1);
  chars.splice(i, 0, chars[i]);
  return chars.join('');
}

function spaced(rng: Rng, body: string): string {
  const chars = [...body];
  const i = rng.int(1, chars.length - 1);
  chars.splice(i, 0, rng.pick([' ', ' ', '\u3000', '  ']));
  return chars.join('');
}

/**
 * Heading damage for one report: numbering (restarted, another scheme or none), then at most
 * one typo and one space, markdown marks, and sometimes one table's heading left out.
 */
export function damageHeadings(rng: Rng, blocks: Block[], profile: DamageProfile): { blocks: Block[]; quirks: string[] } {
  const quirks: string[] = [];
  let out = blocks;
  let format = STANDARD_NUMBERING;
  if (rng.chance(profile.renumber)) {
    out = renumber(out);
    quirks.push('heading_renumbered');
  } else if (rng.chance(0.35)) {
    const scheme = rng.weighted(NUMBERINGS);
    format = scheme.format;
    quirks.push(scheme.quirk);
  }
  const heads: HeadingParts[] = out.flatMap((b, index) => (b.kind === 'heading' ? [{ index, ...partsOf(b.text) }] : []));
  const sectionOf = (h: HeadingParts) => {
    const b = out[h.index];
    return b.kind === 'heading' ? b.section : undefined;
  };
  const target = () => {
    const tableHeads = heads.filter((h) => TABLE_SECTIONS.has(sectionOf(h) ?? ''));
    return rng.chance(0.75) ? rng.pick(tableHeads) : rng.pick(heads.filter((h) => sectionOf(h) !== undefined));
  };
  const typoDrawn = rng.chance(0.4);
  const spaceDrawn = rng.chance(0.25);
  const markdown = rng.chance(profile.markdown);
  const missing = rng.chance(0.12) ? rng.pick(['proactive', 'applications', 'review_litigation']) : null;
  if (typoDrawn || (quirks.length === 0 && !spaceDrawn && !markdown && !missing)) {
    const h = target();
    h.body = typo(rng, h.body);
    quirks.push('heading_typo');
  }
  if (spaceDrawn) {
    const h = target();
    h.body = spaced(rng, h.body);
    quirks.push('heading_space');
  }
  if (markdown) quirks.push('heading_markdown');
  const mark = markdown ? rng.pick(['## ', '## ', '### ', '# ']) : '';
  const byIndex = new Map(heads.map((h) => [h.index, h]));
  const result: Block[] = [];
  out.forEach((b, i) => {
    const h = byIndex.get(i);
    if (!h || b.kind !== 'heading') {
      result.push(b);
      return;
    }
    if (missing && b.section === missing) return;
    result.push({ ...b, text: `${mark}${h.num === null ? '' : format(h.num)}${h.body}` });
  });
  if (missing) quirks.push('heading_missing');
  return { blocks: result, quirks };
}
