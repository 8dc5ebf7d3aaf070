/**
 * Title, agency and covered year. The year is the one the report covers: from the 统计期限
 * sentence, the title, or the opening of section 一 — never the publication date.
 */
import type { Warning } from '../model/record.ts';
import type { DocumentMeta } from '../read/document.ts';
import type { Item } from './sections.ts';
import { nfkc } from '../nfkc.ts';

const TITLE = /政府信息公开.{0,8}年度?报告|信息公开年报|年度报告/;
/** 2023年 / 2023 年度 / 二〇二三年 is rare in titles and left to the other sources. */
const YEAR_IN_TITLE = /(20\d{2})\s*年度?/;
const TITLE_TAIL = /\s*(?:（?\s*20\d{2}\s*年度?\s*）?)?\s*(?:的)?(?:政府)?(?:信息公开|政务公开)?(?:工作)?\s*年度?\s*(?:报告|年报)[\s\S]*$/;
const PERIOD = /统计期限[^。；]{0,16}?(20\d{2})\s*年\s*0?1\s*月\s*0?1\s*日/;
/** Sentences that mention an annual report without being its title: 根据…编制, 关于印发…的通知. */
const NOT_TITLE = /根据|编制|本报告|印发|通知|〈|《/;
const OPENING = /^\s*(20\d{2})\s*年(?:度)?[，,]/;

function clean(text: string): string {
  return nfkc(text).replace(/[\s\u3000]+/g, ' ').trim();
}

/** A page <title> often carries the site name: "…年度报告_洛阳市人民政府". */
function titlePart(title: string): string | undefined {
  const parts = title.split(/\s*[_|｜—–]+\s*|\s+-\s+/).filter((p) => TITLE.test(p));
  return parts[0];
}

export function findTitle(preamble: Item[], meta: DocumentMeta): string | null {
  // A PDF line may come as several cells (a font change leaves a gap): read it as one line.
  const lines = preamble.slice(0, 12).map((i) => ({ text: i.kind === 'text' ? i.text : i.cells.filter((c) => c.origin).map((c) => c.text).join('') }));
  for (let i = 0; i < lines.length; i++) {
    let text = clean(lines[i].text);
    // A title wrapped over two lines (PDF): "…政府信息公开工作年度" / "报告".
    const next = lines[i + 1] ? clean(lines[i + 1].text) : '';
    if (!TITLE.test(text) && next.length <= 12 && TITLE.test(text + next)) text += next;
    if (text.length > 80 || !TITLE.test(text) || NOT_TITLE.test(text)) continue;
    // "淮安市人民政府" / "2024 年政府信息公开工作年度报告": the agency is on the line above.
    if (/^(20\d{2})\s*年/.test(text) && !agencyFromTitle(text) && i > 0) {
      const above = clean(lines[i - 1].text);
      if (above.length <= 30 && !/[。，,；]/.test(above)) return `${above} ${text}`;
    }
    return text;
  }
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
