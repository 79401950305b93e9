import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { startFakeAnthropic } from '../../test/support/fakes/fake-anthropic-server.js';
import type { FakeItemOutcome } from '../../test/support/fakes/fake-anthropic-server.js';
import type { FakeServer } from '../../test/support/fakes/fake-http.js';
import { startFakeOpenAi } from '../../test/support/fakes/fake-openai-server.js';
import { countOutcomes, resetJudgeTables, seedPlantedSamples } from '../../test/support/planted-samples.js';
import type { JudgeClient } from './judge-client.js';
import { createJudgeClient } from './providers/create-judge-client.js';
import { runBatchJudge } from './run-batch-judge.js';

let db: Db;
let fake: (FakeServer & { batches: unknown[] }) | undefined;
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

const noSleep = async () => {};
const poll = { initialMs: 1, factor: 2, maxMs: 10 };
const providers = [
  { provider: 'openai' as const, model: 'gpt-4o', start: startFakeOpenAi },
  { provider: 'anthropic' as const, model: 'claude-sonnet-4', start: startFakeAnthropic },
];
const clientFor = (p: (typeof providers)[number], url: string): JudgeClient =>
  createJudgeClient({
    provider: p.provider,
    model: p.model,
    maxRetries: 3,
    env:
      p.provider === 'openai'
        ? { openaiApiKey: 'sk-test-0000000000', openaiBaseUrl: `${url}/v1`, isTty: false }
        : { anthropicApiKey: 'sk-ant-test-000000', anthropicBaseUrl: url, isTty: false },
  });

