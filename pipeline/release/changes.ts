/**
 * The readable side of the `changes` table: CHANGES.md, what changed since the previous
 * release, and the counts release.json carries. Load: aggregate `changes` in DuckDB. Process:
 * shape the summary and the page. The page is deterministic for the same two releases: every
 * list has a fixed order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_CODES } from '../model/codes.ts';
import { query } from './duck.ts';
import { code, fmt, MD_LIST_LIMIT, mdTable } from './markdown.ts';

/** How many changed cells CHANGES.md lists (the `changes` table has them all). */
export const CELLS_LISTED = 200;

export interface ChangesSummary {
  /** The release compared with; null for a first release. */
  previous: string | null;
  /** Reports compared cell by cell (with the same parser, only those whose file, year or layout changed). */
  compared: number;
  same_parser: boolean;
  reports_added: number;
  reports_removed: number;
  cells_changed: number;
  /** Reports with at least one changed cell. */
  reports_changed: number;
  /** By table, in the order of codes.ts; only tables with changes. `appeared`: blank or absent before; `vanished`: blank or absent now. */
  by_table: { table: string; cells: number; reports: number; appeared: number; vanished: number }[];
}

interface ChangeRow {
  change: string;
  report_id: string;
  source_path: string;
  table: string | null;
  row: string | null;
  column: string | null;
  old_value: number | null;
  new_value: number | null;
  old_sha256: string | null;
  new_sha256: string | null;
  old_fetched_at: string | null;
  new_fetched_at: string | null;
}

/** A source revision for people: the first 8 hex digits of the file's SHA-256, and its fetch time. */
const revision = (sha: string | null, fetched: string | null) => (sha ? `${sha.slice(0, 8)}${fetched ? ` (${fetched})` : ''}` : '');

/** Tables in the order of codes.ts. */
const TABLE_RANK = `array_position([${TABLE_CODES.map((t) => `'${t}'`).join(', ')}], "table")`;
const ORDER = `source_path, report_id, ${TABLE_RANK}, row, "column"`;

export async function collectChanges(
  con: DuckDBConnection,
  context: { previous: string | null; compared: number | null; sameParser: boolean },
): Promise<{ summary: ChangesSummary; added: ChangeRow[]; removed: ChangeRow[]; cells: ChangeRow[] }> {
  const [totals] = await query<{ added: number; removed: number; cells: number; reports: number }>(
    con,
    `SELECT count(*) FILTER (WHERE "change" = 'report_added') AS added,
            count(*) FILTER (WHERE "change" = 'report_removed') AS removed,
            count(*) FILTER (WHERE "change" = 'cell_changed') AS cells,
            count(DISTINCT report_id) FILTER (WHERE "change" = 'cell_changed') AS reports
     FROM changes`,
  );
  const byTable = await query<ChangesSummary['by_table'][number]>(
    con,
    `SELECT "table", count(*) AS cells, count(DISTINCT report_id) AS reports,
            count(*) FILTER (WHERE old_value IS NULL) AS appeared, count(*) FILTER (WHERE new_value IS NULL) AS vanished
     FROM changes WHERE "change" = 'cell_changed' GROUP BY "table"
     ORDER BY ${TABLE_RANK}`,
  );
  const list = (change: string, limit: number) => query<ChangeRow>(con, `SELECT * FROM changes WHERE "change" = '${change}' ORDER BY ${ORDER} LIMIT ${limit}`);
  return {
    summary: {
      previous: context.previous,
      compared: context.compared ?? 0,
      same_parser: context.sameParser,
      reports_added: totals.added,
      reports_removed: totals.removed,
      cells_changed: totals.cells,
      reports_changed: totals.reports,
      by_table: byTable,
    },
    added: await list('report_added', MD_LIST_LIMIT),
    removed: await list('report_removed', MD_LIST_LIMIT),
    cells: await list('cell_changed', CELLS_LISTED),
  };
}

/** A listed table, with a note when the list was cut. */
const more = (table: string, total: number, shown: number) => (total > shown ? `${table}\n\n… and ${fmt(total - shown)} more (see the \`changes\` table).` : table);

/** CHANGES.md: the summary, the first changed cells, the first reports added and removed. */
export function changesMarkdown(c: Awaited<ReturnType<typeof collectChanges>>): string {
  const s = c.summary;
  const out: string[] = ['# Changes'];
  if (!s.previous) {
    out.push('The first release in this folder: there is nothing to compare it with, and the `changes` table is empty.');
    return `${out.join('\n\n')}\n`;
  }
  out.push(
    `Since release ${s.previous}: ${fmt(s.reports_added)} reports added, ${fmt(s.reports_removed)} removed, ` +
      `${fmt(s.cells_changed)} cells changed in ${fmt(s.reports_changed)} reports. ` +
      (s.same_parser
        ? `Both releases were made by the same parser, so only the ${fmt(s.compared)} reports whose file, year or layout changed were compared cell by cell.`
        : `The parser changed between the releases, so all ${fmt(s.compared)} reports present in both were compared cell by cell.`) +
      ' Every change is a row of the `changes` table (Parquet and CSV), with the source revision behind each side: the SHA-256 of the file each release read and, for fetched files, when it was downloaded.',
  );
  if (s.by_table.length) {
    out.push('## Changed cells by table');
    out.push(
      mdTable(
        ['table', 'cells', 'reports', 'blank or absent before', 'blank or absent now'],
        s.by_table.map((t) => [code(t.table), fmt(t.cells), fmt(t.reports), fmt(t.appeared), fmt(t.vanished)]),
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
    out.push(s.cells_changed > CELLS_LISTED ? `## The first ${fmt(CELLS_LISTED)} changed cells, by source file` : '## Changed cells, by source file');
    const rows = c.cells.map((r) => [
      code(r.source_path),
      r.table,
      code(r.row),
      code(r.column),
      fmt(r.old_value),
      fmt(r.new_value),
      r.old_sha256 === r.new_sha256 ? 'same file' : `${revision(r.old_sha256, r.old_fetched_at)} → ${revision(r.new_sha256, r.new_fetched_at)}`,
    ]);
    out.push(more(mdTable(['source', 'table', 'row', 'column', 'before', 'now', 'source revision'], rows, ['l', 'l', 'l', 'l', 'r', 'r', 'l']), s.cells_changed, CELLS_LISTED));
  }
  for (const [title, rows, total] of [
    ['Reports added', c.added, s.reports_added],
    ['Reports removed', c.removed, s.reports_removed],
  ] as const) {
    if (!total) continue;
    out.push(`## ${title}: ${fmt(total)}`);
    out.push(more(mdTable(['report', 'source'], rows.map((r) => [code(r.report_id), code(r.source_path)])), total, MD_LIST_LIMIT));
  }
  if (!s.reports_added && !s.reports_removed && !s.cells_changed) out.push('Nothing changed: the same reports with the same values.');
  return `${out.join('\n\n')}\n`;
}

export async function writeChanges(con: DuckDBConnection, dir: string, context: Parameters<typeof collectChanges>[1]): Promise<ChangesSummary> {
  const collected = await collectChanges(con, context);
  writeFileSync(join(dir, 'CHANGES.md'), changesMarkdown(collected));
  return collected.summary;
}
