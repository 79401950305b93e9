import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { JudgeUnavailableError } from '../errors.js';
import { billedUsd } from '../../test/support/fakes/fake-http.js';
import {
  startFakeOpenAi,
  type FakeOpenAiServer,
  type FakeOpenAiOptions,
} from '../../test/support/fakes/fake-openai-server.js';
import { countOutcomes, resetJudgeTables, seedPlantedSamples } from '../../test/support/planted-samples.js';
import { findPrice } from '../routing/price-catalog.js';
import { createJudgeClient } from './providers/create-judge-client.js';
import { runBatchJudge } from './run-batch-judge.js';
import { runJudge } from './run-judge.js';

const MODEL = 'gpt-4o';
const PRICE = { inputPerM: findPrice(MODEL)!.input, outputPerM: findPrice(MODEL)!.output };
const KEY = 'sk-test-faults-0123456789';
let db: Db;
let fake: FakeOpenAiServer | undefined;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await fake?.close();
  await db.close();
});
beforeEach(async () => {
  await fake?.close();
  fake = undefined;
  await resetJudgeTables(db);
});

const now = () => new Date();
const clientAt = (baseUrl: string, o: { timeoutMs?: number; maxRetries?: number; key?: string } = {}) =>
  createJudgeClient({
    provider: 'openai',
    model: MODEL,
    env: { openaiApiKey: o.key ?? KEY, openaiBaseUrl: baseUrl, isTty: false },
    maxRetries: o.maxRetries ?? 2,
    timeoutMs: o.timeoutMs ?? 5000,
  });
const start = async (o: FakeOpenAiOptions = {}) => (fake = await startFakeOpenAi(o));
const seed = (n: number) =>
  seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n, failures: Math.round(n / 10) }]);
/** The event id ("summarize-12") a judging request is about, from the prompt it carries. */
const eventOf = (json: unknown) => /question (summarize-\d+)/.exec(JSON.stringify(json))?.[1];
const indexOf = (json: unknown) => Number(eventOf(json)?.split('-')[1] ?? -1);

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('runJudge when the judge cannot judge', () => {
  it('connection refused: fails with exit 4, one line naming provider, base URL and the error; nothing left claimed', async () => {
    await seed(40);
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const err = (await runJudge({ db, client: clientAt(url, { maxRetries: 1 }), now }, { concurrency: 4 }).catch(
      (e: unknown) => e,
    )) as JudgeUnavailableError;
    expect(err).toBeInstanceOf(JudgeUnavailableError);
    expect(err.exitCode).toBe(4);
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain(`the openai judge at ${url} (model ${MODEL}) could not judge`);
    expect(err.message).toMatch(/connection \d+/);
    expect(err.message).toMatch(/ECONNREFUSED/);
    const c = await countOutcomes(db);
    expect(c).toMatchObject({ judgments: 0, claimed: 0, pending: 40 });
  });

  it('--batch with an unreachable base URL fails with exit 4 too; the samples stay pending', async () => {
    await seed(12);
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const err = (await runBatchJudge({ db, client: clientAt(url, { maxRetries: 0 }) }, { maxBatch: 5 }).catch(
      (e: unknown) => e,
    )) as JudgeUnavailableError;
    expect(err).toBeInstanceOf(JudgeUnavailableError);
    expect(err.message).toContain(`the openai judge at ${url}`);
    expect(await countOutcomes(db)).toMatchObject({ judgments: 0, pending: 12 });
  });

  it('a refused key (401) fails the run at once with exit 4 and the base URL, key not shown', async () => {
    await seed(10);
    await start({ apiKey: 'sk-the-right-key-000000000' });
    const err = (await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, {}).catch(
      (e: unknown) => e,
    )) as JudgeUnavailableError;
    expect(err).toBeInstanceOf(JudgeUnavailableError);
    expect(err.message).toMatch(/openai judge at http:\/\/127\.0\.0\.1:\d+\/v1 .*HTTP 401.*OPENAI_API_KEY/);
    expect(err.message).not.toContain(KEY);
  });

  it('a partial outage (every 5th call fails for good) finishes, with the failures counted by cause', async () => {
    await seed(50);
    await start({ faults: { serverErrorFor: (json) => indexOf(json) % 5 === 0, retryAfterMs: 1 } });
    const r = await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, { concurrency: 8 });
    expect(r).toMatchObject({
      judged: 40,
      failures: 10,
      pending: 10,
      callFailures: { total: 10, byCause: { server_error: 10 } },
    });
    expect(r.calls).toBe(50);
  });
});

