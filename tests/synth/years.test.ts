import { describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS, REVIEW_COLUMNS } from '../../pipeline/model/codes.ts';
import type { SynthTruth } from '../../pipeline/synth/index.ts';
import { corpus } from './helpers.ts';

const n = (x: number | null | undefined) => x ?? 0;

/** Reports of one agency and scope, by year. */
function series(truths: SynthTruth[]): SynthTruth[][] {
  const groups = new Map<string, SynthTruth[]>();
  for (const t of truths) {
    const key = `${t.agency_key}#${t.scope}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.year - b.year));
}

describe('across years', () => {
  const truths = corpus().map((r) => r.truth);
  const groups = series(truths);

  it('carries forward into the next year exactly what that year carries over', () => {
    let pairs = 0;
    let nonzero = 0;
    for (const g of groups) {
      for (let i = 1; i < g.length; i++) {
        if (g[i].year !== g[i - 1].year + 1) continue;
        const forward = g[i - 1].tables.applications!.carried_forward;
        const over = g[i].tables.applications!.carried_over;
        for (const { code } of APPLICANT_COLUMNS) expect(n(over[code]), `${g[i].path} ${code}`).toBe(n(forward[code]));
        pairs++;
        if (n(forward.total) > 0) nonzero++;
      }
    }
    expect(pairs).toBeGreaterThan(1500);
    expect(nonzero).toBeGreaterThan(20);
  });

  it('keeps the documents in force running on (2021 layout) and the item catalogues (2019 layout)', () => {
    for (const g of groups) {
      for (let i = 1; i < g.length; i++) {
        const [a, b] = [g[i - 1], g[i]];
        if (b.year !== a.year + 1 || a.layout !== b.layout) continue;
        const [pa, pb] = [a.tables.proactive!, b.tables.proactive!];
        if (a.layout === '2021') {
          for (const row of ['regulations', 'normative_documents']) {
            if (pa[row].in_force === null || pb[row].in_force === null || pb[row].issued === null || pb[row].repealed === null) continue;
            expect(pb[row].in_force, `${b.path} ${row}`).toBe(pa[row].in_force! + pb[row].issued! - pb[row].repealed!);
          }
        } else {
          for (const row of ['licensing', 'other_services', 'punishment', 'coercion', 'fees']) {
            if (pa[row].prior_items === null || pa[row].change === null || pb[row].prior_items === null) continue;
            expect(pb[row].prior_items, `${b.path} ${row}`).toBe(pa[row].prior_items! + pa[row].change!);
          }
        }
      }
    }
  });

  it('makes a region summary the sum of the agencies it covers (where none of them is broken)', () => {
    const byKeyYear = new Map(truths.filter((t) => t.scope === 'agency').map((t) => [`${t.agency_key}/${t.year}`, t]));
    let checked = 0;
    for (const s of truths.filter((t) => t.scope === 'region_summary' && !t.broken)) {
      const parts = s.covers!.map((k) => byKeyYear.get(`${k}/${s.year}`));
      if (parts.some((p) => !p || p.broken)) continue;
      for (const row of ['new_received', 'carried_over', 'total_processed', 'carried_forward']) {
        for (const { code } of APPLICANT_COLUMNS) {
          const sum = parts.reduce((acc, p) => acc + n(p!.tables.applications![row][code]), 0);
          expect(n(s.tables.applications![row][code]), `${s.path} ${row}.${code}`).toBe(sum);
        }
      }
      for (const row of ['review', 'litigation_direct', 'litigation_after_review']) {
        for (const { code } of REVIEW_COLUMNS) {
          const sum = parts.reduce((acc, p) => acc + n(p!.tables.review_litigation![row][code]), 0);
          expect(n(s.tables.review_litigation![row][code])).toBe(sum);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });
});
