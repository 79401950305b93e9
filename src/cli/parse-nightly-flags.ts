import type { OptionSpecs } from './command.js';
import { parseNumberFlag } from './parse-flag.js';
import type { Config } from '../config/config-schema.js';
import { InputError } from '../errors.js';
import type { CycleOptions } from '../nightly/cycle-deps.js';

/** The `sample` and `judge` flags nightly and daemon accept. */
export const SAMPLE_JUDGE_OPTIONS: OptionSpecs = {
  rate: { type: 'string' },
  judge: { type: 'string' },
  model: { type: 'string' },
  batch: { type: 'boolean' },
  'max-cost-usd': { type: 'string' },
};

const PROVIDERS = ['offline', 'anthropic', 'openai'] as const;

type Values = Record<string, string | boolean | string[] | undefined>;

/** Parses --rate and the judge flags, falling back to driftwatch.yaml; names the flag on bad input. */
export function parseSampleJudgeFlags(
  values: Values,
  config: Config,
  options: { allowBatch?: boolean } = {},
): Pick<CycleOptions, 'rate' | 'judge'> {
  const rate = parseNumberFlag('rate', values.rate, { min: 0, max: 1 });
  if (rate === 0) throw new InputError('--rate must be above 0 (1 samples everything), got 0');
  const provider = (values.judge as string | undefined) ?? config.judge.provider;
  if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider)) {
    throw new InputError(`--judge must be one of ${PROVIDERS.join(', ')}, got "${provider}"`);
  }
  if (values.batch && (provider === undefined || provider === 'offline')) {
    throw new InputError(
      '--batch needs an LLM judge: add --judge anthropic or --judge openai (the offline judge makes no calls to batch)',
    );
  }
  if (values.batch && !options.allowBatch) {
    // Workers claim samples one by one; batches are the leader's (it submits and collects them each cycle).
    throw new InputError(
      '--batch is for nightly, judge and the daemon leader; `daemon --role worker` judges in real time',
    );
  }
  return {
    rate,
    judge: {
      provider,
      model: (values.model as string | undefined) ?? config.judge.model,
      batch: Boolean(values.batch),
      maxCostUsd: parseNumberFlag('max-cost-usd', values['max-cost-usd'], { min: 0 }) ?? config.judge.maxCostUsd,
    },
  };
}
