import { describe, expect, it } from 'vitest';
import { TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';
import { corpus, failingRules } from './helpers.ts';

describe('ground truth', () => {
  const reports = corpus();

  it('has tables shaped exactly as the layout defines them', () => {
    for (const { truth } of reports) {
      for (const t of TABLE_CODES) {
        const def = tableDef(t, truth.layout);
        const table = truth.tables[t]!;
        expect(Object.keys(table)).toEqual(def.rows.map((r) => r.code));
        for (const row of def.rows) expect(Object.keys(table[row.code])).toEqual(row.columns.map((c) => c.code));
      }
    }
  });

  it('holds every accounting rule in unbroken reports', () => {
    const unbroken = reports.filter((r) => r.truth.broken === null);
    expect(unbroken.length).toBeGreaterThan(2000);
    for (const { truth } of unbroken) expect(failingRules(truth.tables, truth.layout), truth.path).toEqual([]);
  });

  it('breaks exactly the recorded rule, in exactly the recorded instances, in broken reports', () => {
    const broken = corpus({ brokenShare: 1, limit: 800, seed: 5 });
    const seen = new Set<string>();
    for (const { truth } of broken) {
      const b = truth.broken!;
      expect(b, truth.path).not.toBeNull();
      seen.add(b.check);
      const expected = b.failing.map((f) => `${b.check}:${f.row ?? f.column}`).sort();
      expect(failingRules(truth.tables, truth.layout), truth.path).toEqual(expected);
      expect(b.table).toBe(b.check === 'review_sum' ? 'review_litigation' : 'applications');
      // Carried-over and carried-forward cells are never touched: carry-over across years stays true.
      for (const cell of b.cells) expect(cell).not.toMatch(/\.(carried_over|carried_forward)\./);
      // Broken reports print no blanks, so the broken rule is always assessable.
      expect(truth.blanks).toEqual([]);
    }
    expect([...seen].sort()).toEqual(['column_sum', 'identity', 'outcome_sum', 'review_sum']);
  });

  it('breaks about the configured share of reports, and none when the share is 0', () => {
    const share = reports.filter((r) => r.truth.broken).length / reports.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.07);
    expect(corpus({ brokenShare: 0, limit: 600 }).every((r) => r.truth.broken === null)).toBe(true);
  });

  it('records blank cells as null and lists each of them', () => {
    const withBlanks = reports.filter((r) => r.truth.blanks.length > 0);
    expect(withBlanks.length).toBeGreaterThan(20);
    for (const { truth } of reports) {
      const nulls: string[] = [];
      for (const t of TABLE_CODES) {
        for (const [row, cols] of Object.entries(truth.tables[t]!)) {
          for (const [col, v] of Object.entries(cols)) if (v === null) nulls.push(`${t}.${row}.${col}`);
        }
      }
      expect(nulls, truth.path).toEqual(truth.blanks);
    }
  });

  it('keeps counts whole and non-negative, amounts to two decimals, and only 本年增/减 signed', () => {
    // Half a million cells: collect what is off and assert once (an expect per cell costs a minute).
    const off: string[] = [];
    let checked = 0;
    for (const { truth } of reports) {
      for (const t of TABLE_CODES) {
        for (const row of tableDef(t, truth.layout).rows) {
          for (const c of row.columns) {
            const v = truth.tables[t]![row.code][c.code];
            if (v === null) continue;
            checked++;
            const where = `${truth.path} ${row.code}.${c.code} = ${v}`;
            if (Object.is(v, -0)) off.push(`${where}: -0`);
            if (c.kind === 'amount' ? Math.round(v * 100) / 100 !== v : !Number.isInteger(v)) off.push(`${where}: not a ${c.kind}`);
            if (c.kind !== 'signed' && v < 0) off.push(`${where}: negative`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(400_000);
    expect(off).toEqual([]);
  });

  it('uses the 2019 layout for 2019-2020 and the 2021 layout after, with a few laggards', () => {
    const later = reports.filter((r) => r.truth.year >= 2021);
    for (const { truth } of reports) if (truth.year < 2021) expect(truth.layout).toBe('2019');
    const laggards = later.filter((r) => r.truth.layout === '2019');
    expect(laggards.length / later.length).toBeGreaterThan(0.01);
    expect(laggards.length / later.length).toBeLessThan(0.06);
    for (const r of laggards) expect(r.truth.quirks).toContain('laggard_layout');
  });

  it('skews applications: many agencies get none, a few get hundreds or more, natural persons dominate', () => {
    const received = reports.map((r) => r.truth.tables.applications!.new_received);
    const totals = received.map((r) => r.total ?? 0);
    expect(totals.filter((x) => x === 0).length / totals.length).toBeGreaterThan(0.2);
    expect(totals.filter((x) => x >= 100).length).toBeGreaterThan(10);
    const natural = received.reduce((s, r) => s + (r.natural_person ?? 0), 0);
    const all = received.reduce((s, r) => s + (r.total ?? 0), 0);
    expect(natural / all).toBeGreaterThan(0.6);
    const withCases = reports.filter((r) => Object.values(r.truth.tables.review_litigation!).some((row) => (row.total ?? 0) > 0));
    expect(withCases.length / reports.length).toBeLessThan(0.35);
    expect(withCases.length).toBeGreaterThan(0);
  });

  it('names agencies of every kind, with a stable key, and some region summaries', () => {
    const kinds = new Set(reports.map((r) => r.truth.kind));
    expect([...kinds].sort()).toEqual(['department', 'general_office', 'government', 'township']);
    const summaries = reports.filter((r) => r.truth.scope === 'region_summary');
    expect(summaries.length).toBeGreaterThan(0);
    for (const { truth } of summaries) {
      expect(truth.kind).toBe('government');
      expect(truth.covers!.length).toBeGreaterThan(2);
    }
    for (const { truth } of reports) {
      expect(truth.agency_key).toMatch(new RegExp(`^${truth.region_code}/`));
      expect(truth.title).toContain(truth.agency);
      expect(truth.title).toContain(String(truth.year));
    }
    expect(reports.some((r) => r.truth.agency !== r.truth.agency_full)).toBe(true);
    expect(reports.some((r) => r.truth.kind !== 'township' && r.truth.agency.startsWith('洛阳市') && r.truth.region_code !== '410300')).toBe(true);
  });
});
