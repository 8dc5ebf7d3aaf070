/** The README's examples run: every ```sql block and the GraphQL blocks against the demo release. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Api } from '../../api/server.ts';
import { example, gql, startApi } from '../api/helpers.ts';
import { openDuck, query } from '../../pipeline/release/duck.ts';

const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README SQL examples run against the demo release', () => {
  it('there is at least one', () => expect(blocks.length).toBeGreaterThan(0));
  blocks.forEach((sql, i) => {
    it(`block ${i + 1}`, async () => {
      const { connection } = await openDuck(':memory:');
      const rows = await query(connection, sql.replaceAll('data/releases/latest', inject('demoRelease')));
      expect(rows.length).toBeGreaterThan(0);
      connection.closeSync();
    });
  });

  it('the hive query gives the same totals as the plain Parquet file', async () => {
    const { connection } = await openDuck(':memory:');
    const dir = inject('demoRelease');
    const hive = await query<{ year: number; new_applications: number }>(connection, blocks[0].replaceAll('data/releases/latest', dir));
    const plain = await query<{ year: number; new_applications: number }>(
      connection,
      `SELECT year, sum(value) AS new_applications FROM read_parquet('${dir}/applications.parquet')
       WHERE row = 'new_received' AND "column" = 'total' AND scope = 'agency' AND year IS NOT NULL GROUP BY year ORDER BY year`,
    );
    expect(hive).toEqual(plain);
    expect(hive.map((r) => r.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024]);
    connection.closeSync();
  });
});

describe('the README GraphQL examples', () => {
  // One API over the demo release for both examples.
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.close();
  });
  const graphqlBlocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('the first is the first of docs/queries, and runs', async () => {
    const strip = (q: string) => q.replace(/#.*$/gm, '').replace(/\s+/g, '');
    expect(strip(graphqlBlocks[0])).toBe(strip(example('1-luoyang-counties-2023.graphql')));
    const r = await gql<{ applicationComparison: { groups: { region: { name: string } }[] } }>(api, graphqlBlocks[0]);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.applicationComparison.groups.map((g) => g.region.name)).toContain('涧西区');
  });

  it('the agency names find their agencies first, as the table and the second block say', async () => {
    const r = await gql(api, graphqlBlocks[1]);
    expect(r.body.errors).toBeUndefined();
    const first = (k: string) => r.body.data![k].edges[0].node;
    expect([first('short'), first('full')].map((n) => [n.id, n.match])).toEqual([['410305.general_office', 'EXACT'], ['410305.general_office', 'EXACT']]);
    expect(first('ndrc').id).toBe('410000.dept.发展和改革委员会');
    expect(first('pinyin').id).toBe('410305.government');
    expect(r.body.data!.pinyin.edges.every((e: any) => e.node.id.startsWith('410305.'))).toBe(true);
    // Each printed form of the table's agencies that the release holds finds that agency first.
    const rows = [...readme.matchAll(/^\| ([^|]+) \| `([^`]+)` \| [^|]+ \|$/gm)].map((m) => ({ names: m[1].split(' / ').map((n) => n.trim()), id: m[2] }));
    let tried = 0;
    for (const row of rows) {
      const held = await gql(api, 'query ($id: String!) { agency(id: $id) { id } }', { id: row.id });
      if (!held.body.data?.agency) continue;
      for (const name of row.names) {
        const found = await gql(api, 'query ($name: String) { agencies(filter: { nameSearch: $name }, first: 1) { edges { node { id } } } }', { name });
        expect(found.body.data!.agencies.edges[0].node.id, name).toBe(row.id);
        tried++;
      }
    }
    expect(tried).toBeGreaterThanOrEqual(4);
  });
});

describe('the README documents every per-file limit', () => {
  it('with its flag and default', async () => {
    const { FILE_LIMIT_FLAGS, DEFAULT_FILE_LIMITS } = await import('../../pipeline/model/limits.ts');
    for (const f of FILE_LIMIT_FLAGS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`--${f.flag} `));
      expect(row, f.flag).toBeDefined();
      expect(row!.split('|')[3].trim(), f.flag).toBe(`${DEFAULT_FILE_LIMITS[f.key] / f.scale}${f.unit === 's' || f.unit === 'MB' ? ` ${f.unit}` : ''}`);
    }
  });
});
