import { describe, expect, it } from 'vitest';
import { ConfigError, InputError } from '../../errors.js';
import { createJudgeClient, judgeClientFor } from './create-judge-client.js';

const env = { anthropicApiKey: 'sk-ant-000000000', isTty: false };

describe('createJudgeClient', () => {
  it('refuses an unpriced model under a cost cap with the one message runJudge and runBatchJudge give too', () => {
    const build = () => createJudgeClient({ provider: 'anthropic', model: 'claude-nope', env, maxCostUsd: 1 });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      'model "claude-nope" has no price in the catalog, so --max-cost-usd cannot be enforced; pick a catalogued model or add its price',
    );
    expect(createJudgeClient({ provider: 'anthropic', model: 'claude-nope', env }).model).toBe('claude-nope');
  });

  it('names the missing key and the flag that judges offline', () => {
    expect(() => createJudgeClient({ provider: 'openai', env: { isTty: false } })).toThrow(
      /judge provider "openai" needs OPENAI_API_KEY in the environment \(model [^)]+\); set it, or judge offline \(--judge offline\)/,
    );
  });
});

describe('judgeClientFor', () => {
  it('is undefined for the offline judge, a client for a provider, and an InputError naming the known judges otherwise', () => {
    expect(judgeClientFor({}, env)).toBeUndefined();
    expect(judgeClientFor({ provider: 'offline' }, env)).toBeUndefined();
    expect(judgeClientFor({ provider: 'anthropic', model: 'claude-sonnet-4' }, env)?.provider).toBe('anthropic');
    expect(() => judgeClientFor({ provider: 'gpt5' }, env)).toThrow(InputError);
    expect(() => judgeClientFor({ provider: 'gpt5' }, env)).toThrow(
      '--judge must be one of offline, anthropic, openai, got "gpt5"',
    );
  });
});
