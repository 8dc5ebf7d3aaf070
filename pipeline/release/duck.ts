/**
 * DuckDB access for the build: one instance, typed appenders for the release tables, and
 * queries that return plain JS numbers for 64-bit integers (count(*) and sum() are BIGINT).
 */
import {
  DuckDBInstance,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import type { DuckType } from './schema.ts';
import type { Row } from './tables.ts';

const BIG = [DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT];

/** BIGINT/HUGEINT → number (exact up to 2^53, far above any count here); DECIMAL → number. */
export const numberFriendly: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (BIG.includes(type.typeId)) {
    if (value === null || value === undefined) return null;
    const n = Number(value as bigint);
    if (!Number.isSafeInteger(n)) throw new Error(`integer ${String(value)} is beyond 2^53`);
    return n;
  }
  return JSDuckDBValueConverter(value, type, converter);
};

export async function openDuck(path: string, options: { threads?: number; memoryLimit?: string; tempDirectory?: string } = {}) {
  const config: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  const instance = await DuckDBInstance.create(path, config);
  const connection = await instance.connect();
  return { instance, connection };
}

export async function query<T = Record<string, JS>>(con: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, params);
  return reader.convertRowObjects(numberFriendly) as T[];
}

/** Appends rows in column order, dispatching on the column's declared type. */
export class TypedAppender {
  constructor(
    private readonly appender: DuckDBAppender,
    private readonly types: DuckType[],
  ) {}

  append(rows: Row[]): void {
    const { appender, types } = this;
    for (const row of rows) {
      for (let i = 0; i < types.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) appender.appendNull();
        else {
          switch (types[i]) {
            case 'VARCHAR':
              appender.appendVarchar(String(v));
              break;
            case 'INTEGER':
              appender.appendInteger(v as number);
              break;
            case 'SMALLINT':
              appender.appendSmallInt(v as number);
              break;
            case 'BIGINT':
              appender.appendBigInt(BigInt(v as number));
              break;
            case 'DOUBLE':
              appender.appendDouble(v as number);
              break;
            case 'BOOLEAN':
              appender.appendBoolean(v as boolean);
              break;
            case 'TIMESTAMP':
              throw new Error('TIMESTAMP columns are not appended');
          }
        }
      }
      appender.endRow();
    }
  }

  close(): void {
    this.appender.closeSync();
  }
}
