import { configSchema } from '../../src/config/config-schema.js';
import { loadEnv } from '../../src/config/load-env.js';
import type { Db } from '../../src/db/db.js';
import { createJudgeClient } from '../../src/judge/providers/create-judge-client.js';
import { createCycleDeps, type JudgeFlags } from '../../src/nightly/cycle-deps.js';
import { type CycleResult, runCycle } from '../../src/nightly/run-cycle.js';

/** The fixed clock of the in-process nightly tests: the night after the fixtures' 2026-11-25. */
export const NIGHTLY_NOW = '2026-11-26T02:00:00Z';

export interface JudgedNightlyOptions {
  db: Db;
  /** Folder holding routing.yaml; reports go under it. */
  cwd: string;
  provider: 'anthropic' | 'openai';
  model: string;
  /** The provider's variables (key, base URL of the local fake), as the environment would give them. */
  env: Record<string, string>;
  /** Judge flags beyond provider and model (default: a $1 cap). */
  judge?: Omit<JudgeFlags, 'provider' | 'model'>;
}

/**
 * One nightly run in process, through the composition root, judged by an official SDK against a
 * local wire-format fake: what `driftwatch nightly --judge <provider>` does, sampling every event.
 */
export async function runJudgedNightly(o: JudgedNightlyOptions): Promise<CycleResult> {
  const judgeClient = createJudgeClient({ provider: o.provider, model: o.model, env: loadEnv(o.env) });
  const deps = createCycleDeps({
    db: o.db,
    loaded: { config: configSchema.parse({}), baseDir: o.cwd },
    now: () => new Date(NIGHTLY_NOW),
    log: () => {},
    judgeClient,
  });
  return runCycle(deps, {
    kind: 'nightly',
    apply: false,
    rate: 1,
    judge: { provider: o.provider, model: o.model, ...(o.judge ?? { maxCostUsd: 1 }) },
    actor: 'nightly',
  });
}
