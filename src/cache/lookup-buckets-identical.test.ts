import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { insertCacheLookups, type TestCacheLookup } from '../../test/support/insert-events.js';
import { loadHitVolumes, loadLookupPopulation } from './judged-lookups.js';

// The two population statements before issue 15, verbatim: both grouped every cache lookup ever
// logged. The summary kept by migration 012's insert trigger must give exactly the same figures.
const OLD_POPULATION = `select coalesce(task_type, 'default') as task_type, floor(similarity * 1000 + 1e-9) / 1000 as s, count(*)::text as n
       from cache_lookups where ($1::text is null or coalesce(task_type, 'default') = $1) group by 1, 2`;
const OLD_HITS = `select coalesce(task_type, 'default') as task_type, count(*)::text as n
       from cache_lookups where hit and ($1::text is null or coalesce(task_type, 'default') = $1) group by 1`;

async function oldPopulation(db: Db, taskType?: string): Promise<Map<string, { similarity: number; count: number }[]>> {
  const r = await db.query<{ task_type: string; s: number; n: string }>(OLD_POPULATION, [taskType ?? null]);
  const out = new Map<string, { similarity: number; count: number }[]>();
  for (const x of r.rows)
    out.set(x.task_type, [...(out.get(x.task_type) ?? []), { similarity: Number(x.s), count: Number(x.n) }]);
  return out;
}
const sorted = (m: Map<string, { similarity: number; count: number }[]>) =>
  [...m]
    .map(([k, v]) => [k, [...v].sort((a, b) => a.similarity - b.similarity)] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));

// Similarities on and just around bucket edges (0.9, 0.8999999999, 1.0, 0), classes with and without
// a name (null and a literal 'default' are one class to the tuner), several UTC days, hits and misses.
const sims = [0, 0.0005, 0.5, 0.8999999999, 0.9, 0.9000000001, 0.9004999, 0.93, 0.97, 0.9999, 1];
const lookups: TestCacheLookup[] = Array.from({ length: 1500 }, (_, i) => ({
  id: `l-${i}`,
  ts: new Date(Date.UTC(2026, 10, 1 + (i % 5), (i * 7) % 24, 59, 59)).toISOString(),
  taskType: [null, 'default', 'faq', 'intent'][i % 4] ?? null,
  hit: i % 3 !== 0,
  similarity: i % 2 ? sims[i % sims.length]! : ((i * 7919) % 100000) / 100000,
}));

describe.each(testDbAdapters.filter((a) => a.enabled))('cache lookup population, old and new, on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    // several statements, as nightly ingests and driftwatch's own lookup log add them
    await insertCacheLookups(db, lookups.slice(0, 700));
    await insertCacheLookups(db, lookups.slice(700));
    // a re-ingest of stored ids inserts nothing and must count nothing
    await db.query(`insert into cache_lookups (id, ts, task_type, query, hit, similarity)
                    select id, ts, task_type, query, hit, similarity from cache_lookups where seq <= 300 on conflict do nothing`);
    await db.query(
      `insert into cache_lookups (id, ts, task_type, query, hit, similarity) values ('one', '2026-11-30T23:59:59.999Z', 'faq', 'q', true, 0.955)`,
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives the same (similarity, count) per class and the same hit volumes, for all classes and for one', async () => {
    for (const t of [undefined, 'faq', 'default', 'nope']) {
      expect(sorted(await loadLookupPopulation(db, t))).toEqual(sorted(await oldPopulation(db, t)));
      const oldHits = new Map(
        (await db.query<{ task_type: string; n: string }>(OLD_HITS, [t ?? null])).rows.map((x) => [
          x.task_type,
          Number(x.n),
        ]),
      );
      expect(await loadHitVolumes(db, t)).toEqual(oldHits);
    }
    expect((await loadLookupPopulation(db)).get('default')!.reduce((a, p) => a + p.count, 0)).toBe(750);
  });
});
