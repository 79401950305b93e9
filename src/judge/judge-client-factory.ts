import type { Env } from '../config/load-env.js';
import { InputError } from '../errors.js';
import type { JudgeClient } from './judge-client.js';

/** What the CLI needs to build a reference-model client. */
export interface JudgeClientSpec {
  provider: 'anthropic' | 'openai';
  model?: string;
  env: Env;
}

/** Builds a JudgeClient for a provider (the SDK adapters live in src/judge/providers/). */
export type JudgeClientFactory = (spec: JudgeClientSpec) => JudgeClient | Promise<JudgeClient>;

/**
 * The factory the `judge` and `judge-calibrate` commands use. This build has no SDK adapters wired
 * in yet, so it says so; the integrator points it at src/judge/providers/create-judge-client.ts.
 */
export const createJudgeClientForCli: JudgeClientFactory = (spec) => {
  throw new InputError(
    `--judge ${spec.provider}: the ${spec.provider} judge is not available in this build (the SDK adapters are not wired in); use --judge offline`,
  );
};
