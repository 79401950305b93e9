import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPgDb } from '../db/pg-db.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createSemanticCache } from './semantic-cache.js';
import { parseVector } from './vector-sql.js';

// The `pg` driver path (pg-pool + pgvector type registration) against a pglite-socket server with
// pgvector loaded; the PostgreSQL test server has no pgvector. maxConnections >= 2 or the second
// pool connection is reset (stack-probe section 3).
let pglite: PGlite;
let server: PGLiteSocketServer;
let db: Db;

beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector } });
  server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const url = `postgres://postgres:postgres@${server.getServerConn()}/postgres`;
  const first = await openPgDb(url, { vectorTypes: true });
  await migrate(first); // creates the vector extension
  await first.close();
  db = await openPgDb(url, { vectorTypes: true });
});
afterAll(async () => {
  await db?.close();
  await server?.stop();
  await pglite?.close();
});

describe('semantic cache over pg', () => {
  it('misses, stores, then hits a paraphrase, logging both lookups', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.6 });
    const a = await cache.getOrCompute('How can I change my PIN?', async () => 'pin answer', { taskType: 'support' });
    const b = await cache.getOrCompute('how can i change my pin', async () => 'other', { taskType: 'support' });
    expect([a.hit, b.hit, b.value]).toEqual([false, true, 'pin answer']);
    const logged = await db.query<{ hit: boolean }>(
      'select hit from cache_lookups where id = any($1::text[]) order by ts, seq',
      [[a.lookup!.lookupId, b.lookup!.lookupId]],
    );
    expect(logged.rows.map((r) => r.hit)).toEqual([false, true]);
  });

  it('bulk-fills through multi-row inserts (no binary COPY on pg) and finds the entries', async () => {
    const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.99 });
    const entries = Array.from({ length: 450 }, (_, i) => ({
      query: `question number ${i} about topic ${i % 7}`,
      result: { i },
      taskType: 'bulk',
    }));
    expect(await cache.fill(entries)).toBe(450);
    const r = await cache.lookup('question number 321 about topic 6', { taskType: 'bulk' });
    expect(r).toMatchObject({ hit: true, matched: { result: { i: 321 } } });
  });

  it('reads vector columns as number[] through pgvector.registerTypes', async () => {
    const r = await db.query<{ embedding: unknown }>(
      `select embedding from cache_entries where task_type = 'bulk' limit 1`,
    );
    expect(Array.isArray(r.rows[0].embedding)).toBe(true);
    expect(parseVector(r.rows[0].embedding)).toHaveLength(512);
    expect(parseVector('[1,2.5,-3]')).toEqual([1, 2.5, -3]);
  });
});
