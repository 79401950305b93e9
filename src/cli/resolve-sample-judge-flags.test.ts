import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { resolveSampleJudgeFlags, type SampleJudgeFlags } from './resolve-sample-judge-flags.js';

const config = configSchema.parse({
  judge: { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', maxCostUsd: 2 },
});
const none: SampleJudgeFlags = {
  rate: undefined,
  judge: undefined,
  model: undefined,
  batch: false,
  maxCostUsd: undefined,
};

describe('resolveSampleJudgeFlags', () => {
  it('takes flags over driftwatch.yaml and the config where a flag is absent', () => {
    expect(resolveSampleJudgeFlags({ ...none, rate: 0.05, judge: 'offline' }, config)).toEqual({
      rate: 0.05,
      judge: { provider: 'offline', model: 'claude-3-5-sonnet-20241022', batch: false, maxCostUsd: 2 },
    });
    expect(resolveSampleJudgeFlags({ ...none, maxCostUsd: 0.5 }, config).judge).toMatchObject({
      provider: 'anthropic',
      maxCostUsd: 0.5,
    });
  });

  it('accepts --batch with an LLM judge where the caller waits for batches (nightly)', () => {
    expect(
      resolveSampleJudgeFlags({ ...none, batch: true, judge: 'openai', model: 'gpt-4o' }, configSchema.parse({}), {
        allowBatch: true,
      }).judge,
    ).toMatchObject({ provider: 'openai', batch: true });
  });

  it.each([
    [{ rate: 0 }, '--rate must be above 0 (1 samples everything), got 0'],
    [{ batch: true, judge: 'offline' as const }, /--batch needs an LLM judge/],
    [{ batch: true, judge: 'openai' as const }, /--role worker` judges in real time/],
  ])('rejects %o naming the flag', (flags, message) => {
    expect(() => resolveSampleJudgeFlags({ ...none, ...flags }, configSchema.parse({}))).toThrow(message);
  });
});
