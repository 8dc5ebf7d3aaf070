/**
 * HTML → document model, with htmlparser2. Government pages wrap the report in site
 * navigation, headers and footers, use tables for page layout, paste Word markup into cells
 * and merge cells with rowspan/colspan. The reader:
 * 1. builds a lean element tree from the tokens of html-scan.ts (or of htmlparser2's tokenizer,
 *    for the markup that scanner leaves to it), by the tree rules of htmlparser2's Parser
 *    (lighter than a full DOM, which matters at thousands of reports a second);
 * 2. finds the article: the deepest element that holds the most distinct report headings;
 * 3. keeps the page's title, CMS meta tags and a headline above the article as metadata;
 * 4. turns block elements into lines of text and data tables into grids with merged cells
 *    expanded (a layout table, one whose cells hold tables, is read as flow content).
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { InputError } from '../errors.ts';
import { DEFAULT_FILE_LIMITS } from '../model/limits.ts';
import { decode, decodingWarnings } from './decode.ts';
import { scanHtml, type ScanCallbacks } from './html-scan.ts';
import { cleanText, type Block, type Cell, type DocumentMeta, type DocumentModel } from './document.ts';

interface El {
  name: string;
  /** The attributes the reader uses (KEPT_ATTRIBUTES); NO_ATTRIBUTES when it has none of them. */
  attrs: Record<string, string>;
  children: Node[];
  parent: El | null;
  rule: TagRule;
  /** Bitmask of ARTICLE_MARKERS found in the element's text (filled by scoreElements). */
  mask: number;
}
type Node = El | string;

/** Elements whose content is never report text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'select', 'option', 'button', 'svg', 'object', 'head', 'input', 'textarea', 'title']);
const BLOCK = new Set([
  'p', 'div', 'br', 'hr', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header',
  'footer', 'nav', 'aside', 'main', 'blockquote', 'pre', 'center', 'form', 'fieldset', 'address', 'figure', 'figcaption', 'caption', 'tr', 'td', 'th', 'table', 'tbody', 'thead', 'tfoot', 'body', 'html',
]);
/** Elements without content, including the obsolete ones HTML parsers also treat so. */
const VOID = new Set(['br', 'hr', 'img', 'meta', 'link', 'input', 'col', 'area', 'base', 'wbr', 'source', 'embed', 'param', 'track', 'basefont', 'command', 'frame', 'isindex', 'keygen']);

/** Headings that mark a report's article; an element's score is how many distinct ones it holds. */
export const ARTICLE_MARKERS = [/一\s*[、.．]\s*总体情况/, /主动公开政府信息情况/, /收到和处理政府信息公开申请/, /行政复议/, /存在的?主要问题|存在问题/, /其他需要报告/];
/** A cheap test before the six markers: every marker holds one of these characters. */
const MARKER_CHARS = /[总主收复问报]/;
/** Any of the markers: most text with a marker character holds none, and one test tells so. */
const ANY_MARKER = new RegExp(ARTICLE_MARKERS.map((re) => re.source).join('|'));

/** Page metadata that Chinese government CMSs put in <meta name=…>. */
const META_NAMES: [RegExp, keyof DocumentMeta][] = [
  [/^(articletitle|title)$/i, 'title'],
  [/^(pubdate|publishdate|firstpublishedtime)$/i, 'published_at'],
  [/^(url|og:url)$/i, 'url'],
  [/^(contentsource|source|sitename)$/i, 'publisher'],
];

const MAX_SPAN = 100;
/** Headline candidates: h1–h3, and elements whose class or id says title. */
const HEADLINE_TAGS = new Set(['h1', 'h2', 'h3']);
const TITLE = /title/i;

/**
 * Word-pasted pages are mostly markup: <span style='font-size:16.0pt;font-family:仿宋_GB2312'>
 * around every run of text. Inline formatting tags never change the text or the table shape,
 * so they, presentational attributes, comments, scripts and styles are removed before parsing,
 * in one pass. This cuts a typical page to a fraction of its size and the parse time with it;
 * rowspan, colspan, class, id, name and content are kept. The patterns are ASCII, so they may
 * run on a latin1 view of UTF-8 or GBK bytes before decoding (see decode.ts).
 */
const STRIP = new RegExp(
  [
    '<!--[\\s\\S]*?-->',
    '<(script|style)\\b[\\s\\S]*?<\\/\\1\\s*>',
    // Runs of inline tags, and of attributes, are one match each: a replace costs by the match.
    '(?:<\\/?(?:span|font|o:p|b|strong|i|em|u|a|st1:\\w+|w:\\w+)(?:\\s[^>]*)?>)+',
    '(?:\\sclass\\s*=\\s*["\']?Mso\\w*["\']?|\\s(?:style|lang|align|valign|width|height|border|cellspacing|cellpadding|bgcolor|face|size|color|href|target|x:\\w+)\\s*=\\s*(?:"[^"]*"|\'[^\']*\'|[^\\s>]+))+',
  ].join('|'),
  'gi',
);

