/**
 * What a fetched page points to: on a listing page, the report links (picked by title) and the
 * further listing pages (pagination); on a report page, its attachments, whether the page itself
 * carries the report's text, and its publication date. Pure functions of the bytes and the page's
 * URL. The variants — title patterns, year forms, pagination schemes — are rows in tables.
 */
import { Parser } from 'htmlparser2';
import { nfkc } from '../nfkc.ts';
import { decode } from '../read/decode.ts';
import { ARTICLE_MARKERS } from '../read/html.ts';
import { findPublished } from '../parse/metadata.ts';

// ---------------------------------------------------------------------------------------------
// Reading a page: links with their text and surroundings, meta tags, scripts, text

export interface PageLink {
  href: string;
  /** The link's text, whitespace folded. */
  text: string;
  /** The title attribute (listings cut long titles in the text and keep them whole here). */
  title: string;
  /** The text of the list item (li, tr, dd, p, div) the link sits in: where its date is printed. */
  context: string;
}

export interface ScannedPage {
  links: PageLink[];
  /** <meta name=… content=…>, names lower-cased, the first of each. */
  metas: Map<string, string>;
  /** Every inline script, joined: pagination is often written by one (createPageHTML). */
  scripts: string;
  /** The page's text outside scripts and styles. */
  text: string;
  /** <base href>, when the page has one. */
  base: string | null;
}

/** Elements a listing's entry may be (or sit in). */
const ITEM_TAGS = new Set(['li', 'tr', 'dd', 'dt', 'p', 'div', 'td', 'span', 'h1', 'h2', 'h3', 'h4']);
/** A context longer than this is more than one entry (or an article): no date from it. */
const MAX_CONTEXT = 300;

const fold = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();

