import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { startFakeAnthropic, type FakeAnthropicServer } from '../../test/support/fakes/fake-anthropic-server.js';
import { countOutcomes, resetJudgeTables, seedPlantedSamples } from '../../test/support/planted-samples.js';
import { selectPendingIds } from './batch-judge-queries.js';
import { loadSamples } from './judge-queries.js';
import { planBatchRequest } from './plan-batch-request.js';
import { estimateCallCostUsd } from './priced-call.js';
import { createJudgeClient } from './providers/create-judge-client.js';
import { runJudge } from './run-judge.js';

let db: Db;
let fake: FakeAnthropicServer | undefined;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await fake?.close();
  fake = undefined;
  await resetJudgeTables(db);
});

const MODEL = 'claude-sonnet-4';
const client = (f: FakeAnthropicServer, maxRetries = 2) =>
  createJudgeClient({
    provider: 'anthropic',
    model: MODEL,
    env: { anthropicApiKey: 'sk-ant-test-key-000000', anthropicBaseUrl: f.url, isTty: false },
    maxRetries,
    timeoutMs: 60_000,
  });

const now = () => new Date();

/** The real-time judge (sampler-judge's runJudge) through the official SDKs against the local wire fakes. */
describe('runJudge through the Anthropic SDK', () => {
  it('counts exactly the planted failures through the Anthropic SDK (2,000 routing + 500 cache)', async () => {
    const planted = await seedPlantedSamples(db);
    fake = await startFakeAnthropic();
    const summary = await runJudge({ db, client: client(fake), now }, { concurrency: 16 });
    const c = await countOutcomes(db);
    expect(summary).toMatchObject({ judged: planted.samples, pending: 0, failures: 0, duplicates: 0 });
    expect(summary.calls + summary.callsSaved).toBe(planted.samples);
    expect(c).toMatchObject({
      judgments: planted.samples,
      distinctSamples: planted.samples,
      fails: planted.failures,
      judged: planted.samples,
      pending: 0,
    });
    expect(c.failsByClass).toEqual({ extraction: 10, summarize: 80, faq: 15 });
    expect(fake.unknownRoutes).toEqual([]);
  });

  it('loses no sample and counts none twice under 429 on every third request and 500s, then converges', async () => {
    const planted = await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 300, failures: 24 }]);
    fake = await startFakeAnthropic({
      faults: { rateLimitEvery: 3, retryAfterMs: 1, serverErrorWhen: (n) => n % 5 === 1 },
    });
    const first = await runJudge({ db, client: client(fake, 0), now }, { concurrency: 8 });
    let c = await countOutcomes(db);
    expect(first.pending).toBeGreaterThan(0); // maxRetries 0: faulted calls must leave samples pending
    expect(first.failures).toBe(first.pending);
    expect(c.judged + c.pending).toBe(planted.samples);
    expect(c.judgments).toBe(c.distinctSamples);
    expect(c.judgments).toBe(first.judged);
    for (let run = 0; run < 10 && c.pending > 0; run++) {
      await runJudge({ db, client: client(fake, 2), now }, { concurrency: 8 });
      c = await countOutcomes(db);
    }
    expect(c).toMatchObject({
      judgments: planted.samples,
      distinctSamples: planted.samples,
      judged: planted.samples,
      pending: 0,
      fails: planted.failures,
    });
    expect(fake.requests.filter((r) => r.fault === 'rate_limited').length).toBeGreaterThan(50);
  });

  it('with --max-cost-usd 0.01 at Sonnet prices makes no more calls than the budget affords', async () => {
    await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 200, failures: 16 }]);
    fake = await startFakeAnthropic();
    const summary = await runJudge({ db, client: client(fake), now }, { concurrency: 4, maxCostUsd: 0.01 });
    const calls = fake.requests.filter((r) => r.path === '/v1/messages').length;
    const plans = (await loadSamples(db, await selectPendingIds(db, 1000))).map((s) => planBatchRequest(s));
    const cheapest = Math.min(...plans.map((p) => ('request' in p ? estimateCallCostUsd(MODEL, p.request) : Infinity)));
    const stored = await db.query<{ cost: number; n: string }>(
      `select coalesce(sum(cost_usd), 0) as cost, count(*) as n from judgments`,
    );
    expect(summary.stoppedByBudget).toBe(true);
    expect(calls).toBe(summary.calls);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(Math.floor(0.01 / cheapest));
    expect(summary.costUsd).toBeLessThanOrEqual(0.01);
    expect(stored.rows[0]!.cost).toBeLessThanOrEqual(0.01);
    expect(Number(stored.rows[0]!.n) + summary.pending).toBe(200);
    console.info(`budget: ${calls} calls, $${summary.costUsd} of $0.01 (cheapest estimate $${cheapest.toFixed(5)})`);
  });
});
