/**
 * A report saved as JSON: what a crawler writes for a page — its fields (标题, url, 发布时间,
 * 来源) and its body as HTML or text. The body is the longest string field that reads as a
 * report (markup, or the report's own words); the fields named like a title, an address, a date
 * or a publisher become the page's metadata. Which field is which is data (FIELDS), not code.
 */
import { InputError } from '../errors.ts';
import { decode } from './decode.ts';
import type { DocumentMeta, DocumentModel } from './document.ts';
import { readHtml } from './html.ts';
import { readText } from './text.ts';

/** Field names → metadata, matched on the field's own name. */
const FIELDS: [RegExp, keyof DocumentMeta][] = [
  [/^(?:title|标题|name|doc_?title)$/i, 'title'],
  [/^(?:url|link|href|source_?url|page_?url|原文链接|链接|网址)$/i, 'url'],
  [/^(?:published(?:_?at)?|publish_?(?:time|date)|pub_?date|date|time|发布(?:时间|日期)|日期)$/i, 'published_at'],
  [/^(?:publisher|source|site|发布机构|来源)$/i, 'publisher'],
];

const MARKUP = /<\s*(?:html|body|table|div|p|span|br)[\s>/]/i;
const REPORT_WORDS = /政府信息公开|年度报告|总体情况|主动公开/;
/** Strings shorter than this are fields, not a report's body. */
const MIN_BODY = 200;

interface Leaf {
  key: string;
  value: string;
}

function leaves(value: unknown, key: string, out: Leaf[], depth: number): void {
  if (depth > 8 || out.length > 10_000) return;
  if (typeof value === 'string') out.push({ key, value });
  else if (Array.isArray(value)) value.forEach((v) => leaves(v, key, out, depth + 1));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, k, out, depth + 1);
}

const DATE = /(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})/;

export function readJson(bytes: Uint8Array, format = 'json'): DocumentModel {
  let data: unknown;
  const text = decode(bytes).text.replace(/^\ufeff/, '');
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError('unreadable', `not valid JSON: ${(err as Error).message}`);
  }
  const all: Leaf[] = [];
  leaves(data, '', all, 0);
  const bodies = all.filter((l) => l.value.length >= MIN_BODY && (MARKUP.test(l.value) || REPORT_WORDS.test(l.value)));
  if (!bodies.length) throw new InputError('not_a_report', 'a JSON file with no field holding a report (no long text or HTML naming 政府信息公开)');
  const body = bodies.reduce((a, b) => (b.value.length > a.value.length ? b : a));
  const doc = MARKUP.test(body.value) ? readHtml(body.value, format) : readText(body.value, format);
  const meta: DocumentMeta = {};
  for (const { key, value } of all) {
    const field = FIELDS.find(([re]) => re.test(key))?.[1];
    const v = value.trim();
    if (!field || !v || v.length > 300 || meta[field]) continue;
    if (field === 'published_at') {
      const m = DATE.exec(v);
      if (m) meta.published_at = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    } else meta[field] = v;
  }
  return { ...doc, format, meta: { ...meta, ...doc.meta } };
}
