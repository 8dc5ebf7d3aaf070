/**
 * datapackage.json: the release as a Frictionless Data Package. One resource per table and
 * format (CSV, Parquet), one per hive-partitioned long table, and applications_wide. Each field
 * carries its Frictionless type, its Chinese label as `title` and its English description;
 * keys and constraints come from schema.ts. Pure: the caller passes the files and their hashes.
 */
import { tableDef } from '../model/codes.ts';
import { GENERATED_BOTH } from './generated.ts';
import { tableSpec, TABLES, WIDE_TABLE, type ColumnSpec, type DuckType, type TableSpec } from './schema.ts';

export const DATASET = {
  name: 'gongkai',
  title: 'Gongkai 公开: 政府信息公开工作年度报告 (government information disclosure annual reports)',
  description:
    'Every cell of the three tables of Chinese government information disclosure annual reports (政府信息公开工作年度报告) as printed, ' +
    'with the reporting agency, its GB/T 2260 region, the accounting checks the template implies, the parser\'s warnings and every input file. ' +
    'See DATA_DICTIONARY.md for the columns and codes and QUALITY.md for what the checks found.',
  keywords: ['政府信息公开', 'government information disclosure', 'China', 'annual reports', 'open government', 'FOI'],
  /**
   * The licence the release is published under. The source reports are public documents
   * published by the agencies named in each row; this licence covers the compilation.
   */
  license: { name: 'CC-BY-4.0', title: 'Creative Commons Attribution 4.0', path: 'https://creativecommons.org/licenses/by/4.0/' },
  authors: 'Gongkai contributors',
} as const;

const FRICTIONLESS_TYPE: Record<DuckType, string> = {
  VARCHAR: 'string',
  INTEGER: 'integer',
  SMALLINT: 'integer',
  BIGINT: 'integer',
  DOUBLE: 'number',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'datetime',
};

export function frictionlessType(type: DuckType): string {
  return FRICTIONLESS_TYPE[type];
}

/** The long cell tables also written hive-partitioned by year (partitioned/<table>/year=YYYY/). */
export const PARTITION_KEY = 'year';

/**
 * applications_wide as a TableSpec: the columns wideSelect() (derive.ts) writes — the keys of
 * a report, the applicant type, then one column per outcome row of either layout (the union,
 * 2021 rows first), each holding the printed value.
 */
export function wideTableSpec(): TableSpec {
  const long = tableSpec('applications');
  const col = (name: string) => long.columns.find((c) => c.name === name)!;
  const rows2021 = tableDef('applications', '2021').rows;
  const rows2019 = tableDef('applications', '2019').rows;
  const codes = [...new Set([...rows2021, ...rows2019].map((r) => r.code))];
  const outcomeColumns: ColumnSpec[] = codes.map((code) => {
    const row = rows2021.find((r) => r.code === code) ?? rows2019.find((r) => r.code === code)!;
    const in2021 = rows2021.some((r) => r.code === code);
    const in2019 = rows2019.some((r) => r.code === code);
    const only = in2021 && in2019 ? '' : ` (layout ${in2021 ? '2021' : '2019'} only; null for reports in the other layout)`;
    return {
      name: code,
      type: 'INTEGER',
      zh: row.zh,
      description: `${row.en}: the number printed in row ${code} of table 3 for this applicant type (null when blank)${only}`,
    };
  });
  return {
    name: WIDE_TABLE,
    title: WIDE_TABLE,
    zh: '收到和处理政府信息公开申请情况（宽表）',
    description:
      'Table 3 in wide form: one row per report and applicant type (the seven columns of the table), one column per outcome row, ' +
      'with the agency and region names beside their codes — the file for a spreadsheet. ' +
      'Printed values only; derived values are in applications.derived_value.',
    columns: [
      col('report_id'),
      col('agency_id'),
      { ...tableSpec('reports').columns.find((c) => c.name === 'agency')!, required: false },
      col('region_code'),
      { name: 'region_name', type: 'VARCHAR', zh: '行政区划名称', description: 'The official name of region_code (regions.name), so the file reads without a join' },
      col('year'),
      col('scope'),
      col('layout'),
      {
        name: 'applicant',
        type: 'VARCHAR',
        zh: '申请人情况',
        description: 'The applicant column of table 3 (natural_person … other_org, or total)',
        enum: tableDef('applications', '2021').rows[0].columns.map((c) => c.code),
        required: true,
      },
      ...outcomeColumns,
    ],
    primaryKey: ['report_id', 'applicant'],
    foreignKeys: [{ fields: ['report_id'], reference: { resource: 'reports', fields: ['report_id'] } }],
    order: 'report_id, col_ord',
  };
}