export function stripInlineMarkup(html: string): string {
  return html.replace(STRIP, '');
}

interface Parsed {
  root: El;
  title?: string;
  metas: { name: string; content: string }[];
  /** h1–h3 and *title* elements, candidates for the headline. */
  headings: El[];
  /** Elements given text with a character of the article markers (see scoreElements). */
  marked: El[];
}

/**
 * The tree construction htmlparser2's Parser does (implied end tags, void elements, `</p>` and
 * `</br>` without a start tag, a nested <form> ignored), done here directly on its Tokenizer's
 * events: the Parser's own bookkeeping (its tag stack, an attribute object for every tag, name
 * lookups per event) cost about a fifth of reading a page. Rows are the Parser's rules.
 */
const PARAGRAPH = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
const FORM_CONTROLS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => [h, HEADINGS] as [string, Set<string>]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((f) => [f, FORM_CONTROLS] as [string, Set<string>]),
  ...['p', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map(
    (b) => [b, PARAGRAPH] as [string, Set<string>],
  ),
]);
/** Elements that switch the tokenizer's foreign content (SVG, MathML) on, and back off. */
const FOREIGN = new Set(['svg', 'math']);
const INTEGRATION_POINTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

/** What the tree builder needs to know of an element name, looked up once per start tag. */
interface TagRule {
  /** Open elements that this one's start tag closes. */
  closes: Set<string> | undefined;
  isVoid: boolean;
  /** 1: switches foreign content on (svg, math); 2: an HTML integration point within it. */
  foreign: 0 | 1 | 2;
  headline: boolean;
}
const PLAIN_TAG: TagRule = { closes: undefined, isVoid: false, foreign: 0, headline: false };
/** Every name some table above lists; any other element is PLAIN_TAG. */
const TAG_RULES = new Map<string, TagRule>(
  [...new Set([...OPEN_IMPLIES_CLOSE.keys(), ...VOID, ...FOREIGN, ...INTEGRATION_POINTS, ...HEADLINE_TAGS])].map((name) => [
    name,
    {
      closes: OPEN_IMPLIES_CLOSE.get(name),
      isVoid: VOID.has(name),
      foreign: FOREIGN.has(name) ? 1 : INTEGRATION_POINTS.has(name) ? 2 : 0,
      headline: HEADLINE_TAGS.has(name),
    },
  ]),
);

/** The attributes read: cell spans, CMS meta tags, and class and id for headlines. */
const KEPT_ATTRIBUTES = new Set(['rowspan', 'colspan', 'class', 'id', 'name', 'property', 'content']);
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The most frequent element names (p, td, tr, th, br), recognized from their characters in any
 * case: no string is cut from the page, and the name returned is a constant whose hash is known.
 */
function commonTag(html: string, start: number, end: number): string | undefined {
  const a = html.charCodeAt(start) | 0x20;
  if (end - start === 1) return a === 0x70 ? 'p' : undefined;
  if (end - start !== 2) return undefined;
  const b = html.charCodeAt(start + 1) | 0x20;
  if (a === 0x74) return b === 0x64 ? 'td' : b === 0x72 ? 'tr' : b === 0x68 ? 'th' : undefined;
  return a === 0x62 && b === 0x72 ? 'br' : undefined;
}

/** Names as written are mostly lower case already: only those with A–Z are converted. */
function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/**
 * The tree builder is the tokenizer's callbacks object. As a class, every page is built by the
 * same functions, which the tokenizer's compiled code calls directly.
 */
class TreeBuilder implements TokenizerCallbacks, ScanCallbacks {
  readonly root: El = { name: 'root', attrs: NO_ATTRIBUTES, children: [], parent: null, mask: 0, rule: PLAIN_TAG };
  readonly parsed: Parsed = { root: this.root, metas: [], headings: [], marked: [] };
  private current = this.root;
  private titleText: string[] | null = null;
  /** The start tag being read ('' for an ignored one: a nested form), its tree rules and its attributes. */
  private tag = '';
  private rule = PLAIN_TAG;
  private attrs = NO_ATTRIBUTES;
  private attrName = '';
  private keep = false;
  private attrValue = '';
  /** Whether the start tag's class or id says title (a headline candidate). */
  private titled = false;
  /** Open SVG/MathML elements and HTML integration points within them: true = foreign. */
  private readonly foreign: boolean[] = [];
  /** Elements open now: the later passes over the tree recurse, one frame per level. */
  private depth = 0;

