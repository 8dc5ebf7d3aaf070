/**
 * Bytes of one report → its canonical record (or an error object in its place). A pure
 * function: no disk, clock or network; the CLI and the release build do the I/O around it.
 */
import { hash as digest } from 'node:crypto';
import { runChecks } from '../check/index.ts';
import { judgeDoubtful, type DoubtfulCell } from './ocr-doubt.ts';
import { GongkaiError, InputError } from '../errors.ts';
import { TABLE_CODES, type Layout, type TableCode } from '../model/codes.ts';
import type { FileLimits } from '../model/limits.ts';
import type { AgencyIdentity, ParseOutcome, ReportRecord, Warning } from '../model/record.ts';
import { readDocument, readDocumentAsync } from '../read/formats.ts';
import type { DocumentModel } from '../read/document.ts';
import type { OcrOptions } from '../read/ocr.ts';
import { agencyFromTitle, findPublished, findTitle, findYear } from './metadata.ts';
import { proactiveItems, statements } from './prose.ts';
import { proseOf, splitSections } from './sections.ts';
import { readProactive } from './table2.ts';
import { readApplications } from './table3.ts';
import { readReviewLitigation } from './table4.ts';
import { emptyRead, type TableRead } from './table-read.ts';
import { normalizeAgency } from '../normalize/agencies.ts';
import type { ManifestRow } from '../normalize/manifest.ts';
import { tokenize } from './tokens.ts';

export function sha256(bytes: Uint8Array): string {
  return digest('sha256', bytes, 'hex');
}

const TABLE_NAMES: Record<TableCode, string> = {
  proactive: 'table 2 (主动公开政府信息情况)',
  applications: 'table 3 (收到和处理政府信息公开申请情况)',
  review_litigation: 'table 4 (行政复议、行政诉讼情况)',
};

/** The year decides the layout only when a table's own words do not (a truncated table). */
const layoutOfYear = (year: number | null): Layout | null => (year === null ? null : year >= 2021 ? '2021' : '2019');

/**
 * What is known of a file besides its bytes: its row in the folder's manifest.csv; the limits it
 * is read under; how to OCR a scan.
 */
export interface ParseContext {
  manifest?: ManifestRow | null;
  limits?: FileLimits;
  /** Pages without a text layer are OCR'd with this; without it a scan is refused (no_text_layer). */
  ocr?: OcrOptions;
  /** The bytes' SHA-256 (hex), where the caller has it already: a build hashes every file for its cache. */
  sha256?: string;
}

/** Object.assign for the tables' maps of cells: a plain loop is a third of its cost on these. */
function copyInto<T>(target: Record<string, T>, source: Record<string, T>): void {
  for (const key in source) target[key] = source[key];
}

