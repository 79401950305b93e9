import { summariseCacheCertification } from '../cache/summarise-cache-certification.js';
import { tuneCacheThresholds } from '../cache/tune-thresholds.js';
import { policyFromConfig } from '../escalator/policy-from-config.js';
import { runEscalation, type EscalationRun } from '../escalator/run-escalation.js';
import type { BatchJudgeResult } from '../judge/batch-judge-types.js';
import { runBatchJudge } from '../judge/run-batch-judge.js';
import type { JudgeRunResult } from '../judge/judge-run-types.js';
import { runJudge } from '../judge/run-judge.js';
import type { CacheReport } from '../reports/report-summary.js';
import { runSample, type SampleResult } from '../sampler/run-sample.js';
import { topUpBoost } from '../sampler/top-up-boost.js';
import type { JudgeRatesFor } from '../stats/judge-scale.js';
import type { CycleDeps, CycleOptions, JudgeStepDeps } from './cycle-deps.js';
import { loadCacheReport } from './report-queries.js';

/** What the judge step returns: the real-time judge's result, or the batch judge's (with its open batches). */
export type JudgeStepResult = JudgeRunResult | BatchJudgeResult;

/** The features' progress lines, as `progress` events of the cycle's one log. */
const progress = (deps: Pick<CycleDeps, 'log'>) => (message: string) => deps.log('progress', { message });

/** Draws this run's sample (sampler/run-sample.ts). */
export function sampleStep(deps: CycleDeps, runId: string, options: CycleOptions): Promise<SampleResult> {
  const { sampler, cache } = deps.config;
  return runSample({ db: deps.db, now: deps.now, log: progress(deps) }, { sampler, cache, rate: options.rate, runId });
}

/**
 * Judges pending samples: through the provider's batch API with `--batch` and a reference model
 * (nightly waits for the provider and resumes after a restart; the daemon does not wait, each cycle
 * collects what has ended), else in real time (offline comparators, or the reference model).
 */
export function judgeStep(deps: JudgeStepDeps, runId: string, options: CycleOptions): Promise<JudgeStepResult> {
  const { judge } = deps.config;
  const flags = options.judge;
  const common = { runId, comparators: judge.comparators, emptyAnswer: judge.emptyAnswer };
  const limits = { maxCostUsd: flags.maxCostUsd, retryErrors: flags.retryErrors };
  if (flags.batch && deps.judgeClient)
    return runBatchJudge(
      { db: deps.db, client: deps.judgeClient, log: progress(deps) },
      { ...common, ...limits, poll: flags.poll, wait: flags.wait },
    );
  return runJudge(
    {
      db: deps.db,
      client: deps.judgeClient,
      now: deps.now,
      log: progress(deps),
      workerId: options.workerId,
      signal: options.signal,
      progress: deps.judgeProgress,
    },
    { ...common, ...limits, concurrency: judge.concurrency },
  );
}

/**
 * Decides per class over the cycle's routing table and applies the moves with `apply` (or only
 * diffs them); then raises the sampler's boost for a class whose CUSUM rose past 0.2 H in this run.
 */
export async function escalateStep(
  deps: CycleDeps,
  runId: string,
  options: CycleOptions,
  judgeRates: JudgeRatesFor,
): Promise<EscalationRun> {
  const { config, routing } = deps;
  const escalation = await runEscalation(
    { db: deps.db, now: deps.now },
    {
      routingTable: routing.path,
      routingFormat: routing.format,
      read: routing,
      apply: options.apply,
      actor: options.actor,
      runId,
      policy: policyFromConfig(config, options.acting),
      judgeRates,
    },
  );
  // a class whose S rose to 0.2 H in this decision is boosted now, over the range this run sampled
  const topped = await topUpBoost({ db: deps.db, now: deps.now }, { sampler: config.sampler, runId });
  if (topped.length > 0)
    progress(deps)(
      `boost raised in this run: ${topped.map((t) => `${t.taskType} ${t.day} ${t.from}x -> ${t.to}x (+${t.added} samples)`).join(', ')}`,
    );
  return escalation;
}

/** The cache section: this run's judged hits, the per-class certification and the current threshold. */
export async function cacheStep(
  deps: Pick<CycleDeps, 'db' | 'config'>,
  runId: string,
): Promise<CacheReport | undefined> {
  const { cache } = deps.config;
  const report = await loadCacheReport(deps.db, runId, cache.maxFalseHit);
  if (!report) return report;
  const certification = summariseCacheCertification(
    await tuneCacheThresholds(deps.db, { target: cache.maxFalseHit }),
    cache,
  );
  return { ...report, currentThreshold: cache.threshold, ...certification };
}
