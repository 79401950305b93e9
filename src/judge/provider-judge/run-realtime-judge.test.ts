import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../db/test-db.js';
import { callCostUsd } from '../../routing/price-catalog.js';
import { startFakeAnthropic, type FakeAnthropicServer } from '../../../test/fakes/fake-anthropic-server.js';
import { countOutcomes, resetJudgeTables, seedPlantedSamples, testRubric } from '../../../test/fixtures/planted-samples.js';
import { createJudgeClient } from '../providers/create-judge-client.js';
import { estimateInputTokens } from './create-budget.js';
import { runRealtimeJudge } from './run-realtime-judge.js';
import { selectPendingSamples } from './sample-queries.js';

let db: Db;
let fake: FakeAnthropicServer | undefined;
beforeAll(async () => { db = await createTestPglite(); });
afterAll(async () => { await db.close(); });
beforeEach(async () => { await fake?.close(); fake = undefined; await resetJudgeTables(db); });

const MODEL = 'claude-sonnet-4';
const client = (f: FakeAnthropicServer, maxRetries = 2) =>
  createJudgeClient({ provider: 'anthropic', model: MODEL, env: { anthropicApiKey: 'sk-ant-test-key-000000', anthropicBaseUrl: f.url, isTty: false }, maxRetries, timeoutMs: 2000 });

describe('runRealtimeJudge', () => {
  it('counts exactly the planted failures through the Anthropic SDK (2,000 routing + 500 cache)', async () => {
    const planted = await seedPlantedSamples(db);
    fake = await startFakeAnthropic();
    const summary = await runRealtimeJudge({ db, client: client(fake) }, { ...testRubric(), concurrency: 16 });
    const c = await countOutcomes(db);
    expect(summary).toMatchObject({ considered: planted.samples, judged: planted.samples, fail: planted.failures, stillPending: 0 });
    expect(c).toMatchObject({ judgments: planted.samples, distinctSamples: planted.samples, fails: planted.failures, judged: planted.samples, pending: 0 });
    expect(c.failsByClass).toEqual({ extraction: 10, summarize: 80, faq: 15 });
    expect(fake.unknownRoutes).toEqual([]);
  });

  it('loses no sample and counts none twice under 429 on every third request and 500s, then converges', async () => {
    const planted = await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 300, failures: 24 }]);
    fake = await startFakeAnthropic({ faults: { rateLimitEvery: 3, retryAfterMs: 1, serverErrorWhen: (n) => n % 5 === 1 } });
    const first = await runRealtimeJudge({ db, client: client(fake, 0) }, { ...testRubric(), concurrency: 8 });
    let c = await countOutcomes(db);
    expect(first.stillPending).toBeGreaterThan(0); // maxRetries 0: faulted calls must leave samples pending
    expect(c.judged + c.pending).toBe(planted.samples);
    expect(c.judgments).toBe(c.distinctSamples);
    expect(c.judgments).toBe(first.judged);
    for (let run = 0; run < 10 && c.pending > 0; run++) {
      await runRealtimeJudge({ db, client: client(fake, 2) }, { ...testRubric(), concurrency: 8 });
      c = await countOutcomes(db);
    }
    expect(c).toMatchObject({ judgments: planted.samples, distinctSamples: planted.samples, judged: planted.samples, pending: 0, fails: planted.failures });
    expect(fake.requests.filter((r) => r.fault === 'rate_limited').length).toBeGreaterThan(50);
  });

  it('with --max-cost-usd 0.01 at Sonnet prices makes no more calls than the budget affords', async () => {
    await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 200, failures: 16 }]);
    fake = await startFakeAnthropic();
    const rubric = testRubric(256);
    const summary = await runRealtimeJudge({ db, client: client(fake) }, { ...rubric, concurrency: 4, maxCostUsd: 0.01 });
    const calls = fake.requests.filter((r) => r.path === '/v1/messages').length;
    const estimates = (await selectPendingSamples(db, 1000)).map((s) => rubric.toRequest(s)).map((r) => callCostUsd(MODEL, estimateInputTokens(r), r.maxTokens));
    const cheapest = Math.min(...estimates);
    const stored = await db.query<{ cost: number; n: string }>(`select coalesce(sum(cost_usd), 0) as cost, count(*) as n from judgments`);
    expect(calls).toBe(summary.judged);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(Math.floor(0.01 / cheapest));
    expect(summary.costUsd).toBeLessThanOrEqual(0.01);
    expect(stored.rows[0]!.cost).toBeLessThanOrEqual(0.01);
    expect(summary.skippedForBudget).toBe(200 - calls);
    expect(Number(stored.rows[0]!.n) + summary.stillPending).toBe(200);
  });
});
