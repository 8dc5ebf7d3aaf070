/**
 * What a PDF-to-markdown converter writes for a published PDF (shanghai-stcsm-2024.pdf.md):
 * prose wrapped at the page width with spaces around numbers and the title over two lines;
 * the tables as markdown pipe tables cut into pieces — a new piece, with its own `|---|` line,
 * wherever the number of cells in a row changes or loose text or a page footer interrupts;
 * row labels too long for their cell detached from their numbers and printed as loose lines
 * before or after them, leaving rows of numbers only; group labels ((三)不予公开,
 * 三、本年度办理结果) broken into fragments mixed into those lines; header cells broken
 * mid-word (商业企 / 业); table 2's sub-tables partly as loose lines, partly as pipe tables
 * moved after them; table 4's fifteen numbers as one row under a mangled header; now and
 * then a row total the conversion lost (listed as unreadable in the truth).
 */
import { tableDef, type Layout } from '../model/codes.ts';
import type { Chrome } from './damage.ts';
import { ACCOUNTING_NOTE, APPLICANT_HEADER, APPLICATION_LABELS, OUTCOME_BLOCK_LABEL, proactiveBlocks, styleLabel, type LabelStyle } from './labels.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import { spaceNumbers, wrap } from './render-pdf.ts';
import type { ValueText } from './render-text.ts';

export interface MdLook {
  /** Characters per prose line. */
  width: number;
  /** Characters per title line. */
  titleWidth: number;
  /** Width of table 3's item label cell: longer labels wrap and are detached from their numbers. */
  labelWidth: number;
  /** Width of the group label cell: （三）不予公开 → （三）不 / 予公开. */
  groupWidth: number;
  /** Width of an applicant header cell: 商业企业 → 商业企 / 业. */
  headerWidth: number;
  spacedNumbers: boolean;
  /** The converter's "正文" line before the title. */
  bodyMarker: boolean;
  /** Table 2's multi-column sub-tables printed after the section's loose lines. */
  proactiveTablesLast: boolean;
  /** "## 表二：…" lines before the tables. */
  captions: boolean;
  /** An empty column the converter found right of the table. */
  trailingCell: boolean;
  /** A group's detached labels printed together before the group, not each beside its row. */
  clustered: boolean;
  linesPerPage: number;
  footer: 'dash' | 'emdash' | 'of' | 'bare';
  /** Table 3 rows whose total the conversion lost. */
  droppedTotals: string[];
  /** Table 4's mangled header form. */
  reviewHeader: number;
}

export interface MdDoc {
  blocks: Block[];
  layout: Layout;
  labels: LabelStyle;
  value: ValueText;
  chrome?: Chrome | null;
}

export interface MdRendered {
  text: string;
  quirks: string[];
  /** "table.row.column" of cells the conversion lost. */
  unreadable: string[];
}

/** A line of text, or a table row the converter turns into a pipe row. */
type Entry = { kind: 'line'; text: string } | { kind: 'row'; cells: string[] } | { kind: 'break' };

const width = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);

/** Cuts text into pieces of at most n characters. */
function chunks(text: string, n: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += n) out.push(chars.slice(i, i + n).join(''));
  return out;
}

const FOOTERS: Record<MdLook['footer'], (page: number, pages: number) => string> = {
  dash: (p) => `- ${p} -`,
  emdash: (p) => `— ${p} —`,
  of: (p, n) => `第 ${p} 页 共 ${n} 页`,
  bare: (p) => String(p),
};