export function scanPage(bytes: Uint8Array): ScannedPage {
  const html = decode(bytes).text;
  const page: ScannedPage = { links: [], metas: new Map(), scripts: '', text: '', base: null };
  const text: string[] = [];
  const scripts: string[] = [];
  // Open item elements, innermost last, each with its text so far and the links inside it.
  const items: { tag: string; text: string[]; links: PageLink[] }[] = [];
  let link: { entry: PageLink; text: string[] } | null = null;
  const settled = new Set<PageLink>();
  let skip = 0;
  let inScript = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'script' || name === 'style') {
          skip++;
          inScript = name === 'script';
          return;
        }
        if (name === 'meta' && attrs.name && attrs.content !== undefined) {
          const key = attrs.name.toLowerCase();
          if (!page.metas.has(key)) page.metas.set(key, attrs.content);
        } else if (name === 'base' && attrs.href && page.base === null) page.base = attrs.href;
        else if (name === 'a' && attrs.href !== undefined) {
          const entry: PageLink = { href: attrs.href.trim(), text: '', title: fold(attrs.title ?? ''), context: '' };
          link = { entry, text: [] };
          page.links.push(entry);
          items.at(-1)?.links.push(entry);
        }
        if (ITEM_TAGS.has(name)) items.push({ tag: name, text: [], links: [] });
      },
      ontext(data) {
        if (skip) {
          if (inScript) scripts.push(data);
          return;
        }
        text.push(data);
        link?.text.push(data);
        items.at(-1)?.text.push(data);
      },
      onclosetag(name) {
        if (name === 'script' || name === 'style') {
          skip = Math.max(0, skip - 1);
          inScript = false;
          return;
        }
        if (name === 'a' && link) {
          link.entry.text = fold(link.text.join(''));
          link = null;
        }
        if (ITEM_TAGS.has(name)) {
          const i = items.findLastIndex((x) => x.tag === name);
          if (i < 0) return;
          // Closing an element closes every item opened inside it. A link's context is the
          // largest item around it that holds no other link: one listing entry.
          for (const item of items.splice(i).reverse()) {
            const joined = item.text.join('');
            const context = fold(joined);
            for (const l of item.links) {
              if (settled.has(l)) continue;
              if (item.links.length === 1 && context.length <= MAX_CONTEXT) l.context = context;
              else settled.add(l);
            }
            const parent = items.at(-1);
            if (parent) {
              parent.text.push(joined);
              parent.links.push(...item.links);
            }
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  page.text = fold(text.join(' '));
  page.scripts = scripts.join('\n');
  return page;
}

/** The URL a link leads to, against the page's URL (or its <base>); null for javascript:, mailto:, #. */
export function resolveLink(href: string, page: ScannedPage, pageUrl: URL): URL | null {
  if (!href || href.startsWith('#') || /^(javascript|mailto|tel|data):/i.test(href)) return null;
  try {
    const base = page.base ? new URL(page.base, pageUrl) : pageUrl;
    const url = new URL(href, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Report links on a listing page

/**
 * Which link titles are annual reports. A title must match a `report` row and no `not_report`
 * row, and name the year (YEAR_RULES). The listing is an annual-reports column already, so
 * 年度报告 with a year is the test; the exclusions catch the notices and other annual reports
 * such columns also carry.
 */
export const TITLE_RULES: { rule: 'report' | 'not_report'; pattern: RegExp; example: string }[] = [
  { rule: 'report', pattern: /年度报告|年报/, example: '洛阳市涧西区人民政府办公室2023年政府信息公开工作年度报告' },
  { rule: 'not_report', pattern: /通知|公告|关于.{0,40}(?:编制|报送|印发|做好|发布|公布)/, example: '关于做好2023年政府信息公开工作年度报告编制工作的通知' },
  { rule: 'not_report', pattern: /解读|图解|一图读懂|问答/, example: '图解：2023年政府信息公开工作年度报告' },
  { rule: 'not_report', pattern: /法治政府建设|决算|预算|统计年报|社会责任|环境状况/, example: '2023年度法治政府建设年度报告' },
];

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, '○': 0, O: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** How a title names the year its report covers; the first row that matches wins. */
export const YEAR_RULES: { pattern: RegExp; year: (m: RegExpExecArray) => number; example: string }[] = [
  { pattern: /(20\d{2})\s*年/, year: (m) => Number(m[1]), example: '2023年政府信息公开工作年度报告, 2023年度' },
  { pattern: /[（(【[]\s*(20\d{2})\s*[)）】\]]/, year: (m) => Number(m[1]), example: '政府信息公开工作年度报告（2023）' },
  { pattern: /二([〇零○O一二三四五六七八九]{3})\s*年/, year: (m) => Number(`2${[...m[1]].map((c) => CN_DIGITS[c]).join('')}`), example: '二〇二三年政府信息公开工作年度报告' },
  { pattern: /(?<!\d)(20\d{2})(?!\d)/, year: (m) => Number(m[1]), example: '2023政府信息公开工作年度报告' },
];

/** Reports exist since the 条例 took effect in 2008. */
const FIRST_YEAR = 2008;

export function yearOfTitle(title: string): number | null {
  const text = nfkc(title);
  for (const { pattern, year } of YEAR_RULES) {
    const m = pattern.exec(text);
    if (m) {
      const y = year(m);
      return y >= FIRST_YEAR && y <= 2100 ? y : null;
    }
  }
  return null;
}

export function isReportTitle(title: string): boolean {
  const text = nfkc(title);
  return TITLE_RULES.some((r) => r.rule === 'report' && r.pattern.test(text)) && !TITLE_RULES.some((r) => r.rule === 'not_report' && r.pattern.test(text));
}

const DATE = /(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:\s+(\d{1,2}):(\d{2}))?/g;

/** The last date printed in a text, as YYYY-MM-DD (with HH:MM when a time follows); null if none. */
export function lastDate(text: string): string | null {
  let found: string | null = null;
  for (const m of nfkc(text).matchAll(DATE)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) continue;
    const day = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    found = m[4] !== undefined && Number(m[4]) < 24 && Number(m[5]) < 60 ? `${day} ${m[4].padStart(2, '0')}:${m[5]}` : day;
  }
  return found;
}

/** Extensions of attached report files (as agencies publish them). */
export const ATTACHMENT_EXTENSIONS = ['.pdf', '.doc', '.docx', '.wps', '.xls'] as const;

/** The attachment extension a URL's path (or, for download.jsp?id= links, the link text) ends with. */
export function attachmentExtension(url: URL, text = ''): string | null {
  const path = decodeURIComponentSafe(url.pathname).toLowerCase();
  const name = text.toLowerCase().trim();
  return ATTACHMENT_EXTENSIONS.find((ext) => path.endsWith(ext) || name.endsWith(ext)) ?? null;
}

export function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface ReportLink {
  url: string;
  title: string;
  year: number;
  /** The date printed beside the link, YYYY-MM-DD; null when there is none. */
  published_at: string | null;
  /** file: the link is the document itself (an attachment extension); page: a report page. */
  kind: 'page' | 'file';
}

/** The report links of a listing page, in page order, each URL once. */
export function pickReports(page: ScannedPage, pageUrl: URL): ReportLink[] {
  const out: ReportLink[] = [];
  const seen = new Set<string>();
  for (const link of page.links) {
    // The title attribute holds the whole title where the text is cut short ("…年度报…").
    const title = [link.title, link.text].find((t) => t && isReportTitle(t) && yearOfTitle(t) !== null);
    const url = title ? resolveLink(link.href, page, pageUrl) : null;
    if (!title || !url || seen.has(url.href)) continue;
    const year = yearOfTitle(title)!;
    seen.add(url.href);
    // The title itself holds a year, never a publication date; the date is the rest of the entry.
    const published = lastDate(link.context.replace(link.text, ' '));
    out.push({ url: url.href, title, year, published_at: published, kind: attachmentExtension(url, link.text) ? 'file' : 'page' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pagination

/** The folder of a URL's path: pagination stays inside the listing's folder. */
const folderOf = (url: URL) => url.origin + url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);

/**
 * How CMSs link a listing's further pages; every row's pages are followed (within the listing's
 * folder, each once). TRS WCM writes the links with a script: createPageHTML(pages, current,
 * "index", "html") stands for index.html, index_1.html … index_{pages-1}.html.
 */
export const PAGINATION_RULES: { name: string; pages: (page: ScannedPage, pageUrl: URL) => URL[]; example: string }[] = [
  {
    name: 'trs_script',
    example: 'createPageHTML(5, 0, "index", "html")',
    pages(page, pageUrl) {
      const m = /createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["']([\w-]+)["']\s*,\s*["'](\w+)["']/.exec(page.scripts);
      if (!m) return [];
      const count = Math.min(Number(m[1]), MAX_SCRIPT_PAGES);
      return Array.from({ length: Math.max(0, count - 1) }, (_, i) => new URL(`${m[2]}_${i + 1}.${m[3]}`, pageUrl));
    },
  },
  {
    name: 'index_n',
    example: '<a href="index_2.html">3</a>',
    pages: (page, pageUrl) => linksWhere(page, pageUrl, (url) => /\/index_\d+\.s?html?$/i.test(url.pathname)),
  },
  {
    name: 'page_parameter',
    example: '<a href="list.jsp?page=2">2</a>',
    pages: (page, pageUrl) =>
      linksWhere(page, pageUrl, (url) => url.pathname === pageUrl.pathname && [...url.searchParams].some(([k, v]) => PAGE_PARAMETER.test(k) && /^\d+$/.test(v))),
  },
  {
    name: 'next_text',
    example: '<a href="…">下一页</a>',
    pages: (page, pageUrl) => linksWhere(page, pageUrl, () => true, (link) => NEXT_TEXT.test(link.text)),
  },
];

/** Pages a createPageHTML script may announce: beyond this a site is better cut by --max-pages. */
const MAX_SCRIPT_PAGES = 1000;
const PAGE_PARAMETER = /^(page|pageno|pagenum|pageindex|pn|p|curpage|currentpage)$/i;
const NEXT_TEXT = /^(下一页|下页|后页|next|›|»|>)$/i;

function linksWhere(page: ScannedPage, pageUrl: URL, test: (url: URL) => boolean, textTest: (link: PageLink) => boolean = () => true): URL[] {
  const out: URL[] = [];
  for (const link of page.links) {
    if (!textTest(link)) continue;
    const url = resolveLink(link.href, page, pageUrl);
    if (url && test(url)) out.push(url);
  }
  return out;
}

/** The further listing pages a listing page links to, inside the first page's folder, each once. */
export function listingPages(page: ScannedPage, pageUrl: URL, firstPage: URL): string[] {
  const folder = folderOf(firstPage);
  const out = new Set<string>();
  for (const rule of PAGINATION_RULES) {
    for (const url of rule.pages(page, pageUrl)) if (url.href.startsWith(folder) && url.href !== pageUrl.href) out.add(url.href);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// A report page

export interface ReportPage {
  /** Attached documents, in page order, each once. */
  attachments: string[];
  /** The page's own text is the report (its section headings are there), not just a link to it. */
  carries_report: boolean;
  /** The publication date the page states (CMS meta tag or 发布日期：…), YYYY-MM-DD. */
  published_at: string | null;
}

/** Section headings of a report found in a page's text for it to count as the report itself. */
const MARKERS_FOR_REPORT = 3;
const PUBLISHED_META = ['pubdate', 'publishdate', 'firstpublishedtime', 'published_time'];

export function readReportPage(page: ScannedPage, pageUrl: URL): ReportPage {
  const attachments = new Set<string>();
  for (const link of page.links) {
    const url = resolveLink(link.href, page, pageUrl);
    if (url && attachmentExtension(url, link.text)) attachments.add(url.href);
  }
  const markers = ARTICLE_MARKERS.filter((re) => re.test(page.text)).length;
  const meta = PUBLISHED_META.map((name) => page.metas.get(name)).find(Boolean);
  return {
    attachments: [...attachments],
    carries_report: markers >= MARKERS_FOR_REPORT,
    published_at: (meta ? lastDate(meta) : null) ?? findPublished(page.text.slice(0, 2000)) ?? null,
  };
}
