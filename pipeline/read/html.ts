/**
 * HTML → document model, with htmlparser2. Government pages wrap the report in site
 * navigation, headers and footers, use tables for page layout, paste Word markup into cells
 * and merge cells with rowspan/colspan. The reader:
 * 1. finds the article: the deepest element that holds the most distinct report headings;
 * 2. keeps the page's title (and a headline above the article) as metadata;
 * 3. turns block elements into lines of text and data tables into grids with merged cells
 *    expanded (a layout table, one whose cells hold tables, is read as flow content).
 */
import { parseDocument } from 'htmlparser2';
import { Element, type ChildNode } from 'domhandler';
import { cleanText, type Block, type Cell, type DocumentMeta, type DocumentModel } from './document.ts';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'select', 'option', 'button', 'svg', 'object', 'head', 'input', 'textarea']);
const BLOCK = new Set([
  'p', 'div', 'br', 'hr', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header',
  'footer', 'nav', 'aside', 'main', 'blockquote', 'pre', 'center', 'form', 'fieldset', 'address', 'figure', 'figcaption', 'caption', 'tr', 'td', 'th', 'table', 'tbody', 'thead', 'tfoot', 'body', 'html',
]);

/** Headings that mark a report's article; an element's score is how many distinct ones it holds. */
const ARTICLE_MARKERS = [/一\s*[、.．]\s*总体情况/, /主动公开政府信息情况/, /收到和处理政府信息公开申请/, /行政复议/, /存在的?主要问题|存在问题/, /其他需要报告/];

/** Page metadata that Chinese government CMSs put in <meta name=…>. */
const META_NAMES: [RegExp, keyof DocumentMeta][] = [
  [/^(articletitle|title)$/i, 'title'],
  [/^(pubdate|publishdate|firstpublishedtime)$/i, 'published_at'],
  [/^(url|og:url)$/i, 'url'],
  [/^(contentsource|source|sitename)$/i, 'publisher'],
];

const MAX_SPAN = 100;

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

function textOf(node: ChildNode, out: string[] = []): string[] {
  if (node.type === 'text') out.push(node.data);
  else if (isElement(node) && !SKIP.has(node.name)) {
    for (const child of node.children) {
      if (isElement(child) && BLOCK.has(child.name)) out.push(' ');
      textOf(child, out);
    }
  }
  return out;
}

const elementText = (node: ChildNode) => cleanText(textOf(node).join(''));

/** Marks each element with the set of article markers found in its text (bitmask). */
function scoreElements(root: Element): Map<Element, number> {
  const scores = new Map<Element, number>();
  const walk = (el: Element): number => {
    let mask = 0;
    for (const child of el.children) {
      if (child.type === 'text') {
        ARTICLE_MARKERS.forEach((re, i) => {
          if (re.test(child.data)) mask |= 1 << i;
        });
      } else if (isElement(child) && !SKIP.has(child.name)) {
        mask |= walk(child);
      }
    }
    scores.set(el, mask);
    return mask;
  };
  walk(root);
  return scores;
}

const popcount = (n: number) => n.toString(2).replace(/0/g, '').length;

function findArticle(root: Element): Element {
  const scores = scoreElements(root);
  let best = root;
  let bestScore = popcount(scores.get(root) ?? 0);
  let bestDepth = 0;
  const walk = (el: Element, depth: number) => {
    const score = popcount(scores.get(el) ?? 0);
    if (score > bestScore || (score === bestScore && score > 0 && depth > bestDepth)) {
      best = el;
      bestScore = score;
      bestDepth = depth;
    }
    for (const child of el.children) if (isElement(child) && !SKIP.has(child.name) && child.name !== 'table') walk(child, depth + 1);
  };
  walk(root, 0);
  return best;
}

function attr(el: Element, name: string): string | undefined {
  return el.attribs?.[name];
}

function findAll(root: ChildNode, test: (el: Element) => boolean, out: Element[] = []): Element[] {
  if (isElement(root)) {
    if (test(root)) out.push(root);
    for (const child of root.children) findAll(child, test, out);
  }
  return out;
}

