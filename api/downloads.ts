/**
 * The release's files over HTTP:
 *
 *   /downloads/                       an HTML page listing the tables (description, sizes)
 *   /downloads/catalog.json           the same as JSON, with every file, its size and sha256
 *   /downloads/<version>/<path>       a file of that release — the one served, or an older one
 *                                     beside it (immutable: cached for a year)
 *   /downloads/latest/<path>          the same file under a name that moves with new releases
 *
 * Only the files a release lists (read when it is opened) are served, so no path — `..`,
 * encoded or not — reaches anything else. Single byte ranges are honoured (Parquet readers fetch
 * the footer first). Catalog links are made from the public URL, or relative: never from Host.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Plugin } from 'graphql-yoga';
import { GENERATED_BOTH } from '../pipeline/release/generated.ts';
import { yearCsvFiles } from '../pipeline/release/datapackage.ts';
import { TABLES, WIDE_TABLE } from '../pipeline/release/schema.ts';
import { etagMatches } from './caching.ts';
import { pinnedEndpoint } from './graphiql.ts';
import { baseUrlOf, requestState, type ServerState } from './context.ts';
import { ApiError, errorBody } from './errors.ts';
import type { Release, ReleaseFile } from './release.ts';

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.parquet$/, 'application/vnd.apache.parquet'],
  [/\.csv$/, 'text/csv; charset=utf-8'],
  [/\.json$/, 'application/json; charset=utf-8'],
  [/\.md$/, 'text/markdown; charset=utf-8'],
  [/\.(cff|ya?ml)$/, 'application/yaml; charset=utf-8'],
  [/(^|\/)SHA256SUMS$|\.txt$/, 'text/plain; charset=utf-8'],
];

export function contentType(path: string): string {
  return CONTENT_TYPES.find(([re]) => re.test(path))?.[1] ?? 'application/octet-stream';
}

interface CatalogTable {
  name: string;
  zh: string;
  description: string;
  files: { format: 'parquet' | 'csv'; path: string; url: string; bytes: number; sha256: string | null }[];
  partitioned: string | null;
  /** The per-year CSV copies (by-year/), each under Excel's row limit: empty for a small table. */
  byYear: { label: string; path: string; url: string; bytes: number; sha256: string | null }[];
}

export interface Catalog {
  version: string;
  builtAt: string;
  /** True when the release holds generated sample data; `notice` then says what is generated. */
  generated: boolean;
  notice: string | null;
  license: string | null;
  tables: CatalogTable[];
  files: { path: string; url: string; bytes: number; contentType: string; sha256: string | null }[];
}

function readSums(release: Release): Map<string, string> {
  const file = join(release.dir, 'SHA256SUMS');
  const sums = new Map<string, string>();
  if (!existsSync(file)) return sums;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) sums.set(m[2], m[1]);
  }
  return sums;
}

const catalogs = new WeakMap<Release, { baseUrl: string; catalog: Catalog }>();

/**
 * The catalog of a release (built once: a release never changes). The base URL is the server's
 * own — its public URL or '' — so one catalog per release is all there ever is.
 */
export function buildCatalog(release: Release, baseUrl: string): Catalog {
  let built = catalogs.get(release);
  if (built?.baseUrl !== baseUrl) catalogs.set(release, (built = { baseUrl, catalog: makeCatalog(release, baseUrl) }));
  return built.catalog;
}

