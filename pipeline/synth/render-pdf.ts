/**
 * Text as extracted from a published PDF (huaian-city-2024.pdf.txt): prose wrapped at the page
 * width with spaces around numbers, table rows as a label followed by space-separated numbers,
 * long labels wrapped with the row's numbers between or after label fragments, the vertical
 * group label 三、本年度办理结果 one character per line, `=== page N ===` markers and `- N -`
 * footers wherever the page breaks, tables included.
 */
import { tableDef, type Layout } from '../model/codes.ts';
import { ACCOUNTING_NOTE, APPLICATION_LABELS, OUTCOME_BLOCK_LABEL, proactiveBlocks, styleLabel, type LabelStyle } from './labels.ts';
import type { Chrome } from './damage.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import type { ValueText } from './render-text.ts';

export interface PdfLook {
  /** Characters per prose line (CJK counts 1, ASCII ½). */
  width: number;
  linesPerPage: number;
  /** Spaces between Chinese text and numbers, as PDF extraction leaves them. */
  spacedNumbers: boolean;
  /** huaian's scrambled multi-line table headers, or a tidier extraction. */
  scrambledHeaders: boolean;
}

export interface PdfDoc {
  blocks: Block[];
  layout: Layout;
  labels: LabelStyle;
  value: ValueText;
  /** A web page printed to PDF: its chrome printed with it. */
  chrome?: Chrome | null;
}

const NO_LINE_START = new Set(['，', '。', '、', '；', '：', '）', '》', '”', '」', '〕', '！', '？']);
const isAscii = (ch: string) => ch.charCodeAt(0) < 0x80;

export function spaceNumbers(text: string): string {
  return text.replace(/([^\x00-\x7f])(\d)/g, '$1 $2').replace(/(\d)([^\x00-\x7f])/g, '$1 $2');
}

/** Wraps at a display width without splitting a run of ASCII characters (a number). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  let i = 0;
  while (i < text.length) {
    let token = text[i];
    if (token !== ' ' && isAscii(token)) {
      let j = i + 1;
      while (j < text.length && isAscii(text[j]) && text[j] !== ' ') j++;
      token = text.slice(i, j);
    }
    const tw = isAscii(token[0]) ? token.length / 2 : 1;
    // Typesetters keep closing punctuation on the line it closes (kinsoku).
    if (w + tw > width && line.trim() !== '' && !NO_LINE_START.has(token)) {
      lines.push(line.trimEnd());
      line = token === ' ' ? '' : token;
      w = token === ' ' ? 0 : tw;
    } else {
      line += token;
      w += tw;
    }
    i += token.length;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

function proactiveLines(doc: PdfDoc): string[] {
  const def = tableDef('proactive', doc.layout);
  const out: string[] = [];
  for (const block of proactiveBlocks(doc.layout, doc.labels)) {
    out.push(block.article.replace('条第', '条 第'));
    out.push(['信息内容', ...block.header].join(' '));
    for (const r of block.rows) {
      const cols = def.rows.find((x) => x.code === r.code)!.columns;
      out.push([r.label, ...cols.map((c) => doc.value('proactive', r.code, c.code))].join(' '));
    }
  }
  return out;
}

function applicationsHeader(look: PdfLook): string[] {
  if (look.scrambledHeaders) {
    return [
      '申请人情况',
      '（本列数据的勾稽关系为：第一项加第二项之和， 法人或其他组织',
      '等于第三项加第四项之和）',
      '自然人 总计',
      '商业企 科研机 社会公益 法律服务',
      '其他',
      '业 构 组织 机构',
    ];
  }
  return [ACCOUNTING_NOTE, '申请人情况', '自然人 法人或其他组织 总计', '商业企业 科研机构 社会公益组织 法律服务机构 其他'];
}

/** The lines of one table 3 row: label fragments with the numbers after or between them. */
function rowLines(rng: Rng, label: string, numbers: string, width: number): string[] {
  const parts = wrap(label, width);
  if (parts.length === 1) return [`${parts[0]} ${numbers}`];
  if (parts.length === 2) return rng.chance(0.6) ? [parts[0], numbers, parts[1]] : [`${parts[0]} ${numbers}`, parts[1]];
  return [parts[0], `${parts[1]} ${numbers}`, ...parts.slice(2)];
}

