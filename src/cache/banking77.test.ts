import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import {
  buildBanking77CacheDemo,
  cannedAnswer,
  loadBanking77,
  parseTwoColumnCsv,
  type Banking77DemoResult,
} from './banking77.js';

let db: Db;
let demo: Banking77DemoResult;
beforeAll(async () => {
  db = await createTestPglite();
  demo = await buildBanking77CacheDemo(db, { trainPerIntent: 6, testStride: 40, threshold: 0.8 });
});
afterAll(async () => {
  await db.close();
});

describe('loadBanking77', () => {
  it('reads the real splits: 10,003 train and 3,080 test queries over 77 intents', () => {
    const d = loadBanking77();
    expect(d.train).toHaveLength(10003);
    expect(d.test).toHaveLength(3080);
    expect(d.intents).toHaveLength(77);
    expect(new Set(d.test.map((q) => q.intent)).size).toBe(77);
  });

  it('parses quoted fields spanning lines and names the line of a bad row', () => {
    expect(parseTwoColumnCsv('text,category\n"a, ""b""\nc",x\nd,y\n', 'f.csv')).toEqual([
      { text: 'a, "b"\nc', intent: 'x' },
      { text: 'd', intent: 'y' },
    ]);
    expect(() => parseTwoColumnCsv('text,category\nok,x\nno category\n', 'f.csv')).toThrow(/f\.csv:3/);
  });
});

describe('buildBanking77CacheDemo', () => {
  it('fills from train and logs every test lookup with the true intent answer as reference', async () => {
    expect(demo.filled).toBe(77 * 6);
    expect(demo.lookups).toBe(77);
    const r = await db.query<{ n: number; hits: number; wrong: number; refs: number }>(
      `select count(*)::int as n, count(*) filter (where hit)::int as hits,
              count(*) filter (where hit and result <> reference)::int as wrong,
              count(*) filter (where reference like '[%] Answer for: %')::int as refs
         from cache_lookups where id = any($1::text[])`,
      [demo.lookupIds],
    );
    expect(r.rows[0]).toEqual({ n: 77, hits: demo.hits, wrong: demo.falseHits, refs: 77 });
  });

  it('is idempotent: a second run adds no entries and no lookups', async () => {
    const again = await buildBanking77CacheDemo(db, { trainPerIntent: 6, testStride: 40, threshold: 0.8 });
    expect(again.filled).toBe(0);
    const n = await db.query<{ n: number }>('select count(*)::int as n from cache_lookups');
    expect(n.rows[0].n).toBe(77);
  });

  it('keys placeholder answers by the real intent label', () => {
    expect(cannedAnswer('card_arrival')).toBe('[card_arrival] Answer for: card arrival');
  });
});
