import { describe, expect, it } from 'vitest';
import { normalizeAgency } from '../../pipeline/normalize/agencies.ts';
import { ManifestError, manifestKey, parseCsv, readManifest } from '../../pipeline/normalize/manifest.ts';

const HEADER = 'path,agency,region_code,year,source_url,published_at';

/** The problems a manifest is rejected with, as "line N: message". */
function problems(csv: string, folder = 'reports'): string[] {
  try {
    readManifest(csv, folder);
  } catch (e) {
    expect(e).toBeInstanceOf(ManifestError);
    expect((e as ManifestError).code).toBe('invalid_manifest');
    return (e as ManifestError).problems.map((p) => `line ${p.line}: ${p.message}`);
  }
  throw new Error('the manifest was accepted');
}

describe('readManifest', () => {
  it('reads rows keyed by their path relative to the folder', () => {
    const csv = [
      '\ufeff' + HEADER,
      '2023/jianxi.txt,涧西区人民政府办公室,410305,2023,https://www.lyjxq.gov.cn/a.html,2024-01-20',
      './2023/pingtan.page.txt,,350128,2023,,2024-03-08 15:34',
      '2019\\shanghai.html,,,,,',
    ].join('\r\n');
    const rows = readManifest(csv, 'reports');
    expect([...rows.keys()]).toEqual(['2023/jianxi.txt', '2023/pingtan.page.txt', '2019/shanghai.html']);
    expect(rows.get('2023/jianxi.txt')).toEqual({
      path: '2023/jianxi.txt',
      agency: '涧西区人民政府办公室',
      region_code: '410305',
      year: 2023,
      source_url: 'https://www.lyjxq.gov.cn/a.html',
      published_at: '2024-01-20',
      line: 2,
    });
    expect(rows.get('2023/pingtan.page.txt')).toEqual({ path: '2023/pingtan.page.txt', region_code: '350128', year: 2023, published_at: '2024-03-08 15:34', line: 3 });
    expect(rows.get('2019/shanghai.html')).toEqual({ path: '2019/shanghai.html', line: 4 });
  });

  it('accepts the columns in any order, and only some of them', () => {
    const rows = readManifest('region_code,path\n410305,a.txt\n', '.');
    expect(rows.get('a.txt')).toEqual({ path: 'a.txt', region_code: '410305', line: 2 });
  });

  it('follows RFC 4180 quoting, counting lines from where each record starts', () => {
    const csv = `${HEADER}\n"a, b.txt","洛阳市""涧西区""\n人民政府办公室",410305,,,\nc.txt,,,2020,,\n\n`;
    const rows = readManifest(csv, '/data/in');
    expect(rows.get('a, b.txt')?.agency).toBe('洛阳市"涧西区"\n人民政府办公室');
    expect(rows.get('c.txt')).toEqual({ path: 'c.txt', year: 2020, line: 4 });
  });

  it('makes absolute paths relative to the folder', () => {
    const rows = readManifest(`path\n/data/in/2023/a.txt\n`, '/data/in');
    expect([...rows.keys()]).toEqual(['2023/a.txt']);
  });

  it('rejects bad rows, naming the manifest and every bad line', () => {
    const csv = [
      HEADER,
      'a.txt,,41030,2023,,', // line 2: a code of 5 digits
      'b.txt,,999999,23,,', // line 3: no such region; not a year
      'c.txt,,410305,1999,ftp://x.gov.cn/,2024-02-30', // line 4: year too early, not http, no such day
      'a.txt,,,,,', // line 5: listed again
      '../d.txt,,,,,', // line 6: outside the folder
      'e.txt,,410305', // line 7: too few fields
      ',涧西区人民政府办公室,,,,', // line 8: no path
    ].join('\n');
    expect(problems(csv)).toEqual([
      'line 2: region_code "41030" is not a 6-digit code (pad a province or city code with zeros: 41 → 410000)',
      'line 3: region_code "999999" is not a GB/T 2260 region',
      'line 3: year "23" is not a year between 2008 and 2100',
      'line 4: year "1999" is not a year between 2008 and 2100',
      'line 4: source_url "ftp://x.gov.cn/" is not an http(s) URL',
      'line 4: published_at "2024-02-30" is not a date (YYYY-MM-DD, optionally with HH:MM)',
      'line 5: path "a.txt" is listed again (first on line 2)',
      'line 6: path "../d.txt" lies outside the manifest\'s folder',
      'line 7: 3 fields, but the header has 6',
      'line 8: path is empty',
    ]);
    try {
      readManifest(csv, 'reports');
    } catch (e) {
      expect((e as Error).message.split('\n')[0]).toBe(
        'reports/manifest.csv line 2: region_code "41030" is not a 6-digit code (pad a province or city code with zeros: 41 → 410000)',
      );
    }
  });

  it('rejects a bad header', () => {
    expect(problems('path,regioncode\na.txt,410305\n')).toEqual(['line 1: unknown column "regioncode" (the columns are path, agency, region_code, year, source_url, published_at, fetched_at, sha256, http_status, fetch_error, title, generated)']);
    expect(problems('agency,year\n')).toEqual(['line 1: the header has no "path" column']);
    expect(problems('path,year,year\n')).toEqual(['line 1: column "year" appears twice']);
    expect(problems('')).toEqual(['line 1: the file is empty; the first line must be the header path,agency,region_code,year,source_url,published_at']);
  });

  it('rejects broken quoting', () => {
    expect(problems(`${HEADER}\na.txt,"unclosed,,,,\n`)).toContain('line 2: a quoted field is never closed');
    expect(problems(`${HEADER}\na.txt,"x"y,,,,\n`)).toContain('line 2: text after a closing quote (write a quote inside a quoted field as "")');
  });
});

