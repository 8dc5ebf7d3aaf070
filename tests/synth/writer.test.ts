import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { manifestCsv, planCorpus, runSynth, synthConfig, type SynthReport, type SynthTruth } from '../../pipeline/synth/index.ts';

const manifestOf = (reports: SynthReport[]) => manifestCsv(reports.map((r) => r.manifest));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Minimal CSV reader for the manifest (fields never hold quotes or commas, but handle them). */
function readCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe('runSynth', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'gongkai-synth-test-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const options = { provinces: ['41'], years: [2021, 2023] as [number, number], seed: 3, limit: 240 };

  it('writes byte-identical corpora for the same config and seed', async () => {
    const [a, b] = [fresh(), fresh()];
    const ra = await runSynth({ ...options, out: a });
    const rb = await runSynth({ ...options, out: b });
    expect(ra.reports).toBe(240);
    expect(rb.files).toBe(ra.files);
    const fa = walk(a).map((f) => relative(a, f));
    expect(walk(b).map((f) => relative(b, f))).toEqual(fa);
    for (const f of fa) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('yields the same bytes and truth from the core twice (no clock, no Math.random)', () => {
    const config = synthConfig({ provinces: ['41'], years: [2019, 2024], seed: 8, limit: 500 });
    const a = [...planCorpus(config).reports()];
    const b = [...planCorpus(config).reports()];
    expect(b.length).toBe(a.length);
    a.forEach((r, i) => {
      expect(b[i].path).toBe(r.path);
      expect(Buffer.from(b[i].bytes).equals(Buffer.from(r.bytes))).toBe(true);
      expect(JSON.stringify(b[i].truth)).toBe(JSON.stringify(r.truth));
    });
  });

  it('marks every report generated and links to no real host: every URL lies under example.gov.invalid', () => {
    const reports = [...planCorpus(synthConfig({ provinces: ['41', '11'], years: [2019, 2024], seed: 8, limit: 600 })).reports()];
    const hosts = new Set<string>();
    for (const r of reports) {
      expect(r.manifest.generated).toBe(true);
      // Hosts are ASCII: latin1 reads them from GBK pages as well as UTF-8 ones, Word files aside.
      const text = Buffer.from(r.bytes).toString('latin1');
      expect(text, r.path).not.toMatch(/gov\.cn|miit\.gov/i);
      for (const url of [r.manifest.source_url, ...[...text.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((m) => m[0])]) hosts.add(new URL(url).hostname);
    }
    expect(hosts.size).toBeGreaterThan(20);
    for (const host of hosts) expect(host).toMatch(/\.example\.gov\.invalid$/);
    expect(manifestOf(reports)).toMatch(/^path,agency,region_code,year,source_url,published_at,generated\n/);
  });

  it('changes with the seed', () => {
    const one = planCorpus(synthConfig({ ...options, limit: 20 })).reports().next().value!;
    const two = planCorpus(synthConfig({ ...options, limit: 20, seed: 4 })).reports().next().value!;
    expect(Buffer.from(one.bytes).equals(Buffer.from(two.bytes))).toBe(false);
  });

  it('writes a manifest row, a report and a truth file for each report, and nothing else', async () => {
    const out = fresh();
    const progress: number[] = [];
    const result = await runSynth({ ...options, out, onProgress: (done, total) => progress.push(done / total) });
    expect(progress.length).toBe(result.reports);
    expect(progress[progress.length - 1]).toBe(1);

    const rows = readCsv(readFileSync(join(out, 'manifest.csv'), 'utf8'));
    expect(rows[0]).toEqual(['path', 'agency', 'region_code', 'year', 'source_url', 'published_at', 'generated']);
    const body = rows.slice(1);
    expect(body.length).toBe(result.reports);
    expect(body.map((r) => r[0])).toEqual([...body.map((r) => r[0])].sort());

    const files = walk(out).map((f) => relative(out, f).split('\\').join('/'));
    expect(files.length).toBe(result.files);
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    const expected = new Set(['manifest.csv', ...body.flatMap((r) => [r[0], `truth/${r[0]}.json`])]);
    expect(new Set(files)).toEqual(expected);

    for (const [path, agency, region, year, url, published, generated] of body) {
      expect(generated).toBe('true');
      expect(path).toMatch(/^41\/\d{6}\/[a-z0-9-]+\/\d{4}\.(html|txt|pdf\.txt)$/);
      const truth = JSON.parse(readFileSync(join(out, 'truth', `${path}.json`), 'utf8')) as SynthTruth;
      expect(truth.path).toBe(path);
      expect(truth.agency).toBe(agency);
      expect(truth.region_code).toBe(region);
      expect(path.split('/')[1]).toBe(region);
      expect(String(truth.year)).toBe(year);
      expect(truth.source_url).toBe(url);
      expect(url).toMatch(/^https:\/\/[a-z0-9.-]+\.example\.gov\.invalid\//);
      expect(truth.published_at).toBe(published);
      expect(published.slice(0, 4)).toBe(String(truth.year + 1));
      expect(truth.style === 'text-pdf').toBe(url.endsWith('.pdf'));
    }
  });

  it('checks its options', async () => {
    await expect(runSynth({ ...options, out: fresh(), provinces: ['4'] })).rejects.toThrow(/two-digit province code/);
    await expect(runSynth({ ...options, out: fresh(), years: [2018, 2020] })).rejects.toThrow(/2019/);
    await expect(runSynth({ ...options, out: fresh(), styles: ['rtf' as never] })).rejects.toThrow(/unknown style/);
  });

  it('generates at a useful speed (a sanity figure, not a timing assertion)', () => {
    const started = performance.now();
    let bytes = 0;
    let count = 0;
    for (const r of planCorpus(synthConfig({ provinces: ['42'], years: [2019, 2024], seed: 1, limit: 1000 })).reports()) {
      bytes += r.bytes.length;
      count++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`synth: ${count} reports, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} reports/s, no disk)`);
    expect(count).toBe(1000);
  });
});
