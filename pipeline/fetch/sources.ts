/**
 * The sources file: where to collect reports, as data. A UTF-8 CSV (optional BOM, RFC 4180
 * quoting) with the header
 *
 *     agency,region_code,listing_url
 *
 * and one row per listing page of an agency's annual-reports column (政府信息公开年报). Agency
 * and region code may be blank where unknown; more columns are allowed and ignored (a note, a
 * contact). Reading is a pure function of the text; the caller reads the file.
 */
import { byColumn, CsvFileError, MANIFEST_CHECKS, parseCsv, type ManifestProblem } from '../normalize/manifest.ts';

export interface Source {
  /** The agency as the collector knows it; null when unknown (the reports name it). */
  agency: string | null;
  /** 6-digit GB/T 2260 code; null when unknown. */
  region_code: string | null;
  /** The first listing page, normalised (URL parser's form). */
  listing_url: string;
  /** The line of the sources file, for messages. */
  line: number;
}

export class SourcesError extends CsvFileError {
  constructor(where: string, problems: ManifestProblem[]) {
    super('invalid_sources', where, problems);
  }
}

export const SOURCE_COLUMNS = ['agency', 'region_code', 'listing_url'] as const;

/** An http(s) URL, or why not. */
export function httpUrl(raw: string): URL | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${raw}" is not an http(s) URL`;
  url.hash = '';
  return url;
}

export function readSources(csvText: string, where: string): Source[] {
  const { records, problems } = parseCsv(csvText);
  const header = records.shift();
  if (!header) throw new SourcesError(where, [{ line: 1, message: `the file is empty; the first line must be the header ${SOURCE_COLUMNS.join(',')}` }]);
  const columns = header.fields.map((f) => f.trim());
  if (!columns.includes('listing_url')) throw new SourcesError(where, [{ line: header.line, message: `the header has no "listing_url" column (the header is ${SOURCE_COLUMNS.join(',')}, more columns allowed)` }]);

  const sources: Source[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, values } of byColumn(records, columns, problems)) {
    const agency = values.agency ?? '';
    const region = values.region_code ?? '';
    const url = values.listing_url ? httpUrl(values.listing_url) : 'is empty';
    if (typeof url === 'string') problems.push({ line, message: `listing_url ${url}` });
    let regionCode: string | null = null;
    if (region) {
      const cell = MANIFEST_CHECKS.region_code(region);
      if (cell.problem) problems.push({ line, message: cell.problem });
      else regionCode = String(cell.value);
    }
    if (typeof url === 'string') continue;
    const earlier = firstLine.get(url.href);
    if (earlier !== undefined) {
      problems.push({ line, message: `listing_url ${url.href} is listed again (first on line ${earlier})` });
      continue;
    }
    firstLine.set(url.href, line);
    sources.push({ agency: agency || null, region_code: regionCode, listing_url: url.href, line });
  }
  if (problems.length > 0) throw new SourcesError(where, problems);
  return sources;
}
