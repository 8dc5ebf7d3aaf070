/**
 * The release build end to end, on real reports and a small generated corpus, read back with
 * DuckDB and with an independent Parquet reader (hyparquet).
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { beforeAll, describe, expect, it } from 'vitest';
import { paddleInstalled } from '../../pipeline/read/ocr.ts';
import { build, type BuildSummary } from '../../pipeline/release/build.ts';
import { parserFingerprint } from '../../pipeline/release/cache.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';
import { reportId } from '../../pipeline/release/tables.ts';
import { listReleases, pruneReleases } from '../../pipeline/release/versions.ts';
import { runSynth } from '../../pipeline/synth/index.ts';
import { tempDirs } from '../temp.ts';

const tempDir = tempDirs();

const run = promisify(execFile);

const ocrInstalled = paddleInstalled();

/** A folder of inputs: the real reports, 60 generated ones, and three broken files. */
function makeInputs(): string {
  const dir = tempDir('gongkai-inputs-');
  cpSync('data/reports/real', join(dir, 'real'), { recursive: true });
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'empty.html'), '');
  writeFileSync(join(dir, 'broken', 'cut.pdf'), Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj\n'));
  cpSync('tests/fixtures/office/scan.pdf', join(dir, 'broken', 'scan.pdf'));
  writeFileSync(join(dir, 'broken', 'notice.html'), '<html><body><p>关于开展植树活动的通知</p></body></html>');
  // Files that are no reports: set aside, each with its reason.
  writeFileSync(join(dir, 'broken', 'figures.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  writeFileSync(join(dir, 'broken', '.DS_Store'), 'x');
  return dir;
}

async function sql<T = Record<string, unknown>>(text: string): Promise<T[]> {
  const { connection } = await openDuck(':memory:');
  try {
    return await query<T>(connection, text);
  } finally {
    connection.closeSync();
  }
}

const sha256File = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let inputs: string;
let out: string;
let first: BuildSummary;
let rel: string;

beforeAll(async () => {
  inputs = makeInputs();
  await runSynth({ out: join(inputs, 'synth'), provinces: ['41'], years: [2019, 2024], seed: 9, limit: 60 });
  out = tempDir('gongkai-releases-');
  first = await build({ inputs: [inputs], out, cacheDir: null, now: new Date('2026-01-31T08:00:00Z') });
  rel = first.dir;
});

describe('a release', () => {
  it('accounts for every input: inputs = reports + errors, and every other file set aside with its reason', async () => {
    // The six real reports (one saved as markdown), 60 generated ones, four broken files.
    expect(first.inputs).toBe(6 + 60 + 4);
    expect(first.reports + first.errors).toBe(first.inputs);
    const rows = await sql<{ outcome: string; n: number }>(`SELECT outcome, count(*) AS n FROM read_parquet('${rel}/inputs.parquet') GROUP BY ALL ORDER BY ALL`);
    expect(rows.reduce((a, r) => a + r.n, 0)).toBe(first.inputs + first.ignored);
    const aside = await sql<{ path: string; error_code: string; message: string }>(
      `SELECT path, error_code, message FROM read_parquet('${rel}/inputs.parquet') WHERE outcome = 'ignored' ORDER BY path`,
    );
    expect(aside.map((a) => [a.path.replace(/\/$/, '').split('/').slice(-2).join('/'), a.error_code])).toEqual([
      ['broken/.DS_Store', 'hidden'],
      ['broken/figures.xls', 'not_a_report_format'],
      ['real/README.md', 'documentation'],
      ['synth/manifest.csv', 'manifest'],
      ['synth/truth', 'folder'],
    ]);
    expect(aside.find((a) => a.error_code === 'folder')!.message).toMatch(/ground truth of a generated corpus: 60 files not read/);
    const errors = await sql<{ path: string; error_code: string; message: string }>(
      `SELECT path, error_code, message FROM read_parquet('${rel}/inputs.parquet') WHERE outcome = 'error' ORDER BY path`,
    );
    expect(errors.map((e) => [e.path.split('/').slice(-2).join('/'), e.error_code])).toEqual([
      ['broken/cut.pdf', 'unreadable'],
      ['broken/empty.html', 'empty_file'],
      ['broken/notice.html', 'not_a_report'],
      // A page holding nothing: with OCR, nothing to read; without, no text layer.
      ['broken/scan.pdf', ocrInstalled ? 'empty_file' : 'no_text_layer'],
    ]);
    expect(errors[1].message).toMatch(/broken\/empty\.html: the file is empty/);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${rel}/reports.parquet')`);
    expect(n).toBe(first.reports);
  });

  it('Parquet read back with DuckDB holds the parsed values', async () => {
    const id = reportId(`${relativeTo(inputs)}/real/city-2025-standard.html`);
    const cells = await sql<{ row: string; column: string; value: number }>(
      `SELECT row, "column", value FROM read_parquet('${rel}/applications.parquet') WHERE report_id = '${id}' AND row = 'new_received' ORDER BY "column"`,
    );
    expect(Object.fromEntries(cells.map((c) => [c.column, c.value]))).toEqual({
      natural_person: 13612, commercial: 252, research: 0, public_interest: 45, legal_services: 128, other_org: 32, total: 14069,
    });
    const [fees] = await sql<{ value: number }>(`SELECT value FROM read_parquet('${rel}/proactive.parquet') WHERE report_id = '${id}' AND row = 'fees'`);
    expect(fees.value).toBe(316441);
  });

  it('Parquet read back with hyparquet (ZSTD) holds the same values', async () => {
    const id = reportId(`${relativeTo(inputs)}/real/shanghai-general-office-2019.html`);
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(join(rel, 'applications.parquet')), compressors })) as Record<string, unknown>[];
    const mine = rows.filter((r) => r.report_id === id && r.row === 'granted');
    expect(mine.map((r) => [r.column, r.value])).toEqual([
      ['natural_person', 258], ['commercial', 12], ['research', null], ['public_interest', null], ['legal_services', 1], ['other_org', 1], ['total', null],
    ]);
    const reports = (await parquetReadObjects({ file: await asyncBufferFromFile(join(rel, 'reports.parquet')), compressors })) as Record<string, unknown>[];
    expect(reports.find((r) => r.report_id === id)).toMatchObject({ agency: '上海市人民政府办公厅', year: 2019, layout: '2019', region_code: '310000', scope: 'agency' });
  });

  it('derived values stay apart from printed ones', async () => {
    const id = reportId(`${relativeTo(inputs)}/real/pingtan-zone-2023.page.txt`);
    const [cell] = await sql<{ value: number | null; derived_value: number; derived_rule: string }>(
      `SELECT value, derived_value, derived_rule FROM read_parquet('${rel}/applications.parquet') WHERE report_id = '${id}' AND row = 'new_received' AND "column" = 'natural_person'`,
    );
    expect(cell).toEqual({ value: null, derived_value: 80, derived_rule: 'split_digits:accounting' });
  });

  it('CSV starts with a BOM and round-trips to the same rows as Parquet', async () => {
    const csv = readFileSync(join(rel, 'reports.csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8').split('\n')[0]).toMatch(/^report_id,agency_id,agency,region_code,/);
    const [diff] = await sql<{ n: number }>(`
      SELECT count(*) AS n FROM (
        (SELECT * FROM read_csv('${rel}/applications.csv', header = true, all_varchar = true) EXCEPT
         SELECT * FROM (SELECT * REPLACE (CAST(value AS VARCHAR) AS value, CAST(derived_value AS VARCHAR) AS derived_value, CAST(year AS VARCHAR) AS year) FROM read_parquet('${rel}/applications.parquet')))
      )`);
    expect(diff.n).toBe(0);
  });

  it('the long tables are also hive-partitioned by year, queryable in place', async () => {
    const years = readdirSync(join(rel, 'partitioned', 'applications')).sort();
    expect(years[0]).toBe('year=2019');
    const [a] = await sql<{ n: number; s: number }>(
      `SELECT count(*) AS n, sum(value) AS s FROM read_parquet('${rel}/partitioned/applications/*/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER})`,
    );
    const [b] = await sql<{ n: number; s: number }>(`SELECT count(*) AS n, sum(value) AS s FROM read_parquet('${rel}/applications.parquet') WHERE year IS NOT NULL`);
    expect(a).toEqual(b);
  });

  it('latest points at the release, which lists its files in SHA256SUMS', () => {
    expect(readlinkSync(join(out, 'latest'))).toBe(first.version);
    expect(first.version).toBe('2026-01-31.1');
    const sums = readFileSync(join(rel, 'SHA256SUMS'), 'utf8').trim().split('\n');
    for (const line of sums) {
      const [hash, path] = line.split(/ {2}/);
      expect(sha256File(join(rel, path))).toBe(hash);
    }
    expect(sums.some((l) => l.endsWith('  applications.parquet'))).toBe(true);
  });
});

