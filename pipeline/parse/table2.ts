/**
 * Table 2 — proactive disclosure (主动公开政府信息情况), both layouts. Rows are found by label;
 * each row has the columns its sub-table defines. Money is brought to 万元: a unit in the cell
 * or in the header above it is converted (unit_converted); no unit at all is taken as 万元
 * (unit_assumed).
 */
import { keyOf, tableDef, type Layout } from '../model/codes.ts';
import { templateKeys } from './labels.ts';
import { detectLayout } from './layout.ts';
import { toTenThousandYuan, unitInHeader } from './numbers.ts';
import { findColumns, headerLines, type Columns } from './columns.ts';
import { resolveGroup, resolveRow } from './row-values.ts';
import { alignGroups } from './align.ts';
import { valueGroups } from './groups.ts';
import { emptyRead, noteRepairs, unreadWarning, type TableRead } from './table-read.ts';
import type { Token } from './tokens.ts';

export function readProactive(tokens: Token[], fallback: Layout | null): TableRead {
  const detected = detectLayout('proactive', tokens);
  const layout = detected ?? fallback;
  const read = emptyRead(layout);
  if (!layout) return read;
  if (!detected) read.warnings.push({ code: 'layout_uncertain', where: 'proactive', message: `layout not evident from the table; taken as ${layout}` });

  const def = tableDef('proactive', layout);
  const groups = valueGroups(tokens, templateKeys('proactive', def));
  const alignment = alignGroups(groups, { widths: def.rows.map((r) => r.columns.length) });
  if (alignment.rows.size === 0) return read;
  const rows = new Map(def.rows.flatMap((r, i) => (alignment.rows.has(i) ? [[r.code, alignment.rows.get(i)!] as const] : [])));

  // Each sub-table (条款) has its own columns.
  const columnsOf = new Map<string, Columns | null>();
  for (const group of new Set(def.rows.map((r) => r.group))) {
    const members = def.rows.filter((r) => r.group === group);
    const printed = members.flatMap((r) => (rows.get(r.code) ? [rows.get(r.code)!.group.tokens] : []));
    columnsOf.set(group, findColumns(printed, headerLines(tokens, printed), members[0].columns.length));
  }

  const values: NonNullable<TableRead['values']> = {};
  for (const rowDef of def.rows) {
    const where = keyOf('proactive', rowDef.code);
    const aligned = rows.get(rowDef.code);
    values[rowDef.code] = Object.fromEntries(rowDef.columns.map((c) => [c.code, null]));
    if (!aligned && alignment.empty.includes(def.rows.indexOf(rowDef))) {
      // The label is printed in its place with nothing after it: every cell blank.
      read.warnings.push(...resolveRow([], rowDef.columns, where, [], columnsOf.get(rowDef.group), '').warnings);
      continue;
    }
    if (!aligned) {
      const r = def.rows.indexOf(rowDef);
      const gap = alignment.unread.find((u) => u.rows.includes(r));
      read.warnings.push(gap ? unreadWarning(where, rowDef.zh, gap, def) : { code: 'row_missing', where, message: `row ${rowDef.zh} not found` });
      continue;
    }
    const row = aligned.group;
    read.locations[where] = row.at;
    if (aligned.basis !== 'label') read.readings[where] = { basis: aligned.basis };
    const rv = resolveGroup(row, rowDef.columns, where, [], columnsOf.get(rowDef.group));
    noteRepairs(read, where, rowDef.columns, rv);
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
      if (rv.derived) read.derived[keyOf(where, column.code)] = { value: rv.derived.values[i], rule: rv.derived.rule, raw: rv.derived.raw };
    });
  }
  read.values = values;
  return read;
}
