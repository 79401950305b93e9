import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../config/load-env.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPgliteDb } from '../db/pglite-db.js';
import { createEmbedder } from './create-embedder.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createLocalEmbedder, loadLocalModel } from './local-embedder.js';
import { createSemanticCache } from './semantic-cache.js';
import { startRun } from '../runs/run-record.js';
import { loadCacheReport } from '../nightly/report-queries.js';
import { renderCacheSection } from '../reports/render-sections.js';

// One model load for the whole file: loadLocalModel() is memoised per process.
const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const local = createLocalEmbedder();
let db: Db;

beforeAll(async () => {
  await loadLocalModel();
  db = await openPgliteDb();
  await migrate(db);
}, 300_000);
afterAll(async () => {
  await db?.close();
});

describe('local sentence embedder (Universal Sentence Encoder lite, shipped weights)', () => {
  it('returns 512-d unit vectors, deterministic, and calls itself semantic', async () => {
    const [a, b] = await local.embed(['Where is my card?', 'Where is my card?']);
    expect(local).toMatchObject({ kind: 'semantic', dims: 512, id: 'local:use-lite-v1' });
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    for (let i = 0; i < 512; i++) expect(b[i]).toBeCloseTo(a[i], 5);
  });

  it('scores a paraphrase with different words above one sharing words with another meaning (lexical cannot)', async () => {
    const texts = [
      'my card has not arrived yet',
      'the card you sent me is still not here',
      'my card has not been charged yet',
    ];
    const [q, para, other] = await local.embed(texts);
    expect(cos(q, para)).toBeGreaterThan(cos(q, other) - 0.2); // sanity on the model
    const [lq, lpara, lother] = await createLexicalEmbedder().embed(texts);
    expect(cos(lq, lpara)).toBeLessThan(cos(lq, lother)); // the lexical embedder ranks them the wrong way
    const [x, y, z] = await local.embed([
      'how do I top up my account',
      'add money to my balance',
      'what is the weather in Paris',
    ]);
    expect(cos(x, y)).toBeGreaterThan(cos(x, z) + 0.15);
  });

  it('gives a text without tokens the zero vector and keeps batch order', async () => {
    const [e, a, w, b] = await local.embed(['', 'lost card', '   ', 'exchange rate']);
    expect(e.every((v) => v === 0) && w.every((v) => v === 0)).toBe(true);
    const [a1, b1] = await local.embed(['lost card', 'exchange rate']);
    expect(cos(a, a1)).toBeCloseTo(1, 4);
    expect(cos(b, b1)).toBeCloseTo(1, 4);
    expect(await local.embed([])).toEqual([]);
  });

  it('is the offline default; lexical stays selectable; local refuses other dimensions', () => {
    const env = loadEnv({}, false);
    expect(createEmbedder(env).id).toBe('local:use-lite-v1');
    expect(createEmbedder(env, { embedder: 'auto', dims: 1536 }).id).toBe('local:use-lite-v1');
    expect(createEmbedder(env, { embedder: 'lexical' }).id).toBe('lexical-v1:512');
    expect(() => createEmbedder(env, { embedder: 'local', dims: 768 })).toThrow(/returns 512 dimensions/);
    expect(createEmbedder(loadEnv({ OPENAI_API_KEY: 'sk-test' }, false)).kind).toBe('semantic');
    expect(createEmbedder(loadEnv({ OPENAI_API_KEY: 'sk-test' }, false)).id).toMatch(/^openai:/);
  });

  it('never mixes embedders in one cache: entries of lexical are not served to local (same 512 dims), with a notice', async () => {
    const lexical = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold: 0.5 });
    await lexical.fill([{ query: 'I lost my card', result: 'lexical answer', taskType: 'support' }]);
    const notices: string[] = [];
    const cache = await createSemanticCache({ db, embedder: local, threshold: 0.5, log: (m) => notices.push(m) });
    expect(notices.join('\n')).toMatch(/none from local:use-lite-v1 \(512 dims\).*not comparable/);
    const miss = await cache.probe('I lost my card', { taskType: 'support' });
    expect(miss.matched).toBeNull();
    await cache.fill([{ query: 'I lost my card', result: 'local answer', taskType: 'support' }]);
    const hit = await cache.probe('my card went missing', { taskType: 'support' });
    expect(hit.matched?.result).toBe('local answer');
    expect(hit.similarity).toBeGreaterThan(0.5);
  });

  it("names the run's embedder in the report's cache section (a certification belongs to one embedder)", async () => {
    const cache = await createSemanticCache({ db, embedder: local, threshold: 0.5 });
    await cache.fill([{ query: 'how do I top up my account', result: 'top-up answer', taskType: 'faq' }]);
    for (const [i, q] of ['add money to my balance', 'top up with a card', 'what is the weather'].entries()) {
      await cache.lookup(q, { taskType: 'faq', reference: 'top-up answer', id: `emb-report-${i}` });
    }
    const runId = await startRun(db, { kind: 'nightly' });
    await db.query(`insert into samples (source, event_id, task_type, reason, event_ts, status)
      select 'cache', id, task_type, case when hit then 'hit' else 'near_miss' end, ts, 'judged' from cache_lookups where id like 'emb-report-%'`);
    await db.query(
      `insert into judgments (sample_id, verdict, provider, method, run_id)
      select s.id, 'pass', 'offline', 'exact', $1 from samples s where s.event_id like 'emb-report-%'`,
      [runId],
    );
    const report = await loadCacheReport(db, runId);
    expect(report?.embedders).toEqual([{ embedder: 'local:use-lite-v1', kind: 'semantic', lookups: 3 }]);
    expect(renderCacheSection(report)).toMatch(
      /Embedder of the judged lookups .*`local:use-lite-v1` \(semantic\): 3\./,
    );
  });
});
