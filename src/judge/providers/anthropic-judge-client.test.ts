import { afterEach, describe, expect, it } from 'vitest';
import { JudgeError } from '../../errors.js';
import { startFakeAnthropic, type FakeAnthropicServer } from '../../../test/support/fakes/fake-anthropic-server.js';
import type { BatchItemResult, JudgeRequest } from '../judge-client.js';
import { createJudgeClient } from './create-judge-client.js';
import { redactSecrets } from './to-judge-error.js';

const KEY = 'sk-ant-test-0123456789abcdef';
const req = (i: number, body = 'fine'): JudgeRequest => ({
  customId: `s-${i}`,
  system: 'You are a judge.',
  prompt: `response: ${body}`,
  maxTokens: 64,
});
let fake: FakeAnthropicServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const clientFor = (
  f: FakeAnthropicServer,
  extra: { maxRetries?: number; timeoutMs?: number; maxRetryWaitMs?: number; key?: string } = {},
) =>
  createJudgeClient({
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    env: { anthropicApiKey: extra.key ?? KEY, anthropicBaseUrl: f.url, isTty: false },
    ...extra,
  });

describe('createAnthropicJudgeClient', () => {
  it('sends a Messages request with Bearer auth and returns text and usage', async () => {
    fake = await startFakeAnthropic({ apiKey: KEY });
    const reply = await clientFor(fake).complete(req(1, 'PLANTED_ERROR'));
    expect(JSON.parse(reply.text).verdict).toBe('fail');
    expect(reply.usage.inputTokens).toBeGreaterThan(0);
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.json).toMatchObject({ model: 'claude-sonnet-4', max_tokens: 64, system: 'You are a judge.' });
    expect(fake.unknownRoutes).toEqual([]);
  });

  it('retries 429 and 500 through the SDK and succeeds', async () => {
    fake = await startFakeAnthropic({
      faults: { rateLimitEvery: 3, retryAfterMs: 5, serverErrorWhen: (n) => n === 1 },
    });
    const client = clientFor(fake, { maxRetries: 3 });
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await client.complete(req(i)));
    expect(replies.map((r) => r.customId)).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4', 's-5']);
    expect(fake.requests.filter((r) => r.fault).length).toBeGreaterThanOrEqual(3);
  });

  it('does not sleep through a retry-after over the cap: fails fast, retryable, key redacted', async () => {
    fake = await startFakeAnthropic({ faults: { rateLimitEvery: 1, retryAfterSeconds: 3600 } });
    const err = await clientFor(fake, { maxRetries: 2, maxRetryWaitMs: 1000 })
      .complete(req(1))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JudgeError);
    expect((err as JudgeError).retryable).toBe(true);
    expect((err as JudgeError).message).toMatch(/HTTP 429.*over the retry cap/);
    expect(fake.requests.length).toBe(1);
    expect((err as JudgeError).cause).toBeDefined();
  });

  it('maps 401 to a non-retryable error that never shows the key', async () => {
    fake = await startFakeAnthropic({ apiKey: 'sk-ant-the-right-key-0000' });
    const err = (await clientFor(fake)
      .complete(req(1))
      .catch((e: unknown) => e)) as JudgeError;
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/HTTP 401.*ANTHROPIC_API_KEY/);
    expect(err.message).not.toContain(KEY);
  });

  it('maps a hanging server to a retryable timeout', async () => {
    fake = await startFakeAnthropic({ faults: { hangWhen: () => true } });
    const err = (await clientFor(fake, { maxRetries: 1, timeoutMs: 100 })
      .complete(req(1))
      .catch((e: unknown) => e)) as JudgeError;
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/timed out/);
    expect(fake.requests.length).toBe(2);
  });

  it('runs a batch and matches reversed results by custom_id, reporting item errors', async () => {
    fake = await startFakeAnthropic({
      itemOutcome: (id) => (id === 's-2' ? 'errored' : id === 's-3' ? 'expired' : 'succeeded'),
    });
    const client = clientFor(fake);
    const { batchId } = await client.startBatch([0, 1, 2, 3, 4].map((i) => req(i, i === 1 ? 'PLANTED_ERROR' : 'ok')));
    expect((await client.checkBatch(batchId)).status).toBe('in_progress');
    expect(await client.checkBatch(batchId)).toEqual({ status: 'ended', done: 5, total: 5 });
    const items: BatchItemResult[] = [];
    for await (const item of client.readBatch(batchId)) items.push(item);
    expect(items.map((i) => i.customId)).toEqual(['s-4', 's-3', 's-2', 's-1', 's-0']);
    const byId = new Map(items.map((i) => [i.customId, i]));
    expect(JSON.parse(byId.get('s-1')!.reply!.text).verdict).toBe('fail');
    expect(JSON.parse(byId.get('s-0')!.reply!.text).verdict).toBe('pass');
    expect(byId.get('s-2')!.error).toMatch(/errored/);
    expect(byId.get('s-3')!.error).toBe('expired');
    expect(fake.unknownRoutes).toEqual([]);
  });
});

describe('createJudgeClient', () => {
  it('needs the provider key from Env and says which variable', () => {
    expect(() => createJudgeClient({ provider: 'anthropic', model: 'claude-sonnet-4', env: { isTty: false } })).toThrow(
      /ANTHROPIC_API_KEY/,
    );
    expect(() => createJudgeClient({ provider: 'openai', model: 'gpt-4o', env: { isTty: false } })).toThrow(
      /OPENAI_API_KEY/,
    );
  });
});

describe('redactSecrets', () => {
  it('removes the given keys and anything shaped like an API key', () => {
    expect(redactSecrets('bad key sk-ant-api03-abcdefghijklmnop and my-secret-value', ['my-secret-value'])).toBe(
      'bad key sk-[redacted] and [redacted]',
    );
  });
});