function applicationsLines(rng: Rng, doc: PdfDoc, look: PdfLook): string[] {
  const def = tableDef('applications', doc.layout);
  const cols = def.rows[0].columns.map((c) => c.code);
  const out = applicationsHeader(look);
  const numbersOf = (row: string) => cols.map((c) => doc.value('applications', row, c)).join(' ');
  const labelWidth = rng.int(13, 16);

  // The outcome block: rows grouped, each group label split in two and set beside its rows.
  const outcome: { text: string; isRow: boolean }[] = [];
  const groups: { group?: string; rows: string[] }[] = [];
  for (const r of def.rows) {
    if (r.group === 'intake' || r.group === 'total') continue;
    const g = APPLICATION_LABELS[r.code].group;
    const last = groups[groups.length - 1];
    if (g && last?.group === g) last.rows.push(r.code);
    else groups.push({ group: g, rows: [r.code] });
  }
  for (const g of groups) {
    const rowsLines = g.rows.map((code) => rowLines(rng, styleLabel(APPLICATION_LABELS[code].label, doc.labels), numbersOf(code), labelWidth));
    if (g.group) {
      const label = styleLabel(g.group, doc.labels);
      const head = label.slice(0, 4);
      const tail = label.slice(4);
      if (rowsLines.length <= 3) {
        rowsLines[0][0] = `${head} ${rowsLines[0][0]}`;
        if (rowsLines.length > 1) rowsLines[1][0] = `${tail} ${rowsLines[1][0]}`;
        else rowsLines[0].push(tail);
      } else {
        const m = Math.floor((rowsLines.length - 1) / 2);
        rowsLines[m][0] = `${head} ${rowsLines[m][0]}`;
        rowsLines[m].push(tail);
      }
    }
    for (const lines of rowsLines) lines.forEach((text, i) => outcome.push({ text, isRow: i === 0 }));
  }
  // 三、本年度办理结果 printed vertically, one character (三、 together) per line or line start.
  const tokens = ['三、', ...OUTCOME_BLOCK_LABEL.slice(2).split('')];
  const start = Math.max(1, Math.floor(outcome.length / 2) - tokens.length);
  const withVertical: string[] = [];
  let t = 0;
  outcome.forEach((line, i) => {
    if (t < tokens.length && i >= start && (i - start) % 2 === 0) {
      if (line.isRow && rng.chance(0.4)) {
        withVertical.push(`${tokens[t++]} ${line.text}`);
        return;
      }
      withVertical.push(tokens[t++]);
    }
    withVertical.push(line.text);
  });
  while (t < tokens.length) withVertical.push(tokens[t++]);

  const intake = (code: string) => `${styleLabel(APPLICATION_LABELS[code].label, doc.labels)} ${numbersOf(code)}`;
  out.push(intake('new_received'), intake('carried_over'), ...withVertical, intake('total_processed'), intake('carried_forward'));
  return out;
}

function reviewLines(doc: PdfDoc, look: PdfLook): string[] {
  const def = tableDef('review_litigation', doc.layout);
  const values = def.rows.flatMap((r) => r.columns.map((c) => doc.value('review_litigation', r.code, c.code))).join(' ');
  const header = look.scrambledHeaders
    ? [
        '行政复议 行政诉讼',
        '未经复议直接起诉 复议后起诉',
        '结果 结果 其他结 尚未',
        '总计',
        '结 果 结果 其他 尚未 结果 结果 其他 尚未审',
        '维持 纠正 果 审结',
        '总计 总计',
        '维持 纠正 结果 审结 维持 纠正 结果 结',
      ]
    : [
        '行政复议 行政诉讼',
        '结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉',
        '结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计',
      ];
  return [...header, values];
}

export function renderPdfText(rng: Rng, doc: PdfDoc, look: PdfLook): string {
  const lines: string[] = [];
  const prose = (text: string) => (look.spacedNumbers ? spaceNumbers(text) : text);
  const chrome = doc.chrome ?? null;
  if (chrome) lines.push(...chrome.before);
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'title':
        lines.push(...(chrome?.titleLines ?? b.lines).map(prose));
        if (chrome) lines.push(...chrome.meta);
        break;
      case 'heading':
      case 'subheading':
        lines.push(prose(b.text));
        break;
      case 'para':
        lines.push(...wrap(prose(b.text), look.width));
        break;
      case 'table':
        if (b.table === 'proactive') lines.push(...proactiveLines(doc));
        else if (b.table === 'applications') lines.push(...applicationsLines(rng, doc, look));
        else lines.push(...reviewLines(doc, look));
        break;
    }
  }
  if (chrome) lines.push(...chrome.after);
  const out: string[] = [];
  let page = 0;
  for (let i = 0; i < lines.length; i += look.linesPerPage) {
    page++;
    out.push(`=== page ${page} ===`, ...lines.slice(i, i + look.linesPerPage), `- ${page} -`);
  }
  return out.join('\n') + '\n';
}