  constructor(
    private readonly html: string,
    private readonly maxDepth: number,
  ) {}

  isInForeignContext(): boolean {
    return this.foreign.length > 0 && this.foreign[this.foreign.length - 1];
  }

  private text(t: string): void {
    if (this.titleText) this.titleText.push(t);
    if (MARKER_CHARS.test(t)) this.parsed.marked.push(this.current);
    const current = this.current;
    const children = current.children;
    // Index -1 of an empty array is a property lookup, many times slower: test the length first.
    const n = children.length;
    if (n > 0 && typeof children[n - 1] === 'string') children[n - 1] += t;
    else if (n === 0) current.children = [t];
    else children.push(t);
  }

  private pop(): void {
    const current = this.current;
    if (current.name === 'title' && this.titleText) {
      this.parsed.title = cleanText(this.titleText.join('')) || undefined;
      this.titleText = null;
    }
    if (current.rule.foreign) this.foreign.pop();
    if (current !== this.root) this.depth--;
    this.current = current.parent ?? this.root;
  }

  private isOpen(name: string): boolean {
    for (let el: El | null = this.current; el && el !== this.root; el = el.parent) if (el.name === name) return true;
    return false;
  }

  private startTag(name: string): void {
    if (name === 'form' && this.isOpen('form')) {
      this.tag = '';
      return;
    }
    const rule = (this.rule = TAG_RULES.get(name) ?? PLAIN_TAG);
    const closes = rule.closes;
    if (closes) while (this.current !== this.root && closes.has(this.current.name)) this.pop();
    this.tag = name;
    this.attrs = NO_ATTRIBUTES;
    this.titled = false;
  }

  /** Adds the element read; returns whether it is left open. */
  private endStartTag(): boolean {
    const name = this.tag;
    const rule = this.rule;
    const a = this.attrs;
    this.tag = '';
    this.attrs = NO_ATTRIBUTES;
    if (name === '') return false;
    const parsed = this.parsed;
    if (name === 'meta') {
      const key = a.name ?? a.property;
      if (key && a.content) parsed.metas.push({ name: key, content: a.content });
      return false;
    }
    if (name === 'title' && !parsed.title) this.titleText = [];
    const el: El = { name, attrs: a, children: [], parent: this.current, mask: 0, rule };
    // Most elements hold one child: a literal of one is one slot, where a first push reserves 17.
    const parent = this.current;
    if (parent.children.length === 0) parent.children = [el];
    else parent.children.push(el);
    if (rule.headline || this.titled) parsed.headings.push(el);
    if (rule.isVoid) return false;
    if (++this.depth > this.maxDepth) throw new InputError('too_deep', `HTML elements are nested more than ${this.maxDepth} deep (limit --max-html-depth)`);
    this.current = el;
    if (rule.foreign) this.foreign.push(rule.foreign === 1);
    return true;
  }

  onopentagname(start: number, end: number): void {
    const name = commonTag(this.html, start, end) ?? lower(this.html.slice(start, end));
    this.startTag(name === 'image' && !this.isInForeignContext() ? 'img' : name);
  }
  onattribname(start: number, end: number): void {
    this.attrName = lower(this.html.slice(start, end));
    this.keep = KEPT_ATTRIBUTES.has(this.attrName);
  }
  onattribdata(start: number, end: number): void {
    if (this.keep) this.attrValue += this.html.slice(start, end);
  }
  onattribentity(cp: number): void {
    if (this.keep) this.attrValue += String.fromCodePoint(cp);
  }
  onattribtext(text: string): void {
    if (this.keep) this.attrValue += text;
  }
  onattribend(): void {
    const value = this.attrValue;
    this.attrValue = '';
    if (!this.keep || this.tag === '') return;
    if (this.attrs === NO_ATTRIBUTES) this.attrs = {};
    const name = this.attrName;
    if (Object.hasOwn(this.attrs, name)) return;
    this.attrs[name] = value;
    if ((name === 'class' || name === 'id') && TITLE.test(value)) this.titled = true;
  }
  onopentagend(): void {
    this.endStartTag();
  }
  onselfclosingtag(): void {
    if (this.endStartTag()) this.pop();
  }
  onclosetag(start: number, end: number): void {
    const html = this.html;
    const current = this.current;
    // Most end tags close the element just opened, as written: no name to slice and look up.
    if (current !== this.root && end - start === current.name.length && html.startsWith(current.name, start)) {
      this.pop();
      return;
    }
    const name = lower(html.slice(start, end));
    if (VOID.has(name)) {
      if (name === 'br') {
        this.startTag('br');
        this.endStartTag();
      }
      return;
    }
    if (this.isOpen(name)) {
      while (this.current.name !== name) this.pop();
      this.pop();
    } else if (name === 'p') {
      this.startTag('p');
      if (this.endStartTag()) this.pop();
    }
  }
  ontext(start: number, end: number): void {
    this.text(this.html.slice(start, end));
  }
  ontextstring(text: string): void {
    this.text(text);
  }
  ontextentity(cp: number): void {
    this.text(String.fromCodePoint(cp));
  }
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
  onend(): void {
    while (this.current !== this.root) this.pop();
  }
}

