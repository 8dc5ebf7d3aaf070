/**
 * The text OCR gives for a scanned report: lines as the page shows them (prose wrapped at the
 * page width, a little uneven), table rows read left to right with the table's ruling lines
 * turned into characters between the cells (|, 丨, ｜, [, ]) or into wide gaps, and noise a
 * careful reader can undo: O/o for 0 and l/I for 1 in numbers, a stray . or , inside a count,
 * full-width digits, a space inside a number, look-alike characters (己/已, 末/未, 曰/日,
 * 人/入, 千/干), punctuation dropped or doubled, spaces inside the title. Now and then a cell
 * is a smudge no reader can read (listed as unreadable in the truth). The noise rates are the
 * look's; every number stays recoverable except the smudged cells.
 */
import { tableDef, type ColumnDef, type Layout, type TableCode } from '../model/codes.ts';
import type { Chrome } from './damage.ts';
import { ACCOUNTING_NOTE, APPLICANT_HEADER, APPLICATION_LABELS, OUTCOME_BLOCK_LABEL, REVIEW_HEADER, proactiveBlocks, styleLabel, type LabelStyle } from './labels.ts';
import type { Block } from './prose.ts';
import type { Rng } from './random.ts';
import { wrap } from './render-pdf.ts';
import type { ValueText } from './render-text.ts';

/** Noise rates: per digit, per number, per character, per punctuation mark. */
export interface OcrNoise {
  /** A 0 read as O or o, a 1 as l or I (per digit). */
  letterDigits: number;
  /** A number read in full-width digits (per number). */
  fullWidth: number;
  /** A space inside a number of three or more digits (per number). */
  innerSpace: number;
  /** A stray . or , inside a count (per number). */
  strayMark: number;
  /** A look-alike character for one that has one (per character). */
  lookAlike: number;
  /** A punctuation mark dropped or doubled (per mark). */
  punctuation: number;
  /** Share of reports with one or two smudged cells. */
  smudged: number;
}

/** Scan quality: a clean office scan, a typical one, a poor fax-like copy. */
export const OCR_NOISE: Record<'light' | 'medium' | 'heavy', OcrNoise> = {
  light: { letterDigits: 0.02, fullWidth: 0.01, innerSpace: 0.01, strayMark: 0.005, lookAlike: 0.01, punctuation: 0.01, smudged: 0.03 },
  medium: { letterDigits: 0.04, fullWidth: 0.03, innerSpace: 0.03, strayMark: 0.015, lookAlike: 0.03, punctuation: 0.03, smudged: 0.08 },
  heavy: { letterDigits: 0.1, fullWidth: 0.08, innerSpace: 0.06, strayMark: 0.04, lookAlike: 0.08, punctuation: 0.06, smudged: 0.2 },
};

export interface OcrLook {
  noise: OcrNoise;
  /** Characters per prose line, before the scan's own unevenness. */
  width: number;
  linesPerPage: number;
  /** What the table's ruling lines become between cells (each at least two spaces or a mark). */
  separators: readonly string[];
  /** Spaces OCR puts inside the title. */
  titleSpaces: number;
  /** Width of table 3's label cell: longer labels wrap onto the next line. */
  labelWidth: number;
}

/** Cell separators by how the scan shows its ruling lines. */
export const OCR_SEPARATORS: readonly (readonly [readonly string[], number])[] = [
  [['  ', '   ', '    '], 35],
  [[' | ', ' | ', '| ', ' |', '  '], 25],
  [[' 丨 ', ' 丨 ', ' | ', '   '], 15],
  [[' ｜ ', '｜', '  '], 10],
  [[' [ ', ' ] ', ' | ', '  '], 10],
  [[' ] ', '  ', ' [ '], 5],
];

/** Characters a Chinese OCR model confuses, both ways. */
export const LOOK_ALIKES: readonly (readonly [string, string])[] = [
  ['已', '己'],
  ['己', '已'],
  ['未', '末'],
  ['末', '未'],
  ['日', '曰'],
  ['人', '入'],
  ['入', '人'],
  ['干', '千'],
  ['千', '干'],
  ['土', '士'],
];
const LOOK_ALIKE = new Map(LOOK_ALIKES.map(([a, b]) => [a, b]));

const PUNCTUATION = new Set(['，', '。', '、', '：', '；', '（', '）']);
const SMUDGES = ['■', '□', '#', '?', '▇'];
const FULL_WIDTH = (ch: string) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0);

export interface OcrDoc {
  blocks: Block[];
  layout: Layout;
  labels: LabelStyle;
  value: ValueText;
  chrome?: Chrome | null;
}

export interface OcrRendered {
  text: string;
  quirks: string[];
  unreadable: string[];
}

class Noise {
  readonly used = new Set<string>();
  constructor(
    private rng: Rng,
    private n: OcrNoise,
  ) {}

