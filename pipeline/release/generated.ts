/**
 * Generated sample data. `gongkai synth` marks every report it writes (the manifest's `generated`
 * column); a build carries the mark into `reports.generated`, and a release holding any generated
 * report says so wherever its numbers appear: release.json, datapackage.json, CITATION.cff,
 * QUALITY.md, and every surface of the API (GraphiQL, downloads, charts, embeds).
 *
 * Generated and published reports of one agency are never put in one release: a generated year
 * would be checked against a published one (carry-over) and added to it in comparisons.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { GongkaiError } from '../errors.ts';
import { query } from './duck.ts';

/** The words every surface uses, in both languages and each alone. */
export const GENERATED_LABEL = { zh: '示例数据（生成）', en: 'generated sample data' } as const;
export const GENERATED_BOTH = `${GENERATED_LABEL.zh} / ${GENERATED_LABEL.en}`;

/** The sentence a release's metadata carries when it holds generated reports; null when none. */
export function generatedNotice(generated: number, reports: number): string | null {
  if (generated <= 0) return null;
  const which = generated === reports ? `All ${reports} reports` : `${generated} of the ${reports} reports`;
  return `${GENERATED_BOTH}: ${which} of this release were made by gongkai synth, not published by any agency; their numbers describe no real agency.`;
}

/** Agencies listed in the error, at most. */
const SHOWN = 5;

/**
 * Refuses a build that would put generated and published reports of the same agency side by
 * side, naming the agencies and a file of each kind.
 */
export async function checkGeneratedApart(con: DuckDBConnection): Promise<void> {
  const mixed = await query<{ agency_id: string; agencies: number; published: string; generated: string }>(
    con,
    `SELECT agency_id, count(*) OVER () AS agencies,
            min(source_path) FILTER (WHERE NOT generated) AS published, min(source_path) FILTER (WHERE generated) AS generated
     FROM reports WHERE agency_id IS NOT NULL
     GROUP BY agency_id HAVING bool_or(generated) AND NOT bool_and(generated)
     ORDER BY agency_id LIMIT ${SHOWN}`,
  );
  if (mixed.length === 0) return;
  const list = mixed.map((m) => `${m.agency_id} (${m.published} beside the generated ${m.generated})`).join('; ');
  throw new GongkaiError(
    'mixed_generated',
    `the inputs hold generated and published reports of the same agency, which one release never mixes: ${list}` +
      `${Number(mixed[0].agencies) > SHOWN ? ` and ${Number(mixed[0].agencies) - SHOWN} more agencies` : ''}. ` +
      'Build the generated corpus (its manifest.csv says generated=true) and the published reports into separate releases.',
  );
}