/** Table 4's header as converters mangle it: the header rows' words squeezed onto lines, some as a row. */
const REVIEW_HEADERS: readonly { lines: string[]; row: string[] }[] = [
  {
    lines: ['行政复议行政诉讼', '未经复议直接起诉复议后起诉', '结果结果其他尚未', '总计', '总计总计', '维持纠正结果审结维持纠正结果审结'],
    row: ['维持', '纠正', '结果', '审结', '结果', '结果', '其他', '尚未', '结果', '结果', '其他', '尚未'],
  },
  {
    lines: ['行政复议', '行政诉讼', '未经复议直接起诉复议后起诉'],
    row: ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
  },
  {
    lines: ['行政复议行政诉讼', '结果结果其他尚未未经复议直接起诉复议后起诉', '总计'],
    row: ['维持', '纠正', '结果', '审结', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
  },
];
export const REVIEW_HEADER_FORMS = REVIEW_HEADERS.length;

function proactiveEntries(doc: MdDoc, look: MdLook, quirks: Set<string>): Entry[] {
  const def = tableDef('proactive', doc.layout);
  const inPlace: Entry[] = [];
  const last: Entry[] = [];
  let captioned = false;
  for (const block of proactiveBlocks(doc.layout, doc.labels)) {
    inPlace.push({ kind: 'line', text: block.article });
    const values = (code: string) => def.rows.find((r) => r.code === code)!.columns.map((c) => doc.value('proactive', code, c.code));
    if (block.header.length === 1) {
      // One value column: the converter saw text, not a table.
      inPlace.push({ kind: 'line', text: `信息内容${block.header[0]}` });
      for (const r of block.rows) inPlace.push({ kind: 'line', text: `${r.label} ${values(r.code).join(' ')}` });
      continue;
    }
    const target = look.proactiveTablesLast ? last : inPlace;
    if (look.captions && !captioned) {
      target.push({ kind: 'line', text: '## 表二：主动公开政府信息情况' });
      captioned = true;
      quirks.add('md_caption');
    }
    target.push({ kind: 'row', cells: ['信息内容', ...block.header] });
    for (const r of block.rows) target.push({ kind: 'row', cells: [r.label, ...values(r.code)] });
  }
  if (look.proactiveTablesLast && last.length) quirks.add('md_table_moved');
  return [...inPlace, ...last];
}

function applicationsEntries(rng: Rng, doc: MdDoc, look: MdLook, quirks: Set<string>, unreadable: string[]): Entry[] {
  const def = tableDef('applications', doc.layout);
  const cols = def.rows[0].columns.map((c) => c.code);
  const H = APPLICANT_HEADER;
  const out: Entry[] = [];

  // The header: the accounting note broken where the 法人或其他组织 cell sits beside it, the
  // applicant kinds broken mid-word, their first halves on one line, the rest as a row.
  const note = doc.labels.halfWidthBrackets ? ACCOUNTING_NOTE.replace('（', '(').replace('）', ')') : ACCOUNTING_NOTE;
  const cut = rng.int(12, note.length - 10);
  const heads = H.kinds.map((k) => (k.length > look.headerWidth ? [k.slice(0, look.headerWidth), k.slice(look.headerWidth)] : [k, '']));
  const outcomeWord = OUTCOME_BLOCK_LABEL.slice(2);
  const outcomeBits = chunks(outcomeWord, 2);
  const headerLines = [H.applicants, `${note.slice(0, cut)}${H.orgs}`, note.slice(cut), `${H.natural}${H.total}`, heads.filter(([, b]) => b).map(([a]) => a).join('')];
  const loneKinds = heads.filter(([, b]) => !b).map(([a]) => a);
  if (loneKinds.length) headerLines.push(loneKinds.join(''));
  // The first piece of the vertical 本年度办理结果 often lands among the header's lines.
  if (rng.chance(0.5)) headerLines.push(outcomeBits.shift()!);
  for (const text of headerLines) out.push({ kind: 'line', text });
  if (look.captions) {
    out.push({ kind: 'line', text: '## 表三：收到和处理政府信息公开申请情况' });
    quirks.add('md_caption');
  }
  const rowWidth = 1 + cols.length + (look.trailingCell ? 1 : 0);
  const tails = heads.map(([, b]) => b).filter(Boolean);
  out.push({ kind: 'row', cells: [...tails, ...new Array<string>(Math.max(0, rowWidth - tails.length)).fill('')] });
  quirks.add('md_header_broken');

  // Each row: its cells, and the loose lines printed before and after it.
  const dropped = new Set(look.droppedTotals);
  const plans = def.rows.map((r) => {
    const { group, label: template } = APPLICATION_LABELS[r.code];
    const label = styleLabel(template, doc.labels);
    const numbers = cols.map((c) => (c === 'total' && dropped.has(r.code) ? '' : doc.value('applications', r.code, c)));
    if (dropped.has(r.code)) unreadable.push(`applications.${r.code}.total`);
    const right = look.trailingCell ? [...numbers, ''] : numbers;
    // Intake rows and the total sit in a cell three columns wide, ungrouped outcome rows in two.
    const wide = r.group === 'intake' || r.group === 'total';
    const room = wide ? look.labelWidth * 2 : group ? look.labelWidth : look.labelWidth + look.groupWidth;
    const parts = width(label) > room ? wrap(label, room) : null;
    return { code: r.code, outcome: !wide, group, label, numbers, cells: parts ? right : [label, ...right], parts, before: [] as string[], after: [] as string[] };
  });
  if (plans.some((p) => p.parts)) quirks.add('md_detached_labels');

  // Detached labels go before or after their numbers; a group's label, cut into fragments,
  // joins them — in a clustered look the whole group's labels are printed before it.
  const segments: (typeof plans)[] = [];
  for (const p of plans) {
    const last = segments[segments.length - 1];
    if (last && p.group && last[0].group === p.group) last.push(p);
    else segments.push([p]);
  }
  for (const seg of segments) {
    const detached = seg.filter((p) => p.parts);
    const host = detached[0] ?? seg[Math.floor((seg.length - 1) / 2)];
    if (look.clustered && seg[0].group) {
      host.before.push(...chunks(styleLabel(seg[0].group, doc.labels), look.groupWidth), ...detached.flatMap((p) => p.parts!));
      quirks.add('md_group_fragments');
      continue;
    }
    for (const p of detached) (rng.chance(0.6) ? p.before : p.after).push(...p.parts!);
    if (!seg[0].group) continue;
    quirks.add('md_group_fragments');
    const fragments = chunks(styleLabel(seg[0].group, doc.labels), look.groupWidth);
    const lines = host.before.length ? host.before : host.after.length ? host.after : host.before;
    if (lines.length && rng.chance(0.6)) fragments.forEach((g, k) => (k < lines.length ? (lines[k] = g + lines[k]) : lines.push(g)));
    else host.before.unshift(...fragments);
  }

  // 三、本年度办理结果: "三、" in a cell of its own or a line, the rest in pieces among the loose lines.
  const firstOutcome = plans.find((p) => p.outcome)!;
  if (!firstOutcome.parts && rng.chance(0.6)) firstOutcome.cells = ['三、', firstOutcome.label, ...firstOutcome.numbers];
  else firstOutcome.before.unshift('三、');
  // The pieces keep their order down the page: each lands at a later row than the one before.
  const outcomePlans = plans.filter((p) => p.outcome);
  const hosts = rng.shuffle(outcomePlans.map((_, i) => i)).slice(0, outcomeBits.length).sort((a, b) => a - b);
  for (const [k, bit] of outcomeBits.entries()) {
    const p = outcomePlans[hosts[k]];
    const lines = p.before.length ? p.before : p.after;
    if (lines.length && rng.chance(0.5)) lines[0] = bit + lines[0];
    else p.before.push(bit);
  }
  // A lost total sometimes turns up as a stray line nearby (stcsm's lone "1").
  for (const p of plans) if (dropped.has(p.code) && rng.chance(0.5)) p.before.push(doc.value('applications', p.code, 'total'));

  for (const p of plans) {
    for (const text of p.before) out.push({ kind: 'line', text });
    out.push({ kind: 'row', cells: p.cells });
    for (const text of p.after) out.push({ kind: 'line', text });
  }
  if (numbersOnlyRows(out)) quirks.add('md_numbers_only_rows');
  return out;
}

const numbersOnlyRows = (entries: Entry[]) => entries.some((e) => e.kind === 'row' && e.cells.every((c) => c === '' || /^[-\d.,—/]+$/.test(c)) && e.cells.some((c) => c !== ''));

function reviewEntries(doc: MdDoc, look: MdLook, quirks: Set<string>): Entry[] {
  const def = tableDef('review_litigation', doc.layout);
  const values = def.rows.flatMap((r) => r.columns.map((c) => doc.value('review_litigation', r.code, c.code)));
  const form = REVIEW_HEADERS[look.reviewHeader % REVIEW_HEADERS.length];
  quirks.add('md_table4_one_row');
  const out: Entry[] = form.lines.map((text) => ({ kind: 'line', text }));
  if (look.captions) out.push({ kind: 'line', text: '## 表四：政府信息公开行政复议、行政诉讼情况' });
  out.push({ kind: 'row', cells: form.row }, { kind: 'row', cells: values });
  return out;
}

/** Entries → markdown: pieces of rows with their |---| lines, footers every page. */
function toMarkdown(entries: Entry[], look: MdLook, quirks: Set<string>): string {
  // Pages: count printed lines; a footer goes in wherever a page ends, tables included.
  const paged: (Entry | { kind: 'footer'; page: number })[] = [];
  let onPage = 0;
  let page = 1;
  let inTable = false;
  for (const e of entries) {
    if (e.kind === 'break') {
      paged.push(e);
      continue;
    }
    paged.push(e);
    if (e.kind === 'row') inTable = true;
    else if (!e.text.startsWith('## ')) inTable = false;
    onPage++;
    if (onPage >= look.linesPerPage) {
      paged.push({ kind: 'footer', page: page++ });
      if (inTable) quirks.add('md_footer_in_table');
      onPage = 0;
    }
  }
  paged.push({ kind: 'footer', page });
  const pages = page;
  const lines: string[] = [];
  let piece: number | null = null; // cell count of the open piece
  let pieces = 0;
  for (const e of paged) {
    if (e.kind === 'row') {
      const row = `| ${e.cells.join(' | ')} |`;
      if (piece === e.cells.length) {
        lines.push(row);
        continue;
      }
      lines.push(row, `|${'---|'.repeat(e.cells.length)}`);
      piece = e.cells.length;
      pieces++;
      continue;
    }
    if (piece !== null) lines.push('');
    piece = null;
    if (e.kind === 'break') lines.push('');
    else if (e.kind === 'footer') lines.push(FOOTERS[look.footer](e.page, pages));
    else lines.push(e.text);
  }
  if (pieces > 3) quirks.add('md_split_table');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function renderMarkdownPdf(rng: Rng, doc: MdDoc, look: MdLook): MdRendered {
  const quirks = new Set<string>();
  const unreadable: string[] = [];
  const prose = (text: string) => (look.spacedNumbers ? spaceNumbers(text) : text);
  const chrome = doc.chrome ?? null;
  const entries: Entry[] = [];
  const line = (text: string) => entries.push({ kind: 'line', text });
  for (const text of chrome?.before ?? []) line(text);
  if (look.bodyMarker) line('正文');
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'title': {
        const lines = chrome?.titleLines ?? wrap(prose(b.text), look.titleWidth);
        if (lines.length > 1) quirks.add('title_wrapped');
        lines.forEach(line);
        for (const text of chrome?.meta ?? []) line(text);
        break;
      }
      case 'heading':
        entries.push({ kind: 'break' });
        line(prose(b.text));
        break;
      case 'subheading':
        line(prose(b.text));
        break;
      case 'para':
        wrap(prose(b.text), look.width).forEach(line);
        break;
      case 'table':
        if (b.table === 'proactive') entries.push(...proactiveEntries(doc, look, quirks));
        else if (b.table === 'applications') entries.push(...applicationsEntries(rng, doc, look, quirks, unreadable));
        else entries.push(...reviewEntries(doc, look, quirks));
        break;
    }
  }
  for (const text of chrome?.after ?? []) line(text);
  if (unreadable.length) quirks.add('md_dropped_cell');
  const text = toMarkdown(entries, look, quirks);
  return { text, quirks: [...quirks].sort(), unreadable };
}
