/**
 * The figures behind the reports, kept in one layout-free form per agency and year, then
 * projected onto the table the report prints. Each agency's years are drawn in order so that
 * what one year carries forward is what the next year carries over, normative documents in
 * force and the 2019 layout's item catalogues run on from year to year, and a region summary
 * is the sum of its agencies.
 */
import {
  APPLICANT_TYPES,
  REVIEW_COLUMNS,
  TABLE_CODES,
  tableDef,
  type Layout,
  type TableCode,
} from '../model/codes.ts';
import type { Agency } from './agencies.ts';
import { Rng } from './random.ts';

/** Table 3 rows in the 2021 layout; the 2019 layout prints other_* as one other_handling row. */
export const APPLICATION_ROWS_2021: readonly string[] = tableDef('applications', '2021').rows.map((r) => r.code);
const OUTCOME_ROWS_2021 = tableDef('applications', '2021')
  .rows.filter((r) => r.group !== 'intake' && r.group !== 'total')
  .map((r) => r.code);
export const OTHER_ROWS_2021 = ['other_no_correction', 'other_fee_unpaid', 'other_other'];
export const REVIEW_ROWS = tableDef('review_litigation', '2021').rows.map((r) => r.code);

/** One agency's (or one region's) figures for a year, for every cell of either layout. */
export interface YearFacts {
  year: number;
  /** Table 3, 2021 rows: six applicant columns then the total. */
  applications: Record<string, number[]>;
  /** Table 2, "row.column" of both layouts; amounts in hundredths of 万元 so sums stay exact. */
  proactive: Record<string, number>;
  /** Table 4: upheld, corrected, other, pending, total. */
  review: Record<string, number[]>;
  /** Items proactively published, as section 一 states them. */
  items: number;
}

/** The printed form: table → row → column → value (null where the report prints a blank). */
export type PrintedTables = Record<TableCode, Record<string, Record<string, number | null>>>;

/** Requests grow to 2022, then ease: a mild national trend. */
const YEAR_TREND: Record<number, number> = { 2019: 0.8, 2020: 0.9, 2021: 1, 2022: 1.08, 2023: 1.02, 2024: 0.97 };
const trendOf = (year: number) => YEAR_TREND[year] ?? 1;

/** How handled applications end, by 2021 outcome row (relative weights). */
const OUTCOME_WEIGHTS: Record<string, number> = {
  granted: 30,
  partially_granted: 8,
  denied_state_secret: 0.2,
  denied_prohibited_by_law: 0.5,
  denied_security_stability: 0.3,
  denied_third_party: 1.5,
  denied_internal_affairs: 1,
  denied_process_info: 1,
  denied_enforcement_file: 1,
  denied_admin_query: 2,
  unavailable_not_held: 28,
  unavailable_needs_creation: 3,
  unavailable_unclear: 1.5,
  not_processed_petition: 4,
  not_processed_repeat: 3,
  not_processed_publication: 0.3,
  not_processed_mass_repeat: 1,
  not_processed_confirmation: 0.5,
  other_no_correction: 3,
  other_fee_unpaid: 0.4,
  other_other: 6,
};

/** Who applies: natural persons dominate. Order of APPLICANT_TYPES. */
const APPLICANT_WEIGHTS = [0.88, 0.06, 0.002, 0.006, 0.026, 0.026];

function noisy(rng: Rng, weights: readonly number[], sd: number): number[] {
  return weights.map((w) => w * Math.exp(sd * rng.normal()));
}

