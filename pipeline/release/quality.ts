/**
 * The release's quality report: what the checks found, where, and which reports need a look.
 * Written as quality.json (for programs) and QUALITY.md (for people).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from './duck.ts';

export interface QualityReport {
  summary: {
    inputs: number;
    reports: number;
    errors: number;
    reports_ok: number;
    reports_with_warnings: number;
    reports_failed: number;
  };
  checks_by_status: { check: string; status: string; n: number }[];
}

export async function writeQuality(con: DuckDBConnection, dir: string): Promise<QualityReport> {
  const [summary] = await query<QualityReport['summary']>(
    con,
    `SELECT (SELECT count(*) FROM inputs) AS inputs,
            (SELECT count(*) FROM reports) AS reports,
            (SELECT count(*) FROM inputs WHERE outcome = 'error') AS errors,
            (SELECT count(*) FROM reports WHERE status = 'ok') AS reports_ok,
            (SELECT count(*) FROM reports WHERE status = 'warnings') AS reports_with_warnings,
            (SELECT count(*) FROM reports WHERE status = 'failed') AS reports_failed`,
  );
  const checks = await query<{ check: string; status: string; n: number }>(con, `SELECT "check", status, count(*) AS n FROM checks GROUP BY ALL ORDER BY ALL`);
  const report: QualityReport = { summary, checks_by_status: checks };
  writeFileSync(join(dir, 'quality.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
