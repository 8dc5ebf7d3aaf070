/**
 * A release made by another parser is compared with the new one report by report, every cell,
 * in slices of consecutive reports (derive.ts). Planted differences in the previous release, in
 * reports of different slices, come out as exactly those changed cells — a cell changed, a cell
 * only in the new release, a cell only in the previous one — and nothing else, over 130
 * generated reports in slices of 40 (four slices; a real build's slices hold 4,000 reports).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { runSynth } from '../../pipeline/synth/index.ts';

const SLICE_REPORTS = 40;

let first: string;
let duck: Awaited<ReturnType<typeof openDuck>>;
const sql = <T>(text: string) => query<T>(duck.connection, text);

interface Planted {
  report_id: string;
  source_path: string;
}
let picked: Planted[];
let summary: BuildSummary;
let out: string;

beforeAll(async () => {
  duck = await openDuck(':memory:');
  // The previous release: a first build's tables, said to be made by another parser.
  out = mkdtempSync(join(tmpdir(), 'gongkai-slices-'));
  const corpus = join(out, 'corpus');
  await runSynth({ out: corpus, provinces: ['41'], years: [2019, 2024], seed: 12, limit: 130 });
  first = (await build({ inputs: [corpus], out: join(out, 'first'), cacheDir: null, sliceReports: SLICE_REPORTS })).dir;
  const releases = join(out, 'releases');
  mkdirSync(releases);
  const previous = join(releases, '2000-01-01.1');
  mkdirSync(previous);
  for (const f of ['reports', 'proactive', 'review_litigation']) copyFileSync(join(first, `${f}.parquet`), join(previous, `${f}.parquet`));
  const info = JSON.parse(readFileSync(join(first, 'release.json'), 'utf8'));
  writeFileSync(join(previous, 'release.json'), JSON.stringify({ ...info, software: { ...info.software, parser: 'another parser' } }));
  symlinkSync('2000-01-01.1', join(releases, 'latest'));

  // One report from each slice: the first, one past the first slice, the last.
  const reports = await sql<Planted & { pos: number }>(
    `SELECT report_id, source_path, file_row_number::INTEGER AS pos FROM read_parquet('${join(first, 'reports.parquet')}', file_row_number = true) ORDER BY pos`,
  );
  picked = [reports[0], reports[SLICE_REPORTS + 10], reports[reports.length - 1]];
  const [a, b, c] = picked.map((p) => `'${p.report_id}'`);
  // a: new_received/total changed; b: carried_over/total absent before; c: a cell only the previous release has.
  await duck.connection.run(`
    COPY (
      SELECT * REPLACE (CASE WHEN report_id = ${a} AND row = 'new_received' AND "column" = 'total' THEN value + 1000 ELSE value END AS value)
      FROM read_parquet('${join(first, 'applications.parquet')}')
      WHERE NOT (report_id = ${b} AND row = 'carried_over' AND "column" = 'total')
      UNION ALL
      SELECT * REPLACE ('withdrawn' AS row, 7 AS value) FROM read_parquet('${join(first, 'applications.parquet')}')
      WHERE report_id = ${c} AND row = 'granted' AND "column" = 'total'
    ) TO '${join(previous, 'applications.parquet')}' (FORMAT parquet)`);

  summary = await build({ inputs: [corpus], out: releases, cacheDir: null, sliceReports: SLICE_REPORTS });
}, 600_000);

afterAll(() => {
  duck.connection.closeSync();
  duck.instance.closeSync();
  rmSync(out, { recursive: true, force: true });
});

describe('changes against a release made by another parser', () => {
  it('compares every report and finds exactly the planted cells, in every slice', async () => {
    expect(summary.changes).toMatchObject({ same_parser: false, compared: summary.reports, reports_added: 0, reports_removed: 0, cells_changed: 3, reports_changed: 3 });
    expect(summary.reports).toBeGreaterThan(2 * SLICE_REPORTS);
    const rows = await sql<{ report_id: string; row: string; column: string; old_value: number | null; new_value: number | null }>(
      `SELECT report_id, row, "column", old_value, new_value FROM read_parquet('${join(summary.dir, 'changes.parquet')}') ORDER BY source_path`,
    );
    const value = async (report: string, row: string) =>
      (await sql<{ v: number }>(`SELECT value AS v FROM read_parquet('${join(first, 'applications.parquet')}') WHERE report_id = '${report}' AND row = '${row}' AND "column" = 'total'`))[0].v;
    const [a, b, c] = picked.map((p) => p.report_id);
    const now = { a: await value(a, 'new_received'), b: await value(b, 'carried_over') };
    expect(rows).toEqual([
      { report_id: a, row: 'new_received', column: 'total', old_value: now.a + 1000, new_value: now.a },
      { report_id: b, row: 'carried_over', column: 'total', old_value: null, new_value: now.b },
      { report_id: c, row: 'withdrawn', column: 'total', old_value: 7, new_value: null },
    ]);
  });
});
