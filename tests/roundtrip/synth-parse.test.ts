/**
 * Round trip: the generator renders reports in every input style from its own templates; the
 * parser reads them back. Every cell must come back exactly (blank cells as null), metadata
 * must match, every deliberately broken rule must be caught, and a clean report must raise no
 * alarm. The generator never imports the parser, so neither can hide the other's mistakes.
 */
import { describe, expect, it } from 'vitest';
import { TABLE_CODES } from '../../pipeline/model/codes.ts';
import { isError, type ReportRecord } from '../../pipeline/model/record.ts';
import { parseReport } from '../../pipeline/parse/report.ts';
import { planCorpus, STYLES, synthConfig, type SynthReport } from '../../pipeline/synth/index.ts';

const ACCOUNTING = new Set(['identity', 'outcome_sum', 'column_sum', 'review_sum']);

/** Two slices of 河南省 with different seeds: cities and counties, 2019–2024. */
const reports: SynthReport[] = [
  ...planCorpus(synthConfig({ provinces: ['41'], years: [2019, 2024], seed: 3, brokenShare: 0.08, limit: 1200 })).reports(),
  ...planCorpus(synthConfig({ provinces: ['41'], years: [2021, 2024], seed: 4, brokenShare: 0.08, limit: 600 })).reports(),
];
const parsed = reports.map((r) => ({ report: r, record: parseReport(r.bytes, r.path) }));

describe('generated reports parse back to their ground truth', () => {
  it('the sample covers every style, both layouts, laggards, blanks and broken reports', () => {
    expect(new Set(reports.map((r) => r.truth.style))).toEqual(new Set(STYLES));
    expect(new Set(reports.map((r) => r.truth.layout))).toEqual(new Set(['2019', '2021']));
    expect(reports.some((r) => r.truth.year >= 2021 && r.truth.layout === '2019')).toBe(true);
    expect(reports.filter((r) => r.truth.blanks.length > 0).length).toBeGreaterThan(20);
    expect(new Set(reports.filter((r) => r.truth.broken).map((r) => r.truth.broken!.check))).toEqual(ACCOUNTING);
  });

  it('every file gives a record', () => {
    expect(parsed.filter((p) => isError(p.record)).map((p) => p.report.path)).toEqual([]);
  });

  it('every cell is exact, blanks are null', () => {
    const mismatches: string[] = [];
    for (const { report, record } of parsed) {
      const r = record as ReportRecord;
      for (const table of TABLE_CODES) {
        if (JSON.stringify(r.tables[table]) !== JSON.stringify(report.truth.tables[table])) mismatches.push(`${report.path} ${table} (${report.truth.style})`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agency, year, layout and the proactive-items figure match', () => {
    const wrong = parsed
      .map(({ report: { path, truth }, record }) => {
        const r = record as ReportRecord;
        return { path, got: [r.agency, r.year, r.layout, r.figures.proactive_items_published], want: [truth.agency, truth.year, truth.layout, truth.figures.proactive_items_published] };
      })
      .filter((x) => JSON.stringify(x.got) !== JSON.stringify(x.want));
    expect(wrong).toEqual([]);
  });

  it('every broken rule is caught, at the recorded place', () => {
    const missed: string[] = [];
    for (const { report, record } of parsed) {
      const broken = report.truth.broken;
      if (!broken) continue;
      const fails = (record as ReportRecord).checks.filter((c) => c.status === 'fail' && c.code === broken.check);
      const places = fails.map((c) => c.row ?? c.column);
      for (const f of broken.failing) if (!places.includes(f.row ?? f.column)) missed.push(`${report.path} ${broken.check} ${f.row ?? f.column}`);
    }
    expect(missed).toEqual([]);
    expect(parsed.filter((p) => p.report.truth.broken).length).toBeGreaterThan(50);
  });

  it('no false alarms: a clean report fails no accounting or narrative check', () => {
    const alarms = parsed
      .filter(({ report }) => !report.truth.broken)
      .flatMap(({ report, record }) => (record as ReportRecord).checks.filter((c) => c.status === 'fail').map((c) => `${report.path} ${c.code} ${c.row ?? c.column}`));
    expect(alarms).toEqual([]);
  });

  it('a broken report fails only the rule that was broken', () => {
    const extra = parsed
      .filter(({ report }) => report.truth.broken)
      .flatMap(({ report, record }) =>
        (record as ReportRecord).checks.filter((c) => c.status === 'fail' && ACCOUNTING.has(c.code) && c.code !== report.truth.broken!.check).map((c) => `${report.path} ${c.code}`),
      );
    expect(extra).toEqual([]);
  });
});
