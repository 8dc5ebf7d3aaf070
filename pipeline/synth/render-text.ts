/**
 * Plain-text copies of a report page: tab-separated like the jianxi copy (merged header cells
 * flattened over several lines, a row label pushed to the start of its line), `|`-separated
 * rows, and one cell per line.
 */
import { tableDef, type Layout, type TableCode } from '../model/codes.ts';
import type { Chrome } from './damage.ts';
import type { Grid } from './grid.ts';
import { ACCOUNTING_NOTE, APPLICANT_HEADER, APPLICATION_LABELS, OUTCOME_BLOCK_LABEL, REVIEW_HEADER, proactiveBlocks, styleLabel, type LabelStyle } from './labels.ts';
import type { Block } from './prose.ts';

export type ValueText = (table: TableCode, row: string, column: string) => string;

export interface TextDoc {
  blocks: Block[];
  grids: Record<TableCode, Grid>;
  layout: Layout;
  labels: LabelStyle;
  value: ValueText;
  /** The page's chrome copied along with the article, when it was. */
  chrome?: Chrome | null;
}

export interface TabLook {
  /** Put "3. 其他" at the start of its line, as the jianxi copy does. */
  pushedLabel: boolean;
  /** "结果 维持": the line break inside a header cell copied as a space. */
  spacedReviewHeader: boolean;
  /** Blank line between blocks (the jianxi copy has one). */
  blankLines: boolean;
}

function proseLines(b: Block, chrome: Chrome | null): string[] {
  switch (b.kind) {
    case 'title':
      return chrome ? [...(chrome.titleLines ?? [b.text]), ...chrome.meta] : [b.text];
    case 'heading':
    case 'subheading':
    case 'para':
      return [b.text];
    case 'table':
      return [];
  }
}

function assemble(doc: TextDoc, table: (t: TableCode) => string[], blankLines: boolean, leading = ''): string {
  const chrome = doc.chrome ?? null;
  const parts: string[] = [];
  // A copy that starts with the page's breadcrumb starts right there, without blank lines.
  if (chrome?.before.length) parts.push(chrome.before.join('\n'));
  for (const b of doc.blocks) {
    const lines = b.kind === 'table' ? table(b.table) : proseLines(b, chrome);
    parts.push(lines.join('\n'));
  }
  if (chrome?.after.length) parts.push(chrome.after.join('\n'));
  return (chrome?.before.length ? '' : leading) + parts.join(blankLines ? '\n\n' : '\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Tab-separated (jianxi-district-office-2023.txt)

function tabProactive(doc: TextDoc): string[] {
  const def = tableDef('proactive', doc.layout);
  const lines: string[] = [];
  const pad = (cells: string[]) => [...cells, '', '', '', ''].slice(0, 4).join('\t');
  for (const block of proactiveBlocks(doc.layout, doc.labels)) {
    lines.push(pad([block.article]));
    lines.push(pad(['信息内容', ...block.header]));
    for (const r of block.rows) {
      const cols = def.rows.find((x) => x.code === r.code)!.columns;
      lines.push(pad([r.label, ...cols.map((c) => doc.value('proactive', r.code, c.code))]));
    }
  }
  return lines;
}

function tabApplications(doc: TextDoc, look: TabLook): string[] {
  const def = tableDef('applications', doc.layout);
  const cols = def.rows[0].columns.map((c) => c.code);
  const H = APPLICANT_HEADER;
  const note = doc.labels.halfWidthBrackets ? ACCOUNTING_NOTE.replace('（', '(').replace('）', ')') : ACCOUNTING_NOTE;
  const lines = [
    `${note}\t\t${H.applicants}\t\t\t\t\t\t${H.total}\t`,
    `\t\t${H.natural}\t${H.orgs}\t\t\t\t\t\t`,
    `\t\t\t${H.kinds.join('\t')}\t\t`,
  ];
  const seen = new Set<string>();
  let first = true;
  for (const r of def.rows) {
    const values = cols.map((c) => doc.value('applications', r.code, c)).join('\t');
    const { group, label } = APPLICATION_LABELS[r.code];
    const text = styleLabel(label, doc.labels);
    if (r.group === 'intake' || r.group === 'total') {
      lines.push(`${text}\t\t${values}\t`);
      continue;
    }
    const lead = first ? OUTCOME_BLOCK_LABEL : '';
    first = false;
    if (!group) {
      lines.push(`${lead}\t${text}\t${values}\t`);
      continue;
    }
    const groupText = seen.has(group) ? '' : styleLabel(group, doc.labels);
    seen.add(group);
    const isLast = r.code === 'other_other';
    if (isLast && look.pushedLabel) lines.push(`${text}\t\t${values}\t`);
    else lines.push(`${lead}\t${groupText}\t${text}\t${values}`);
  }
  return lines;
}

function tabReview(doc: TextDoc, look: TabLook): string[] {
  const H = REVIEW_HEADER;
  const results = H.results.map((t) => (look.spacedReviewHeader && t.length === 4 ? `${t.slice(0, 2)} ${t.slice(2)}` : t));
  const def = tableDef('review_litigation', doc.layout);
  const values = def.rows.flatMap((r) => r.columns.map((c) => doc.value('review_litigation', r.code, c.code)));
  return [
    `${H.review}\t\t\t\t\t${H.litigation}\t\t\t\t\t\t\t\t\t`,
    `${results.join('\t')}\t${H.direct}\t\t\t\t\t${H.after}\t\t\t\t`,
    `\t\t\t\t\t${results.join('\t')}\t${results.join('\t')}`,
    values.join('\t'),
  ];
}

export function renderTab(doc: TextDoc, look: TabLook): string {
  const table = (t: TableCode) => (t === 'proactive' ? tabProactive(doc) : t === 'applications' ? tabApplications(doc, look) : tabReview(doc, look));
  return assemble(doc, table, look.blankLines, look.blankLines ? '\n\n' : '');
}

// ---------------------------------------------------------------------------------------------
// `|`-separated rows and one cell per line: the HTML grid flattened row by row

export interface PipeLook {
  outerPipes: boolean;
  blankLines: boolean;
}

export function renderPipe(doc: TextDoc, look: PipeLook): string {
  const table = (t: TableCode) =>
    doc.grids[t].map((row) => {
      const cells = row.map((c) => c.text);
      return look.outerPipes ? `| ${cells.join(' | ')} |` : cells.join('|');
    });
  return assemble(doc, table, look.blankLines);
}

export function renderCells(doc: TextDoc, look: { blankLines: boolean }): string {
  const table = (t: TableCode) => doc.grids[t].flatMap((row) => row.map((c) => c.text));
  return assemble(doc, table, look.blankLines);
}
