/**
 * Table 2 — proactive disclosure (主动公开政府信息情况), both layouts. Rows are found by label;
 * each row has the columns its sub-table defines. Money is brought to 万元: a unit in the cell
 * or in the header above it is converted (unit_converted); no unit at all is taken as 万元
 * (unit_assumed).
 */
import { tableDef, type Layout } from '../model/codes.ts';
import { templateKeys } from './labels.ts';
import { detectLayout } from './layout.ts';
import { toTenThousandYuan, unitInHeader } from './numbers.ts';
import { findColumns, headerLines, type Columns } from './columns.ts';
import { resolveRow } from './row-values.ts';
import { readRows } from './rows.ts';
import { emptyRead, type TableRead } from './table-read.ts';
import type { Token } from './tokens.ts';

export function readProactive(tokens: Token[], fallback: Layout | null): TableRead {
  const detected = detectLayout('proactive', tokens);
  const layout = detected ?? fallback;
  const read = emptyRead(layout);
  if (!layout) return read;
  if (!detected) read.warnings.push({ code: 'layout_uncertain', where: 'proactive', message: `layout not evident from the table; taken as ${layout}` });

  const def = tableDef('proactive', layout);
  const rows = readRows(tokens, templateKeys('proactive', def));
  if (rows.size === 0) return read;

  // Each sub-table (条款) has its own columns.
  const columnsOf = new Map<string, Columns | null>();
  for (const group of new Set(def.rows.map((r) => r.group))) {
    const members = def.rows.filter((r) => r.group === group);
    const printed = members.flatMap((r) => (rows.get(r.code) ? [rows.get(r.code)!.values] : []));
    columnsOf.set(group, findColumns(printed, headerLines(tokens, printed), members[0].columns.length));
  }

  const values: NonNullable<TableRead['values']> = {};
  for (const rowDef of def.rows) {
    const where = `proactive.${rowDef.code}`;
    const row = rows.get(rowDef.code);
    values[rowDef.code] = Object.fromEntries(rowDef.columns.map((c) => [c.code, null]));
    if (!row) {
      read.warnings.push({ code: 'row_missing', where, message: `row ${rowDef.zh} not found` });
      continue;
    }
    read.locations[where] = row.at;
    const rv = resolveRow(row.values, rowDef.columns, where, [], columnsOf.get(rowDef.group), row.at);
    read.warnings.push(...rv.warnings);
    rowDef.columns.forEach((column, i) => {
      let value = rv.printed[i];
      if (value !== null && column.kind === 'amount') {
        const unit = rv.units[i] ?? unitInHeader(row.label);
        const converted = toTenThousandYuan(value, unit);
        if (converted.converted) {
          read.warnings.push({ code: 'unit_converted', where: `${where}.${column.code}`, raw: rv.cellRaws?.[i], message: `${value}${unit} → ${converted.value}万元` });
          value = converted.value;
        } else if (!unit) {
          read.warnings.push({ code: 'unit_assumed', where: `${where}.${column.code}`, message: 'no unit printed; taken as 万元' });
        }
      }
      values[rowDef.code][column.code] = value;
      if (rv.derived) read.derived[`${where}.${column.code}`] = { value: rv.derived.values[i], rule: rv.derived.rule, raw: rv.derived.raw };
    });
  }
  read.values = values;
  return read;
}
