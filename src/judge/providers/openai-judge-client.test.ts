import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { JudgeError } from '../../errors.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../../../test/support/fakes/fake-openai-server.js';
import type { BatchItemResult, JudgeRequest } from '../judge-client.js';
import { capRetryAfter } from './cap-retry-after.js';
import { createJudgeClient } from './create-judge-client.js';
import { createOpenAiJudgeClient } from './openai-judge-client.js';

const KEY = 'sk-test-openai-0123456789abcdef';
const req = (i: number, body = 'fine'): JudgeRequest => ({
  customId: `s-${i}`,
  system: 'You are a judge.',
  prompt: `response: ${body}`,
  maxTokens: 64,
});
let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const clientFor = (
  f: FakeOpenAiServer,
  extra: { maxRetries?: number; timeoutMs?: number; maxRetryWaitMs?: number } = {},
) =>
  createJudgeClient({
    provider: 'openai',
    model: 'gpt-4o',
    env: { openaiApiKey: KEY, openaiBaseUrl: `${f.url}/v1`, isTty: false },
    ...extra,
  });

describe('createOpenAiJudgeClient', () => {
  it('sends a chat completion with Bearer auth, system + user messages, and returns text and usage', async () => {
    fake = await startFakeOpenAi({ apiKey: KEY });
    const reply = await clientFor(fake).complete(req(1, 'PLANTED_ERROR'));
    expect(JSON.parse(reply.text).verdict).toBe('fail');
    expect(reply.usage.inputTokens).toBeGreaterThan(0);
    expect(reply.usage.outputTokens).toBeGreaterThan(0);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    // an OpenAI-compatible base URL gets max_tokens, which such servers understand
    expect(sent.json).toMatchObject({
      model: 'gpt-4o',
      max_tokens: 64,
      messages: [
        { role: 'system', content: 'You are a judge.' },
        { role: 'user', content: 'response: PLANTED_ERROR' },
      ],
    });
  });

  it('sends max_completion_tokens when asked (api.openai.com and reasoning models)', async () => {
    fake = await startFakeOpenAi();
    const client = createOpenAiJudgeClient({
      client: new OpenAI({ apiKey: KEY, baseURL: `${fake.url}/v1` }),
      model: 'gpt-5-mini',
      maxTokensField: 'max_completion_tokens',
    });
    await client.complete(req(1));
    expect(fake.requests[0]!.json).toMatchObject({ max_completion_tokens: 64 });
    expect(fake.requests[0]!.json).not.toHaveProperty('max_tokens');
  });

  it('retries 429 (every third request) and 500s inside the SDK', async () => {
    fake = await startFakeOpenAi({ faults: { rateLimitEvery: 3, retryAfterMs: 2, serverErrorWhen: (n) => n === 1 } });
    const client = clientFor(fake, { maxRetries: 3 });
    for (let i = 0; i < 6; i++) expect((await client.complete(req(i))).customId).toBe(`s-${i}`);
    expect(fake.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toContain('1');
  });

  it('maps errors: 429 over the retry cap and timeouts are retryable, 401 is not, keys redacted', async () => {
    fake = await startFakeOpenAi({ faults: { rateLimitEvery: 1, retryAfterSeconds: 3600 } });
    const capped = (await clientFor(fake, { maxRetryWaitMs: 500 })
      .complete(req(1))
      .catch((e: unknown) => e)) as JudgeError;
    expect(capped).toBeInstanceOf(JudgeError);
    expect(capped.retryable).toBe(true);
    expect(fake.requests.length).toBe(1);
    await fake.close();
    fake = await startFakeOpenAi({ apiKey: 'sk-the-right-one-000000000' });
    const denied = (await clientFor(fake)
      .complete(req(1))
      .catch((e: unknown) => e)) as JudgeError;
    expect(denied.retryable).toBe(false);
    expect(denied.message).toMatch(/HTTP 401.*OPENAI_API_KEY/);
    expect(denied.message).not.toContain(KEY);
    await fake.close();
    fake = await startFakeOpenAi({ faults: { hangWhen: () => true } });
    const slow = (await clientFor(fake, { maxRetries: 1, timeoutMs: 100 })
      .complete(req(1))
      .catch((e: unknown) => e)) as JudgeError;
    expect(slow.retryable).toBe(true);
    expect(slow.message).toMatch(/timed out/);
  });

  it('runs a batch through files + batches and reads output and error files, matched by custom_id', async () => {
    fake = await startFakeOpenAi({
      itemOutcome: (id) => (id === 's-2' ? 'errored' : id === 's-3' ? 'expired' : 'succeeded'),
    });
    const client = clientFor(fake);
    const { batchId } = await client.startBatch([0, 1, 2, 3, 4].map((i) => req(i, i === 1 ? 'PLANTED_ERROR' : 'ok')));
    expect(
      fake.files
        .get('file-in-1')!
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).custom_id),
    ).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4']);
    expect((await client.checkBatch(batchId)).status).toBe('in_progress');
    expect(await client.checkBatch(batchId)).toEqual({ status: 'ended', done: 5, total: 5 });
    const items: BatchItemResult[] = [];
    for await (const item of client.readBatch(batchId)) items.push(item);
    expect(items.slice(0, 3).map((i) => i.customId)).toEqual(['s-4', 's-1', 's-0']); // output file, reversed
    const byId = new Map(items.map((i) => [i.customId, i]));
    expect(JSON.parse(byId.get('s-1')!.reply!.text).verdict).toBe('fail');
    expect(byId.get('s-2')!.error).toMatch(/HTTP 400/);
    expect(byId.get('s-3')!.error).toMatch(/batch_expired/);
    expect(fake.unknownRoutes).toEqual([]);
  });
});

describe('capRetryAfter', () => {
  it('passes waits at or under the cap and marks longer ones x-should-retry: false', async () => {
    const server = (h: Record<string, string>) => async () => new Response('{}', { status: 429, headers: h });
    const short = await capRetryAfter(1000, server({ 'retry-after': '1' }))('http://x');
    expect(short.headers.get('x-should-retry')).toBeNull();
    const long = await capRetryAfter(1000, server({ 'retry-after': '3600' }))('http://x');
    expect(long.headers.get('x-should-retry')).toBe('false');
    expect(long.headers.get('x-driftwatch-retry-after-ms')).toBe('3600000');
    const ms = await capRetryAfter(1000, server({ 'retry-after-ms': '1500' }))('http://x');
    expect(ms.headers.get('x-should-retry')).toBe('false');
    const date = await capRetryAfter(
      1000,
      server({ 'retry-after': new Date(Date.now() + 120_000).toUTCString() }),
    )('http://x');
    expect(date.headers.get('x-should-retry')).toBe('false');
  });
});
