import { flag } from './flag.js';

import { JUDGE_PROVIDERS, type JudgeProviderName } from '../judge/judge-providers.js';

/** The judges a command can use (judge/judge-providers.ts, the one list): offline comparators, or a reference model. */
export type JudgeProviderFlag = JudgeProviderName;

/** --judge, --model and --max-cost-usd: judge, nightly, daemon and judge-calibrate. */
export const judgeFlags = {
  judge: flag.choice('the judge: offline comparators, or a reference model', JUDGE_PROVIDERS, {
    defaultText: 'judge.provider in driftwatch.yaml, else offline',
  }),
  model: flag.string('the reference model (needs --judge anthropic|openai)', {
    placeholder: 'MODEL',
    defaultText: "judge.model in driftwatch.yaml, else the provider's default model",
  }),
  maxCostUsd: flag.number("hard budget for the reference model's calls, in US dollars", {
    placeholder: 'USD',
    min: 0,
    defaultText: 'judge.maxCostUsd in driftwatch.yaml, else no cap',
  }),
};

/** --batch: the provider's batch API. */
export const batchFlag = flag.boolean(
  "send the reference model's calls through the provider's batch API (needs --judge anthropic|openai)",
);

/** --rate: the flat sampling rate. */
export const rateFlag = flag.number('flat sampling rate per stratum, above 0 and at most 1', {
  placeholder: 'R',
  min: 0,
  max: 1,
  defaultText: 'sampler.rate in driftwatch.yaml, else sqrt(volume) allocation with a daily floor',
});

/** --concurrency: reference-model calls in flight. */
export const concurrencyFlag = flag.number('reference-model calls in flight', {
  min: 1,
  max: 256,
  integer: true,
  defaultText: 'judge.concurrency in driftwatch.yaml (8)',
});

/** --retry-errors: judge again the samples whose replies were unreadable. */
export const retryErrorsFlag = flag.boolean('judge again the samples marked judge_error (unreadable replies)');

/** --no-charts: the markdown report only. */
export const noChartsFlag = flag.boolean('write the markdown report only, without its SVG charts');