  /** A printed number as OCR reads it; `kind` decides whether a stray mark can be undone. */
  number(text: string, kind: ColumnDef['kind'] | 'prose'): string {
    if (!/\d/.test(text)) return text;
    const { rng, n } = this;
    let s = text;
    if ((kind === 'count' || kind === 'signed') && rng.chance(n.strayMark)) {
      // Only where dropping the mark is the one integer reading: never "3.0" for 30.
      const spots: number[] = [];
      for (let i = 1; i <= s.length; i++) {
        if (!/\d/.test(s[i - 1])) continue;
        if (i < s.length && !/[1-9]/.test(s.slice(i))) continue;
        spots.push(i);
      }
      if (spots.length) {
        const at = rng.pick(spots);
        s = s.slice(0, at) + rng.pick(['.', ',', '.']) + s.slice(at);
        this.used.add('ocr_stray_mark');
      }
    }
    // A gap between two digits of the whole part (1 152), in numbers of three digits or more.
    const point = s.indexOf('.') < 0 ? s.length : s.indexOf('.');
    const gaps: number[] = [];
    for (let i = 1; i < point; i++) if (/\d/.test(s[i - 1]) && /\d/.test(s[i])) gaps.push(i);
    if (s.slice(0, point).replace(/\D/g, '').length >= 3 && gaps.length && rng.chance(n.innerSpace)) {
      const at = rng.pick(gaps);
      s = `${s.slice(0, at)} ${s.slice(at)}`;
      this.used.add('ocr_inner_space');
    }
    if (rng.chance(n.fullWidth)) {
      s = s.replace(/\d/g, FULL_WIDTH);
      this.used.add('ocr_fullwidth');
    }
    s = s.replace(/[01０１]/g, (d) => {
      if (!rng.chance(n.letterDigits)) return d;
      this.used.add('ocr_letter_digits');
      return d === '0' || d === '０' ? rng.pick(['O', 'o', 'O']) : rng.pick(['l', 'I', 'l']);
    });
    return s;
  }

  /** Look-alike characters and dropped or doubled punctuation in words. */
  words(text: string): string {
    const { rng, n } = this;
    let out = '';
    for (const ch of text) {
      const twin = LOOK_ALIKE.get(ch);
      if (twin && rng.chance(n.lookAlike)) {
        out += twin;
        this.used.add('ocr_look_alike');
      } else if (PUNCTUATION.has(ch) && rng.chance(n.punctuation)) {
        out += rng.chance(0.5) ? '' : ch + ch;
        this.used.add('ocr_punctuation');
      } else out += ch;
    }
    return out;
  }

  /** Prose: words noised, numbers read like table numbers. */
  prose(text: string): string {
    return this.words(text).replace(/\d+/g, (d) => this.number(d, 'prose'));
  }
}

/** Spaces inside the title, never inside a number. */
function spaceTitle(rng: Rng, title: string, spaces: number): string {
  const chars = [...title];
  for (let k = 0; k < spaces; k++) {
    const spots = chars.map((_, i) => i).filter((i) => i > 0 && !(/\d/.test(chars[i - 1]) && /\d/.test(chars[i])) && chars[i] !== ' ' && chars[i - 1] !== ' ');
    if (spots.length === 0) break;
    chars.splice(rng.pick(spots), 0, ' ');
  }
  return chars.join('');
}

export function renderOcr(rng: Rng, doc: OcrDoc, look: OcrLook): OcrRendered {
  const noise = new Noise(rng, look.noise);
  const quirks = new Set<string>(['ocr_noise']);
  const unreadable: string[] = [];
  const gap = () => rng.pick(look.separators);
  const joinCells = (cells: string[]) => cells.reduce((line, c, i) => (i === 0 ? c : line + gap() + c), '');
  if (look.separators.some((s) => /[|丨｜[\]]/.test(s))) quirks.add('ocr_table_lines');

  // Smudged cells: a share of scans loses one or two numbers of tables 3 and 4 to a blot.
  const smudged = new Set<string>();
  if (rng.chance(look.noise.smudged)) {
    const candidates = [
      ...tableDef('applications', doc.layout).rows.flatMap((r) => r.columns.map((c) => `applications.${r.code}.${c.code}`)),
      ...tableDef('review_litigation', doc.layout).rows.flatMap((r) => r.columns.map((c) => `review_litigation.${r.code}.${c.code}`)),
    ];
    for (let k = rng.int(1, 2); k > 0; k--) smudged.add(rng.pick(candidates));
  }
  const cell = (table: TableCode, row: string, column: ColumnDef): string => {
    const key = `${table}.${row}.${column.code}`;
    if (smudged.has(key)) {
      unreadable.push(key);
      quirks.add('ocr_smudge');
      return rng.pick(SMUDGES);
    }
    return noise.number(doc.value(table, row, column.code), column.kind);
  };

  const lines: string[] = [];
  const chrome = doc.chrome ?? null;
  lines.push(...(chrome?.before ?? []).map((l) => noise.words(l)));
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'title': {
        // Large type: OCR reads the title's characters right, but sees gaps between them.
        const titleLines = chrome?.titleLines ?? [b.text];
        lines.push(...titleLines.map((t) => spaceTitle(rng, t, Math.ceil(look.titleSpaces / titleLines.length))));
        if (look.titleSpaces > 0) quirks.add('title_spaced');
        lines.push(...(chrome?.meta ?? []).map((l) => noise.words(l)));
        break;
      }
      case 'heading':
      case 'subheading':
        lines.push(noise.words(b.text));
        break;
      case 'para':
        // A scan's lines are not all the same width.
        lines.push(...wrap(noise.prose(b.text), look.width + rng.int(-1, 1)));
        break;
      case 'table':
        if (b.table === 'proactive') lines.push(...proactiveLines(doc, noise, cell, joinCells));
        else if (b.table === 'applications') lines.push(...applicationsLines(rng, doc, look, noise, cell, joinCells));
        else lines.push(...reviewLines(doc, noise, cell, joinCells));
        break;
    }
  }
  lines.push(...(chrome?.after ?? []).map((l) => noise.words(l)));

  const out: string[] = [];
  let page = 1;
  for (let i = 0; i < lines.length; i += look.linesPerPage) {
    out.push(...lines.slice(i, i + look.linesPerPage), rng.pick([`- ${page} -`, `— ${page} —`, `-${page}-`]));
    page++;
  }
  for (const q of noise.used) quirks.add(q);
  return { text: out.join('\n') + '\n', quirks: [...quirks].sort(), unreadable };
}

