import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { startFakeOpenAi } from '../../test/support/fakes/fake-openai-server.js';
import { startFakeAnthropic } from '../../test/support/fakes/fake-anthropic-server.js';
import type { BatchItemResult, JudgeRequest } from '../judge/judge-client.js';
import { createJudgeClient } from '../judge/providers/create-judge-client.js';
import type { QueueTimers } from './batch-queue-types.js';
import { createBatchQueue } from './create-batch-queue.js';

let db: Db;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});

/** A timer the test fires by hand: no real 30 s wait. */
function manualTimers(): QueueTimers & { fire(): void; armed: { ms: number }[] } {
  let pending: (() => void) | undefined;
  const armed: { ms: number }[] = [];
  return {
    armed,
    set(fn, ms) {
      pending = fn;
      armed.push({ ms });
      return armed.length;
    },
    clear() {
      pending = undefined;
    },
    fire() {
      const f = pending;
      pending = undefined;
      f?.();
    },
  };
}
const req = (i: number): JudgeRequest => ({
  customId: `caller-${i}`,
  system: 'judge',
  prompt: i % 7 === 0 ? `answer ${i} PLANTED_ERROR` : `answer ${i}`,
  maxTokens: 32,
});
const poll = { initialMs: 1, factor: 2, maxMs: 5 };
const noSleep = async () => {};

describe('createBatchQueue', () => {
  it('sends 250 concurrent callers within the 30 s window as ONE batch and gives each its own answer', async () => {
    const fake = await startFakeOpenAi({ pollsUntilEnded: 2 });
    const client = createJudgeClient({
      provider: 'openai',
      model: 'gpt-4o-mini',
      env: { openaiApiKey: 'sk-test-000000000', openaiBaseUrl: `${fake.url}/v1`, isTty: false },
    });
    const timers = manualTimers();
    const queue = createBatchQueue({ client, flushEveryMs: 30_000, maxBatch: 1000, timers, sleep: noSleep, poll });
    const answers = await Promise.all([
      ...Array.from({ length: 250 }, async (_, i) => {
        await new Promise((r) => setImmediate(r)); // callers arrive at different ticks
        return queue.submit(req(i));
      }),
      (async () => {
        while (queue.queued < 250) await new Promise((r) => setImmediate(r));
        expect(fake.batches.length).toBe(0);
        timers.fire();
      })(),
    ]);
    const results = answers.filter(Boolean) as BatchItemResult[];
    expect(timers.armed).toEqual([{ ms: 30_000 }]);
    expect(fake.batches.length).toBe(1);
    expect(fake.batches[0]!.lines.length).toBe(250);
    results.forEach((r, i) => {
      expect(r.customId).toBe(`caller-${i}`);
      expect(JSON.parse(r.reply!.text).verdict).toBe(i % 7 === 0 ? 'fail' : 'pass');
    });
    await fake.close();
  });

  it('flushes at maxBatch without waiting for the timer', async () => {
    const fake = await startFakeAnthropic();
    const client = createJudgeClient({
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      env: { anthropicApiKey: 'sk-ant-000000000', anthropicBaseUrl: fake.url, isTty: false },
    });
    const queue = createBatchQueue({
      client,
      maxBatch: 100,
      timers: manualTimers(),
      sleep: noSleep,
      poll,
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => queue.submit(req(i))));
    expect(fake.batches.map((b) => b.requests.length)).toEqual([100, 100]);
    expect(results.map((r) => r.customId)).toEqual(Array.from({ length: 200 }, (_, i) => `caller-${i}`));
    await fake.close();
  });
});

describe('createBatchQueue with a database', () => {
  it('survives a restart: a new queue resumes the stored batch and delivers every result once', async () => {
    const fake = await startFakeOpenAi({ pollsUntilEnded: 3 });
    const client = createJudgeClient({
      provider: 'openai',
      model: 'gpt-4o-mini',
      env: { openaiApiKey: 'sk-test-000000000', openaiBaseUrl: `${fake.url}/v1`, isTty: false },
    });
    let stalled = 0;
    const stuck = () => {
      stalled++;
      return new Promise<void>(() => {});
    }; // the first process "dies" while polling
    const dead = createBatchQueue({ client, db, purpose: 'restart-test', flushEveryMs: 0, sleep: stuck, poll });
    for (let i = 0; i < 40; i++) void dead.submit(req(i));
    dead.flush();
    while (stalled === 0) await new Promise((r) => setTimeout(r, 5));
    const delivered: string[] = [];
    const revived = createBatchQueue({
      client,
      db,
      purpose: 'restart-test',
      sleep: noSleep,
      poll,
      onResults: (rs) => {
        delivered.push(...rs.map((r) => r.item.customId));
      },
    });
    expect(await revived.resume()).toBe(1);
    await revived.drain();
    expect(fake.batches.length).toBe(1);
    expect(delivered.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `caller-${i}`).sort());
    expect(await revived.resume()).toBe(0); // collected: nothing left to re-attach
    await fake.close();
  });

  it('without waiting: submits and leaves, and resume() in the same process collects the batch once it has ended', async () => {
    const fake = await startFakeAnthropic({ pollsUntilEnded: 1 });
    const client = createJudgeClient({
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      env: { anthropicApiKey: 'sk-ant-000000000', anthropicBaseUrl: fake.url, isTty: false },
    });
    const delivered: string[] = [];
    const queue = createBatchQueue({
      client,
      db,
      purpose: 'no-wait-test',
      flushEveryMs: 0,
      sleep: noSleep,
      poll,
      waitForResults: false,
      onResults: (rs) => {
        delivered.push(...rs.map((r) => r.item.customId));
      },
    });
    for (let i = 0; i < 30; i++) void queue.submit(req(i));
    await queue.drain();
    expect(fake.batches.length).toBe(1);
    expect(delivered).toEqual([]); // submitted, not waited for
    expect(await queue.resume()).toBe(1); // one look: still in progress
    await queue.drain();
    expect(delivered).toEqual([]);
    expect(await queue.resume()).toBe(1); // ended now: collected
    await queue.drain();
    expect(delivered.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `caller-${i}`).sort());
    expect(await queue.resume()).toBe(0);
    expect(() => createBatchQueue({ client, waitForResults: false })).toThrow(/needs `db`/);
    await fake.close();
  });

  it('refuses options without a client (plain JavaScript callers of the old provider/model/env form)', () => {
    const old = { provider: 'anthropic', model: 'claude-sonnet-4' } as unknown as Parameters<
      typeof createBatchQueue
    >[0];
    expect(() => createBatchQueue(old)).toThrow(/needs `client`, a JudgeClient: build one with createJudgeClient/);
  });
});
