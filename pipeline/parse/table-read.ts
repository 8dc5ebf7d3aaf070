/** What reading one table yields, before the record is assembled. */
import type { Layout } from '../model/codes.ts';
import type { Derived, TableValues, Warning } from '../model/record.ts';

export interface TableRead {
  values: TableValues | null;
  layout: Layout | null;
  derived: Record<string, Derived>;
  warnings: Warning[];
  /** "table.row" → where the row was read. */
  locations: Record<string, string>;
}

export function emptyRead(layout: Layout | null = null): TableRead {
  return { values: null, layout, derived: {}, warnings: [], locations: {} };
}
