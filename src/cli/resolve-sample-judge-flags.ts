import type { Config } from '../config/config-schema.js';
import { InputError } from '../errors.js';
import type { CycleOptions } from '../nightly/cycle-deps.js';
import type { JudgeProviderFlag } from './shared-flags.js';

/** The `--rate` and judge flags of nightly and daemon, as parsed (see shared-flags.ts). */
export interface SampleJudgeFlags {
  rate: number | undefined;
  judge: JudgeProviderFlag | undefined;
  model: string | undefined;
  batch: boolean;
  maxCostUsd: number | undefined;
}

/** --rate and the judge flags over driftwatch.yaml; rejects combinations that cannot work. */
export function resolveSampleJudgeFlags(
  flags: SampleJudgeFlags,
  config: Config,
  options: { allowBatch?: boolean } = {},
): Pick<CycleOptions, 'rate' | 'judge'> {
  if (flags.rate === 0) throw new InputError('--rate must be above 0 (1 samples everything), got 0');
  const provider = flags.judge ?? config.judge.provider;
  if (flags.batch && (provider === undefined || provider === 'offline')) {
    throw new InputError(
      '--batch needs an LLM judge: add --judge anthropic or --judge openai (the offline judge makes no calls to batch)',
    );
  }
  if (flags.batch && !options.allowBatch) {
    // Workers claim samples one by one; batches are the leader's (it submits and collects them each cycle).
    throw new InputError(
      '--batch is for nightly, judge and the daemon leader; `daemon --role worker` judges in real time',
    );
  }
  return {
    rate: flags.rate,
    judge: {
      provider,
      model: flags.model ?? config.judge.model,
      batch: flags.batch,
      maxCostUsd: flags.maxCostUsd ?? config.judge.maxCostUsd,
    },
  };
}