function contains(ancestor: Element, node: ChildNode): boolean {
  for (let n: ChildNode | null = node; n; n = n.parent as ChildNode | null) if (n === ancestor) return true;
  return false;
}

function readMeta(root: Element): DocumentMeta {
  const meta: DocumentMeta = {};
  const title = findAll(root, (el) => el.name === 'title')[0];
  if (title) meta.title = elementText(title) || undefined;
  for (const el of findAll(root, (e) => e.name === 'meta')) {
    const name = attr(el, 'name') ?? attr(el, 'property');
    const content = attr(el, 'content');
    if (!name || !content) continue;
    const field = META_NAMES.find(([re]) => re.test(name))?.[1];
    if (field && !(field === 'title' && meta.title)) meta[field] ??= cleanText(content);
  }
  return meta;
}

/** A headline above the article (h1–h3 or a *title* element naming the annual report). */
function findHeadline(root: Element, article: Element): string | undefined {
  const candidates = findAll(
    root,
    (el) => (/^h[1-3]$/.test(el.name) || /title/i.test(`${attr(el, 'class') ?? ''} ${attr(el, 'id') ?? ''}`)) && el.name !== 'title',
  );
  for (const el of candidates) {
    if (contains(article, el) || contains(el, article)) continue;
    const text = elementText(el);
    if (text.length <= 80 && /年度报告|年报/.test(text)) return text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tables

function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  const walk = (el: Element) => {
    for (const child of el.children) {
      if (!isElement(child)) continue;
      if (child.name === 'tr') rows.push(child);
      else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') walk(child);
    }
  };
  walk(table);
  return rows;
}

function cellsOf(tr: Element): Element[] {
  return tr.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'));
}

function isLayoutTable(table: Element): boolean {
  return findAll(table, (el) => el.name === 'table').length > 1;
}

function span(el: Element, name: string): number {
  const n = Number.parseInt(attr(el, name) ?? '1', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_SPAN) : 1;
}

/** Expands rowspan/colspan into a grid; spanned positions repeat the text with origin=false. */
export function tableGrid(table: Element): Cell[][] {
  const grid: Cell[][] = [];
  rowsOf(table).forEach((tr, r) => {
    grid[r] ??= [];
    let c = 0;
    for (const td of cellsOf(tr)) {
      while (grid[r][c]) c++;
      const text = elementText(td);
      const rs = span(td, 'rowspan');
      const cs = span(td, 'colspan');
      for (let dr = 0; dr < rs; dr++) {
        const row = (grid[r + dr] ??= []);
        for (let dc = 0; dc < cs; dc++) row[c + dc] = { text, origin: dr === 0 && dc === 0 };
      }
      c += cs;
    }
  });
  // Holes left by malformed spans become empty non-origin cells.
  return grid.map((row) => Array.from(row ?? [], (cell) => cell ?? { text: '', origin: false }));
}

// ---------------------------------------------------------------------------------------------
// Flow → blocks

function linearize(article: Element): Block[] {
  const blocks: Block[] = [];
  let line: string[] = [];
  let paragraphs = 0;
  let tables = 0;
  const flush = () => {
    const text = cleanText(line.join(''));
    line = [];
    if (text) blocks.push({ kind: 'text', text, at: `paragraph ${++paragraphs}` });
  };
  const walk = (node: ChildNode) => {
    if (node.type === 'text') {
      line.push(node.data);
      return;
    }
    if (!isElement(node) || SKIP.has(node.name)) return;
    if (node.name === 'table' && !isLayoutTable(node)) {
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

export function readHtml(html: string, format = 'html'): DocumentModel {
  const dom = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  // A fragment without <html>/<body> gets a synthetic root so every walk starts at an Element.
  const root = new Element('root', {}, dom.children);
  const meta = readMeta(root);
  const body = findAll(root, (el) => el.name === 'body')[0] ?? root;
  const article = findArticle(body);
  const blocks = linearize(article);
  const headline = findHeadline(body, article);
  if (headline && !blocks.some((b) => b.kind === 'text' && b.text.includes(headline))) {
    blocks.unshift({ kind: 'text', text: headline, at: 'headline' });
  }
  return { format, meta, blocks };
}
