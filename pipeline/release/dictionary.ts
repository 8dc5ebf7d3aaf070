/**
 * DATA_DICTIONARY.md: every published table and column (Chinese label, type, description,
 * keys, allowed values), then every code of pipeline/model/codes.ts — sections, tables, rows,
 * columns, outcome groups and checks — with its Chinese and English label. Pure: generated from
 * schema.ts and codes.ts only, so it is the same for every build of the same code.
 */
import { CHECKS, LAYOUTS, OUTCOME_GROUPS, SECTIONS, TABLE_CODES, tableDef, type ColumnDef, type Layout, type RowDef, type TableCode } from '../model/codes.ts';
import { frictionlessType, PARTITION_KEY, publishedTables } from './datapackage.ts';
import { RELEASE_CHECKS } from './quality.ts';
import type { TableSpec } from './schema.ts';

const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' '));
const code = (s: string): string => `\`${s}\``;

function mdTable(headers: string[], rows: unknown[][]): string {
  return [headers, headers.map(() => '---'), ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function tableSection(spec: TableSpec): string {
  const out: string[] = [];
  out.push(`### ${code(spec.name)} — ${spec.zh}`);
  out.push(spec.description);
  const files = [`${spec.name}.parquet`, `${spec.name}.csv`];
  if (spec.partitioned) files.push(`partitioned/${spec.name}/${PARTITION_KEY}=YYYY/data_0.parquet`);
  const facts = [`- Files: ${files.map(code).join(', ')}`, `- Primary key: ${spec.primaryKey.map(code).join(', ')}`];
  for (const fk of spec.foreignKeys ?? []) {
    facts.push(`- Foreign key: ${fk.fields.map(code).join(', ')} → ${code(fk.reference.resource)} (${fk.reference.fields.map(code).join(', ')})`);
  }
  if (spec.partitioned) facts.push(`- In the partitioned files, ${code(PARTITION_KEY)} is the partition key (the folder name), not a column of the files.`);
  out.push(facts.join('\n'));
  out.push(
    mdTable(
      ['column', '中文', 'type', 'description', 'values'],
      spec.columns.map((c) => [
        code(c.name),
        c.zh,
        `${c.type} (${frictionlessType(c.type)})`,
        c.description,
        [c.required ? 'required' : '', c.enum ? c.enum.map(code).join(', ') : ''].filter(Boolean).join('; '),
      ]),
    ),
  );
  return out.join('\n\n');
}

/** Rows of a table across layouts: one line per (code, label), with the layouts that print it. */
function rowsAcrossLayouts(table: TableCode): { row: RowDef; layouts: Layout[] }[] {
  const out: { row: RowDef; layouts: Layout[] }[] = [];
  for (const layout of [...LAYOUTS].reverse()) {
    for (const row of tableDef(table, layout).rows) {
      const seen = out.find((x) => x.row.code === row.code && x.row.zh === row.zh);
      if (seen) seen.layouts.push(layout);
      else {
        // A label variant of a known row goes right after it.
        const sameCode = out.findLastIndex((x) => x.row.code === row.code);
        out.splice(sameCode < 0 ? out.length : sameCode + 1, 0, { row, layouts: [layout] });
      }
    }
  }
  return out;
}

/** Columns of a table across layouts: one line per (code, label), with its layouts and rows. */
function columnsAcrossLayouts(table: TableCode): { column: ColumnDef; layouts: Set<Layout>; rows: string[] }[] {
  const out: { column: ColumnDef; layouts: Set<Layout>; rows: string[] }[] = [];
  for (const layout of [...LAYOUTS].reverse()) {
    for (const row of tableDef(table, layout).rows) {
      for (const column of row.columns) {
        let seen = out.find((x) => x.column.code === column.code && x.column.zh === column.zh);
        if (!seen) out.push((seen = { column, layouts: new Set(), rows: [] }));
        seen.layouts.add(layout);
        if (!seen.rows.includes(row.code)) seen.rows.push(row.code);
      }
    }
  }
  return out;
}

function codeSection(table: TableCode): string {
  const def = tableDef(table, '2021');
  const section = SECTIONS.find((s) => s.code === def.section)!;
  const out: string[] = [];
  out.push(`### ${code(table)} — table ${section.numeral}: ${def.zh} (${def.en})`);
  out.push('Rows:');
  out.push(
    mdTable(
      ['row', '中文', 'English', 'group', 'layouts'],
      rowsAcrossLayouts(table).map(({ row, layouts }) => [code(row.code), row.zh, row.en, row.group, layouts.sort().join(', ')]),
    ),
  );
  const columns = columnsAcrossLayouts(table);
  const allRows = new Set(tableDef(table, '2021').rows.map((r) => r.code).concat(tableDef(table, '2019').rows.map((r) => r.code)));
  out.push('Columns:');
  out.push(
    mdTable(
      ['column', '中文', 'English', 'kind', 'layouts', 'rows'],
      columns.map(({ column, layouts, rows }) => [
        code(column.code),
        column.zh,
        column.en,
        column.kind,
        [...layouts].sort().join(', '),
        rows.length === allRows.size ? 'all' : rows.map(code).join(', '),
      ]),
    ),
  );
  return out.join('\n\n');
}

export function dataDictionary(): string {
  const out: string[] = [];
  out.push('# Data dictionary');
  out.push(
    'Every table of the release is published as Parquet (`<table>.parquet`, ZSTD) and as CSV (`<table>.csv`, UTF-8 with a byte-order mark so that Excel shows Chinese; an empty field is null). ' +
      'The long cell tables (`proactive`, `applications`, `review_litigation`) are also written hive-partitioned by year. ' +
      '`datapackage.json` describes the same tables as a Frictionless Data Package; `quality.json` / `QUALITY.md` report what the checks found; `CHANGES.md` summarises the `changes` table (what changed since the previous release); `SHA256SUMS` lists the checksum of every file.',
  );
  out.push(
    'Types are DuckDB types with the Frictionless type in brackets. A cell value is the number printed in the report: `null` when the cell was blank, a dash, a slash, 无 or unreadable — never 0. Values the pipeline inferred are kept apart, in `derived_value`.',
  );

  out.push('## Tables');
  for (const spec of publishedTables()) out.push(tableSection(spec));

  out.push('## Codes');
  out.push('The canonical codes of the annual report, as defined in `pipeline/model/codes.ts`. The row, column and check columns of the tables hold these codes.');
  out.push('### Sections');
  out.push(mdTable(['numeral', 'section', '中文', 'English'], SECTIONS.map((s) => [s.numeral, code(s.code), s.zh, s.en])));
  out.push('### Tables and layouts');
  out.push(
    'Layout `2021` is the revised template (国办公开办函〔2021〕30号), used for reports on 2021 and later; layout `2019` (国办公开办函〔2019〕60号) for reports on 2019 and 2020. The layout is detected from each table, not from the year.',
  );
  out.push(
    mdTable(
      ['table', '中文', 'English', 'rows (2021)', 'rows (2019)'],
      TABLE_CODES.map((t) => [code(t), tableDef(t, '2021').zh, tableDef(t, '2021').en, tableDef(t, '2021').rows.length, tableDef(t, '2019').rows.length]),
    ),
  );
  for (const t of TABLE_CODES) out.push(codeSection(t));
  out.push('### Outcome groups of table 3');
  out.push(mdTable(['group', '中文', 'English'], OUTCOME_GROUPS.map((g) => [code(g.code), g.zh, g.en])));
  out.push('### Checks');
  out.push(
    'Each check has status `pass`, `fail` or `not_assessable` (an operand is blank or unknown). `report` checks run within one report; `release` checks compare reports once every report is loaded.',
  );
  out.push(mdTable(['check', '中文', 'English', 'level'], CHECKS.map((c) => [code(c.code), c.zh, c.en, RELEASE_CHECKS.includes(c.code) ? 'release' : 'report'])));
  return `${out.join('\n\n')}\n`;
}
