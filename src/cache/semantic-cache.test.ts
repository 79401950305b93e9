import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../../test/support/test-db.js';
import type { Embedder } from './embedder.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createSemanticCache } from './semantic-cache.js';

let db: Db;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});

const clock = (iso: string) => {
  let t = new Date(iso).getTime();
  return { now: () => new Date(t), advanceHours: (h: number) => (t += h * 3_600_000) };
};

async function lookupRow(id: string) {
  const r = await db.query<Record<string, unknown>>('select * from cache_lookups where id = $1', [id]);
  return r.rows[0];
}

describe('createSemanticCache', () => {
  it('computes and stores on a miss, serves a paraphrase above the threshold, and logs both lookups', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.6 });
    let calls = 0;
    const compute = async () => ({ answer: `refund policy #${++calls}` });
    const first = await cache.getOrCompute('How do I get a refund for my order?', compute, { taskType: 'support' });
    expect(first).toMatchObject({ hit: false, value: { answer: 'refund policy #1' } });
    const second = await cache.getOrCompute('how do i get a refund for my order', compute, { taskType: 'support' });
    expect(second.hit).toBe(true);
    expect(second.value).toEqual({ answer: 'refund policy #1' });
    expect(calls).toBe(1);
    const miss = await lookupRow(first.lookup!.lookupId);
    expect(miss).toMatchObject({
      hit: false,
      similarity: 0,
      reference: '{"answer":"refund policy #1"}',
      task_type: 'support',
    });
    const hit = await lookupRow(second.lookup!.lookupId);
    expect(hit).toMatchObject({
      hit: true,
      matched_query: 'How do I get a refund for my order?',
      result: '{"answer":"refund policy #1"}',
      threshold: 0.6,
    });
    expect(hit.similarity as number).toBeGreaterThan(0.9);
  });

  it('logs a near-miss with its best similarity and the answer it would have served', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.99 });
    await cache.getOrCompute('Where is my new debit card?', async () => 'card status', { taskType: 'cards' });
    const r = await cache.getOrCompute('Where is my new credit card?', async () => 'credit card status', {
      taskType: 'cards',
    });
    expect(r.hit).toBe(false);
    const row = await lookupRow(r.lookup!.lookupId);
    expect(row).toMatchObject({
      hit: false,
      matched_query: 'Where is my new debit card?',
      result: 'card status',
      reference: 'credit card status',
    });
    expect(row.similarity as number).toBeGreaterThan(0.5);
    expect(row.similarity as number).toBeLessThan(0.99);
  });

  it('keeps task classes apart and applies per-class thresholds', async () => {
    const cache = await createSemanticCache({
      db,
      embedder: createLexicalEmbedder(),
      threshold: 0.99,
      thresholds: { faq: 0.5 },
    });
    await cache.fill([{ query: 'what are your opening hours', result: 'nine to five', taskType: 'faq' }]);
    expect((await cache.lookup('what are your opening hours today', { taskType: 'faq' })).hit).toBe(true);
    expect((await cache.lookup('what are your opening hours today', { taskType: 'other' })).matched).toBeNull();
    expect(cache.thresholdFor('faq')).toBe(0.5);
    expect(cache.thresholdFor('other')).toBe(0.99);
  });

  it('ignores entries older than the TTL', async () => {
    const c = clock('2026-11-01T00:00:00Z');
    const cache = await createSemanticCache({
      db,
      embedder: createLexicalEmbedder(),
      threshold: 0.5,
      ttlHours: 24,
      now: c.now,
    });
    await cache.getOrCompute('reset my password please', async () => 'reset link', { taskType: 'ttl' });
    c.advanceHours(23);
    expect((await cache.lookup('reset my password please', { taskType: 'ttl' })).hit).toBe(true);
    c.advanceHours(2);
    expect((await cache.lookup('reset my password please', { taskType: 'ttl' })).matched).toBeNull();
  });

  it('never caches a no-cache task class and logs nothing for it', async () => {
    const cache = await createSemanticCache({
      db,
      embedder: createLexicalEmbedder(),
      threshold: 0.1,
      noCache: ['compliance'],
    });
    const before = await db.query<{ n: number }>('select count(*)::int as n from cache_lookups');
    let calls = 0;
    for (let i = 0; i < 2; i++)
      await cache.getOrCompute('is this trade allowed', async () => ++calls, { taskType: 'compliance' });
    expect(calls).toBe(2);
    const stored = await db.query(`select 1 from cache_entries where task_type = 'compliance'`);
    expect(stored.rows).toHaveLength(0);
    const after = await db.query<{ n: number }>('select count(*)::int as n from cache_lookups');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    await expect(cache.lookup('x', { taskType: 'compliance' })).rejects.toThrow(/no-cache/);
  });
});

describe('createSemanticCache: embedders and options it refuses or keeps apart', () => {
  it('names both sizes when an embedder returns vectors of the wrong size', async () => {
    const liar: Embedder = {
      id: 'liar',
      kind: 'semantic',
      dims: 512,
      embed: async (t) => t.map(() => new Array(384).fill(0.05)),
    };
    const cache = await createSemanticCache({ db, embedder: liar, threshold: 0.9 });
    await expect(cache.lookup('anything')).rejects.toThrow(/384-dimensional .* configured for 512/);
  });

  it('refuses embedders too large for an HNSW index', async () => {
    const big: Embedder = { id: 'big', kind: 'semantic', dims: 3072, embed: async () => [] };
    await expect(createSemanticCache({ db, embedder: big, threshold: 0.9 })).rejects.toThrow(/3072 cannot be indexed/);
  });

  it('serves other vector sizes from their own index and never mixes embedders', async () => {
    const small = createLexicalEmbedder({ dims: 64 });
    const cache = await createSemanticCache({ db, embedder: small, threshold: 0.5 });
    await cache.fill([{ query: 'close my account', result: 'closing', taskType: 'acct' }]);
    expect((await cache.lookup('close my account', { taskType: 'acct' })).similarity).toBeCloseTo(1, 5);
    const other = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.5 });
    expect((await other.lookup('close my account', { taskType: 'acct' })).matched).toBeNull();
    const idx = await db.query(`select 1 from pg_indexes where indexname = 'cache_entries_hnsw_64'`);
    expect(idx.rows).toHaveLength(1);
  });

  it('rejects a threshold outside [0, 1]', async () => {
    await expect(createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 1.5 })).rejects.toThrow(
      /between 0 and 1/,
    );
  });
});

describe.skipIf(!TEST_PG_URL)('createSemanticCache on PostgreSQL without pgvector', () => {
  it('says why the cache cannot work there, with exit code 2', async () => {
    const pg = await createTestPg();
    try {
      const err = await createSemanticCache({ db: pg, embedder: createLexicalEmbedder(), threshold: 0.9 }).catch(
        (e) => e,
      );
      expect(err.message).toMatch(/needs the pgvector extension.*002_semantic_cache\.sql was skipped/);
      expect(err.exitCode).toBe(2);
      const applied = await pg.query<{ name: string }>('select name from driftwatch_migrations');
      expect(applied.rows.map((r) => r.name)).not.toContain('002_semantic_cache.sql');
    } finally {
      await pg.close();
    }
  });
});