describe('release-level checks', () => {
  it('a carry-over mismatch planted between two years of one agency is caught', async () => {
    const dir = tempDir('gongkai-carry-');
    const seed = readFileSync('data/reports/real/jianxi-district-office-2023.txt', 'utf8');
    // The 2022 report of the same office carries 5 applications forward; 2023 says 0 came over.
    const year2022 = seed
      .replaceAll('2023', '2022')
      .replace(/(一、本年新收政府信息公开申请数量\t\t)0\t0\t0\t0\t0\t0\t0/, '$15\t0\t0\t0\t0\t0\t5')
      .replace(/(四、结转下年度继续办理\t\t)0\t0\t0\t0\t0\t0\t0/, '$15\t0\t0\t0\t0\t0\t5');
    writeFileSync(join(dir, 'jianxi-2022.txt'), year2022);
    writeFileSync(join(dir, 'jianxi-2023.txt'), seed);
    const releases = tempDir('gongkai-carry-out-');
    const s = await build({ inputs: [dir], out: releases, cacheDir: null });
    const checks = await sql<{ column: string; status: string; expected: number; actual: number; detail: string }>(
      `SELECT "column", status, expected, actual, detail FROM read_parquet('${s.dir}/checks.parquet') WHERE "check" = 'carry_over' ORDER BY seq`,
    );
    expect(checks.map((c) => [c.column, c.status])).toEqual([
      ['natural_person', 'fail'], ['commercial', 'pass'], ['research', 'pass'], ['public_interest', 'pass'], ['legal_services', 'pass'], ['other_org', 'pass'], ['total', 'fail'],
    ]);
    expect(checks[0]).toMatchObject({ expected: 5, actual: 0 });
    expect(checks[0].detail).toMatch(/carried_forward of 2022/);
    const [report] = await sql<{ status: string; checks_failed: number }>(
      `SELECT status, checks_failed FROM read_parquet('${s.dir}/reports.parquet') WHERE source_path LIKE '%jianxi-2023.txt'`,
    );
    expect(report.status).toBe('failed');
  });
});