type CellText = (table: TableCode, row: string, column: ColumnDef) => string;

function proactiveLines(doc: OcrDoc, noise: Noise, cell: CellText, join: (cells: string[]) => string): string[] {
  const def = tableDef('proactive', doc.layout);
  const out: string[] = [];
  for (const block of proactiveBlocks(doc.layout, doc.labels)) {
    out.push(noise.words(block.article));
    out.push(join(['信息内容', ...block.header].map((h) => noise.words(h))));
    for (const r of block.rows) {
      const columns = def.rows.find((x) => x.code === r.code)!.columns;
      out.push(join([noise.words(r.label), ...columns.map((c) => cell('proactive', r.code, c))]));
    }
  }
  return out;
}

function applicationsLines(rng: Rng, doc: OcrDoc, look: OcrLook, noise: Noise, cell: CellText, join: (cells: string[]) => string): string[] {
  const def = tableDef('applications', doc.layout);
  const H = APPLICANT_HEADER;
  const note = doc.labels.halfWidthBrackets ? ACCOUNTING_NOTE.replace('（', '(').replace('）', ')') : ACCOUNTING_NOTE;
  const cut = note.indexOf('，') + 1;
  const out = [
    H.applicants,
    join([note.slice(0, cut), H.orgs]),
    note.slice(cut),
    join([H.natural, H.total]),
    join(H.kinds.map((k) => (k.length > 3 && rng.chance(0.3) ? `${k.slice(0, 2)} ${k.slice(2)}` : k))),
  ].map((l) => noise.words(l));

  // Row by row; a group's label beside its middle row, 三、本年度办理结果 down the left edge.
  const outcomeRows = def.rows.filter((r) => r.group !== 'intake' && r.group !== 'total');
  const vertical = ['三、', ...OUTCOME_BLOCK_LABEL.slice(2)];
  const verticalStart = Math.max(0, Math.floor((outcomeRows.length - vertical.length) / 2));
  const groupRows = new Map<string, string[]>();
  for (const r of def.rows) {
    const g = APPLICATION_LABELS[r.code].group;
    if (g) groupRows.set(g, [...(groupRows.get(g) ?? []), r.code]);
  }
  for (const r of def.rows) {
    const { group, label } = APPLICATION_LABELS[r.code];
    const values = r.columns.map((c) => cell('applications', r.code, c));
    const parts = wrap(noise.words(styleLabel(label, doc.labels)), look.labelWidth);
    const lead: string[] = [];
    const k = outcomeRows.findIndex((x) => x.code === r.code) - verticalStart;
    if (k >= 0 && k < vertical.length) lead.push(vertical[k]);
    if (group) {
      const rows = groupRows.get(group)!;
      if (rows[Math.floor((rows.length - 1) / 2)] === r.code) lead.push(noise.words(styleLabel(group, doc.labels)));
    }
    const first = [...lead, parts[0]].join(' ');
    // A wrapped label: its numbers on the first line, or after the last piece.
    if (parts.length > 1 && rng.chance(0.4)) out.push(first, ...parts.slice(1, -1), join([parts[parts.length - 1], ...values]));
    else out.push(join([first, ...values]), ...parts.slice(1));
  }
  const rest = outcomeRows.length - verticalStart;
  if (rest < vertical.length) out.push(...vertical.slice(rest));
  return out;
}

function reviewLines(doc: OcrDoc, noise: Noise, cell: CellText, join: (cells: string[]) => string): string[] {
  const H = REVIEW_HEADER;
  const def = tableDef('review_litigation', doc.layout);
  return [
    join([H.review, H.litigation]),
    join([H.direct, H.after]),
    join([...H.results, ...H.results, ...H.results]),
    join(def.rows.flatMap((r) => r.columns.map((c) => cell('review_litigation', r.code, c)))),
  ].map((l, i) => (i < 3 ? noise.words(l) : l));
}
