import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { openPgDb } from '../../src/db/pg-db.js';
import { createTestPg, TEST_PG_URL } from '../support/test-db.js';
import { createJudgeClient } from '../../src/judge/providers/create-judge-client.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { countOutcomes, seedPlantedSamples } from '../support/planted-samples.js';
import type { JudgeRunResult } from '../../src/judge/judge-run-types.js';
import { runJudge } from '../../src/judge/run-judge.js';

const KEY = 'sk-test-dbdrop-0123456789';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

/**
 * Three judge workers on one PostgreSQL database whose connections are terminated mid-run
 * (pg_terminate_backend on this test database's backends only): every worker carries on, every
 * paid verdict is stored, none is paid for or stored twice.
 */
describe.runIf(TEST_PG_URL)('3 judge workers whose PostgreSQL connections are terminated mid-run', () => {
  it('all three finish; calls served = verdicts stored = samples; none twice', async () => {
    const seeded = await createTestPg();
    cleanup.push(() => seeded.close());
    await seedPlantedSamples(seeded, [{ taskType: 'summarize', source: 'routing', n: 300, failures: 24 }]);
    const dbName = new URL(seeded.url).pathname.slice(1);
    const fake = await startFakeOpenAi({ apiKey: KEY, latencyMs: 15 });
    cleanup.push(() => fake.close());
    const workers: Db[] = [];
    for (let i = 0; i < 3; i++) {
      const db = await openPgDb(seeded.url);
      workers.push(db);
      cleanup.push(() => db.close());
    }
    const admin = await openPgDb(TEST_PG_URL!, { max: 1 });
    cleanup.push(() => admin.close());
    const client = () =>
      createJudgeClient({
        provider: 'openai',
        model: 'gpt-4o',
        env: { openaiApiKey: KEY, openaiBaseUrl: `${fake.url}/v1`, isTty: false },
        timeoutMs: 10_000,
      });
    const logs: string[] = [];
    const runs: Promise<JudgeRunResult>[] = workers.map((db, i) =>
      runJudge(
        { db, client: client(), now: () => new Date(), workerId: `w${i}`, log: (m) => logs.push(m) },
        { concurrency: 4, chunkSize: 8, dbRetryMs: 120_000 },
      ),
    );
    let settled = false;
    void Promise.allSettled(runs).then(() => {
      settled = true;
    });
    const served = () => fake.requests.filter((r) => r.usage).length;
    let terminated = 0;
    // three rounds of terminations while the workers are busy
    for (const at of [40, 120, 200]) {
      while (served() < at && !settled) await new Promise((r) => setTimeout(r, 10));
      if (settled) break;
      const r = await admin.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
        [dbName],
      );
      terminated += r.rows[0]!.n;
    }
    const results = await Promise.all(runs);
    expect(terminated).toBeGreaterThan(0);
    const c = await countOutcomes(await reopen(seeded.url, cleanup));
    const paid = fake.requests.filter((r) => r.usage);
    const distinct = new Set(paid.map((r) => /question (summarize-\d+)/.exec(JSON.stringify(r.json))?.[1]));
    console.info(
      `db drop: ${terminated} backends terminated; served ${paid.length} (${distinct.size} distinct); stored ${c.judgments}; per worker ${results.map((r) => r.judged).join('/')}; ${logs.filter((l) => l.includes('connection dropped')).length} retried writes`,
    );
    expect(results.every((r) => r.judged > 0)).toBe(true);
    expect(results.reduce((s, r) => s + r.judged, 0)).toBe(300);
    expect(results.reduce((s, r) => s + r.duplicates, 0)).toBe(0);
    expect(c).toMatchObject({
      total: 300,
      judgments: 300,
      distinctSamples: 300,
      judged: 300,
      pending: 0,
      claimed: 0,
      fails: 24,
    });
    expect(paid.length).toBe(300); // none paid twice
    expect(distinct.size).toBe(300);
  }, 300_000);
});

async function reopen(url: string, cleanup: (() => Promise<void>)[]): Promise<Db> {
  const db = await openPgDb(url);
  cleanup.push(() => db.close());
  return db;
}