describe('versions', () => {
  it('rebuilding with one input changed lists exactly that file\'s changed cells', async () => {
    const dir = tempDir('gongkai-change-');
    cpSync('data/reports/real', dir, { recursive: true });
    const releases = tempDir('gongkai-change-out-');
    const before = await build({ inputs: [dir], out: releases, cacheDir: null });
    const city = join(dir, 'city-2025-standard.html');
    writeFileSync(city, readFileSync(city, 'utf8').replace('<td>13612</td>', '<td>13613</td>').replace('<td>3</td><td>5</td><td>74</td>', '<td>3</td><td>5</td><td>75</td>'));
    const second = await build({ inputs: [dir], out: releases, cacheDir: null });
    const changes = await sql(`SELECT "change", source_path, "table", row, "column", old_value, new_value FROM read_parquet('${second.dir}/changes.parquet') ORDER BY ALL`);
    const path = `${relativeTo(dir)}/city-2025-standard.html`;
    expect(changes).toEqual([
      { change: 'cell_changed', source_path: path, table: 'applications', row: 'new_received', column: 'natural_person', old_value: 13612, new_value: 13613 },
      { change: 'cell_changed', source_path: path, table: 'proactive', row: 'regulations', column: 'in_force', old_value: 74, new_value: 75 },
    ]);
    expect(second.previous).toBe(before.version);
    expect(readlinkSync(join(releases, 'latest'))).toBe(second.version);

    // The readable summary and release.json say the same: one report compared, two cells.
    const summary = { previous: before.version, compared: 1, same_parser: true, reports_added: 0, reports_removed: 0, cells_changed: 2, reports_changed: 1 };
    expect(second.changes).toMatchObject(summary);
    expect(second.changes.by_table).toEqual([
      { table: 'proactive', cells: 1, reports: 1, appeared: 0, vanished: 0 },
      { table: 'applications', cells: 1, reports: 1, appeared: 0, vanished: 0 },
    ]);
    expect(JSON.parse(readFileSync(join(second.dir, 'release.json'), 'utf8')).changes).toEqual(second.changes);
    const md = readFileSync(join(second.dir, 'CHANGES.md'), 'utf8');
    expect(md).toContain(`Since release ${before.version}: 0 reports added, 0 removed, 2 cells changed in 1 reports.`);
    expect(md).toContain('only the 1 reports whose file, year or layout changed were compared');
    expect(md).toContain(`| \`${path}\` | proactive | \`regulations\` | \`in_force\` | 74 | 75 |`);
    expect(md).toContain(`| \`${path}\` | applications | \`new_received\` | \`natural_person\` | 13,612 | 13,613 |`);
    expect(md.indexOf('| proactive |')).toBeLessThan(md.indexOf('| applications |'));
    expect(readFileSync(join(before.dir, 'CHANGES.md'), 'utf8')).toContain('The first release in this folder');
  });

  it('a file removed and a file added are listed as reports removed and added', async () => {
    const dir = tempDir('gongkai-addrm-');
    cpSync('data/reports/real', dir, { recursive: true });
    const releases = tempDir('gongkai-addrm-out-');
    const before = await build({ inputs: [dir], out: releases, cacheDir: null });
    rmSync(join(dir, 'jianxi-district-office-2023.txt'));
    cpSync(join(dir, 'city-2025-standard.html'), join(dir, 'city-2025-copy.html'));
    const after = await build({ inputs: [dir], out: releases, cacheDir: null });
    const rows = await sql<{ change: string; source_path: string; table: string | null }>(
      `SELECT "change", source_path, "table" FROM read_parquet('${after.dir}/changes.parquet') ORDER BY ALL`,
    );
    const base = relativeTo(dir);
    expect(rows).toEqual([
      { change: 'report_added', source_path: `${base}/city-2025-copy.html`, table: null },
      { change: 'report_removed', source_path: `${base}/jianxi-district-office-2023.txt`, table: null },
    ]);
    expect(after.changes).toMatchObject({ previous: before.version, reports_added: 1, reports_removed: 1, cells_changed: 0, compared: 0, by_table: [] });
    const md = readFileSync(join(after.dir, 'CHANGES.md'), 'utf8');
    expect(md).toContain('## Reports added: 1');
    expect(md).toContain(`\`${base}/city-2025-copy.html\``);
    expect(md).toContain('## Reports removed: 1');
    expect(md).toContain(`\`${base}/jianxi-district-office-2023.txt\``);
    expect(md).not.toContain('## Changed cells');
  });

  it('two builds of the same inputs give byte-identical Parquet and CSV', async () => {
    // The first release (all cores) against one more build on one parse worker.
    const b = await build({ inputs: [inputs], out: tempDir('gongkai-det-'), cacheDir: null, jobs: 1 });
    const data = (d: string) => readdirSync(d).filter((f) => /\.(parquet|csv)$/.test(f) && !f.startsWith('changes'));
    expect(data(b.dir)).toEqual(data(first.dir));
    for (const f of data(first.dir)) expect({ f, hash: sha256File(join(b.dir, f)) }).toEqual({ f, hash: sha256File(join(first.dir, f)) });
  });

  it('the cache: entries of another parser version are removed, and an unchanged file is served from it on the next build', async () => {
    const releases = tempDir('gongkai-cache-');
    const cache = tempDir('gongkai-cache-dir-');
    mkdirSync(join(cache, 'an-older-parser', 'ab'), { recursive: true });
    writeFileSync(join(cache, 'an-older-parser', 'ab', 'abcd.json'), '{}');
    const cold = await build({ inputs: ['data/reports/real'], out: releases, cacheDir: cache });
    expect(readdirSync(cache)).toEqual([expect.stringMatching(new RegExp(`^${parserFingerprint()}\\.`))]);
    const warm = await build({ inputs: ['data/reports/real'], out: releases, cacheDir: cache });
    expect([cold.cached, warm.cached]).toEqual([0, 6]);
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*) FILTER (WHERE cached) AS n FROM read_parquet('${warm.dir}/inputs.parquet')`);
    expect(n).toBe(6);
  });
});

describe.runIf(ocrInstalled)('scanned reports', () => {
  // OCR takes seconds a page, many more on a loaded machine: the test waits for it (and so does
  // the build: its time limit counts from the engine's last step).
  it('are read by OCR in the workers, every scanned page counted, the records cached, marked and covered as read', { timeout: 300_000 }, async () => {
    const dir = tempDir('gongkai-scans-');
    // Table 4 on a scanned last page (the cheapest page to OCR), and a page holding nothing.
    cpSync('tests/fixtures/office/city-2025-scan-last.pdf', join(dir, 'city-2025-scan.pdf'));
    cpSync('tests/fixtures/office/scan.pdf', join(dir, 'blank-scan.pdf'));
    writeFileSync(join(dir, 'manifest.csv'), 'path,agency,region_code,year,source_url,published_at\ncity-2025-scan.pdf,洛阳市人民政府办公室,410300,2025,,\n');
    const releases = tempDir('gongkai-scan-releases-');
    const cache = tempDir('gongkai-scan-cache-');
    const pages: number[] = [];
    const cold = await build({ inputs: [dir], out: releases, cacheDir: cache, jobs: 1, onOcrPages: (n) => pages.push(n) });
    expect([cold.reports, cold.errors, cold.ocrPages, pages]).toEqual([1, 1, 1, [1]]);
    const [report] = await sql<{ report_id: string; format: string; agency_id: string }>(`SELECT report_id, format, agency_id FROM read_parquet('${cold.dir}/reports.parquet')`);
    expect(report.format).toBe('pdf (ocr: paddle)');
    // Every cell of the scanned table as printed, marked as read by OCR with the engine's confidence.
    const cells = await sql<{ row: string; column: string; value: number; reading: string; ocr_confidence: number }>(
      `SELECT row, "column", value, reading, ocr_confidence FROM read_parquet('${cold.dir}/review_litigation.parquet') WHERE report_id = '${report.report_id}'`,
    );
    expect(cells.filter((c) => c.column === 'total').map((c) => [c.row, c.value])).toEqual([
      ['review', 790],
      ['litigation_direct', 56],
      ['litigation_after_review', 156],
    ]);
    expect(cells.every((c) => c.reading === 'ocr' && c.ocr_confidence > 0 && c.ocr_confidence <= 1)).toBe(true);
    const text = await sql<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet('${cold.dir}/applications.parquet') WHERE report_id = '${report.report_id}' AND (reading = 'ocr' OR ocr_confidence IS NOT NULL)`);
    expect(text[0].n).toBe(0);
    const coverage = await sql<{ status: string }>(`SELECT status FROM read_parquet('${cold.dir}/coverage.parquet') WHERE agency_id = '${report.agency_id}' AND year = 2025`);
    expect(coverage.map((c) => c.status)).toEqual(['passing']);
    // Read again from the cache: no page is OCR'd twice.
    const warm = await build({ inputs: [dir], out: releases, cacheDir: cache, jobs: 1 });
    expect([warm.cached, warm.ocrPages]).toEqual([2, 0]);
  });
});

