/**
 * The three tables as the template's HTML grid: rows of cells with rowspan/colspan, the way
 * the real pages (city-2025-standard.html, shanghai-general-office-2019.html) lay them out.
 * HTML renders the grid as it is; the pipe and one-cell-per-line copies flatten it.
 */
import { tableDef, type Layout, type TableCode } from '../model/codes.ts';
import {
  ACCOUNTING_NOTE,
  APPLICANT_HEADER,
  APPLICATION_LABELS,
  OUTCOME_BLOCK_LABEL,
  REVIEW_HEADER,
  proactiveBlocks,
  styleLabel,
  type LabelStyle,
} from './labels.ts';

export interface Cell {
  text: string;
  rs?: number;
  cs?: number;
  /** A printed number (or a blank standing for one), not a label. */
  value?: boolean;
  /** Header text the page breaks over two lines with <br>. */
  lines?: string[];
  /** For a value cell: the cell it prints, as "table.row.column". */
  key?: string;
}
export type Grid = Cell[][];

export interface GridOptions {
  layout: Layout;
  labels: LabelStyle;
  /** Header rows: spare empty cells under merged headers (city-2025) or rowspans (shanghai-2019). */
  header: 'empty-cells' | 'rowspan';
  /** 2019 table 2 on the five-column grid of the shanghai page, spans and all. */
  proactiveGrid: 'four' | 'five';
  /** The printed text of a cell ("" for a blank). */
  value: (table: TableCode, row: string, column: string) => string;
}

const v = (text: string, key: string, cs?: number): Cell => ({ text, value: true, key, ...(cs ? { cs } : {}) });

export function tableGrid(table: TableCode, o: GridOptions): Grid {
  if (table === 'proactive') return proactiveGrid(o);
  if (table === 'applications') return applicationsGrid(o);
  return reviewGrid(o);
}

function proactiveGrid(o: GridOptions): Grid {
  const rows: Grid = [];
  const five = o.layout === '2019' && o.proactiveGrid === 'five';
  const width = five ? 5 : 4;
  const def = tableDef('proactive', o.layout);
  for (const block of proactiveBlocks(o.layout, o.labels)) {
    rows.push([{ text: block.article, cs: width }]);
    const cols = (code: string) => def.rows.find((r) => r.code === code)!.columns.map((c) => c.code);
    if (five) {
      // shanghai-general-office-2019.html: the middle header spans two columns, the rows do not follow it.
      const h = block.header;
      if (h.length === 3) {
        rows.push([{ text: '信息内容' }, { text: h[0], lines: splitHeader(h[0]) }, { text: h[1], cs: 2, lines: splitHeader(h[1]) }, { text: h[2] }]);
      } else {
        rows.push([{ text: '信息内容' }, { text: h[0], cs: 2 }, { text: h[1], cs: 2 }]);
      }
      for (const r of block.rows) {
        const c = cols(r.code);
        const vals = c.map((col) => o.value('proactive', r.code, col));
        const k = c.map((col) => `proactive.${r.code}.${col}`);
        if (c.length === 3 && r.code.match(/regulations|normative/)) rows.push([{ text: r.label }, v(vals[0], k[0]), v(vals[1], k[1], 2), v(vals[2], k[2])]);
        else if (c.length === 3) rows.push([{ text: r.label }, v(vals[0], k[0], 2), v(vals[1], k[1]), v(vals[2], k[2])]);
        else rows.push([{ text: r.label }, v(vals[0], k[0], 2), v(vals[1], k[1], 2)]);
      }
      continue;
    }
    const h = block.header;
    if (h.length === 3) rows.push([{ text: '信息内容' }, ...h.map((t) => ({ text: t }))]);
    else if (h.length === 2) rows.push([{ text: '信息内容' }, { text: h[0] }, { text: h[1], cs: 2 }]);
    else rows.push([{ text: '信息内容' }, { text: h[0], cs: 3 }]);
    for (const r of block.rows) {
      const c = cols(r.code);
      const vals = c.map((col) => o.value('proactive', r.code, col));
      const k = c.map((col) => `proactive.${r.code}.${col}`);
      if (vals.length === 3) rows.push([{ text: r.label }, ...vals.map((x, i) => v(x, k[i]))]);
      else if (vals.length === 2) rows.push([{ text: r.label }, v(vals[0], k[0]), v(vals[1], k[1], 2)]);
      else rows.push([{ text: r.label }, v(vals[0], k[0], 3)]);
    }
  }
  return rows;
}

