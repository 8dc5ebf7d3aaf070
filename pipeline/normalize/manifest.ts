/**
 * `manifest.csv`: what the person who collected the reports knows about each file, so it wins
 * over what the pipeline infers from the text. An input folder may hold one, with the header
 *
 *     path,agency,region_code,year,source_url,published_at
 *
 * (UTF-8, optional BOM, RFC 4180 quoting; any column but path may be empty or left out).
 * `gongkai fetch` writes five more columns: fetched_at, sha256 and http_status of the download,
 * the link's title, and fetch_error for a report the listing promised but that could not be
 * fetched (its path names the file the fetch would have written; there is no file).
 * `gongkai synth` writes `generated` (true): the report was made by the generator, not published
 * by an agency; a release holding such reports is labelled generated sample data.
 * Reading is a pure function of the CSV text and the folder it lies in; the caller reads the file.
 */
import { posix } from 'node:path';
import { GongkaiError } from '../errors.ts';
import { isFetchOutcome } from '../fetch/outcomes.ts';
import { loadRegions } from './regions.ts';

export interface ManifestRow {
  /** The file, relative to the manifest's folder, with `/` separators (see `manifestKey`). */
  path: string;
  agency?: string;
  /** 6-digit GB/T 2260 code (NBS development-zone codes are accepted too). */
  region_code?: string;
  /** The year the report covers. */
  year?: number;
  source_url?: string;
  /** As written: YYYY-MM-DD, optionally with a time. */
  published_at?: string;
  /** When the file's bytes were downloaded: ISO 8601 with a time zone. */
  fetched_at?: string;
  /** SHA-256 of the bytes as downloaded. */
  sha256?: string;
  /** The HTTP status of the last answer. */
  http_status?: number;
  /** The fetch outcome (fetch/outcomes.ts) of a report that could not be fetched; no file. */
  fetch_error?: string;
  /** The link's title on the listing page. */
  title?: string;
  /** The report was made by `gongkai synth`, not published by an agency. */
  generated?: boolean;
  /** The manifest line the row starts on, for messages about it later. */
  line?: number;
}

export const MANIFEST_FILE = 'manifest.csv';

export const MANIFEST_COLUMNS = ['path', 'agency', 'region_code', 'year', 'source_url', 'published_at', 'fetched_at', 'sha256', 'http_status', 'fetch_error', 'title', 'generated'] as const;
export type ManifestColumn = (typeof MANIFEST_COLUMNS)[number];
const COLUMNS = MANIFEST_COLUMNS;
type Column = ManifestColumn;

/** Columns about the download, not the report: the parse never reads them. */
export const FETCH_COLUMNS = ['fetched_at', 'sha256', 'http_status', 'fetch_error', 'title'] as const satisfies readonly Column[];
/** Columns a tool writes (fetch, or synth's `generated`), not a person starting a manifest by hand. */
const WRITTEN_BY_TOOLS = [...FETCH_COLUMNS, 'generated'] as const;

/** Reports exist since the 条例 took effect in 2008; the upper bound only catches typos. */
const FIRST_YEAR = 2008;
const LAST_YEAR = 2100;

export interface ManifestProblem {
  line: number;
  message: string;
}

/** Every problem of one CSV file at once, each naming its line, so one edit fixes them all. */
export class CsvFileError extends GongkaiError {
  readonly problems: ManifestProblem[];
  constructor(code: string, where: string, problems: ManifestProblem[]) {
    super(code, problems.map((p) => `${where} line ${p.line}: ${p.message}`).join('\n'));
    this.problems = problems;
  }
}

export class ManifestError extends CsvFileError {
  constructor(where: string, problems: ManifestProblem[]) {
    super('invalid_manifest', where, problems);
  }
}

/**
 * The key a file has in a manifest: its path relative to the manifest's folder, with `/`
 * separators and NFC (macOS hands out decomposed file names). Both arguments may be absolute
 * or both relative.
 */
export function manifestKey(filePath: string, folder: string): string {
  const slash = (p: string) => posix.normalize(p.normalize('NFC').replace(/\\/g, '/'));
  const file = slash(filePath);
  const base = slash(folder || '.');
  if (base === '.' && !posix.isAbsolute(file)) return file;
  // With both paths relative, posix.relative resolves both against the same working directory,
  // so the result does not depend on it.
  return posix.relative(base, file);
}