describe('publishing is atomic', () => {
  it('a build killed midway leaves latest at the previous complete release', async () => {
    const releases = tempDir('gongkai-kill-');
    const corpus = tempDir('gongkai-kill-corpus-');
    try {
      await runSynth({ out: corpus, provinces: ['41'], years: [2019, 2024], seed: 4, limit: 40 });
      const done = await build({ inputs: ['data/reports/real'], out: releases, cacheDir: null });
      // The build kills itself (SIGKILL: no cleanup runs) once half its files are parsed — the
      // same point however busy the machine is.
      const script = join(corpus, 'kill.mts');
      writeFileSync(
        script,
        `const { build } = await import(${JSON.stringify(pathToFileURL(resolve('pipeline/release/build.ts')).href)});
        await build({ inputs: [${JSON.stringify(corpus)}], out: ${JSON.stringify(releases)}, cacheDir: null, jobs: 1,
          onProgress: (done, total) => { if (done >= total / 2) process.kill(process.pid, 'SIGKILL'); } });`,
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
      const signal = await new Promise((r) => child.on('exit', (_code, sig) => r(sig)));
      expect(signal).toBe('SIGKILL');
      expect(readdirSync(releases).filter((n) => n.startsWith('.build-'))).toHaveLength(1);
      expect(readlinkSync(join(releases, 'latest'))).toBe(done.version);
      expect(readdirSync(releases).filter((n) => /^\d{4}-/.test(n))).toEqual([done.version]);
      expect(existsSync(join(releases, 'latest', 'release.json'))).toBe(true);
      // The next build cleans the dead build's work folder and publishes.
      const next = await build({ inputs: ['data/reports/real'], out: releases, cacheDir: null });
      expect(readdirSync(releases).filter((n) => n.startsWith('.build-'))).toEqual([]);
      expect(readlinkSync(join(releases, 'latest'))).toBe(next.version);
    } finally {
      rmSync(releases, { recursive: true, force: true });
      rmSync(corpus, { recursive: true, force: true });
    }
  });

  it('two concurrent builds publish two complete releases under different names, one after the other', async () => {
    const releases = tempDir('gongkai-conc-');
    const cli = () => run(process.execPath, ['--import', 'tsx', 'pipeline/cli.ts', 'build', 'data/reports/real', '--out', releases, '--no-cache'], { encoding: 'utf8' });
    const [a, b] = await Promise.all([cli(), cli()]);
    const versions = [a.stderr, b.stderr].map((s) => /release (\S+)/.exec(s)![1]).sort();
    expect(new Set(versions).size).toBe(2);
    expect(readlinkSync(join(releases, 'latest'))).toBe(versions[1]);
    // The lineage does not fork: the second to publish compared itself with the first.
    const previous = (v: string) => JSON.parse(readFileSync(join(releases, v, 'release.json'), 'utf8')).previous;
    expect([previous(versions[0]), previous(versions[1])]).toEqual([null, versions[0]]);
    expect(existsSync(join(releases, '.lock'))).toBe(false);
    for (const v of versions) {
      for (const line of readFileSync(join(releases, v, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
        const [hash, path] = line.split(/ {2}/);
        expect(sha256File(join(releases, v, path))).toBe(hash);
      }
    }
    rmSync(releases, { recursive: true, force: true });
  });

  it('a lock left by a killed build is taken over', async () => {
    const releases = tempDir('gongkai-lock-');
    try {
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => dead.on('exit', r));
      writeFileSync(join(releases, '.lock'), `${dead.pid}-deadbeef\n`);
      const s = await build({ inputs: ['data/reports/real/jianxi-district-office-2023.txt'], out: releases, cacheDir: null });
      expect(readlinkSync(join(releases, 'latest'))).toBe(s.version);
      expect(readdirSync(releases).filter((n) => n.startsWith('.lock'))).toEqual([]);
    } finally {
      rmSync(releases, { recursive: true, force: true });
    }
  });

  it('pruning keeps the newest releases and never the one latest points at', () => {
    const releases = tempDir('gongkai-prune-');
    for (const v of ['2026-11-25.3', '2026-11-26.1', '2026-11-26.2', '2026-11-26.10']) {
      mkdirSync(join(releases, v));
      writeFileSync(join(releases, v, 'release.json'), '{}');
    }
    symlinkSync('2026-11-26.1', join(releases, 'latest'));
    expect(pruneReleases(releases, 2).sort()).toEqual(['2026-11-25.3']);
    expect(listReleases(releases)).toEqual(['2026-11-26.1', '2026-11-26.2', '2026-11-26.10']);
    expect(pruneReleases(releases, 1).sort()).toEqual(['2026-11-26.2']);
    expect(listReleases(releases)).toEqual(['2026-11-26.1', '2026-11-26.10']);
  });
});

function relativeTo(abs: string): string {
  return abs.startsWith(process.cwd()) ? abs.slice(process.cwd().length + 1) : abs;
}
