import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../pipeline/errors.ts';
import { loadRegions } from '../../pipeline/normalize/regions.ts';
import { parseSynthArgs, planCorpus, synthConfig, synthConfigFromJson } from '../../pipeline/synth/index.ts';
import { corpus } from './helpers.ts';

describe('parseSynthArgs', () => {
  it('fills in defaults', () => {
    expect(parseSynthArgs(['--out', 'x'])).toEqual({ out: 'x', provinces: ['41'], years: [2019, 2024], seed: 1, brokenShare: 0.05 });
    expect(parseSynthArgs(['synth', '--out=x']).out).toBe('x');
  });

  it('reads every option', () => {
    const o = parseSynthArgs(['--out', 'd', '--provinces', '42,41', '--years', '2020-2022', '--seed', '9', '--broken-share', '0.1', '--limit', '50', '--styles', 'text-pdf,html-gbk']);
    expect(o).toEqual({ out: 'd', provinces: ['41', '42'], years: [2020, 2022], seed: 9, brokenShare: 0.1, limit: 50, styles: ['text-pdf', 'html-gbk'] });
    expect(parseSynthArgs(['--out', 'd', '--years=2023']).years).toEqual([2023, 2023]);
  });

  it('reads a config file, flags winning', () => {
    const o = parseSynthArgs(['--out', 'd', '--config', 'data/demo-corpus.json', '--seed', '5']);
    expect(o.seed).toBe(5);
    expect(o.provinces).toEqual(['41']);
    expect(o.years).toEqual([2019, 2024]);
  });

  it.each([
    [[], /--out DIR is required/],
    [['--out'], /--out needs a value/],
    [['--out', 'd', 'extra'], /unexpected argument "extra"/],
    [['--out', 'd', '--format', 'x'], /unknown option --format/],
    [['--out', 'd', '--out', 'e'], /given twice/],
    [['--out', 'd', '--provinces', '4'], /"4" is not a two-digit province code/],
    [['--out', 'd', '--provinces', '99'], /no province has code 99/],
    [['--out', 'd', '--years', '2018-2020'], /within 2019-2099/],
    [['--out', 'd', '--years', '2024-2019'], /runs backwards/],
    [['--out', 'd', '--years', 'recent'], /a range like 2019-2024/],
    [['--out', 'd', '--seed', '-1'], /whole number ≥ 0/],
    [['--out', 'd', '--seed', '1.5'], /whole number ≥ 0/],
    [['--out', 'd', '--broken-share', '2'], /between 0 and 1/],
    [['--out', 'd', '--limit', '0'], /whole number ≥ 1/],
    [['--out', 'd', '--styles', 'text,html'], /unknown style "text"/],
    [['--out', 'd', '--config', 'no/such/file.json'], /cannot read --config/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSynthArgs(argv as string[])).toThrow(CliError);
    expect(() => parseSynthArgs(argv as string[])).toThrow(message as RegExp);
  });
});

describe('demo corpus config', () => {
  const json = JSON.parse(readFileSync('data/demo-corpus.json', 'utf8'));

  it('is valid and plans a few thousand to ten thousand reports over every city and county of 河南省', () => {
    const config = synthConfig(synthConfigFromJson(json));
    expect(config.provinces).toEqual(['41']);
    expect(config.years).toEqual([2019, 2024]);
    const plan = planCorpus(config);
    expect(plan.total).toBeGreaterThan(3000);
    expect(plan.total).toBeLessThanOrEqual(10000);
    const regions = loadRegions();
    const expected = regions.all
      .filter((r) => r.code.startsWith('41') && r.gbt2260 && (r.level === 'county' || (r.level === 'city' && !r.name.endsWith('直辖县级行政区划'))))
      .map((r) => r.code);
    const planned = new Set(plan.regions);
    for (const code of expected) expect(planned.has(code), code).toBe(true);
  });

  it('rejects unknown keys', () => {
    expect(() => synthConfigFromJson({ ...json, seeds: 1 })).toThrow(/unknown key "seeds"/);
  });
});

describe('corpus selection', () => {
  it('stops at --limit with the same reports a full run starts with', () => {
    const full = corpus({ limit: 400 });
    const cut = corpus({ limit: 150 });
    expect(cut.length).toBe(150);
    cut.forEach((r, i) => {
      expect(r.path).toBe(full[i].path);
      expect(Buffer.from(r.bytes).equals(Buffer.from(full[i].bytes))).toBe(true);
    });
  });

  it('leaves out excluded reports', () => {
    const all = corpus({ limit: 400 });
    const id = all[10].path.split('/').slice(1, 3).join('/') + '/' + all[10].truth.year;
    const without = corpus({ limit: 399, exclude: [id] });
    expect(without.map((r) => r.path)).toEqual(all.filter((_, i) => i !== 10).map((r) => r.path));
  });
});

describe('independence from the parser', () => {
  it('imports nothing from pipeline/parse or pipeline/read', () => {
    const dir = 'pipeline/synth';
    for (const f of readdirSync(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"][^'"]*\/(parse|read)\//);
    }
  });
});
