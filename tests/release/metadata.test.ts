/**
 * The release's metadata — datapackage.json, DATA_DICTIONARY.md, release.json, CITATION.cff and
 * SHA256SUMS — against the files on disk, read back with DuckDB; and two builds of the same
 * inputs at different times, which must differ only in their version and build time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICANT_COLUMNS, CHECKS, LAYOUTS, TABLE_CODES, tableDef } from '../../pipeline/model/codes.ts';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { parserFingerprint } from '../../pipeline/release/cache.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import type { QualityReport } from '../../pipeline/release/quality.ts';
import { TABLES } from '../../pipeline/release/schema.ts';
import { listFiles } from '../../pipeline/release/write.ts';
import { runSynth } from '../../pipeline/synth/index.ts';

interface Field {
  name: string;
  type: string;
  title: string;
  description: string;
  constraints?: { required?: boolean; enum?: string[] };
}
interface Resource {
  name: string;
  path: string | string[];
  format: string;
  mediatype: string;
  encoding?: string;
  bytes: number;
  hash?: string;
  parts?: { path: string; year: number; bytes: number; hash: string }[];
  partitioning?: { style: string; fields: Field[] };
  schema: { fields: Field[]; primaryKey?: string[]; foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[] };
}
interface DataPackage {
  profile: string;
  name: string;
  version: string;
  created: string;
  licenses: { name: string }[];
  resources: Resource[];
}

const NOW_A = new Date('2026-04-01T09:30:00Z');
const EXCEL_ROWS = 2000;
const NOW_B = new Date('2026-05-02T10:00:00Z');

let tmp: string;
let a: BuildSummary;
let b: BuildSummary;
let pkg: DataPackage;
let duck: Awaited<ReturnType<typeof openDuck>>;

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DUCK_TO_FRICTIONLESS: Record<string, string> = { VARCHAR: 'string', INTEGER: 'integer', SMALLINT: 'integer', BIGINT: 'integer', DOUBLE: 'number', BOOLEAN: 'boolean' };

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'gongkai-metadata-'));
  await runSynth({ out: join(tmp, 'synth'), provinces: ['41'], years: [2019, 2024], seed: 11, limit: 150 });
  mkdirSync(join(tmp, 'bad'));
  writeFileSync(join(tmp, 'bad', 'empty.html'), '');
  const inputs = ['data/reports/real', join(tmp, 'synth'), join(tmp, 'bad')];
  // by-year/ files cut at 2,000 rows here (Excel's limit in a real build), so parts are made.
  a = await build({ inputs, out: join(tmp, 'a'), cacheDir: null, now: NOW_A, excelRows: EXCEL_ROWS });
  b = await build({ inputs, out: join(tmp, 'b'), cacheDir: null, now: NOW_B, excelRows: EXCEL_ROWS });
  pkg = JSON.parse(read(a.dir, 'datapackage.json')) as DataPackage;
  duck = await openDuck(':memory:');
});

afterAll(() => {
  duck?.connection.closeSync();
  duck?.instance.closeSync();
  rmSync(tmp, { recursive: true, force: true });
});

const resource = (name: string) => {
  const r = pkg.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};

async function parquetColumns(file: string): Promise<{ name: string; type: string }[]> {
  const rows = await query<{ column_name: string; column_type: string }>(duck.connection, `DESCRIBE SELECT * FROM read_parquet('${file}', hive_partitioning = false)`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

describe('datapackage.json', () => {
  it('is a data package named gongkai with the version and build time', () => {
    expect(pkg).toMatchObject({ profile: 'data-package', name: 'gongkai', version: a.version, created: NOW_A.toISOString() });
    expect(a.version).toMatch(/^2026-04-01\.\d+$/);
    expect(pkg.licenses.length).toBeGreaterThan(0);
  });

  it('lists every data file written, with its size and sha256', () => {
    const data = listFiles(a.dir).filter((f) => /\.(csv|parquet)$/.test(f.path));
    const listed = pkg.resources.flatMap((r) => (Array.isArray(r.path) ? r.path : [r.path]));
    expect([...listed].sort()).toEqual(data.map((f) => f.path).sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const r of pkg.resources) {
      if (Array.isArray(r.path)) {
        expect(r.parts!.map((p) => p.path)).toEqual(r.path);
        for (const p of r.parts!) {
          expect(p.bytes, p.path).toBe(statSync(join(a.dir, p.path)).size);
          expect(p.hash, p.path).toBe(`sha256:${sha256(join(a.dir, p.path))}`);
        }
        expect(r.bytes).toBe(r.parts!.reduce((s, p) => s + p.bytes, 0));
      } else {
        expect(r.bytes, r.path).toBe(statSync(join(a.dir, r.path)).size);
        expect(r.hash, r.path).toBe(`sha256:${sha256(join(a.dir, r.path))}`);
      }
    }
  });

  it('has a CSV and a Parquet resource for every table, and the partitioned long tables', () => {
    for (const t of [...TABLES.map((s) => s.name), 'applications_wide']) {
      expect(resource(t)).toMatchObject({ path: `${t}.csv`, format: 'csv', mediatype: 'text/csv', encoding: 'utf-8-sig' });
      expect(resource(`${t}-parquet`)).toMatchObject({ path: `${t}.parquet`, format: 'parquet' });
    }
    for (const t of TABLE_CODES) {
      const r = resource(`${t}-partitioned`);
      expect(r.format).toBe('parquet');
      for (const p of r.path as string[]) expect(p).toMatch(new RegExp(`^partitioned/${t}/year=\\d{4}/data_0\\.parquet$`));
      expect(r.parts!.map((p) => p.year)).toContain(2023);
      expect(r.partitioning?.fields.map((f) => f.name)).toEqual(['year']);
      expect(r.schema.fields.map((f) => f.name)).not.toContain('year');
    }
  });

  it('describes every column of every Parquet file with its Frictionless type', async () => {
    for (const r of pkg.resources.filter((x) => x.format === 'parquet')) {
      for (const path of Array.isArray(r.path) ? r.path : [r.path]) {
        const columns = await parquetColumns(join(a.dir, path));
        expect(r.schema.fields.map((f) => f.name), path).toEqual(columns.map((c) => c.name));
        expect(r.schema.fields.map((f) => f.type), path).toEqual(columns.map((c) => DUCK_TO_FRICTIONLESS[c.type]));
      }
    }
  });

  it('describes every CSV column, and the CSV starts with a byte-order mark', () => {
    for (const r of pkg.resources.filter((x) => x.format === 'csv')) {
      const bytes = readFileSync(join(a.dir, r.path as string));
      expect([...bytes.subarray(0, 3)], r.name).toEqual([0xef, 0xbb, 0xbf]);
      const header = bytes.toString('utf8').replace(/^\ufeff/, '').split('\n')[0];
      expect(header.split(',').map((h) => h.replace(/^"|"$/g, '')), r.name).toEqual(r.schema.fields.map((f) => f.name));
    }
  });

  it('gives each field its Chinese title, English description and constraints from the schema', () => {
    const reports = resource('reports').schema.fields;
    expect(reports.find((f) => f.name === 'agency')).toMatchObject({ type: 'string', title: '机关名称', description: 'The agency as the report names it' });
    expect(reports.find((f) => f.name === 'report_id')?.constraints).toEqual({ required: true });
    expect(reports.find((f) => f.name === 'status')?.constraints?.enum).toEqual(['ok', 'warnings', 'failed']);
    expect(reports.find((f) => f.name === 'year')?.type).toBe('integer');
    expect(resource('checks').schema.fields.find((f) => f.name === 'expected')?.type).toBe('number');
    expect(resource('inputs').schema.fields.find((f) => f.name === 'cached')?.type).toBe('boolean');
    for (const r of pkg.resources) for (const f of r.schema.fields) expect(f.title && f.description, `${r.name}.${f.name}`).toBeTruthy();
  });

  it('labels the outcome columns of applications_wide with the rows of codes.ts', () => {
    const fields = resource('applications_wide-parquet').schema.fields;
    const rows = [...new Map(LAYOUTS.flatMap((l) => tableDef('applications', l).rows).map((r) => [r.code, r])).values()];
    expect(fields.slice(0, 9).map((f) => f.name)).toEqual(['report_id', 'agency_id', 'agency', 'region_code', 'region_name', 'year', 'scope', 'layout', 'applicant']);
    expect(new Set(fields.slice(9).map((f) => f.name))).toEqual(new Set(rows.map((r) => r.code)));
    for (const row of rows) {
      const f = fields.find((x) => x.name === row.code)!;
      expect(f.type).toBe('integer');
      expect(f.title).toBe(row.zh);
      expect(f.description).toContain(row.en);
    }
    expect(fields.find((f) => f.name === 'other_handling')?.description).toContain('2019 only');
    expect(fields.find((f) => f.name === 'applicant')?.constraints?.enum).toEqual(APPLICANT_COLUMNS.map((c) => c.code));
    expect(resource('applications_wide').schema.primaryKey).toEqual(['report_id', 'applicant']);
  });

  it('has primary keys among the fields and foreign keys that point at existing resources and fields', () => {
    for (const r of pkg.resources) {
      const names = r.schema.fields.map((f) => f.name);
      // Every table has a primary key but changes, whose report-level rows have no table, row or column.
      if (r.name.startsWith('changes')) expect(r.schema.primaryKey, r.name).toBeUndefined();
      else expect(r.schema.primaryKey?.length, r.name).toBeGreaterThan(0);
      for (const k of r.schema.primaryKey ?? []) expect(names, `${r.name} primary key`).toContain(k);
      for (const fk of r.schema.foreignKeys ?? []) {
        for (const k of fk.fields) expect(names, `${r.name} foreign key`).toContain(k);
        const target = resource(fk.reference.resource);
        expect(target.format, `${r.name} → ${target.name}`).toBe(r.format);
        for (const k of fk.reference.fields) expect(target.schema.fields.map((f) => f.name)).toContain(k);
      }
    }
    expect(resource('applications-parquet').schema.foreignKeys).toEqual([{ fields: ['report_id'], reference: { resource: 'reports-parquet', fields: ['report_id'] } }]);
    expect(resource('reports').schema.foreignKeys?.map((fk) => fk.reference.resource)).toEqual(['agencies', 'regions']);
  });
});

describe('DATA_DICTIONARY.md', () => {
  const dictionary = () => read(a.dir, 'DATA_DICTIONARY.md');

  it('documents every table and column with its Chinese label and type', () => {
    const text = dictionary();
    for (const spec of TABLES) {
      expect(text).toContain(`### \`${spec.name}\` — ${spec.zh}`);
      for (const c of spec.columns) expect(text).toContain(`| \`${c.name}\` | ${c.zh} | ${c.type} (`);
    }
    expect(text).toContain('### `applications_wide`');
  });

  it('lists every table, row, column and check code with its labels', () => {
    const text = dictionary();
    for (const t of TABLE_CODES) {
      for (const l of LAYOUTS) {
        for (const row of tableDef(t, l).rows) {
          expect(text).toContain(`| \`${row.code}\` | ${row.zh} | ${row.en} |`);
          for (const col of row.columns) expect(text).toContain(`| \`${col.code}\` | ${col.zh} | ${col.en} |`);
        }
      }
    }
    for (const c of CHECKS) expect(text).toContain(`| \`${c.code}\` | ${c.zh} | ${c.en} |`);
  });
});

describe('release.json and CITATION.cff', () => {
  it('release.json names the version, software, inputs, counts and source totals', () => {
    const release = JSON.parse(read(a.dir, 'release.json'));
    const quality = JSON.parse(read(a.dir, 'quality.json')) as QualityReport;
    const pkgJson = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(release).toMatchObject({
      version: a.version,
      built_at: NOW_A.toISOString(),
      previous: null,
      software: { name: 'gongkai', version: pkgJson.version, parser: parserFingerprint() },
      inputs: ['data/reports/real', join(tmp, 'synth'), join(tmp, 'bad')],
    });
    expect(release.counts).toMatchObject({ ...quality.summary, agencies: quality.counts.agencies, regions: quality.counts.regions, warnings: quality.counts.warnings });
    expect(release.counts).toMatchObject({ inputs: 6 + 150 + 1, reports: a.reports, errors: 1 });
    expect(release.counts.cells).toEqual(quality.counts.cells);
    expect(release.counts.checks.pass + release.counts.checks.fail + release.counts.checks.not_assessable).toBe(release.counts.checks.total);
    const inputBytes = listFiles('data/reports/real').filter((f) => f.path !== 'README.md').reduce((s, f) => s + f.bytes, 0);
    expect(release.sources.bytes).toBeGreaterThan(inputBytes);
    expect(release.sources.files).toBe(release.counts.inputs);
    expect(release.citation).toContain(`release ${a.version} (2026-04-01)`);
    expect(release.citation).toContain('政府信息公开工作年度报告');
  });

  it('CITATION.cff is CFF 1.2.0 for a dataset and names the version and date', () => {
    const lines = read(a.dir, 'CITATION.cff').split('\n');
    expect(lines[0]).toBe('cff-version: 1.2.0');
    expect(lines).toContain('type: dataset');
    expect(lines).toContain(`version: "${a.version}"`);
    expect(lines).toContain('date-released: "2026-04-01"');
    expect(lines.some((l) => /^message: ".+"$/.test(l))).toBe(true);
    expect(lines.some((l) => /^title: ".+"$/.test(l))).toBe(true);
    const authors = lines.indexOf('authors:');
    expect(authors).toBeGreaterThan(0);
    expect(lines[authors + 1]).toMatch(/^ {2}- name: ".+"$/);
    // Every top-level line is "key: value" or a list head: no stray indentation or tabs.
    for (const l of lines.filter(Boolean)) expect(l).toMatch(/^([a-z-]+:( .+)?| {2}- .+)$/);
  });
});

describe('spreadsheet files', () => {
  it('by-year/ holds every row of each long table, a year to a file (in parts past the row limit), each with its header', async () => {
    const csv = (path: string) => `read_csv('${join(a.dir, path)}', header = true, all_varchar = true)`;
    let parts = 0;
    for (const t of TABLE_CODES) {
      const files = listFiles(join(a.dir, 'by-year')).filter((f) => f.path.startsWith(`${t}-`));
      const perYear = await query<{ year: string; n: number }>(duck.connection, `SELECT year::VARCHAR AS year, count(*)::INTEGER AS n FROM read_parquet('${join(a.dir, `${t}.parquet`)}') GROUP BY ALL ORDER BY ALL`);
      const got = new Map<string, number>();
      for (const f of files) {
        const [{ n, years }] = await query<{ n: number; years: string }>(duck.connection, `SELECT count(*)::INTEGER AS n, string_agg(DISTINCT year, ',') AS years FROM ${csv(`by-year/${f.path}`)}`);
        const year = /^[a-z_]+-(\d{4})(?:-\d+)?\.csv$/.exec(f.path)![1];
        expect(n, f.path).toBeLessThanOrEqual(EXCEL_ROWS);
        expect(years, f.path).toBe(year);
        expect(readFileSync(join(a.dir, 'by-year', f.path), 'utf8').startsWith('\ufeffreport_id,'), f.path).toBe(true);
        got.set(year, (got.get(year) ?? 0) + n);
        if (/-\d+\.csv$/.test(f.path)) parts++;
      }
      expect(Object.fromEntries(got), t).toEqual(Object.fromEntries(perYear.map((y) => [y.year, y.n])));
      const first = got.get('2023')! > EXCEL_ROWS ? `${t}-2023-1` : `${t}-2023`;
      expect(resource(first)).toMatchObject({ path: `by-year/${first}.csv`, format: 'csv', encoding: 'utf-8-sig' });
    }
    expect(parts).toBeGreaterThan(0);
  });

  it('applications_wide carries the agency and region names beside their codes', async () => {
    const rows = await query<{ n: number; named: number; agrees: number }>(
      duck.connection,
      `SELECT count(*)::INTEGER AS n, count(w.region_name)::INTEGER AS named,
              count(*) FILTER (WHERE w.agency = r.agency AND w.region_name IS NOT DISTINCT FROM g.name)::INTEGER AS agrees
       FROM read_csv('${join(a.dir, 'applications_wide.csv')}', header = true) w
       JOIN read_parquet('${join(a.dir, 'reports.parquet')}') r USING (report_id)
       LEFT JOIN read_parquet('${join(a.dir, 'regions.parquet')}') g ON g.code = r.region_code`,
    );
    const [wide] = await query<{ n: number }>(duck.connection, `SELECT count(*)::INTEGER AS n FROM read_parquet('${join(a.dir, 'applications_wide.parquet')}')`);
    expect(rows[0].n).toBe(wide.n);
    expect(rows[0].n).toBeGreaterThan(150 * 7 - 1);
    expect(rows[0].agrees).toBe(rows[0].n);
    expect(rows[0].named).toBeGreaterThan(rows[0].n * 0.9);
  });
});

describe('generated sample data', () => {
  it('is said in release.json, datapackage.json, CITATION.cff and QUALITY.md, with how many reports are generated', () => {
    const release = JSON.parse(read(a.dir, 'release.json'));
    const notice = `示例数据（生成） / generated sample data: 150 of the ${a.reports} reports of this release were made by gongkai synth, not published by any agency; their numbers describe no real agency.`;
    expect(a.generated).toBe(150);
    expect(release).toMatchObject({ generated: true, notice });
    expect(release.counts.generated_reports).toBe(150);
    expect(pkg).toMatchObject({ generated: true, title: expect.stringMatching(/^示例数据（生成） \/ generated sample data — /) });
    expect(read(a.dir, 'CITATION.cff')).toContain(`abstract: "${notice}`);
    expect(read(a.dir, 'QUALITY.md').split('\n')).toContain(`**${notice}**`);
  });
});

describe('SHA256SUMS', () => {
  it('lists every other file of the release, sorted by path, with its hash', () => {
    const lines = read(a.dir, 'SHA256SUMS').trimEnd().split('\n');
    const entries = lines.map((l) => /^([0-9a-f]{64}) {2}(.+)$/.exec(l)!);
    expect(entries.every(Boolean)).toBe(true);
    const paths = entries.map((m) => m[2]);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(
      listFiles(a.dir)
        .map((f) => f.path)
        .filter((p) => p !== 'SHA256SUMS')
        .sort(),
    );
    expect(paths).toEqual(expect.arrayContaining(['datapackage.json', 'DATA_DICTIONARY.md', 'CITATION.cff', 'release.json', 'quality.json', 'QUALITY.md']));
    for (const m of entries) expect(m[1], m[2]).toBe(sha256(join(a.dir, m[2])));
  });
});

describe('two builds of the same inputs', () => {
  it('differ only in version and build time', () => {
    expect(b.version).toMatch(/^2026-05-02\.\d+$/);
    for (const file of ['quality.json', 'QUALITY.md', 'DATA_DICTIONARY.md']) expect(read(b.dir, file), file).toBe(read(a.dir, file));
    const pa = JSON.parse(read(a.dir, 'datapackage.json'));
    const pb = JSON.parse(read(b.dir, 'datapackage.json'));
    expect([pb.version, pb.created]).toEqual([b.version, NOW_B.toISOString()]);
    expect({ ...pb, version: null, created: null }).toEqual({ ...pa, version: null, created: null });
    const ra = JSON.parse(read(a.dir, 'release.json'));
    const rb = JSON.parse(read(b.dir, 'release.json'));
    const strip = (r: Record<string, unknown>) => ({ ...r, version: null, built_at: null, citation: null });
    expect(strip(rb)).toEqual(strip(ra));
    expect(read(b.dir, 'CITATION.cff').replaceAll(b.version, 'V').replaceAll('2026-05-02', 'D')).toBe(
      read(a.dir, 'CITATION.cff').replaceAll(a.version, 'V').replaceAll('2026-04-01', 'D'),
    );
  });
});
