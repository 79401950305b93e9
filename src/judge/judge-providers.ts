import { InputError } from '../errors.js';

/** Every judge driftwatch knows, the one list (config schema, flags, messages): the offline comparators and the reference-model providers. */
export const JUDGE_PROVIDERS = ['offline', 'anthropic', 'openai'] as const;

/** A judge name from JUDGE_PROVIDERS (`offline` makes no calls). */
export type JudgeProviderName = (typeof JUDGE_PROVIDERS)[number];

/** A judge provider that calls a reference model (every JUDGE_PROVIDERS entry but `offline`). */
export type JudgeProvider = Exclude<JudgeProviderName, 'offline'>;

/** The reference-model providers, in JUDGE_PROVIDERS order. */
export const LLM_JUDGE_PROVIDERS: readonly JudgeProvider[] = JUDGE_PROVIDERS.filter(
  (p): p is JudgeProvider => p !== 'offline',
);

/** Checks a judge name against JUDGE_PROVIDERS (absent stays absent); `flag` names its source in the message. */
export function parseJudgeProvider(name: string | undefined, flag = '--judge'): JudgeProviderName | undefined {
  if (name === undefined) return undefined;
  if (!(JUDGE_PROVIDERS as readonly string[]).includes(name))
    throw new InputError(`${flag} must be one of ${JUDGE_PROVIDERS.join(', ')}, got "${name}"`);
  return name as JudgeProviderName;
}
