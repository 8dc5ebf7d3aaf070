/**
 * Shared by the generator's tests: small corpora (cached per config within a test file), an
 * independent reading of the four accounting rules, and a crude reader that pulls the printed
 * numbers of the three tables back out of each style, to compare with the truth.
 */
import { APPLICANT_COLUMNS, APPLICANT_TYPES, TABLE_CODES, outcomeRows, tableDef, type Layout } from '../../pipeline/model/codes.ts';
import type { Tables } from '../../pipeline/model/record.ts';
import { planCorpus, synthConfig, type SynthReport, type SynthTruth } from '../../pipeline/synth/index.ts';
import type { SynthOptions } from '../../pipeline/synth/args.ts';

const cache = new Map<string, SynthReport[]>();

/** All reports of a small corpus: 河南省 from its first region on, by default 2,500 reports. */
export function corpus(options: Partial<Omit<SynthOptions, 'out'>> = {}): SynthReport[] {
  const o = { provinces: ['41'], years: [2019, 2024] as [number, number], seed: 11, limit: 2500, ...options };
  const key = JSON.stringify(o);
  let reports = cache.get(key);
  if (!reports) {
    reports = [...planCorpus(synthConfig(o)).reports()];
    cache.set(key, reports);
  }
  return reports;
}

const n = (x: number | null | undefined) => x ?? 0;

/** Failing rule instances as "rule:row-or-column", blanks read as 0 (they stand for zero cells). */
export function failingRules(tables: Tables, layout: Layout): string[] {
  const out: string[] = [];
  const apps = tables.applications!;
  const def = tableDef('applications', layout);
  for (const { code: c } of APPLICANT_COLUMNS) {
    if (n(apps.new_received[c]) + n(apps.carried_over[c]) !== n(apps.total_processed[c]) + n(apps.carried_forward[c])) out.push(`identity:${c}`);
    if (outcomeRows(def).reduce((s, r) => s + n(apps[r][c]), 0) !== n(apps.total_processed[c])) out.push(`outcome_sum:${c}`);
  }
  for (const row of def.rows) {
    if (APPLICANT_TYPES.reduce((s, c) => s + n(apps[row.code][c]), 0) !== n(apps[row.code].total)) out.push(`column_sum:${row.code}`);
  }
  for (const [row, r] of Object.entries(tables.review_litigation!)) {
    if (n(r.upheld) + n(r.corrected) + n(r.other) + n(r.pending) !== n(r.total)) out.push(`review_sum:${row}`);
  }
  return out.sort();
}

/** The printed values in template order, blanks left out. */
export function printedValues(truth: SynthTruth): number[] {
  const out: number[] = [];
  for (const t of TABLE_CODES) {
    for (const row of tableDef(t, truth.layout).rows) {
      for (const c of row.columns) {
        const v = truth.tables[t]![row.code][c.code];
        if (v !== null) out.push(v);
      }
    }
  }
  return out;
}

const NUMBER = /^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** The numbers a report prints in sections 二 to 四, read back from the text of its style. */
export function numbersInTables(report: SynthReport): number[] {
  const { text, truth } = report;
  let tokens: string[];
  if (truth.style.startsWith('html')) {
    tokens = [...text.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ').trim());
  } else {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.trim() === '二、主动公开政府信息情况');
    const end = lines.findIndex((l, i) => i > start && l.startsWith('五、'));
    const section = lines.slice(start + 1, end);
    switch (truth.style) {
      case 'text-tab':
        tokens = section.flatMap((l) => l.split('\t'));
        break;
      case 'text-pipe':
        tokens = section.flatMap((l) => l.split('|'));
        break;
      case 'text-cells':
        tokens = section;
        break;
      default:
        tokens = section.filter((l) => !/^=== page \d+ ===$/.test(l) && !/^- \d+ -$/.test(l)).flatMap((l) => l.split(' '));
    }
  }
  return tokens.map((t) => t.trim()).filter((t) => NUMBER.test(t)).map((t) => Number(t.replace(/,/g, '')));
}

/** Text with all whitespace removed, for finding phrases across PDF line breaks and spacing. */
export const squeeze = (s: string) => s.replace(/\s+/g, '');