/** Draws an agency's figures for each year, in order. */
export function agencySeries(seed: number, agency: Agency, years: readonly number[]): YearFacts[] {
  const p = agency.profile;
  const mix = new Rng(seed, 'mix', agency.key);
  const applicantMix = noisy(mix, APPLICANT_WEIGHTS, 0.5);
  if (agency.department?.code === 'natural-resources' || agency.department?.code === 'housing' || agency.department?.code === 'market') {
    applicantMix[1] *= 2.5;
  }
  const outcomeMix = noisy(
    mix,
    OUTCOME_ROWS_2021.map((r) => OUTCOME_WEIGHTS[r]),
    0.6,
  );
  const pendingRate = p.apps >= 30 ? mix.logUniform(0.01, 0.08) : p.apps >= 3 ? mix.logUniform(0.005, 0.05) : 0.01;
  const repealRate = mix.logUniform(0.01, 0.08);

  // Running state, from the end of the year before the first.
  const carry = new Array<number>(6).fill(0);
  if (p.apps >= 2) {
    const start = mix.poisson(p.apps * trendOf(years[0] - 1) * pendingRate * 1.5);
    mix.multinomial(start, applicantMix).forEach((n, i) => (carry[i] = n));
  }
  let regulationsInForce = p.regulations ? (agency.tier === 'province' ? mix.int(150, 320) : mix.int(15, 90)) : 0;
  let normativeInForce = Math.round(p.docs * mix.logUniform(2, 9));
  const catalogue = {
    licensing: p.licensing > 0 ? Math.round(Math.sqrt(p.licensing) * mix.logUniform(2, 8)) + 3 : 0,
    other_services: agency.kind === 'township' ? mix.int(0, 12) : mix.int(0, 60),
    punishment: p.punishment > 0 ? Math.round(Math.sqrt(p.punishment) * mix.logUniform(4, 30)) + 5 : 0,
    coercion: p.coercion > 0 ? mix.int(2, 40) : 0,
    fees: p.fees > 0 ? mix.int(1, 15) : 0,
  };
  const feesWhole = mix.chance(0.5);

  const out: YearFacts[] = [];
  for (const year of years) {
    const rng = new Rng(seed, 'year', agency.key, year);
    const trend = trendOf(year);

    // Table 3.
    const received = rng.poisson(p.apps * trend * Math.exp(0.25 * rng.normal()));
    const newReceived = rng.multinomial(received, applicantMix);
    const carriedOver = carry.slice();
    const forward = new Array<number>(6).fill(0);
    const outcomes: Record<string, number[]> = {};
    for (const row of OUTCOME_ROWS_2021) outcomes[row] = new Array<number>(6).fill(0);
    for (let c = 0; c < 6; c++) {
      const available = newReceived[c] + carriedOver[c];
      forward[c] = rng.binomial(available, pendingRate);
      const split = rng.multinomial(available - forward[c], outcomeMix);
      OUTCOME_ROWS_2021.forEach((row, i) => (outcomes[row][c] = split[i]));
    }
    const processed = new Array<number>(6).fill(0);
    for (const row of OUTCOME_ROWS_2021) for (let c = 0; c < 6; c++) processed[c] += outcomes[row][c];
    const withTotal = (v: number[]) => [...v, v.reduce((s, x) => s + x, 0)];
    const applications: Record<string, number[]> = {};
    for (const row of APPLICATION_ROWS_2021) {
      const v =
        row === 'new_received'
          ? newReceived
          : row === 'carried_over'
            ? carriedOver
            : row === 'total_processed'
              ? processed
              : row === 'carried_forward'
                ? forward
                : outcomes[row];
      applications[row] = withTotal(v);
    }
    for (let c = 0; c < 6; c++) carry[c] = forward[c];

    // Table 4: mostly nothing; busy agencies see a few cases.
    const reviews = rng.poisson(received * p.review) + (rng.chance(0.012) ? 1 : 0);
    const direct = rng.poisson(received * p.review * 0.3) + (rng.chance(0.004) ? 1 : 0);
    const afterReview = rng.binomial(reviews, 0.2);
    const resultSplit = (n: number) => {
      const v = rng.multinomial(n, [0.5, 0.12, 0.23, 0.15]);
      return [...v, n];
    };
    const review = { review: resultSplit(reviews), litigation_direct: resultSplit(direct), litigation_after_review: resultSplit(afterReview) };

    // Table 2, both layouts.
    const proactive: Record<string, number> = {};
    const regIssued = p.regulations ? rng.poisson(agency.tier === 'province' ? 8 : 2.5) : 0;
    const regRepealed = p.regulations ? Math.min(regulationsInForce, rng.binomial(regulationsInForce, 0.03)) : 0;
    regulationsInForce += regIssued - regRepealed;
    const docIssued = rng.poisson(p.docs);
    const cleanup = rng.chance(0.08) ? 0.25 : repealRate;
    const docRepealed = rng.binomial(normativeInForce, cleanup);
    normativeInForce += docIssued - docRepealed;
    proactive['regulations.issued'] = regIssued;
    proactive['regulations.repealed'] = regRepealed;
    proactive['regulations.in_force'] = regulationsInForce;
    proactive['normative_documents.issued'] = docIssued;
    proactive['normative_documents.repealed'] = docRepealed;
    proactive['normative_documents.in_force'] = normativeInForce;
    proactive['regulations.made'] = regIssued;
    proactive['regulations.published'] = regIssued;
    proactive['regulations.total_public'] = regulationsInForce;
    proactive['normative_documents.made'] = docIssued;
    proactive['normative_documents.published'] = docIssued > 0 && rng.chance(0.1) ? docIssued - 1 : docIssued;
    proactive['normative_documents.total_public'] = normativeInForce;

    const decisions = (scale: number) => (scale > 0 ? rng.poisson(scale * trend * Math.exp(0.3 * rng.normal())) : 0);
    proactive['licensing.decisions'] = decisions(p.licensing);
    proactive['punishment.decisions'] = decisions(p.punishment);
    proactive['coercion.decisions'] = decisions(p.coercion);
    proactive['other_services.decisions'] = catalogue.other_services > 0 ? decisions(catalogue.other_services * 3) : 0;
    let fees = p.fees > 0 ? Math.round(p.fees * rng.logUniform(0.6, 1.6) * 100) : 0;
    if (feesWhole) fees = Math.round(fees / 100) * 100;
    proactive['fees.amount_10k_yuan'] = fees;

    for (const row of ['licensing', 'other_services', 'punishment', 'coercion', 'fees'] as const) {
      const prior = catalogue[row];
      // (0 - prior would give -0 for an empty catalogue: keep zeros positive.)
      const change = prior === 0 && rng.chance(0.9) ? 0 : Math.max(prior === 0 ? 0 : -prior, rng.int(-3, 4));
      proactive[`${row}.prior_items`] = prior;
      proactive[`${row}.change`] = change;
      catalogue[row] = prior + change;
    }
    const procurementItems = rng.poisson(p.procurement);
    proactive['procurement.items'] = procurementItems;
    proactive['procurement.amount_10k_yuan'] = procurementItems > 0 ? Math.round(procurementItems * rng.logUniform(3, 120) * 100) : 0;

    const items = Math.max(1, Math.round(p.items * rng.logUniform(0.8, 1.25)));
    out.push({ year, applications, proactive, review, items });
  }
  return out;
}

