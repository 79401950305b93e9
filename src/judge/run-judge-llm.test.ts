import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { JudgeError } from '../errors.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import { makeFakeJudgeClient } from '../../test/support/fakes/fake-judge-client.js';
import { runSample } from '../sampler/run-sample.js';
import { buildJudgePrompt } from './build-judge-prompt.js';
import { estimateCallCostUsd } from './priced-call.js';
import { loadRubric } from './rubric.js';
import { runJudge } from './run-judge.js';

const config = configSchema.parse({});
const now = () => new Date('2026-11-26T03:00:00Z');
const verdictFor = (prompt: string) =>
  prompt.includes('WRONG')
    ? '{"verdict":"fail","reason":"contradicts"}'
    : '```json\n{"verdict":"pass","reason":"same"}\n```';

let db: Db;
let seq = 0;
async function addEvents(events: Omit<TestRoutingEvent, 'id' | 'ts'>[]): Promise<void> {
  await db.query(`update samples set status = 'judged' where status in ('pending', 'claimed')`); // isolate each test's batch
  await insertRoutingEvents(
    db,
    events.map((e) => ({ ...e, id: `e${++seq}`, ts: '2026-11-25T10:00:00Z' })),
  );
  await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
}

describe('runJudge with a reference model', () => {
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db?.close());
  beforeEach(() => {
    seq += 1000;
  });

  it('skips the call where the comparator already matches, and delimits the content it sends', async () => {
    await addEvents([
      { taskType: 'classify', response: 'billing', reference: 'billing' },
      { taskType: 'classify', response: 'refund', reference: 'refund' },
      { taskType: 'classify', response: 'WRONG card_lost', reference: 'transfer' },
      { taskType: 'classify', response: 'a transfer, I think', reference: 'transfer' },
    ]);
    const client = makeFakeJudgeClient((r) => verdictFor(r.prompt));
    const r = await runJudge({ db, client, now }, {});
    expect(r).toMatchObject({
      judged: 4,
      calls: 2,
      callsSaved: 2,
      pending: 0,
      stoppedByBudget: false,
      provider: 'openai',
      model: 'gpt-4o',
    });
    expect(r.costUsd).toBeGreaterThan(0);
    for (const req of client.requests) {
      expect(`${req.system}${req.prompt}`).toContain('verdict');
      expect(req.prompt).toMatch(/<untrusted-data name="candidate">/);
    }
    const rows = await db.query<{ method: string; cost_usd: number; input_tokens: number | null }>(
      `select method, cost_usd, input_tokens from judgments where method = 'routing-agreement'`,
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows.every((x) => x.cost_usd > 0 && (x.input_tokens ?? 0) > 0)).toBe(true);
  });

  it('stops before the call that would pass the budget; the rest stays pending', async () => {
    await addEvents(
      Array.from({ length: 10 }, (_, i) => ({
        taskType: 'classify',
        prompt: 'Classify: hi',
        response: `label ${i}`,
        reference: 'billing',
      })),
    );
    const rubric = loadRubric('routing-agreement');
    const one = estimateCallCostUsd('gpt-4o', {
      ...buildJudgePrompt(rubric, { input: 'Classify: hi', candidate: 'label 0', reference: 'billing' }),
      maxTokens: rubric.maxTokens,
    });
    const client = makeFakeJudgeClient((r) => verdictFor(r.prompt));
    const max = one * 3.5;
    const r = await runJudge({ db, client, now }, { maxCostUsd: max, concurrency: 1 });
    // real replies cost less than the worst-case estimate, so more than 3 fit; never past the cap
    expect(r.stoppedByBudget).toBe(true);
    expect(r.calls).toBe(r.judged);
    expect(r.judged + r.pending).toBe(10);
    expect(r.pending).toBeGreaterThan(0);
    expect(r.costUsd).toBeLessThanOrEqual(max);
    expect(r.costUsd + one).toBeGreaterThan(max);
    const spent = await db.query<{ s: number }>(`select sum(cost_usd)::float8 as s from judgments where run_id = $1`, [
      r.runId,
    ]);
    expect(spent.rows[0].s).toBeCloseTo(r.costUsd, 8);
  });

  it('leaves samples pending on retryable errors; an unparseable reply is asked again once, then marked judge_error', async () => {
    await addEvents([
      { taskType: 'classify', prompt: 'p429', response: 'x1', reference: 'billing' },
      { taskType: 'classify', prompt: 'pjunk', response: 'x2', reference: 'billing' },
      { taskType: 'classify', prompt: 'pok', response: 'x3', reference: 'billing' },
    ]);
    const client = makeFakeJudgeClient((r) => {
      if (r.prompt.includes('p429')) throw new JudgeError('429 rate limited', { retryable: true });
      return r.prompt.includes('pjunk') ? 'I would say it passes.' : verdictFor(r.prompt);
    });
    const r = await runJudge({ db, client, now }, {});
    expect(r).toMatchObject({
      judged: 1,
      failures: 1,
      judgeErrors: 1,
      pending: 1,
      callFailures: { total: 3, byCause: { other: 1, malformed: 2 } },
    });
    expect(client.requests.filter((q) => q.prompt.includes('pjunk'))).toHaveLength(2);
    const st = await db.query<{ status: string; claimed_by: string | null; judge_error: string | null }>(
      `select status, claimed_by, judge_error from samples where status <> 'judged' order by status`,
    );
    expect(st.rows).toEqual([
      { status: 'judge_error', claimed_by: null, judge_error: 'I would say it passes.' },
      { status: 'pending', claimed_by: null, judge_error: null },
    ]);
  });

  it('asks the reference model once per prompt when no reference was recorded', async () => {
    await addEvents([
      { taskType: 'gsm8k_math', prompt: 'What is 2+3?', response: 'It is 5.\n#### 5', reference: null },
      { taskType: 'gsm8k_math', prompt: 'What is 2+3?', response: 'It is 6.\n#### 6', reference: null },
    ]);
    const client = makeFakeJudgeClient((r) =>
      r.customId.startsWith('ref-') ? '2 + 3 = 5\n#### 5' : '{"verdict":"fail","reason":"6 is not 5"}',
    );
    const r = await runJudge({ db, client, now }, { concurrency: 1 });
    expect(r).toMatchObject({ judged: 2, calls: 2, callsSaved: 1 });
    expect(client.requests.filter((q) => q.customId.startsWith('ref-'))).toHaveLength(1);
    const cached = await db.query<{ n: number }>(`select count(*)::int as n from reference_answers`);
    expect(cached.rows[0].n).toBe(1);
  });

  it('ends the run on a non-retryable error with every claim released', async () => {
    await addEvents([{ taskType: 'classify', response: 'x', reference: 'billing' }]);
    const client = makeFakeJudgeClient(() => {
      throw new JudgeError('401 invalid x-api-key', { retryable: false });
    });
    await expect(runJudge({ db, client, now }, {})).rejects.toThrow(
      /the openai judge \(model gpt-4o\) could not judge: 1 of 1 calls failed.*401/,
    );
    const st = await db.query<{ n: number }>(`select count(*)::int as n from samples where status = 'claimed'`);
    expect(st.rows[0].n).toBe(0);
  });
});
