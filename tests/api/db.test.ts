/**
 * The API's database layer: prepared statements kept per connection (reused, never shared by
 * two queries at once, the oldest dropped past the bound) and a request's session running its
 * independent queries on connections of its own, with a deadline.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PooledConnection, Session } from '../../api/data/db.ts';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run('CREATE TABLE t AS SELECT range AS n FROM range(100000)');
  con.closeSync();
});
afterAll(() => instance.closeSync());

describe('PooledConnection', () => {
  it('reuses a statement with new values, and gives a second concurrent caller its own', async () => {
    const con = new PooledConnection(await instance.connect());
    const sql = 'SELECT count(*) AS c FROM t WHERE n < $below';
    const answers = await Promise.all([10, 20, 30].map((below) => con.query<{ c: number }>(sql, { below })));
    expect(answers.map((r) => Number(r[0].c))).toEqual([10, 20, 30]);
    expect(Number((await con.query<{ c: number }>(sql, { below: 5 }))[0].c)).toBe(5);
    con.closeSync();
  });

  it('keeps at most 64 statements and still answers every one', async () => {
    const con = new PooledConnection(await instance.connect());
    for (let i = 0; i < 70; i++) expect((await con.query<{ v: number }>(`SELECT ${i} + $x AS v`, { x: 1 }))[0].v).toBe(i + 1);
    expect((await con.query<{ v: number }>('SELECT 0 + $x AS v', { x: 2 }))[0].v).toBe(2);
    expect((con as unknown as { statements: Map<string, unknown> }).statements.size).toBe(64);
    con.closeSync();
  });
});

describe('Session', () => {
  function session(timeoutMs: number) {
    const given: PooledConnection[] = [];
    const reusable: boolean[] = [];
    let opened = 0;
    const s = new Session(
      async () => {
        opened++;
        return new PooledConnection(await instance.connect());
      },
      (cons, canReuse) => {
        given.push(...cons);
        reusable.push(canReuse);
        for (const c of cons) c.closeSync();
      },
      Date.now() + timeoutMs,
      timeoutMs,
    );
    return { s, given, reusable, opened: () => opened };
  }

  it('runs independent queries on up to three connections and gives them all back', async () => {
    const { s, given, reusable, opened } = session(10_000);
    const rows = await Promise.all(Array.from({ length: 5 }, (_, i) => s.query<{ c: number }>('SELECT count(*) + $i AS c FROM t', { i })));
    expect(rows.map((r) => Number(r[0].c))).toEqual([100000, 100001, 100002, 100003, 100004]);
    expect(opened()).toBe(3);
    await s.close();
    expect(given).toHaveLength(3);
    expect(reusable).toEqual([true]);
    await expect(s.query('SELECT 1')).rejects.toThrow('session closed');
  });

  it('stops a query past its deadline with TIMEOUT and does not hand its connection on', async () => {
    const { s, given, reusable } = session(300);
    const started = Date.now();
    await expect(s.query('SELECT count(*) FROM t a, t b WHERE a.n + b.n = 7')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(5000);
    await s.close();
    expect(given).toHaveLength(1);
    expect(reusable).toEqual([false]);
  });
});
