import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { seedBanking77History } from '../../test/support/seed-banking77-history.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createSemanticCache } from './semantic-cache.js';
import { warmCache } from './warm-cache.js';

const now = new Date('2026-11-26T00:00:00Z');
let db: Db;
beforeAll(async () => {
  db = await createTestPglite();
  await seedBanking77History(db, {
    now,
    days: 7,
    premium: 'claude-3-5-sonnet-20241022',
    trainPerIntent: 5,
    testStride: 40,
  });
  // An old cheap-model answer: cached only once it is judged good.
  await db.query(
    `insert into routing_events (id, ts, task_type, model, prompt, response) values
    ('old-cheap-1', $1, 'banking77_support', 'gpt-4o-mini', 'zzz unjudged cheap answer', 'x'),
    ('old-cheap-2', $1, 'banking77_support', 'gpt-4o-mini', 'zzz judged good cheap answer', 'y')`,
    [new Date('2026-10-01T00:00:00Z')],
  );
  const s = await db.query<{ id: string }>(
    `insert into samples (source, event_id, task_type, reason, event_ts, status) values ('routing', 'old-cheap-2', 'banking77_support', 'routing', now(), 'judged') returning id::text as id`,
  );
  await db.query(
    `insert into judgments (sample_id, verdict, provider, method) values ($1, 'pass', 'offline', 'exact')`,
    [s.rows[0].id],
  );
});
afterAll(async () => {
  await db.close();
});

describe('warmCache', () => {
  it('fills from premium and judged-good history and replays the last days with intervals', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.8, now: () => now });
    const r = await warmCache(db, { cache, now, days: 7, premiumModels: ['claude-3-5-sonnet-20241022'] });
    expect(r.filled).toBe(77 * 5 + 1);
    const cached = await db.query<{ query: string }>(`select query from cache_entries where query like 'zzz%'`);
    expect(cached.rows.map((x) => x.query)).toEqual(['zzz judged good cheap answer']);
    expect(r.replayed).toBe(77);
    expect(r.hitRate.n).toBe(77);
    expect(r.unlabelledHits).toBe(0);
    expect(r.falseHitRate.n).toBe(r.hitRate.failures);
    expect(r.falseHitRate.upper).toBeGreaterThanOrEqual(r.falseHitRate.rate ?? 0);
    const lookups = await db.query('select 1 from cache_lookups');
    expect(lookups.rows).toHaveLength(0); // a replay is a simulation: nothing logged
  });

  it('does not cache the same history twice', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.8, now: () => now });
    const r = await warmCache(db, { cache, now, days: 7, premiumModels: ['claude-3-5-sonnet-20241022'] });
    expect(r.filled).toBe(0);
    expect(r.skippedExisting).toBe(77 * 5 + 1);
  });
});
