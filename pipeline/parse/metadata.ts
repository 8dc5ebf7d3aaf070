/**
 * Title, agency and covered year. The year is the one the report covers: from the 统计期限
 * sentence, the title, or the opening of section 一 — never the publication date.
 */
import type { Warning } from '../model/record.ts';
import type { DocumentMeta } from '../read/document.ts';
import type { Item } from './sections.ts';
import { nfkc } from '../nfkc.ts';
import { resolveRegionFromText } from '../normalize/regions.ts';
import { CHROME_PATHS, PAGE_CHROME } from './labels.ts';

const TITLE = /政府信息公开.{0,8}年度?报告|信息公开年报|年度报告/;
/** 2023年 / 2023 年度 / 二〇二三年 is rare in titles and left to the other sources. */
const YEAR_IN_TITLE = /(20\d{2})\s*年度?/;
const TITLE_TAIL = /\s*(?:（?\s*20\d{2}\s*年度?\s*）?)?\s*(?:的)?(?:政府)?(?:信息)?(?:公开|政务公开)?(?:工作)?\s*(?:年度?\s*报告|年报)[\s\S]*$/;
const PERIOD = /统计期限[^。；]{0,16}?(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日/;
/** Sentences that mention an annual report without being its title: 根据…编制, 关于印发…的通知. */
const NOT_TITLE = /根据|编制|本报告|印发|通知|〈|《/;
/** A crawler's field name before the title (标题: …), printed as a line when its dump is converted. */
const FIELD_LABEL = /^(?:文章标题|标题|题目|title)\s*[:：]\s*/i;
/** A full stop or semicolon: a title has none. */
const SENTENCE_END = /[。；;]/;
const OPENING = /^\s*(20\d{2})\s*年(?:度)?[，,]/;

function clean(text: string): string {
  return nfkc(text).replace(/[\s\u3000]+/g, ' ').trim();
}

/** OCR letter-spacing (洛 阳 市 涧 西 区 …): a line mostly of single ideographs between spaces is one word. */
function compactSpaced(text: string): string {
  const words = text.split(' ');
  if (words.length < 6) return text;
  const single = words.filter((w) => /^[\u4e00-\u9fff]$/.test(w)).length;
  return single * 2 >= words.length ? text.replace(/ +/g, '') : text;
}

/** A page <title> often carries the site name: "…年度报告_洛阳市人民政府". */
function titlePart(title: string): string | undefined {
  const parts = title.split(/\s*[_|｜—–]+\s*|\s+-\s+/).filter((p) => TITLE.test(p));
  return parts[0];
}

/** Page chrome above a report: breadcrumbs, site names, date/source/font-size lines (labels.ts). */
export function isChrome(text: string): boolean {
  if (PAGE_CHROME.some((re) => re.test(text))) return true;
  return CHROME_PATHS.some((re) => re.test(text)) && !namesAgency(text.replace(/\s*[|｜]\s*/g, ''));
}

/** A line that may be part of a title: short, no sentence punctuation, not page chrome. */
function titleFragment(text: string): boolean {
  return text.length > 0 && text.length <= 30 && !/[。，,；;：:]/.test(text) && !isChrome(text) && !/^20\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]/.test(text);
}

/** Does a name begin the way agency names do: a place (洛阳市…), or a national body? */
function startsLikeAgency(name: string): boolean {
  return /^(?:中共|中国|国家|全国|国务院)/.test(name) || resolveRegionFromText(name).matched.length >= 2;
}

/**
 * The report's title: the first line (or two or three wrapped lines) naming an annual report,
 * past page chrome. A bare column name (政府信息公开年报, 年度报告) is a title only when nothing
 * better follows. The agency may stand on the line above ("淮安市人民政府" / "2024 年…年度报告")
 * or be wrapped inside ("洛阳市涧西区人民" / "政府办公室2023年…"): the line above is joined when
 * only with it does the agency start the way agency names do.
 */
/**
 * The start of a name that was wrapped onto the next line: the end of an agency's name
 * (政府办公室, 民政府…, 局, 室) rather than a name of its own (商都路街道办事处).
 */
const WRAPPED_NAME_END = /^(?:人?民?政府|办公[室厅]|办?事处|街道|[镇乡]人民政府|[局委厅室办处])/;

/** The first line of a year-first title wrapped early: "2020年工" / "业街道办事处…年度报告". */
const YEAR_FIRST_START = /^20\d{2}\s*年度?[\u4e00-\u9fff]{1,8}$/;

/**
 * A line that ends an agency's name of its own (a site header's), not one wrapped mid-word. A
 * place alone (郑州市管城回族区, 铭功路街道) is the start of the name on the next line.
 */
const COMPLETE_NAME_END = /(?:政府|办公室|办公厅|局|委员会|委|厅|处|中心|管委会)$/;
const completeName = (line: string) => COMPLETE_NAME_END.test(line) && !/20\d{2}\s*年/.test(line);

/** Words broken by a line break inside an element (<br>, a PDF cell): CJK rejoined, spaces out. */
function joinWrapped(line: string): string {
  return line.replace(/(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])/g, '');
}

/** A title line that names an agency the way agency names start (a breadcrumb's last step). */
function namesAgency(line: string): boolean {
  if (!TITLE.test(line)) return false;
  const agency = agencyFromTitle(line);
  return agency !== null && startsLikeAgency(agency);
}