describe('manifestKey', () => {
  it('is the path relative to the folder, with / and NFC', () => {
    expect(manifestKey('/data/in/2023/a.txt', '/data/in')).toBe('2023/a.txt');
    expect(manifestKey('data/in/2023/a.txt', 'data/in')).toBe('2023/a.txt');
    expect(manifestKey('data\\in\\2023\\a.txt', 'data/in/')).toBe('2023/a.txt');
    expect(manifestKey('./a.txt', '.')).toBe('a.txt');
    expect(manifestKey('洛阳/涧西.txt'.normalize('NFD'), '.')).toBe('洛阳/涧西.txt'.normalize('NFC'));
  });
});

describe('parseCsv', () => {
  it('keeps a quote inside an unquoted field as written', () => {
    expect(parseCsv('a"b,c\n').records).toEqual([{ fields: ['a"b', 'c'], line: 1 }]);
  });
  it('quoted fields hold commas, line breaks and doubled quotes; lines are counted inside them', () => {
    const { records, problems } = parseCsv('\ufeffp,"a, ""b""\nc"\r\nq,\rlast,');
    expect(records).toEqual([
      { fields: ['p', 'a, "b"\nc'], line: 1 },
      { fields: ['q', ''], line: 3 },
      { fields: ['last', ''], line: 4 },
    ]);
    expect(problems).toEqual([]);
  });
  it('names an unclosed quote and text after a closing quote, keeping what was written', () => {
    expect(parseCsv('a,"b"c,d\n"open\nx')).toEqual({
      records: [
        { fields: ['a', 'bc', 'd'], line: 1 },
        { fields: ['open\nx'], line: 2 },
      ],
      problems: [
        { line: 1, message: 'text after a closing quote (write a quote inside a quoted field as "")' },
        { line: 2, message: 'a quoted field is never closed' },
      ],
    });
  });
  it('reads a 100,000-row manifest without a string piece per character', () => {
    const row = 'henan/410000/dept-civil-affairs/2019.txt,河南省民政厅,410000,2019,https://www.henan.gov.cn/2020/01-30/1.html,2020-01-30\n';
    const text = HEADER + '\n' + row.repeat(100_000);
    const before = process.memoryUsage().heapUsed;
    const { records } = parseCsv(text);
    const grown = process.memoryUsage().heapUsed - before;
    expect(records).toHaveLength(100_001);
    expect(records[100_000].fields[1]).toBe('河南省民政厅');
    // Sliced fields share the text's storage; one piece per character took ~25 × the text.
    expect(grown).toBeLessThan(text.length * 8);
  });
});

describe('manifest values win over inference', () => {
  const manifest = readManifest(
    [
      HEADER,
      'xinhua.txt,,130902,2023,,',
      'office.txt,洛阳市涧西区人民政府办公室,,2023,,',
      'wrong.txt,,130105,2023,,',
      'url.txt,,,2023,https://www.pingtan.gov.cn/a.htm,',
    ].join('\n'),
    'in',
  );

  it('resolves an ambiguous name with the manifest region', () => {
    const r = normalizeAgency({ agency: '新华区人民政府', manifest: manifest.get('xinhua.txt') });
    expect(r).toMatchObject({
      agency_id: '130902.government',
      region_code: '130902',
      region_candidates: ['130902'],
      region_status: 'manifest',
      region_source: 'manifest',
      level: 'county',
      warnings: [],
    });
  });

  it('takes the agency name from the manifest', () => {
    const r = normalizeAgency({ agency: '区政府办', manifest: manifest.get('office.txt') });
    expect(r).toMatchObject({ name: '洛阳市涧西区人民政府办公室', agency_id: '410305.general_office', region_status: 'resolved' });
  });

  it('keeps the manifest region over a name that disagrees, with a warning', () => {
    const r = normalizeAgency({ agency: '涧西区人民政府', manifest: manifest.get('wrong.txt') });
    expect(r).toMatchObject({ region_code: '130105', region_status: 'manifest', agency_id: '130105.government' });
    expect(r.warnings.map((w) => w.code)).toEqual(['region_conflict']);
    expect(r.warnings[0].message).toContain('410305 河南省洛阳市涧西区');
  });

  it('reads the manifest source URL when the name has no place', () => {
    const r = normalizeAgency({ agency: '区政府办公室', manifest: manifest.get('url.txt') });
    expect(r).toMatchObject({ region_code: '350128', region_status: 'resolved', region_source: 'host' });
  });
});
