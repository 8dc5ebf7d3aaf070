/** The command line as users run it: `npm run -s gongkai -- parse FILE...`. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  // node --import tsx, not npx tsx: the same program without npx's start-up on every call.
  run(process.execPath, ['--import', 'tsx', 'pipeline/cli.ts', ...args], { encoding: 'utf8' }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/** Every folder a test here makes, removed at the end. */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('gongkai parse', () => {
  it('prints one JSON line per file, an error object in place of a bad file, and exits 3 when a file failed', async () => {
    const dir = tempDir('gongkai-cli-');
    const binary = join(dir, 'scan.bin');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255, 0, 9]));
    const missing = join(dir, 'missing.html');
    const { code, stdout, stderr } = await cli('parse', 'data/reports/real/jianxi-district-office-2023.txt', missing, binary, dir, 'data/reports/real/city-2025-standard.html');
    expect(code).toBe(3);
    expect(stderr.trim()).toBe('parse: 3 of 5 files could not be read as reports (their error objects say why)');
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.source)).toEqual(['data/reports/real/jianxi-district-office-2023.txt', missing, binary, dir, 'data/reports/real/city-2025-standard.html']);
    expect(lines[0]).toMatchObject({ agency: '涧西区人民政府办公室', year: 2023, layout: '2021' });
    expect(lines[1].error).toEqual({ code: 'unreadable', message: `${missing}: no such file` });
    expect(lines[2].error.code).toBe('binary_file');
    expect(lines[3].error).toEqual({ code: 'unreadable', message: `${dir}: is a folder (parse takes files; build reads folders)` });
    expect(lines[4].tables.applications.new_received.total).toBe(14069);
    expect((await cli('parse', 'data/reports/real/jianxi-district-office-2023.txt')).code).toBe(0);
  });

  it('--pretty indents the record', async () => {
    const { stdout } = await cli('parse', '--pretty', 'data/reports/real/city-2025-standard.html');
    expect(stdout.split('\n')[1]).toMatch(/^ {2}"source": /);
  });

  it('usage errors exit 2 with one line', async () => {
    const none = await cli('parse');
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('gongkai: parse needs at least one FILE');
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^gongkai: unknown command "frobnicate"/);
    const option = await cli('parse', '--prety', 'data/reports/real/jianxi-district-office-2023.txt');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^gongkai: parse: Unknown option '--prety'[^\n]*\nusage: gongkai <command>/);
    expect(option.stderr).not.toContain('--debug for the stack');
  });

  it('--help lists every command', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toMatch(/parse FILE\.\.\./);
  });
});

describe('gongkai parse with a manifest.csv beside the files', () => {
  it('takes region, agency, year and URL from the manifest', async () => {
    const dir = tempDir('gongkai-manifest-');
    writeFileSync(join(dir, 'report.txt'), readFileSync('data/reports/real/jianxi-district-office-2023.txt'));
    writeFileSync(
      join(dir, 'manifest.csv'),
      '\ufeffpath,agency,region_code,year,source_url,published_at\nreport.txt,洛阳市涧西区人民政府办公室,410305,2023,https://www.jianxi.gov.cn/nb/2023.html,2024-01-20\n',
    );
    const { code, stdout } = await cli('parse', join(dir, 'report.txt'));
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.agency).toBe('洛阳市涧西区人民政府办公室');
    expect(r.identity).toMatchObject({ agency_id: '410305.general_office', region_code: '410305', region_status: 'manifest' });
    expect(r.page).toEqual({ url: 'https://www.jianxi.gov.cn/nb/2023.html', published_at: '2024-01-20' });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'manifest_override', where: 'agency' }));
  });

  it('a broken manifest is a clear error naming its line', async () => {
    const dir = tempDir('gongkai-manifest-');
    writeFileSync(join(dir, 'report.txt'), readFileSync('data/reports/real/jianxi-district-office-2023.txt'));
    writeFileSync(join(dir, 'manifest.csv'), 'path,agency,region_code,year,source_url,published_at\nreport.txt,x,41030,20x3,,\n');
    const { code, stderr } = await cli('parse', join(dir, 'report.txt'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/manifest\.csv line 2/);
  });
});

describe('gongkai synth', () => {
  it('writes reports, ground truth and a manifest that parse reads', async () => {
    const out = tempDir('gongkai-synth-');
    const { code, stderr } = await cli('synth', '--out', out, '--limit', '12', '--seed', '5');
    expect(code).toBe(0);
    expect(stderr).toMatch(/synth: 12 reports, 25 files/);
    const manifest = readFileSync(join(out, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(manifest[0]).toBe('path,agency,region_code,year,source_url,published_at,generated');
    expect(manifest).toHaveLength(13);
    const first = manifest[1].split(',')[0];
    const parsed = JSON.parse((await cli('parse', join(out, first))).stdout);
    const truth = JSON.parse(readFileSync(join(out, 'truth', `${first}.json`), 'utf8'));
    expect(parsed.tables).toEqual(truth.tables);
    expect(parsed.identity.region_status).toBe('manifest');
  });

  it('bad arguments are one clear line', async () => {
    const r = await cli('synth', '--out', '/tmp/x', '--years', '2025-2019');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('gongkai: synth: --years: the range 2025-2019 runs backwards');
  });
});

describe('gongkai fetch', () => {
  it('collects the replayed site with the flags given, and prints what it did', async () => {
    const { startSite } = await import('./fetch/site.ts');
    const site = await startSite();
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-cli-fetch-'));
    try {
      writeFileSync(join(dir, 'sources.csv'), site.sourcesCsv());
      const out = join(dir, 'site');
      const args = ['fetch', join(dir, 'sources.csv'), '--out', out, '--delay', '1', '--timeout', '1000', '--retries', '0', '--max-size', '200KB', '--user-agent', 'Gongkai-test/1'];
      const r = await cli(...args);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/fetch: 2 sources, 5 listing pages, 12 report links/);
      // No retries: the attachment that answers 500 once is a failure this time.
      expect(r.stderr).toMatch(/files: 3 new, 0 changed/);
      expect(r.stderr).toMatch(/manifest\.csv: 3 report files, 9 reports not fetched/);
      expect(site.requests.every((q) => q.userAgent === 'Gongkai-test/1')).toBe(true);
    } finally {
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 with one line; a bad sources file names its line', async () => {
    const none = await cli('fetch', 'sources.csv');
    expect([none.code, none.stderr.trim()]).toEqual([2, 'gongkai: fetch needs --out DIR']);
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-cli-sources-'));
    try {
      writeFileSync(join(dir, 'sources.csv'), 'agency,region_code,listing_url\nx,,not a url\n');
      const bad = await cli('fetch', join(dir, 'sources.csv'), '--out', join(dir, 'out'));
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim()).toBe(`gongkai: ${join(dir, 'sources.csv')} line 2: listing_url "not a url" is not a URL`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