/** One value checked and converted: a string for the row, or a problem message. */
export type Cell = { value?: string | number | boolean; problem?: string };

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A calendar date with an optional time of day that exists (no 2024-02-30, no 25:00). */
function validDateTime(m: RegExpExecArray): boolean {
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && Number(m[4] ?? 0) < 24 && Number(m[5] ?? 0) < 60 && Number(m[6] ?? 0) < 60;
}

/** Checks per column, as rows: adding a column is one line. */
export const MANIFEST_CHECKS: Record<Exclude<Column, 'path'>, (raw: string) => Cell> = {
  agency: (raw) => ({ value: raw }),
  region_code(raw) {
    if (!/^\d{6}$/.test(raw)) return { problem: `region_code "${raw}" is not a 6-digit code (pad a province or city code with zeros: 41 → 410000)` };
    if (!loadRegions().byCode.has(raw)) return { problem: `region_code "${raw}" is not a GB/T 2260 region` };
    return { value: raw };
  },
  year(raw) {
    const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return { problem: `year "${raw}" is not a year between ${FIRST_YEAR} and ${LAST_YEAR}` };
    return { value: year };
  },
  source_url(raw) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(raw).protocol);
    } catch {
      ok = false;
    }
    return ok ? { value: raw } : { problem: `source_url "${raw}" is not an http(s) URL` };
  },
  published_at(raw) {
    const m = DATE_TIME.exec(raw);
    const valid = m !== null && !m[7] && validDateTime(m);
    return valid ? { value: raw } : { problem: `published_at "${raw}" is not a date (YYYY-MM-DD, optionally with HH:MM)` };
  },
  fetched_at(raw) {
    const m = DATE_TIME.exec(raw);
    const valid = m !== null && m[4] !== undefined && m[7] !== undefined && validDateTime(m);
    return valid ? { value: raw } : { problem: `fetched_at "${raw}" is not a time with its zone (ISO 8601: 2026-01-15T08:30:00Z)` };
  },
  sha256: (raw) => (/^[0-9a-f]{64}$/i.test(raw) ? { value: raw.toLowerCase() } : { problem: `sha256 "${raw}" is not 64 hex digits` }),
  http_status(raw) {
    const status = /^\d{3}$/.test(raw) ? Number(raw) : NaN;
    return status >= 100 && status <= 599 ? { value: status } : { problem: `http_status "${raw}" is not an HTTP status (100–599)` };
  },
  fetch_error: (raw) => (isFetchOutcome(raw) && raw !== 'ok' && raw !== 'not_modified' ? { value: raw } : { problem: `fetch_error "${raw}" is not a fetch failure (see pipeline/fetch/outcomes.ts)` }),
  title: (raw) => ({ value: raw }),
  generated: (raw) => (raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { problem: `generated "${raw}" is not true or false` }),
};

/**
 * Reads a manifest. `folder` is the folder the manifest lies in: absolute paths in it are made
 * relative to that folder. Throws one ManifestError listing every bad line.
 */
export function readManifest(csvText: string, folder: string): Map<string, ManifestRow> {
  const where = posix.join(folder.replace(/\\/g, '/'), MANIFEST_FILE);
  const { records, problems } = parseCsv(csvText);
  const rows = new Map<string, ManifestRow>();
  const header = records.shift();
  if (!header) throw new ManifestError(where, [{ line: 1, message: 'the file is empty; the first line must be the header ' + COLUMNS.filter((c) => !(WRITTEN_BY_TOOLS as readonly string[]).includes(c)).join(',') }]);

  const columns = header.fields.map((f) => f.trim());
  for (const name of columns) {
    if (!(COLUMNS as readonly string[]).includes(name)) problems.push({ line: header.line, message: `unknown column "${name}" (the columns are ${COLUMNS.join(', ')})` });
    else if (columns.indexOf(name) !== columns.lastIndexOf(name)) problems.push({ line: header.line, message: `column "${name}" appears twice` });
  }
  if (!columns.includes('path')) problems.push({ line: header.line, message: 'the header has no "path" column' });
  if (problems.length > 0) throw new ManifestError(where, dedupe(problems));

  const firstLine = new Map<string, number>();
  for (const record of byColumn(records, columns, problems)) {
    const raw = record.values as Partial<Record<Column, string>>;
    const row: ManifestRow = { path: '', line: record.line };
    if (!raw.path) problems.push({ line: record.line, message: 'path is empty' });
    else {
      // Paths in a manifest are relative to its folder; an absolute one must lie inside it.
      const written = raw.path.replace(/\\/g, '/');
      row.path = manifestKey(written, posix.isAbsolute(written) ? folder : '.');
      if (row.path === '..' || row.path.startsWith('../')) problems.push({ line: record.line, message: `path "${raw.path}" lies outside the manifest's folder` });
      const earlier = firstLine.get(row.path);
      if (earlier !== undefined) problems.push({ line: record.line, message: `path "${raw.path}" is listed again (first on line ${earlier})` });
      else firstLine.set(row.path, record.line);
    }
    for (const column of Object.keys(MANIFEST_CHECKS) as (keyof typeof MANIFEST_CHECKS)[]) {
      const value = raw[column];
      if (!value) continue;
      const cell = MANIFEST_CHECKS[column](value);
      if (cell.problem) problems.push({ line: record.line, message: cell.problem });
      else Object.assign(row, { [column]: cell.value });
    }
    if (row.path) rows.set(row.path, row);
  }
  if (problems.length > 0) throw new ManifestError(where, problems);
  return rows;
}