/** Which tokenizer reads a page: the scanner where it can (html-scan.ts), or htmlparser2's. */
export type HtmlTokenizer = 'scan' | 'htmlparser2';

function build(html: string, maxDepth: number, reader: HtmlTokenizer): Parsed {
  if (reader === 'scan') {
    const scanned = new TreeBuilder(html, maxDepth);
    if (scanHtml(html, scanned)) return scanned.parsed;
    // Markup the scanner leaves alone (comments, raw text, SVG): htmlparser2 reads the page.
  }
  const builder = new TreeBuilder(html, maxDepth);
  const tokenizer = new Tokenizer({ decodeEntities: true, recognizeSelfClosing: true }, builder);
  tokenizer.write(html);
  tokenizer.end();
  return builder.parsed;
}

function textOf(node: Node, out: string[]): void {
  if (typeof node === 'string') {
    out.push(node);
    return;
  }
  if (SKIP.has(node.name)) return;
  for (const child of node.children) {
    if (typeof child !== 'string' && BLOCK.has(child.name)) out.push(' ');
    textOf(child, out);
  }
}

function elementText(el: El): string {
  // Most table cells hold one run of text, directly or in one <p>.
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (typeof only === 'string') return cleanText(only);
  if (only && only.name === 'p' && only.children.length === 1 && typeof only.children[0] === 'string') return cleanText(only.children[0]);
  const out: string[] = [];
  textOf(el, out);
  return cleanText(out.join(''));
}

/**
 * Marks the elements that hold article markers, and their ancestors up to body, with the set
 * found. Only the elements the build saw marker characters in (`marked`) are looked at, and
 * text under a skipped element (script, select, …) does not count.
 */
function scoreElements(body: El, marked: El[]): void {
  for (const el of new Set(marked)) {
    let own = 0;
    for (const child of el.children) {
      if (typeof child === 'string' && ANY_MARKER.test(child)) ARTICLE_MARKERS.forEach((re, i) => re.test(child) && (own |= 1 << i));
    }
    if (!own || !reachable(body, el)) continue;
    for (let n: El | null = el; n; n = n.parent) {
      n.mask |= own;
      if (n === body) break;
    }
  }
}

/** Whether el is body or under it with no skipped element on the way. */
function reachable(body: El, el: El): boolean {
  for (let n: El | null = el; n; n = n.parent) {
    if (n === body) return true;
    if (SKIP.has(n.name)) return false;
  }
  return false;
}

const popcount = (n: number) => {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
};

function findArticle(body: El, marked: El[]): El {
  scoreElements(body, marked);
  let best = body;
  let bestScore = popcount(body.mask);
  let bestDepth = 0;
  const walk = (el: El, depth: number) => {
    const score = popcount(el.mask);
    if (score === 0) return;
    if (score > bestScore || (score === bestScore && depth > bestDepth)) {
      best = el;
      bestScore = score;
      bestDepth = depth;
    }
    for (const child of el.children) if (typeof child !== 'string' && child.name !== 'table' && !SKIP.has(child.name)) walk(child, depth + 1);
  };
  walk(body, 0);
  return best;
}

function findBody(root: El): El {
  const stack: El[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.name === 'body') return el;
    for (const child of el.children) if (typeof child !== 'string') stack.push(child);
  }
  return root;
}

