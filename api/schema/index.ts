/**
 * The schema: one module per area registers its types and query fields on the builder.
 */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../builder.ts';
import './release.ts';
import './regions.ts';
import './reports.ts';
import './agencies.ts';
import './comparisons.ts';

export const schema = builder.toSchema();

/** The SDL committed as schema.graphql (sorted, so the file changes only when the schema does). */
export function schemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
