/** What reading one table yields, before the record is assembled, and the warnings of its alignment. */
import { keyOf, type ColumnDef, type Layout, type TableDef, type TableCode } from '../model/codes.ts';
import type { Derived, Reading, TableValues, Warning } from '../model/record.ts';
import type { UnreadGap } from './align.ts';
import type { ValueGroup } from './groups.ts';
import { doubtOf, type DoubtfulCell } from './ocr-doubt.ts';
import type { RowValues } from './row-values.ts';

export interface TableRead {
  values: TableValues | null;
  layout: Layout | null;
  derived: Record<string, Derived>;
  warnings: Warning[];
  /** "table.row" → where the row was read. */
  locations: Record<string, string>;
  /** "table.row[.column]" → how it was read, where not plainly by its label. */
  readings: Record<string, Reading>;
  /** "table.row.column" → a number OCR read with low confidence, for the tables' rules to judge (ocr-doubt.ts). */
  doubtful?: Record<string, DoubtfulCell>;
}

/**
 * Reading notes for a row's cells: repaired ones with what was printed, and every number read
 * by OCR with the engine's confidence.
 */
export function noteRepairs(read: TableRead, where: string, columns: readonly ColumnDef[], rv: Pick<RowValues, 'repairs' | 'cellRaws' | 'confidences' | 'alternates' | 'printed'>): void {
  const confidences = rv.confidences;
  columns.forEach((column, i) => {
    const confidence = confidences?.[i];
    const value = rv.printed[i];
    if (confidence !== undefined && value !== null) {
      const doubt = doubtOf(value, confidence, rv.alternates?.[i], column.kind, rv.cellRaws?.[i] ?? String(value));
      if (doubt) (read.doubtful ??= {})[keyOf(where, column.code)] = doubt;
    }
    const note: Reading | null = rv.repairs?.[i] ? { basis: 'repaired', raw: rv.cellRaws?.[i] } : confidence !== undefined && rv.printed[i] !== null ? { basis: 'ocr' } : null;
    if (!note) return;
    if (confidence !== undefined) note.confidence = confidence;
    read.readings[keyOf(where, column.code)] = note;
  });
}

export function emptyRead(layout: Layout | null = null): TableRead {
  return { values: null, layout, derived: {}, warnings: [], locations: {}, readings: {} };
}

const rawOf = (g: ValueGroup) => g.tokens.map((t) => (t.kind === 'blank' ? '' : t.parsed.raw)).join(' | ');

/** A row left unread because several placements of the numbers around it fit equally well. */
export function unreadWarning(where: string, label: string, gap: UnreadGap, def: TableDef): Warning {
  const names = (rows: number[]) => rows.filter((r) => r >= 0).map((r) => def.rows[r].code).join(', ');
  const candidates = gap.candidates.length ? `; candidates: ${gap.candidates.map((c) => `[${names(c)}]`).join(' or ')}` : '';
  return {
    code: 'alignment_ambiguous',
    where,
    message: `row ${label}: the numbers near it fit rows ${names(gap.rows)} in more than one way and the accounting rules do not decide${candidates}`,
  };
}

/** Numbers inside a table that belong to no row of its template. */
export function unplacedWarning(table: TableCode, g: ValueGroup): Warning {
  return { code: 'values_unplaced', where: table, raw: rawOf(g), at: g.at, message: 'numbers printed in the table that fit no row of the template' };
}

/** The columns of a table cut off at the page's edge, once per table. */
export function clippedWarning(table: TableCode, columns: readonly { code: string; zh: string }[], clipped: readonly number[] | undefined): Warning[] {
  if (!clipped?.length) return [];
  const names = clipped.map((c) => `${columns[c].code} (${columns[c].zh})`).join(', ');
  return [{ code: 'table_clipped', where: table, message: `the table runs past the page's edge: column(s) ${names} are not in the file, their cells are null` }];
}