export function parseDocumentModel(doc: DocumentModel, source: string, hash: string, context: ParseContext = {}): ReportRecord {
  const { preamble, byCode } = splitSections(doc.blocks);
  const overview = byCode.overview ? proseOf(byCode.overview.items) : '';
  const title = findTitle(preamble, doc.meta);
  const preambleText = proseOf(preamble);
  const covered = findYear(title, preambleText, overview);
  const manifest = context.manifest ?? null;
  const warnings: Warning[] = [...(doc.warnings ?? []), ...covered.warnings];
  // The manifest wins over what the file says; a disagreement is worth a warning.
  const printedAgency = title ? agencyFromTitle(title) : null;
  const agency = manifest?.agency || printedAgency;
  const year = manifest?.year || covered.year;
  if (manifest?.agency && printedAgency && manifest.agency !== printedAgency) {
    warnings.push({ code: 'manifest_override', where: 'agency', message: `the manifest names "${manifest.agency}", the report "${printedAgency}"` });
  }
  if (manifest?.year && covered.year && manifest.year !== covered.year) {
    warnings.push({ code: 'manifest_override', where: 'year', message: `the manifest says ${manifest.year}, the report ${covered.year}` });
  }
  const published = manifest?.published_at ?? doc.meta.published_at ?? findPublished(preambleText);
  const url = manifest?.source_url ?? doc.meta.url;
  const fallback = layoutOfYear(year);

  const tokensOf = (code: TableCode) => (byCode[code] ? tokenize(byCode[code]!.items) : null);
  const t2 = tokensOf('proactive');
  const t3 = tokensOf('applications');
  const t4 = tokensOf('review_litigation');
  const reads: Record<TableCode, TableRead> = {
    proactive: t2 ? readProactive(t2, fallback) : emptyRead(),
    applications: t3 ? readApplications(t3, fallback) : emptyRead(),
    review_litigation: t4 ? readReviewLitigation(t4) : emptyRead(),
  };

  if (!agency) warnings.push({ code: 'agency_missing', where: 'agency', message: 'no agency named in the title' });
  const tables = {} as ReportRecord['tables'];
  const derived: ReportRecord['derived'] = {};
  const locations: ReportRecord['locations'] = {};
  const readings: ReportRecord['readings'] = {};
  const doubtful: Record<string, DoubtfulCell> = {};
  const layouts: ReportRecord['layouts'] = {};
  for (const code of TABLE_CODES) {
    const read = reads[code];
    tables[code] = read.values;
    if (!read.values) {
      const why = byCode[code] ? 'the section prints no table' : 'the section heading was not found';
      warnings.push({ code: 'table_missing', where: code, message: `${TABLE_NAMES[code]} not found: ${why}` });
      continue;
    }
    copyInto(derived, read.derived);
    copyInto(locations, read.locations);
    copyInto(readings, read.readings);
    if (read.doubtful) copyInto(doubtful, read.doubtful);
    warnings.push(...read.warnings);
    if (read.layout && code !== 'review_litigation') layouts[code] = read.layout;
  }
  if (layouts.proactive && layouts.applications && layouts.proactive !== layouts.applications) {
    warnings.push({ code: 'mixed_layout', where: 'layout', message: `table 2 follows the ${layouts.proactive} template, table 3 the ${layouts.applications} template` });
  }

  const items = proactiveItems(overview);
  warnings.push(...items.warnings);
  const said = statements(overview);
  const checkLayout = tables.applications ? (layouts.applications ?? null) : null;
  // Numbers OCR was unsure of stand only where the tables' rules speak for them.
  for (const w of judgeDoubtful({ tables, derived }, checkLayout, said, doubtful)) {
    warnings.push(w);
    delete readings[w.where];
  }
  const checks = runChecks({ tables, derived }, checkLayout, said);

  // The page's own words around the report (its <title>, the publisher it names) are evidence
  // for an ambiguous place, as the opening prose is: 鼓楼区 under a 南京市 site is 南京市鼓楼区.
  const pageWords = [doc.meta.title, doc.meta.publisher].filter(Boolean).join('\n');
  const who = normalizeAgency({ agency, title, text: `${preambleText}\n${overview}\n${pageWords}`, manifest, sourceUrl: url ?? null });
  for (const w of who.warnings) if (w.code !== 'agency_missing') warnings.push({ code: w.code, where: 'identity', message: w.message });
  const identity: AgencyIdentity = {
    agency_id: who.agency_id,
    region_code: who.region_code,
    region_candidates: who.region_candidates,
    region_status: who.region_status,
    region_source: who.region_source,
    agency_kind: who.agency_kind,
    level: who.level,
    scope: who.scope,
    scope_evidence: who.scope_evidence,
  };

  return {
    source,
    sha256: hash,
    format: doc.format,
    title,
    agency,
    year,
    layout: layouts.applications ?? layouts.proactive ?? null,
    layouts,
    tables,
    figures: { proactive_items_published: items.value },
    derived,
    checks,
    warnings,
    locations,
    readings,
    page: {
      ...(url ? { url } : {}),
      ...(published ? { published_at: published } : {}),
      ...(doc.meta.publisher ? { publisher: doc.meta.publisher } : {}),
    },
    identity,
  };
}

function finish(doc: DocumentModel, source: string, hash: string, context: ParseContext): ReportRecord {
  if (!doc.blocks.length) throw new InputError('empty_file', 'the file holds no text');
  const record = parseDocumentModel(doc, source, hash, context);
  const found = Object.values(record.tables).some(Boolean);
  if (!found && !/年度报告|年报/.test(record.title ?? '')) {
    throw new InputError('not_a_report', 'no annual-report tables or title found (政府信息公开工作年度报告)');
  }
  return record;
}

function failure(err: unknown, source: string, hash: string): ParseOutcome {
  if (err instanceof GongkaiError) return { source, sha256: hash, error: { code: err.code as never, message: `${source}: ${err.message}` } };
  const message = err instanceof Error ? err.message : String(err);
  return { source, sha256: hash, error: { code: 'internal', message: `${source}: parser failed: ${message}` } };
}

/** HTML, text and DOCX, synchronously. PDFs need parseReportAsync. */
export function parseReport(bytes: Uint8Array, source: string, context: ParseContext = {}): ParseOutcome {
  const hash = context.sha256 ?? sha256(bytes);
  try {
    if (bytes.length === 0) throw new InputError('empty_file', 'the file is empty');
    return finish(readDocument(bytes, source, context.limits), source, hash, context);
  } catch (err) {
    return failure(err, source, hash);
  }
}

/** Every format, PDFs included: what the CLI and the build use. */
export async function parseReportAsync(bytes: Uint8Array, source: string, context: ParseContext = {}): Promise<ParseOutcome> {
  const hash = context.sha256 ?? sha256(bytes);
  try {
    if (bytes.length === 0) throw new InputError('empty_file', 'the file is empty');
    return finish(await readDocumentAsync(bytes, source, context.limits, { ocr: context.ocr }), source, hash, context);
  } catch (err) {
    return failure(err, source, hash);
  }
}
