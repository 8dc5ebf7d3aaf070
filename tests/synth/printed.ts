/**
 * What a generated PDF shows, read with poppler's pdftotext (independent of the parser): the
 * numbers between section 二 and section 五 in reading order, a number wrapped inside its cell
 * (its remainder centred directly below it, one line down) joined back into one, and the
 * browser's page header (which repeats the title and its year) left out. Compared with the truth:
 * every value the truth calls readable, in template order, and nothing else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';
import type { SynthTruth } from '../../pipeline/synth/index.ts';

export const pdftotextAvailable = () => spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0;

interface Word {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

export function pdfWords(path: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const words: Word[] = [];
  let page = 0;
  for (const m of xml.matchAll(/<page |<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0] === '<page ') page++;
    else words.push({ page, x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: unescape(m[5]) });
  }
  return words;
}

/** Words grouped into lines (same page, tops within 2 pt), top to bottom, each left to right. */
function lines(words: Word[]): Word[][] {
  const sorted = [...words].sort((a, b) => a.page - b.page || a.y0 - b.y0 || a.x0 - b.x0);
  const out: Word[][] = [];
  for (const w of sorted) {
    const last = out.at(-1);
    if (last && last[0].page === w.page && Math.abs(last[0].y0 - w.y0) < 2) last.push(w);
    else out.push([w]);
  }
  return out.map((l) => l.sort((a, b) => a.x0 - b.x0));
}

/** A number as printed, or a piece of one wrapped in its cell ("2,84" over "2"). */
const NUMBER = /^-?\d[\d,]*(\.\d+)?$/;
const squeeze = (s: string) => s.replace(/\s+/g, '');

export interface Printed {
  /** Expected values the PDF does not show. */
  missing: number[];
  /** Number words in the tables that no expected value accounts for. */
  extra: string[];
  /** How many values are wrapped inside their cell (the rest of the number on a line below). */
  wrapped: number;
}

/**
 * Finds the expected values among the tables' number words, in reading order, each within the
 * next few words not used yet (a row whose cells wrap prints its first pieces a line above the
 * rest): a word equal to the value that does not start a wrapped value still to come, else the
 * start of the value with the rest printed one line below it, inside its horizontal extent.
 * `missing` are the values not found, `extra` the number words no value accounts for.
 */
export function printedTables(path: string, title: string, expected: readonly number[]): Printed {
  const all = lines(pdfWords(path)).filter((l) => !squeeze(l.map((w) => w.text).join('')).includes(squeeze(title)));
  const start = all.findIndex((l) => l[0].text.startsWith('二、主动公开'));
  const four = all.findIndex((l) => l[0].text.startsWith('四、政府信息公开行政复议'));
  const after = all.slice(four + 1).findIndex((l) => /^[五六]、/.test(l[0].text));
  const region = all.slice(start, after < 0 ? undefined : four + 1 + after);
  const words = region.flatMap((l) => l.filter((w) => NUMBER.test(w.text)));
  const used = new Set<number>();
  const digits = (t: string) => t.replace(/,/g, '');
  /** Word i joined with the pieces below it that continue `want`, or null. */
  const wrap = (i: number, want: string): number[] | null => {
    const pieces = [i];
    let text = words[i].text;
    while (want.length > digits(text).length && want.startsWith(digits(text))) {
      const above = words[pieces.at(-1)!];
      const h = above.y1 - above.y0;
      const j = words.findIndex((n, k) => !used.has(k) && !pieces.includes(k) && n.page === above.page && n.y0 - above.y0 > h / 2 && n.y0 - above.y0 < 2 * h && n.x0 >= above.x0 - 1 && n.x1 <= above.x1 + 1 && want.startsWith(digits(text + n.text)));
      if (j < 0) break;
      pieces.push(j);
      text += words[j].text;
    }
    return pieces.length > 1 && digits(text) === want ? pieces : null;
  };
  const missing: number[] = [];
  let wrapped = 0;
  expected.forEach((v, k) => {
    const want = String(v);
    const open = words.map((_, i) => i).filter((i) => !used.has(i)).slice(0, 16);
    const coming = expected.slice(k + 1, k + 17).map(String);
    const joined = open.map((i) => wrap(i, want)).find((p) => p !== null);
    const exact = open.filter((i) => asNumber(words[i].text) === v);
    const plain = exact.find((i) => !coming.some((c) => wrap(i, c)));
    const pieces = plain !== undefined ? [plain] : (joined ?? exact.slice(0, 1));
    if (!pieces.length) missing.push(v);
    for (const i of pieces) used.add(i);
    if (pieces.length > 1) wrapped++;
  });
  const extra = words.filter((_, i) => !used.has(i)).map((w) => w.text);
  return { missing, extra, wrapped };
}

/** The values the truth says a reader can read, as numbers, in template order (blanks left out). */
export function readableValues(truth: SynthTruth): number[] {
  const gone = new Set(truth.unreadable ?? []);
  const out: number[] = [];
  for (const t of TABLE_CODES) {
    for (const row of tableDef(t, truth.layout).rows) {
      for (const c of row.columns) {
        const v = truth.tables[t]![row.code][c.code];
        if (v !== null && !gone.has(`${t}.${row.code}.${c.code}`)) out.push(v);
      }
    }
  }
  return out;
}

export const asNumber = (s: string) => Number(s.replace(/,/g, ''));