/**
 * The records after a header as column → trimmed text, one at a time (so problems stay in line
 * order). Blank lines are skipped; a record with another number of fields than the header is a
 * problem, and skipped.
 */
export function* byColumn(records: CsvRecord[], columns: string[], problems: ManifestProblem[]): Generator<{ line: number; values: Record<string, string> }> {
  for (const record of records) {
    if (record.fields.every((f) => f.trim() === '')) continue;
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, message: `${record.fields.length} fields, but the header has ${columns.length}` });
      continue;
    }
    yield { line: record.line, values: Object.fromEntries(columns.map((c, i) => [c, record.fields[i].trim()])) };
  }
}

function dedupe(problems: ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message));
}

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on (a quoted field may span lines). */
  line: number;
}

const isDelimiter = (c: number) => c === 44 || c === 10 || c === 13; // , \n \r

/**
 * RFC 4180: fields separated by commas, records by CRLF or LF, a field in double quotes may hold
 * commas, line breaks and doubled quotes. A quote inside an unquoted field is kept as written.
 * Fields are sliced from the text, never built a character at a time: that would leave a
 * string piece per character (~0.4 GB for a 100,000-row manifest) for the collector.
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: ManifestProblem[] } {
  const src = text.startsWith('\ufeff') ? text.slice(1) : text;
  const n = src.length;
  const records: CsvRecord[] = [];
  const problems: ManifestProblem[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  while (i < n) {
    let field: string;
    if (src.charCodeAt(i) === 34) {
      const start = line;
      let from = ++i;
      let closed = false;
      field = '';
      while (i < n) {
        const c = src.charCodeAt(i);
        if (c === 34) {
          field += src.slice(from, i);
          if (src.charCodeAt(i + 1) === 34) {
            field += '"';
            from = i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        if (c === 10) line++;
        i++;
      }
      if (!closed) {
        field += src.slice(from, n);
        problems.push({ line: start, message: 'a quoted field is never closed' });
      }
      if (i < n && !isDelimiter(src.charCodeAt(i))) {
        problems.push({ line, message: 'text after a closing quote (write a quote inside a quoted field as "")' });
        const rest = i;
        while (i < n && !isDelimiter(src.charCodeAt(i))) i++;
        field += src.slice(rest, i);
      }
    } else {
      const from = i;
      while (i < n && !isDelimiter(src.charCodeAt(i))) i++;
      field = src.slice(from, i);
    }
    fields.push(field);
    // A last line holding only an empty quoted field ("") is no record.
    if (i >= n) {
      if (fields.length === 1 && field === '') fields = [];
      break;
    }
    if (src.charCodeAt(i) === 44) {
      // A comma always opens another field, even an empty one at the very end.
      if (++i === n) fields.push('');
      continue;
    }
    records.push({ fields, line: recordLine });
    fields = [];
    i += src.charCodeAt(i) === 13 && src.charCodeAt(i + 1) === 10 ? 2 : 1;
    line++;
    recordLine = line;
  }
  if (fields.length > 0) records.push({ fields, line: recordLine });
  return { records, problems };
}
