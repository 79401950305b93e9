import type { Env } from '../config/load-env.js';
import type { JudgeClient } from './judge-client.js';
import { createJudgeClient } from './providers/create-judge-client.js';

/** What the CLI needs to build a reference-model client. */
export interface JudgeClientSpec {
  provider: 'anthropic' | 'openai';
  /** Absent = the provider's default reference model from the price catalog. */
  model?: string;
  env: Env;
}

/** Builds a JudgeClient for a provider (the SDK adapters live in src/judge/providers/). */
export type JudgeClientFactory = (spec: JudgeClientSpec) => JudgeClient | Promise<JudgeClient>;

/**
 * The factory the `judge` and `judge-calibrate` commands use: the official SDK adapters in
 * src/judge/providers/, keys and base URLs from Env, the SDK's retries with a capped retry-after;
 * without a model, the provider's default from the price catalog.
 */
export const createJudgeClientForCli: JudgeClientFactory = (spec) =>
  createJudgeClient({ provider: spec.provider, model: spec.model, env: spec.env });