describe.each(providers)('runBatchJudge ($provider)', (p) => {
  it('counts exactly the planted failures with results returned in reverse order', async () => {
    const planted = await seedPlantedSamples(db);
    fake = await p.start({
      pollsUntilEnded: 2,
      faults: { rateLimitEvery: 3, retryAfterMs: 1, firstAttemptsOnly: true },
    });
    const summary = await runBatchJudge(
      { db, client: clientFor(p, fake.url), sleep: noSleep },
      { maxBatch: 1000, poll },
    );
    const c = await countOutcomes(db);
    expect(fake.batches.length).toBe(3);
    expect(summary).toMatchObject({
      judged: planted.samples,
      pending: 0,
      calls: planted.samples,
      batches: 3,
      failures: 0,
    });
    expect(c).toMatchObject({
      judgments: planted.samples,
      distinctSamples: planted.samples,
      judged: planted.samples,
      fails: planted.failures,
      pending: 0,
      claimed: 0,
    });
    expect(c.failsByClass).toEqual({ extraction: 10, summarize: 80, faq: 15 });
    const methods = await db.query<{ source: string; method: string }>(
      `select distinct s.source, j.method from judgments j join samples s on s.id = j.sample_id order by 1`,
    );
    expect(methods.rows).toEqual([
      { source: 'cache', method: 'cache-hit-validity' },
      { source: 'routing', method: 'routing-agreement' },
    ]);
    expect(fake.unknownRoutes).toEqual([]);
    // the faults really fired and the SDK retried them (one retry each: firstAttemptsOnly)
    expect(fake.requests.filter((r) => r.fault === 'rate_limited').length).toBeGreaterThan(0);
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toContain('1');
  });

  it('marks a sample whose batch reply is not a verdict judge_error (not sent again), and --retry-errors sends it again', async () => {
    await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 10, failures: 1 }]);
    fake = await p.start({
      pollsUntilEnded: 0,
      judge: ({ prompt }) =>
        prompt.includes('question summarize-2')
          ? 'Probably fine, maybe.'
          : JSON.stringify({ verdict: prompt.includes('PLANTED_ERROR') ? 'fail' : 'pass', reason: 'r' }),
    });
    const first = await runBatchJudge({ db, client: clientFor(p, fake.url), sleep: noSleep }, { poll });
    expect(first).toMatchObject({ judged: 9, judgeErrors: 1, pending: 0 });
    const row = await db.query<{ status: string; judge_error: string }>(
      `select status, judge_error from samples where event_id = 'summarize-2'`,
    );
    expect(row.rows).toEqual([{ status: 'judge_error', judge_error: 'Probably fine, maybe.' }]);
    const again = await runBatchJudge({ db, client: clientFor(p, fake.url), sleep: noSleep }, { poll });
    expect(again).toMatchObject({ judged: 0, calls: 0 });
    await fake.close();
    fake = await p.start({ pollsUntilEnded: 0 });
    const retried = await runBatchJudge(
      { db, client: clientFor(p, fake.url), sleep: noSleep },
      { poll, retryErrors: true },
    );
    expect(retried).toMatchObject({ retriedErrors: 1, judged: 1, calls: 1 });
  });

  it('passes exact matches without a request (cheap first) and marks answerless samples unjudgeable', async () => {
    await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 40, failures: 4 }]);
    // 10 answers equal to the reference (decisive), 5 with no answer recorded (unjudgeable)
    await db.query(
      `update routing_events set response = reference where id in (select id from routing_events where response not like '%PLANTED%' order by id limit 10)`,
    );
    await db.query(
      `update routing_events set response = '' where id in (select id from routing_events where response not like '%PLANTED%' and response <> reference order by id limit 5)`,
    );
    fake = await p.start();
    // judge.emptyAnswer: unjudgeable (the default, fail, is covered in judge/empty-answer.test.ts)
    const r = await runBatchJudge(
      { db, client: clientFor(p, fake.url), sleep: noSleep },
      { poll, emptyAnswer: 'unjudgeable' },
    );
    expect(r).toMatchObject({ judged: 35, calls: 25, callsSaved: 10, unjudgeable: 5, pending: 0 });
    const c = await countOutcomes(db);
    expect(c).toMatchObject({ judgments: 35, judged: 35, pending: 0, claimed: 0, fails: 4 });
    const offline = await db.query<{ n: number }>(
      `select count(*)::int as n from judgments where provider = 'offline' and verdict = 'pass'`,
    );
    expect(offline.rows[0]!.n).toBe(10);
    const unj = await db.query<{ n: number }>(`select count(*)::int as n from samples where status = 'unjudgeable'`);
    expect(unj.rows[0]!.n).toBe(5);
  });

  it('without waiting (the daemon) leaves a running batch open and collects it on a later run, once', async () => {
    const planted = await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 60, failures: 6 }]);
    fake = await p.start({ pollsUntilEnded: 1 });
    const run = () => runBatchJudge({ db, client: clientFor(p, fake!.url), sleep: noSleep }, { poll, wait: false });
    const results = [await run(), await run(), await run()];
    expect(results.map((r) => [r.calls, r.judged, r.openBatches])).toEqual([
      [60, 0, 1],
      [0, 0, 1],
      [0, 60, 0],
    ]);
    expect(fake.batches.length).toBe(1);
    const c = await countOutcomes(db);
    expect(c).toMatchObject({
      judgments: planted.samples,
      distinctSamples: planted.samples,
      judged: planted.samples,
      fails: planted.failures,
      pending: 0,
      claimed: 0,
    });
  });

  it('leaves errored and expired items pending, and a rerun judges them once', async () => {
    const planted = await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 120, failures: 10 }]);
    const seen = new Set<string>();
    const itemOutcome = (id: string): FakeItemOutcome => {
      const first = !seen.has(id);
      seen.add(id);
      const n = Number(id.replace('sample-', ''));
      return first && n % 10 === 0 ? 'errored' : first && n % 10 === 5 ? 'expired' : 'succeeded';
    };
    fake = await p.start({ itemOutcome });
    const first = await runBatchJudge({ db, client: clientFor(p, fake.url), sleep: noSleep }, { poll });
    let c = await countOutcomes(db);
    expect(first).toMatchObject({ judged: 96, pending: 24, failures: 24 });
    expect(c).toMatchObject({ judged: 96, pending: 24, claimed: 0, judgments: 96, distinctSamples: 96 });
    await runBatchJudge({ db, client: clientFor(p, fake.url), sleep: noSleep }, { poll });
    c = await countOutcomes(db);
    expect(c).toMatchObject({
      judged: planted.samples,
      pending: 0,
      judgments: planted.samples,
      distinctSamples: planted.samples,
      fails: planted.failures,
    });
  });
});
