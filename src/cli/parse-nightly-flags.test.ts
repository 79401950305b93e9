import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { parseSampleJudgeFlags } from './parse-nightly-flags.js';

const config = configSchema.parse({
  judge: { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', maxCostUsd: 2 },
});

describe('parseSampleJudgeFlags', () => {
  it('takes flags over driftwatch.yaml and the config where a flag is absent', () => {
    expect(parseSampleJudgeFlags({ rate: '0.05', judge: 'offline' }, config)).toEqual({
      rate: 0.05,
      judge: { provider: 'offline', model: 'claude-3-5-sonnet-20241022', batch: false, maxCostUsd: 2 },
    });
    expect(parseSampleJudgeFlags({ 'max-cost-usd': '0.5' }, config).judge).toMatchObject({
      provider: 'anthropic',
      maxCostUsd: 0.5,
    });
  });

  it('accepts --batch with an LLM judge where the caller waits for batches (nightly)', () => {
    expect(
      parseSampleJudgeFlags({ batch: true, judge: 'openai', model: 'gpt-4o' }, configSchema.parse({}), {
        allowBatch: true,
      }).judge,
    ).toMatchObject({ provider: 'openai', batch: true });
  });

  it.each([
    [{ rate: '0' }, '--rate must be above 0 (1 samples everything), got 0'],
    [{ rate: 'lots' }, '--rate expects a number, got "lots"'],
    [{ judge: 'gpt5' }, '--judge must be one of offline, anthropic, openai, got "gpt5"'],
    [{ 'max-cost-usd': '-1' }, '--max-cost-usd must be between 0 and inf, got -1'],
    [{ batch: true, judge: 'offline' }, /--batch needs an LLM judge/],
    [{ batch: true, judge: 'openai' }, /--role worker` judges in real time/],
  ])('rejects %o naming the flag', (values, message) => {
    expect(() => parseSampleJudgeFlags(values, configSchema.parse({}))).toThrow(message);
  });
});