function makeCatalog(release: Release, baseUrl: string): Catalog {
  const sums = readSums(release);
  const url = (p: string) => `${baseUrl}/downloads/${release.version}/${p}`;
  const byPath = new Map(release.files.map((f) => [f.path, f]));
  const wide = { name: WIDE_TABLE, zh: '申请情况宽表', description: 'Table 3 in wide form: one row per report and applicant type, one column per outcome row (printed values)', partitioned: false };
  const tables = [...TABLES.map((t) => ({ name: t.name, zh: t.zh, description: t.description, partitioned: !!t.partitioned })), wide].map((t) => ({
    name: t.name,
    zh: t.zh,
    description: t.description,
    files: (['parquet', 'csv'] as const)
      .map((format) => byPath.get(`${t.name}.${format}`))
      .filter((f): f is ReleaseFile => !!f)
      .map((f) => ({ format: f.path.endsWith('.csv') ? ('csv' as const) : ('parquet' as const), path: f.path, url: url(f.path), bytes: f.bytes, sha256: sums.get(f.path) ?? null })),
    partitioned: t.partitioned ? `${baseUrl}/downloads/${release.version}/partitioned/${t.name}/` : null,
    byYear: yearCsvFiles(t.name, release.files.map((f) => ({ ...f, sha256: '' }))).map((f) => ({ label: f.label, path: f.path, url: url(f.path), bytes: f.bytes, sha256: sums.get(f.path) ?? null })),
  }));
  let license: string | null = null;
  try {
    license = JSON.parse(readFileSync(join(release.dir, 'datapackage.json'), 'utf8')).licenses?.[0]?.name ?? null;
  } catch {
    // no datapackage.json in this release
  }
  return {
    version: release.version,
    builtAt: release.builtAt,
    generated: release.generated !== null,
    notice: release.generated,
    license,
    tables,
    files: release.files.map((f) => ({ path: f.path, url: url(f.path), bytes: f.bytes, contentType: contentType(f.path), sha256: sums.get(f.path) ?? null })),
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function catalogHtml(c: Catalog): string {
  const rows = c.tables
    .map(
      (t) => `<tr><td><code>${escapeHtml(t.name)}</code><br>${escapeHtml(t.zh)}</td><td>${escapeHtml(t.description)}</td><td>${t.files
        .map((f) => `<a href="${escapeHtml(f.url)}">${f.format}</a> ${formatBytes(f.bytes)}`)
        .join('<br>')}${
        t.byYear.length ? `<br>Excel, one CSV a year: ${t.byYear.map((f) => `<a href="${escapeHtml(f.url)}">${escapeHtml(f.label)}</a>`).join(' ')}` : ''
      }</td></tr>`,
    )
    .join('\n');
  const others = c.files
    .filter((f) => !f.path.includes('/') && !c.tables.some((t) => t.files.some((x) => x.path === f.path)))
    .map((f) => `<li><a href="${escapeHtml(f.url)}">${escapeHtml(f.path)}</a> ${formatBytes(f.bytes)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Gongkai 公开 — release ${escapeHtml(c.version)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}.generated{background:#fff3cd;border:1px solid #d6a100;padding:.6rem .8rem}</style>
</head><body>
<h1>Gongkai 公开 — release ${escapeHtml(c.version)}${c.generated ? ` · ${GENERATED_BOTH}` : ''}</h1>
${c.notice ? `<p class="generated" role="note"><strong>${escapeHtml(c.notice)}</strong></p>\n` : ''}<p>Built ${escapeHtml(c.builtAt)}${c.license ? `, licence ${escapeHtml(c.license)}` : ''}. Machine-readable: <a href="catalog.json">catalog.json</a>. The same files under <code>/downloads/latest/</code>. Query them with the <a href="${escapeHtml(pinnedEndpoint(c.version))}">GraphQL API</a>.</p>
<h2>Which file to open</h2>
<ul>
<li><strong>Excel, WPS, Numbers:</strong> <code>applications_wide.csv</code> (table 3, one row per report and applicant type, agency and region names beside the codes), or the <em>one CSV a year</em> files of a long table: each stays under a sheet's 1,048,576 rows, while the whole-table <code>applications.csv</code> does not. The CSVs are UTF-8 with a byte-order mark, so Chinese shows as it should.</li>
<li><strong>DuckDB, pandas, R, Arrow:</strong> the Parquet files (typed, compressed, every row): <code>SELECT * FROM 'applications.parquet'</code>, <code>pandas.read_parquet('applications.parquet')</code>; <code>partitioned/</code> holds the long tables split by year for reading in place.</li>
</ul>
<table><thead><tr><th>table</th><th>what it holds</th><th>files</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Documentation and checksums</h2><ul>
${others}
</ul></body></html>
`;
}

/** Splits /downloads/<version>/<path> safely: null for anything that is not a plain relative path. */
export function parseDownloadPath(pathname: string): { version: string; path: string } | null {
  const rest = pathname.slice('/downloads/'.length);
  const parts = rest.split('/');
  if (parts.length < 2) return null;
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  if (decoded.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('/') || p.includes('\0'))) return null;
  return { version: decoded[0], path: decoded.slice(1).join('/') };
}

function parseRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // several ranges or a malformed one: the whole file
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Each release's files by path, made once. */
const filesOf = new WeakMap<Release, Map<string, ReleaseFile>>();
function fileIndex(release: Release): Map<string, ReleaseFile> {
  let files = filesOf.get(release);
  if (!files) filesOf.set(release, (files = new Map(release.files.map((f) => [f.path, f]))));
  return files;
}

export function downloadsPlugin(server: ServerState): Plugin {
  const options = { maxAgeSeconds: server.limits.cacheMaxAgeSeconds };
  const fail = (err: ApiError, Response: typeof globalThis.Response) =>
    new Response(errorBody(err), { status: err.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== '/downloads' && !url.pathname.startsWith('/downloads/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const current = requestState(serverContext, server).release;
      const base = baseUrlOf(server);
      const head = request.method === 'HEAD';
      if (url.pathname === '/downloads' || url.pathname === '/downloads/') {
        const html = catalogHtml(buildCatalog(current, base));
        endResponse(new fetchAPI.Response(head ? null : html, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': `public, max-age=${options.maxAgeSeconds}` } }));
        return;
      }
      if (url.pathname === '/downloads/catalog.json') {
        const json = `${JSON.stringify(buildCatalog(current, base), null, 2)}\n`;
        endResponse(new fetchAPI.Response(head ? null : json, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': `public, max-age=${options.maxAgeSeconds}` } }));
        return;
      }
      const parsed = parseDownloadPath(url.pathname);
      if (!parsed) {
        endResponse(fail(new ApiError('BAD_USER_INPUT', `Not a download path: ${url.pathname}. Files are at /downloads/<version>/<file> (see /downloads/catalog.json)`), fetchAPI.Response));
        return;
      }
      const release = parsed.version === 'latest' ? current : server.releases.info(parsed.version);
      if (!release) {
        endResponse(fail(new ApiError('NOT_FOUND', `No release ${parsed.version} on this server: it serves ${current.version} (also as /downloads/latest/…)`), fetchAPI.Response));
        return;
      }
      const file = fileIndex(release).get(parsed.path);
      if (!file) {
        endResponse(fail(new ApiError('NOT_FOUND', `Release ${release.version} has no file ${parsed.path} (see /downloads/catalog.json)`), fetchAPI.Response));
        return;
      }
      const etag = `"${release.version}:${file.path}"`;
      const immutable = parsed.version !== 'latest';
      const headers: Record<string, string> = {
        'content-type': contentType(file.path),
        'accept-ranges': 'bytes',
        etag,
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : `public, max-age=${options.maxAgeSeconds}`,
        'content-disposition': `inline; filename="${file.path.split('/').pop()}"`,
      };
      if (etagMatches(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { etag, 'cache-control': headers['cache-control'] } }));
        return;
      }
      const abs = join(release.dir, file.path);
      const range = parseRange(request.headers.get('range'), file.bytes);
      if (range === 'unsatisfiable') {
        endResponse(new fetchAPI.Response(null, { status: 416, headers: { 'content-range': `bytes */${file.bytes}` } }));
        return;
      }
      const { start, end } = range ?? { start: 0, end: file.bytes - 1 };
      const length = file.bytes === 0 ? 0 : end - start + 1;
      if (range) headers['content-range'] = `bytes ${start}-${end}/${file.bytes}`;
      headers['content-length'] = String(length);
      const body = head || length === 0 ? null : (Readable.toWeb(createReadStream(abs, { start, end })) as ReadableStream<Uint8Array>);
      endResponse(new fetchAPI.Response(body, { status: range ? 206 : 200, headers }));
    },
  };
}