describe('runJudge with malformed replies', () => {
  it('retries once, then marks judge_error with a redacted excerpt; the run goes on; not paid again unless --retry-errors', async () => {
    await seed(30);
    // sample 3: HTML on 200 every time; 4: truncated JSON once (the retry succeeds); 5: "maybe"; 6: prose
    const html = (json: unknown) => indexOf(json) === 3;
    let truncatedOnce = false;
    await start({
      faults: {
        malformedWhen: (_n, json) => {
          if (html(json)) return 'html';
          if (indexOf(json) !== 4 || truncatedOnce) return undefined;
          truncatedOnce = true;
          return 'truncated';
        },
      },
      judge: ({ prompt }) =>
        prompt.includes('question summarize-5')
          ? '{"verdict": "maybe", "reason": "unsure"}'
          : prompt.includes('question summarize-6')
            ? 'It looks fine to me.'
            : JSON.stringify({ verdict: prompt.includes('PLANTED_ERROR') ? 'fail' : 'pass', reason: 'r' }),
    });
    const r = await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, { concurrency: 4 });
    expect(r).toMatchObject({ judged: 27, judgeErrors: 3, pending: 0, callFailures: { byCause: { malformed: 7 } } });
    expect(r.calls).toBe(30 + 4); // one retry each for samples 3, 4, 5 and 6
    const rows = await db.query<{ event_id: string; status: string; judge_error: string }>(
      `select event_id, status, judge_error from samples where status = 'judge_error' order by event_id`,
    );
    expect(rows.rows.map((x) => x.event_id)).toEqual(['summarize-3', 'summarize-5', 'summarize-6']);
    const htmlExcerpt = rows.rows[0]!.judge_error;
    expect(htmlExcerpt).toMatch(/^<!DOCTYPE html>/);
    expect(htmlExcerpt).not.toContain('LEAKEDKEY');
    expect(htmlExcerpt.length).toBeLessThanOrEqual(200);
    expect(rows.rows[1]!.judge_error).toContain('maybe');

    const served = fake!.requests.length;
    const again = await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, {});
    expect(again).toMatchObject({ judged: 0, calls: 0 });
    expect(fake!.requests.length).toBe(served);

    await fake!.close();
    await start(); // a healthy judge
    const retried = await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, { retryErrors: true });
    expect(retried).toMatchObject({ retriedErrors: 3, judged: 3, calls: 3, judgeErrors: 0 });
    expect(await countOutcomes(db)).toMatchObject({ judgments: 30, judged: 30 });
  });
});

describe('runJudge budget at concurrency 16', () => {
  it('slow replies (some past the timeout, billed anyway) and replies at max_tokens: billed <= the cap', async () => {
    await seed(120);
    // every 4th request answers after the client's timeout: the provider processed (and billed) it
    await start({
      latencyFor: (n) => (n % 4 === 0 ? 700 : 30),
      usage: ({ promptTokens, maxTokens }) => ({ inputTokens: promptTokens, outputTokens: maxTokens }),
    });
    const r = await runJudge(
      { db, client: clientAt(`${fake!.url}/v1`, { timeoutMs: 300, maxRetries: 2 }), now },
      { maxCostUsd: 0.1, concurrency: 16 },
    );
    await new Promise((res) => setTimeout(res, 1000)); // let the timed-out requests finish at the fake
    const billed = billedUsd(fake!.requests, PRICE);
    console.info(
      `slow + max_tokens: billed $${billed.toFixed(4)}, counted $${r.costUsd.toFixed(4)}, ${r.calls} calls, stopped by budget ${r.stoppedByBudget}`,
    );
    expect(r.stoppedByBudget).toBe(true);
    expect(billed).toBeLessThanOrEqual(0.1);
    expect(r.costUsd).toBeGreaterThanOrEqual(billed - 1e-9); // counted never below what the provider may bill
    expect(r.costUsd).toBeLessThanOrEqual(0.1 + 1e-9);
  });

  it("usage reported above the estimate: billed <= cap + one call's worst case, later estimates raised", async () => {
    await seed(120);
    await start({
      latencyMs: 20,
      usage: ({ promptTokens, maxTokens }) => ({ inputTokens: promptTokens * 4, outputTokens: maxTokens }),
    });
    const r = await runJudge({ db, client: clientAt(`${fake!.url}/v1`), now }, { maxCostUsd: 0.1, concurrency: 16 });
    const billed = billedUsd(fake!.requests, PRICE);
    const worstCall = Math.max(...fake!.requests.map((q) => billedUsd([q], PRICE)));
    console.info(
      `usage x4: billed $${billed.toFixed(4)}, one call's worst case $${worstCall.toFixed(4)}, ${r.calls} calls`,
    );
    expect(r.stoppedByBudget).toBe(true);
    expect(billed).toBeLessThanOrEqual(0.1 + worstCall);
    expect(r.costUsd).toBeCloseTo(billed, 8);
  });
});