/** Every published table: schema.ts's, then applications_wide. */
export function publishedTables(): TableSpec[] {
  return [...TABLES, wideTableSpec()];
}

export interface FileFacts {
  path: string;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface PackageInfo {
  version: string;
  /** ISO 8601 build time. */
  created: string;
  /** Every file of the release so far (data files at least), with size and hash. */
  files: FileFacts[];
  /** Set when the release holds generated reports (generated.ts). */
  notice?: string | null;
}

interface Field {
  name: string;
  type: string;
  title: string;
  description: string;
  constraints?: { required?: boolean; enum?: readonly string[] };
}

function fieldOf(c: ColumnSpec): Field {
  const constraints: Field['constraints'] = {};
  if (c.required) constraints.required = true;
  if (c.enum) constraints.enum = c.enum;
  return {
    name: c.name,
    type: frictionlessType(c.type),
    title: c.zh,
    description: c.description,
    ...(Object.keys(constraints).length ? { constraints } : {}),
  };
}

/** The Table Schema of a table; `suffix` names the resources foreign keys point to. */
function schemaOf(spec: TableSpec, suffix: string, omit: readonly string[] = []) {
  const fields = spec.columns.filter((c) => !omit.includes(c.name)).map(fieldOf);
  return {
    fields,
    missingValues: [''],
    ...(spec.primaryKey.length ? { primaryKey: spec.primaryKey } : {}),
    ...(spec.foreignKeys?.length
      ? {
          foreignKeys: spec.foreignKeys.map((fk) => ({
            fields: fk.fields,
            reference: { resource: `${fk.reference.resource}${suffix}`, fields: fk.reference.fields },
          })),
        }
      : {}),
  };
}

const hashOf = (f: FileFacts) => `sha256:${f.sha256}`;

/** Hive partition files of a table, ordered by year, from the release's file list. */
/** year: the folder's value (null for DuckDB's year=NULL folder of reports without a year). */
export function partitionFiles(table: string, files: readonly FileFacts[]): (FileFacts & { year: number | null })[] {
  const re = new RegExp(`^partitioned/${table}/${PARTITION_KEY}=([^/]+)/[^/]+\\.parquet$`);
  return files
    .map((f) => ({ f, m: re.exec(f.path) }))
    .filter((x) => x.m)
    .map(({ f, m }) => ({ ...f, year: /^\d+$/.test(m![1]) ? Number(m![1]) : null }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The per-year CSV copies of a long table (by-year/<table>-<year>[-<part>].csv), in path order. */
export function yearCsvFiles(table: string, files: readonly FileFacts[]): (FileFacts & { label: string; part: number | null })[] {
  const re = new RegExp(`^by-year/${table}-(\\d{4}|no-year)(?:-(\\d+))?\\.csv$`);
  return files
    .map((f) => ({ f, m: re.exec(f.path) }))
    .filter((x) => x.m)
    .map(({ f, m }) => ({ ...f, label: m![2] ? `${m![1]}-${m![2]}` : m![1], part: m![2] ? Number(m![2]) : null }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The Data Package object (serialise with JSON.stringify(…, null, 2)). */
export function dataPackage(info: PackageInfo) {
  const byPath = new Map(info.files.map((f) => [f.path, f]));
  const file = (path: string): FileFacts => {
    const f = byPath.get(path);
    if (!f) throw new Error(`datapackage: ${path} was not written`);
    return f;
  };
  const resources: object[] = [];
  for (const spec of publishedTables()) {
    const csv = file(`${spec.name}.csv`);
    resources.push({
      name: spec.name,
      path: csv.path,
      profile: 'tabular-data-resource',
      title: spec.zh,
      description: `${spec.description} CSV, UTF-8 with a byte-order mark (for Excel); empty fields are null.`,
      format: 'csv',
      mediatype: 'text/csv',
      encoding: 'utf-8-sig',
      dialect: { delimiter: ',', doubleQuote: true, header: true, lineTerminator: '\n', quoteChar: '"' },
      bytes: csv.bytes,
      hash: hashOf(csv),
      schema: schemaOf(spec, ''),
    });
    const parquet = file(`${spec.name}.parquet`);
    resources.push({
      name: `${spec.name}-parquet`,
      path: parquet.path,
      profile: 'tabular-data-resource',
      title: spec.zh,
      description: `${spec.description} Parquet (ZSTD).`,
      format: 'parquet',
      mediatype: 'application/vnd.apache.parquet',
      bytes: parquet.bytes,
      hash: hashOf(parquet),
      schema: schemaOf(spec, '-parquet'),
    });
    if (spec.partitioned) {
      const parts = partitionFiles(spec.name, info.files);
      if (parts.length === 0) continue;
      resources.push({
        name: `${spec.name}-partitioned`,
        path: parts.map((p) => p.path),
        profile: 'tabular-data-resource',
        title: spec.zh,
        description:
          `${spec.description} Parquet (ZSTD), hive-partitioned by year: one file per year under partitioned/${spec.name}/year=YYYY/. ` +
          `The year column is the partition key: the files do not store it, it is read from the folder name ` +
          `(DuckDB: read_parquet('partitioned/${spec.name}/*/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER})).`,
        format: 'parquet',
        mediatype: 'application/vnd.apache.parquet',
        bytes: parts.reduce((s, p) => s + p.bytes, 0),
        partitioning: { style: 'hive', fields: [fieldOf(spec.columns.find((c) => c.name === PARTITION_KEY)!)] },
        parts: parts.map((p) => ({ path: p.path, year: p.year, bytes: p.bytes, hash: hashOf(p) })),
        schema: schemaOf(spec, '-parquet', [PARTITION_KEY]),
      });
      // The per-year CSV copies (write.ts): each a resource of its own, with its own header row.
      for (const part of yearCsvFiles(spec.name, info.files)) {
        resources.push({
          name: `${spec.name}-${part.label}`,
          path: part.path,
          profile: 'tabular-data-resource',
          title: `${spec.zh}（${part.label}）`,
          description: `${spec.description} The rows of ${part.label}${part.part ? ` (part ${part.part})` : ''} only, as CSV under Excel's row limit (1,048,576): the file to open in a spreadsheet.`,
          format: 'csv',
          mediatype: 'text/csv',
          encoding: 'utf-8-sig',
          dialect: { delimiter: ',', doubleQuote: true, header: true, lineTerminator: '\n', quoteChar: '"' },
          bytes: part.bytes,
          hash: hashOf(part),
          schema: schemaOf(spec, ''),
        });
      }
    }
  }
  const notice = info.notice ?? null;
  return {
    profile: 'data-package',
    name: DATASET.name,
    title: notice ? `${GENERATED_BOTH} — ${DATASET.title}` : DATASET.title,
    description: notice ? `${notice} ${DATASET.description}` : DATASET.description,
    /** Not a Frictionless property: true when the release holds generated sample data. */
    generated: notice !== null,
    version: info.version,
    created: info.created,
    keywords: DATASET.keywords,
    licenses: [DATASET.license],
    sources: [
      {
        title: '政府信息公开工作年度报告: the annual reports Chinese administrative agencies publish under article 50 of the 政府信息公开条例',
        description: 'Each report\'s source file, checksum and (where known) URL, publication date and fetch time are in the reports and inputs tables.',
      },
    ],
    contributors: [{ title: DATASET.authors, role: 'author' }],
    resources,
  };
}