function splitHeader(text: string): string[] | undefined {
  return text.startsWith('本年新') ? ['本年新', text.slice(3)] : undefined;
}

function applicationsGrid(o: GridOptions): Grid {
  const def = tableDef('applications', o.layout);
  const cols = def.rows[0].columns.map((c) => c.code);
  const H = APPLICANT_HEADER;
  const rows: Grid = [];
  rows.push([{ text: ACCOUNTING_NOTE, cs: 3, rs: 3 }, { text: H.applicants, cs: 7 }]);
  if (o.header === 'rowspan') {
    rows.push([{ text: H.natural, rs: 2 }, { text: H.orgs, cs: 5 }, { text: H.total, rs: 2 }]);
    rows.push(H.kinds.map((t) => ({ text: t })));
  } else {
    rows.push([{ text: H.natural }, { text: H.orgs, cs: 5 }, { text: H.total }]);
    rows.push([{ text: '' }, ...H.kinds.map((t) => ({ text: t })), { text: '' }]);
  }
  const outcomeCount = def.rows.filter((r) => r.group !== 'intake').length;
  const groupSizes = new Map<string, number>();
  for (const r of def.rows) {
    const g = APPLICATION_LABELS[r.code].group;
    if (g) groupSizes.set(g, (groupSizes.get(g) ?? 0) + 1);
  }
  let seenOutcome = false;
  const seenGroups = new Set<string>();
  for (const r of def.rows) {
    const { group, label } = APPLICATION_LABELS[r.code];
    const values = cols.map((c) => v(o.value('applications', r.code, c), `applications.${r.code}.${c}`));
    const text = styleLabel(label, o.labels);
    if (r.group === 'intake') {
      rows.push([{ text, cs: 3 }, ...values]);
      continue;
    }
    const row: Cell[] = [];
    if (!seenOutcome) {
      row.push({ text: OUTCOME_BLOCK_LABEL, rs: outcomeCount });
      seenOutcome = true;
    }
    if (group) {
      if (!seenGroups.has(group)) {
        row.push({ text: styleLabel(group, o.labels), rs: groupSizes.get(group) });
        seenGroups.add(group);
      }
      row.push({ text });
    } else {
      row.push({ text, cs: 2 });
    }
    rows.push([...row, ...values]);
  }
  return rows;
}

function reviewGrid(o: GridOptions): Grid {
  const H = REVIEW_HEADER;
  const rows: Grid = [];
  rows.push([{ text: H.review, cs: 5 }, { text: H.litigation, cs: 10 }]);
  if (o.header === 'rowspan') {
    rows.push([...H.results.map((t) => ({ text: t, rs: 2 })), { text: H.direct, cs: 5 }, { text: H.after, cs: 5 }]);
    rows.push([...H.results, ...H.results].map((t) => ({ text: t })));
  } else {
    rows.push([...H.results.map((t) => ({ text: t })), { text: H.direct, cs: 5 }, { text: H.after, cs: 5 }]);
    rows.push([...H.results.map(() => ({ text: '' })), ...[...H.results, ...H.results].map((t) => ({ text: t }))]);
  }
  const def = tableDef('review_litigation', o.layout);
  rows.push(def.rows.flatMap((r) => r.columns.map((c) => v(o.value('review_litigation', r.code, c.code), `review_litigation.${r.code}.${c.code}`))));
  return rows;
}
