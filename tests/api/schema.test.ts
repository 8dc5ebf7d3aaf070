/**
 * schema.graphql is generated from the Pothos schema (npx tsx api/print-schema.ts) and
 * committed; this fails when it is stale. docs/api.md must name every query field, every
 * example and every limit with its value.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../api/limits.ts';
import { schema, schemaSdl } from '../../api/schema/index.ts';

describe('schema.graphql', () => {
  it('is the printed Pothos schema (regenerate: npx tsx api/print-schema.ts)', () => {
    expect(readFileSync('schema.graphql', 'utf8')).toBe(schemaSdl());
  });

  it('offers the fields the API promises at the top level', () => {
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual([
      'agencies',
      'agency',
      'applicationComparison',
      'checkComparison',
      'codebook',
      'proactiveComparison',
      'region',
      'regions',
      'release',
      'report',
      'reports',
      'reviewComparison',
    ]);
  });

  it('has no mutation or subscription: the API only reads', () => {
    expect(schema.getMutationType()).toBeFalsy();
    expect(schema.getSubscriptionType()).toBeFalsy();
  });
});

describe('docs/api.md', () => {
  const doc = readFileSync('docs/api.md', 'utf8');

  it('names every query field', () => {
    for (const f of Object.keys(schema.getQueryType()!.getFields())) expect(doc, f).toContain(`\`${f}\``);
  });

  it('links every example of docs/queries', () => {
    for (const f of readdirSync('docs/queries').filter((x) => x.endsWith('.graphql'))) expect(doc, f).toContain(`queries/${f}`);
  });

  it('lists every limit with its default value', () => {
    for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
      const shown = typeof value !== 'object' ? String(value) : 'requests' in value ? `${value.requests} per ${value.windowSeconds} s` : `${value.entries} entries of ${value.maxAnswerBytes} bytes`;
      expect(doc, name).toMatch(new RegExp(`\\\`${name}\\\`[^\\n]*${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });
});
