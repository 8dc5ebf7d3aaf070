/**
 * Writes schema.graphql from the Pothos schema:  npx tsx api/print-schema.ts
 * A test (tests/api/schema.test.ts) fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { schemaSdl } from './schema/index.ts';

const out = process.argv[2] ?? 'schema.graphql';
writeFileSync(out, schemaSdl());
console.error(`wrote ${out}`);