function contains(ancestor: El, el: El): boolean {
  for (let n: El | null = el; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

function readMeta(parsed: Parsed): DocumentMeta {
  const meta: DocumentMeta = {};
  if (parsed.title) meta.title = parsed.title;
  for (const { name, content } of parsed.metas) {
    const field = META_NAMES.find(([re]) => re.test(name))?.[1];
    if (field && !(field === 'title' && meta.title)) meta[field] ??= cleanText(content);
  }
  return meta;
}

/** A headline above the article (h1–h3 or a *title* element naming the annual report). */
function findHeadline(parsed: Parsed, article: El): string | undefined {
  for (const el of parsed.headings) {
    if (contains(article, el) || contains(el, article)) continue;
    const text = elementText(el);
    if (text.length <= 80 && /年度报告|年报/.test(text)) return text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** A table's rows, its own and those of its thead, tbody and tfoot. */
function rowsOf(table: El, rows: El[] = []): El[] {
  for (const child of table.children) {
    if (typeof child === 'string') continue;
    if (child.name === 'tr') rows.push(child);
    else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') rowsOf(child, rows);
  }
  return rows;
}

function hasInnerTable(el: El): boolean {
  for (const child of el.children) if (typeof child !== 'string' && (child.name === 'table' || hasInnerTable(child))) return true;
  return false;
}

function span(el: El, name: string): number {
  const value = el.attrs[name];
  if (value === undefined) return 1;
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_SPAN) : 1;
}

/** Expands rowspan/colspan into a grid; spanned positions repeat the text with origin=false. */
function tableGrid(table: El): Cell[][] {
  const grid: Cell[][] = [];
  // Reads stay within each array's length: a read past the end is a slow lookup in V8.
  rowsOf(table).forEach((tr, r) => {
    while (grid.length <= r) grid.push([]);
    const own = grid[r];
    let c = 0;
    for (const td of tr.children) {
      if (typeof td === 'string' || (td.name !== 'td' && td.name !== 'th')) continue;
      while (c < own.length && own[c]) c++;
      const text = elementText(td);
      const rs = span(td, 'rowspan');
      const cs = span(td, 'colspan');
      for (let dr = 0; dr < rs; dr++) {
        while (grid.length <= r + dr) grid.push([]);
        const row = grid[r + dr];
        for (let dc = 0; dc < cs; dc++) {
          const cell = { text, origin: dr === 0 && dc === 0 };
          if (c + dc === row.length) row.push(cell);
          else row[c + dc] = cell;
        }
      }
      c += cs;
    }
  });
  // Holes left by malformed spans become empty non-origin cells.
  for (const row of grid) for (let c = 0; c < row.length; c++) row[c] ??= { text: '', origin: false };
  return grid;
}

// ---------------------------------------------------------------------------------------------
// Flow → blocks

function linearize(article: El): Block[] {
  const blocks: Block[] = [];
  let line: string[] = [];
  let paragraphs = 0;
  let tables = 0;
  const flush = () => {
    if (!line.length) return;
    const text = cleanText(line.join(''));
    line = [];
    if (text) blocks.push({ kind: 'text', text, at: `paragraph ${++paragraphs}` });
  };
  const walk = (node: Node) => {
    if (typeof node === 'string') {
      line.push(node);
      return;
    }
    if (SKIP.has(node.name)) return;
    if (node.name === 'table' && !hasInnerTable(node)) {
      flush();
      const rows = tableGrid(node);
      if (rows.length) {
        const n = ++tables;
        blocks.push({ kind: 'table', rows, at: rows.map((_, r) => `table ${n} row ${r + 1}`) });
      }
      return;
    }
    const block = BLOCK.has(node.name);
    if (block) flush();
    for (const child of node.children) walk(child);
    if (block) flush();
  };
  walk(article);
  flush();
  return blocks;
}

/** A page's text → document model. */
export function readHtml(html: string, format = 'html', maxDepth = DEFAULT_FILE_LIMITS.htmlDepth, tokenizer: HtmlTokenizer = 'scan'): DocumentModel {
  return readStripped(stripInlineMarkup(html), format, maxDepth, tokenizer);
}

/** A page's bytes → document model. The markup is stripped once, before decoding (decode.ts). */
export function readHtmlBytes(bytes: Uint8Array, format = 'html', maxDepth = DEFAULT_FILE_LIMITS.htmlDepth): DocumentModel {
  const decoded = decode(bytes, stripInlineMarkup);
  return { ...readStripped(decoded.text, format, maxDepth), warnings: decodingWarnings(decoded) };
}

function readStripped(html: string, format: string, maxDepth: number, tokenizer: HtmlTokenizer = 'scan'): DocumentModel {
  const parsed = build(html, maxDepth, tokenizer);
  const body = findBody(parsed.root);
  const article = findArticle(body, parsed.marked);
  const blocks = linearize(article);
  const headline = findHeadline(parsed, article);
  if (headline && !blocks.some((b) => b.kind === 'text' && b.text.includes(headline))) {
    blocks.unshift({ kind: 'text', text: headline, at: 'headline' });
  }
  return { format, meta: readMeta(parsed), blocks };
}
