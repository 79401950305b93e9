import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../../../test/support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../../../test/support/fakes/fake-openai-server.js';
import { createJudgeClient } from './create-judge-client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dw-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const req = { customId: 's-1', system: 'Grade.', prompt: 'Is 2 + 2 = 4? PASS or FAIL', maxTokens: 5 };

describe('createJudgeClient (SDK loaded on the first call)', () => {
  it('reports provider, model and base URL before any call, then answers through the Anthropic SDK', async () => {
    const fake = await startFakeAnthropic();
    try {
      const env = { anthropicApiKey: 'sk-ant-test-key-000000', anthropicBaseUrl: fake.url, isTty: false };
      const client = createJudgeClient({ provider: 'anthropic', model: 'claude-sonnet-4', env });
      expect({ provider: client.provider, model: client.model, baseUrl: client.baseUrl }).toEqual({
        provider: 'anthropic',
        model: 'claude-sonnet-4',
        baseUrl: fake.url,
      });
      expect(fake.requests).toHaveLength(0);
      const reply = await client.complete(req);
      expect(reply.customId).toBe('s-1');
      expect(reply.text.length).toBeGreaterThan(0);
      const { batchId } = await client.startBatch([req]);
      expect(fake.batches.map((b) => b.id)).toEqual([batchId]);
      expect(fake.unknownRoutes).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('the OpenAI client reports its base URL before any call and answers through the SDK', async () => {
    const fake = await startFakeOpenAi();
    try {
      const env = { openaiApiKey: 'sk-test-key-000000', openaiBaseUrl: `${fake.url}/v1`, isTty: false };
      const client = createJudgeClient({ provider: 'openai', model: 'gpt-4o', env });
      expect(client.baseUrl).toBe(`${fake.url}/v1`);
      expect(fake.requests).toHaveLength(0);
      expect((await client.complete(req)).customId).toBe('s-1');
      expect(fake.unknownRoutes).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('without a base URL reports the provider default, and a missing key still fails at construction', () => {
    const anthropic = createJudgeClient({ provider: 'anthropic', env: { anthropicApiKey: 'k', isTty: false } });
    expect(anthropic.baseUrl).toBe('https://api.anthropic.com');
    const openai = createJudgeClient({ provider: 'openai', env: { openaiApiKey: 'k', isTty: false } });
    expect(openai.baseUrl).toBe('https://api.openai.com/v1');
    expect(() => createJudgeClient({ provider: 'openai', env: { isTty: false } })).toThrow(/needs OPENAI_API_KEY/);
  });
});

// A fresh process, so what the module graph loads is not hidden by this test file's own imports.
// The ESM hook records every loaded URL; CommonJS packages (natural, gpt-tokenizer) show in require.cache.
const CHILD = `
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const [root, file] = process.argv.slice(1);
register('data:text/javascript,' + encodeURIComponent(
  "import { appendFileSync } from 'node:fs'; let f; export function initialize(d) { f = d.file; }" +
  " export async function load(u, c, n) { appendFileSync(f, u + '\\\\n'); return n(u, c); }"), { data: { file } });
const src = (p) => import(new URL('src/' + p, 'file://' + root).href);
const heavy = () => {
  const seen = readFileSync(file, 'utf8') + Object.keys(createRequire(import.meta.url).cache).join('\\n');
  return ['@anthropic-ai/sdk', 'openai', 'gpt-tokenizer', 'natural'].filter((p) => seen.includes('/node_modules/' + p + '/'));
};
await src('cli/commands/nightly.ts');
await src('cli/commands/judge.ts');
const { createJudgeClient } = await src('judge/providers/create-judge-client.ts');
const { createEmbedder } = await src('cache/create-embedder.ts');
const env = { anthropicApiKey: 'k', anthropicBaseUrl: 'http://127.0.0.1:9', openaiApiKey: 'k', isTty: false };
const client = createJudgeClient({ provider: 'anthropic', env, maxRetries: 0 });
createJudgeClient({ provider: 'openai', env });
createEmbedder(env, { embedder: 'openai' });
const before = heavy();
(await src('routing/count-tokens.ts')).countTokens('two words');
(await src('text/natural-words.ts')).porterStem('running');
await client.complete({ customId: 'x', system: '', prompt: 'p', maxTokens: 1 }).catch(() => undefined);
console.log(JSON.stringify({ before, after: heavy() }));
`;

describe('start-up of the judge and nightly commands', () => {
  it('imports no SDK, tokenizer or natural until they are used', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD, ROOT, path.join(tmp, 'loaded.txt')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const { before, after } = JSON.parse(out.trim().split('\n').pop()!) as { before: string[]; after: string[] };
    expect(before).toEqual([]);
    expect(after).toEqual(['@anthropic-ai/sdk', 'gpt-tokenizer', 'natural']);
  });
});