export function findTitle(preamble: Item[], meta: DocumentMeta): string | null {
  // A PDF line may come as several cells (a font change leaves a gap): read it as one line.
  const lines: string[] = [];
  // A breadcrumb's last step is sometimes the page's title: evidence when no line names one.
  let crumb: string | null = null;
  for (const item of preamble.slice(0, 24)) {
    // Cells of a text copy were separated by | or tabs; a PDF line's cells only by gaps.
    const cells = item.kind === 'row' ? item.cells.filter((c) => c.origin && c.text) : [];
    const raw = clean(item.kind === 'text' ? item.text : cells.map((c) => c.text).join(cells.some((c) => c.box) ? '' : ' | '));
    if (isChrome(raw)) {
      const last = raw.split(/\s*[>»＞|｜/]\s*/).pop() ?? '';
      if (!crumb && namesAgency(last)) crumb = last;
      continue;
    }
    const line = joinWrapped(compactSpaced(clean(item.kind === 'text' ? item.text : item.cells.filter((c) => c.origin).map((c) => c.text).join('')))).replace(FIELD_LABEL, '');
    if (line) lines.push(line);
  }
  let fallback: string | null = null;
  for (let i = 0; i < lines.length && i < 16; i++) {
    let text = lines[i];
    // A title wrapped over two or three lines: "…2023年政府信息" / "公开工作年度报告".
    // A line that is a title of its own with a proper agency is not the end of this one.
    // A wrap continues mid-word (府信息公开…, 室 2019 年…): a line that starts a name or a year
    // of its own, or is a title with its own agency, begins something else.
    for (
      let j = i + 1;
      !TITLE.test(text) &&
      j < lines.length &&
      j <= i + 2 &&
      titleFragment(lines[i]) &&
      !completeName(lines[i]) &&
      titleFragment(lines[j]) &&
      !/^20\d{2}\s*年/.test(lines[j]) &&
      !startsLikeAgency(lines[j]) &&
      !(TITLE.test(lines[j]) && agencyFromTitle(lines[j]));
      j++
    ) {
      if (!TITLE.test(text + lines[j]) && j === i + 2) break;
      text += lines[j];
    }
    // A sentence that mentions the report (…需要报告的事项。本年度报告中所列数据…) is not its title.
    if (text.length > 80 || !TITLE.test(text) || NOT_TITLE.test(text) || SENTENCE_END.test(text)) continue;
    const above = i > 0 && titleFragment(lines[i - 1]) && !TITLE.test(lines[i - 1]) ? lines[i - 1] : '';
    const agency = agencyFromTitle(text);
    if (above && !agency && /^(20\d{2})\s*年/.test(text)) return `${above} ${text}`;
    if (above) {
      const joined = agencyFromTitle(above + text);
      // The title's own agency is a fragment (办事处, 政府…): the name began on the line above.
      const fragment = (agency !== null && WRAPPED_NAME_END.test(agency) && !startsLikeAgency(agency)) || YEAR_FIRST_START.test(above);
      if (joined && joined !== agency && (fragment || (!completeName(above) && startsLikeAgency(joined)))) return above + text;
    }
    if (agency) return text;
    // No agency in it: a column name, or a title whose agency is on no line near it.
    fallback ??= text;
  }
  if (crumb) return crumb;
  if (fallback) return fallback;
  if (meta.title) return titlePart(clean(meta.title)) ?? null;
  return null;
}

export function agencyFromTitle(title: string): string | null {
  const name = clean(title)
    .replace(/^(?:关于)?\s*(?:20\d{2}\s*年度?)\s*/, '')
    .replace(/^[《“"]/, '')
    .replace(TITLE_TAIL, '')
    .replace(/\s*20\d{2}\s*年度?\s*$/, '')
    .replace(/[》”"]$/, '')
    .replace(/\s+/g, '')
    .trim();
  return name.length >= 2 ? name : null;
}

export interface CoveredYear {
  year: number | null;
  warnings: Warning[];
}

export function findYear(title: string | null, preamble: string, overview: string): CoveredYear {
  const all = nfkc(`${preamble}\n${overview}`);
  const fromPeriod = PERIOD.exec(all)?.[1];
  const fromTitle = title ? YEAR_IN_TITLE.exec(nfkc(title))?.[1] : undefined;
  const fromOpening = OPENING.exec(nfkc(overview))?.[1];
  const found = [fromPeriod, fromTitle, fromOpening].filter((y): y is string => Boolean(y)).map(Number);
  const warnings: Warning[] = [];
  if (found.length === 0) {
    warnings.push({ code: 'year_missing', where: 'year', message: 'no covered year in the title, the 统计期限 sentence or the opening of section 一' });
    return { year: null, warnings };
  }
  if (new Set(found).size > 1) {
    warnings.push({
      code: 'year_conflict',
      where: 'year',
      message: `statistics period ${fromPeriod ?? '-'}, title ${fromTitle ?? '-'}, opening ${fromOpening ?? '-'}; taken from the first`,
    });
  }
  return { year: found[0], warnings };
}

const PUBLISHED = /(?:发布|公开|成文)(?:日期|时间)\s*[:：]\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/;

/** A publication date printed above the report (发布日期：2020-01-31), as YYYY-MM-DD. */
export function findPublished(preamble: string): string | undefined {
  const m = PUBLISHED.exec(nfkc(preamble));
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : undefined;
}
