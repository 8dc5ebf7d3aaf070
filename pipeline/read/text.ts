/**
 * Plain text → document model. Real text copies of reports come as:
 * - web pages copied as text: cells separated by tabs (a run of tab lines is one table);
 * - `|`-separated dumps (Markdown-like, separator rows skipped);
 * - one cell per line, and text extracted from PDFs: these stay lines of text, and the table
 *   parser reads their labels and numbers in order;
 * - a crawler's dump with a metadata header (标题:, 原文链接:, …) above a 正文 separator.
 * PDF page markers (=== page N ===) and page footers (- 3 -, 第3页 共6页) are dropped.
 */
import { cleanText, type Block, type DocumentMeta, type DocumentModel, type Cell } from './document.ts';

const PAGE_MARK = /^=+\s*page\s*\d+\s*=+$/i;
export const PAGE_FOOTER = /^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;
const BODY_SEPARATOR = /^=+\s*正文\s*=+$/;
const PIPE_RULE = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/** Crawler metadata keys → DocumentMeta fields. Add a key as one row. */
const META_KEYS: [RegExp, keyof DocumentMeta][] = [
  [/^(标题|title)$/i, 'title'],
  [/^(原文链接|链接|网址|url|source)$/i, 'url'],
  [/^(发布时间|发布日期|日期|published)$/i, 'published_at'],
  [/^(发布机构|来源|publisher)$/i, 'publisher'],
];

function readMetaHeader(lines: string[]): { meta: DocumentMeta; bodyStart: number } {
  const sep = lines.findIndex((l, i) => i < 40 && BODY_SEPARATOR.test(l.trim()));
  if (sep < 0) return { meta: {}, bodyStart: 0 };
  const meta: DocumentMeta = {};
  for (const line of lines.slice(0, sep)) {
    const m = /^\s*([^:：]{1,12})\s*[:：]\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = META_KEYS.find(([re]) => re.test(m[1].trim()))?.[1];
    const value = m[2].trim();
    if (field && value && !meta[field]) meta[field] = value;
  }
  return { meta, bodyStart: sep + 1 };
}

/** Numbers a wide gap separates inside one |-cell (OCR text): two cells, not one number. */
const WIDE_GAP_BETWEEN_NUMBERS = /(?<=[0-9０-９OoIl.,])[ \u00a0\u3000]{2,}(?=[0-9０-９OoIl-])/;

function splitRow(line: string): Cell[] | null {
  if (line.includes('\t')) return line.split('\t').map((t) => ({ text: cleanText(t), origin: true }));
  const trimmed = line.trim();
  if ((trimmed.match(/\|/g)?.length ?? 0) >= 2) {
    // "| a | b |" has outer pipes; "a|b||" has none, and its trailing pipe ends an empty cell.
    const outer = trimmed.startsWith('|') && trimmed.endsWith('|');
    const inner = outer ? trimmed.slice(1, -1) : trimmed;
    return inner
      .split('|')
      .flatMap((t) => (WIDE_GAP_BETWEEN_NUMBERS.test(t) ? t.trim().split(/[ \u00a0\u3000]{2,}/) : [t]))
      .map((t) => ({ text: cleanText(t), origin: true }));
  }
  return null;
}

export function readText(text: string, format = 'text'): DocumentModel {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { meta, bodyStart } = readMetaHeader(lines);
  const blocks: Block[] = [];
  let table: { rows: Cell[][]; at: string[] } | null = null;
  const closeTable = () => {
    if (table) blocks.push({ kind: 'table', rows: table.rows, at: table.at });
    table = null;
  };

  for (let i = bodyStart; i < lines.length; i++) {
    const raw = lines[i];
    const line = cleanText(raw);
    const at = `line ${i + 1}`;
    if (!line) {
      closeTable();
      continue;
    }
    if (PAGE_MARK.test(line) || PAGE_FOOTER.test(line)) continue;
    if (PIPE_RULE.test(line)) continue;
    const cells = splitRow(raw);
    if (cells) {
      table ??= { rows: [], at: [] };
      table.rows.push(cells);
      table.at.push(at);
      continue;
    }
    closeTable();
    blocks.push({ kind: 'text', text: line, at });
  }
  closeTable();
  return { format, meta, blocks };
}