/** A region summary: every cell summed over the agencies it covers. */
export function sumFacts(year: number, parts: readonly YearFacts[]): YearFacts {
  const applications: Record<string, number[]> = {};
  for (const row of APPLICATION_ROWS_2021) applications[row] = new Array<number>(7).fill(0);
  const review: Record<string, number[]> = {};
  for (const row of REVIEW_ROWS) review[row] = new Array<number>(5).fill(0);
  const proactive: Record<string, number> = {};
  let items = 0;
  for (const f of parts) {
    for (const row of APPLICATION_ROWS_2021) f.applications[row].forEach((v, i) => (applications[row][i] += v));
    for (const row of REVIEW_ROWS) f.review[row].forEach((v, i) => (review[row][i] += v));
    for (const [k, v] of Object.entries(f.proactive)) proactive[k] = (proactive[k] ?? 0) + v;
    items += f.items;
  }
  return { year, applications, proactive, review, items };
}

/** The tables a report in `layout` prints, every cell a number. */
export function printedTables(facts: YearFacts, layout: Layout): PrintedTables {
  const out = {} as PrintedTables;
  for (const table of TABLE_CODES) {
    const t: Record<string, Record<string, number | null>> = {};
    for (const row of tableDef(table, layout).rows) {
      const r: Record<string, number | null> = {};
      row.columns.forEach((col, i) => {
        if (table === 'proactive') {
          const raw = facts.proactive[`${row.code}.${col.code}`] ?? 0;
          r[col.code] = col.kind === 'amount' ? raw / 100 : raw;
        } else if (table === 'applications') {
          const values =
            row.code === 'other_handling'
              ? OTHER_ROWS_2021.reduce((acc, code) => acc.map((v, j) => v + facts.applications[code][j]), new Array<number>(7).fill(0))
              : facts.applications[row.code];
          r[col.code] = values[i];
        } else {
          r[col.code] = facts.review[row.code][i];
        }
      });
      t[row.code] = r;
    }
    out[table] = t;
  }
  return out;
}

export const APPLICANT_CODES = APPLICANT_TYPES;
export const REVIEW_CODES = REVIEW_COLUMNS.map((c) => c.code);
