import path from 'node:path';
import { topUpBoost } from '../sampler/top-up-boost.js';
import type { LoadedConfig } from '../config/load-config.js';
import type { Db } from '../db/db.js';
import { policyFromConfig } from '../escalator/policy-from-config.js';
import type { ActingSchedule } from '../escalator/escalation-policy.js';
import { loadJudgeRates } from '../judge/judge-rates.js';
import { runEscalation } from '../escalator/run-escalation.js';
import type { JudgeClient } from '../judge/judge-client.js';
import { runBatchJudge } from '../judge/run-batch-judge.js';
import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { JudgeProgress } from '../judge/judge-run-types.js';
import { runJudge } from '../judge/run-judge.js';
import { runSample } from '../sampler/run-sample.js';
import type { FeatureSteps } from './create-nightly-deps.js';
import { resolvePaths } from './resolve-paths.js';

/** What the feature steps are built from. */
export interface FeatureWiring {
  db: Db;
  loaded: LoadedConfig;
  now: () => Date;
  log: (message: string) => void;
  /** Judge progress after each sample (the CLI's terminal progress line). */
  judgeProgress?: (p: JudgeProgress) => void;
  /** Name of this process in samples.claimed_by (daemon workers). */
  workerId?: string;
  /** The reference-model client (built up front by judgeClientFor); undefined = offline judge. */
  judgeClient?: JudgeClient;
  /** How often `--batch` polls the provider (tests shorten it). */
  batchPoll?: PollPolicy;
  /** false (the daemon): `--batch` submits and collects ended batches without waiting for the rest. */
  batchWait?: boolean;
  /** When the escalator acts (H is calibrated for it): nightly (default) or the daemon's interval. */
  acting?: ActingSchedule;
}

/** The real sampler, judge and escalator behind nightly's ports. */
export function createFeatureSteps(w: FeatureWiring): FeatureSteps {
  const { config } = w.loaded;
  const { routingTable, routingFormat } = resolvePaths(w.loaded);
  return {
    async sample({ runId, rate }) {
      const r = await runSample(
        { db: w.db, now: w.now, log: w.log },
        { sampler: config.sampler, cache: config.cache, rate, runId },
      );
      const routingByClass: Record<string, number> = {};
      for (const s of r.strata)
        if (s.source === 'routing') routingByClass[s.taskType] = (routingByClass[s.taskType] ?? 0) + s.sampled;
      return {
        routingByClass,
        cacheSampled: r.sampled.cache,
        range: {
          routing: [r.previousWatermark.routing, r.watermark.routing],
          cache: [r.previousWatermark.cache, r.watermark.cache],
        },
      };
    },
    async judge({ runId, options, signal }) {
      if (options.batch && w.judgeClient) {
        // Batch at half price; nightly waits for the provider (minutes to hours) and resumes after a
        // restart; the daemon does not wait: each cycle collects what has ended and submits the rest.
        const b = await runBatchJudge(
          { db: w.db, client: w.judgeClient, log: w.log },
          {
            runId,
            comparators: config.judge.comparators,
            emptyAnswer: config.judge.emptyAnswer,
            maxCostUsd: options.maxCostUsd,
            poll: w.batchPoll,
            wait: w.batchWait,
            retryErrors: options.retryErrors,
          },
        );
        return {
          provider: b.provider,
          model: b.model ?? undefined,
          judged: b.judged,
          pending: b.pending,
          calls: b.calls,
          callsSaved: b.callsSaved,
          costUsd: b.costUsd,
          stoppedByBudget: b.stoppedByBudget,
          batch: true,
          maxCostUsd: options.maxCostUsd,
          duplicates: b.duplicates,
          callFailures: b.callFailures,
          judgeErrors: b.judgeErrors,
          ...(w.batchWait === false ? { openBatches: b.openBatches } : {}),
        };
      }
      const r = await runJudge(
        {
          db: w.db,
          client: w.judgeClient,
          now: w.now,
          log: w.log,
          workerId: w.workerId,
          signal,
          progress: w.judgeProgress,
        },
        {
          runId,
          comparators: config.judge.comparators,
          emptyAnswer: config.judge.emptyAnswer,
          concurrency: config.judge.concurrency,
          maxCostUsd: options.maxCostUsd,
          retryErrors: options.retryErrors,
        },
      );
      const llm = w.judgeClient ? { callFailures: r.callFailures, judgeErrors: r.judgeErrors } : {};
      return {
        provider: r.provider,
        model: r.model ?? undefined,
        judged: r.judged,
        pending: r.pending,
        calls: r.calls,
        callsSaved: r.callsSaved,
        costUsd: r.costUsd,
        stoppedByBudget: r.stoppedByBudget,
        batch: options.batch,
        maxCostUsd: options.maxCostUsd,
        duplicates: r.duplicates,
        ...llm,
      };
    },
    async escalate({ runId, table, apply, actor }) {
      const r = await runEscalation(
        { db: w.db, now: w.now },
        {
          routingTable,
          routingFormat,
          apply,
          actor,
          runId,
          policy: policyFromConfig(config, w.acting),
          judgeRates: await loadJudgeRates(w.db, config, { llmJudge: Boolean(w.judgeClient) }),
        },
      );
      // a class whose S rose to 0.2 H in this decision is boosted now, over the range this run sampled
      const topped = await topUpBoost({ db: w.db, now: w.now }, { sampler: config.sampler, runId });
      if (topped.length > 0)
        w.log(
          `boost raised in this run: ${topped.map((t) => `${t.taskType} ${t.day} ${t.from}x -> ${t.to}x (+${t.added} samples)`).join(', ')}`,
        );
      return {
        decisions: r.classes.map((d) => ({
          taskType: d.taskType,
          decision: d.decision,
          to: d.to,
          reason: d.reason,
          cusum: { s: d.statistic, h: d.threshold, m: d.m },
          counts: {
            sampled: d.sampled,
            judged: d.judged,
            failures: d.failures,
            rate: d.errorRate,
            lower: d.lower,
            upper: d.upper,
            nEff: d.nEff,
          },
        })),
        routing: {
          path: path.relative(w.loaded.baseDir, routingTable) || routingTable,
          versionBefore: table.version,
          versionAfter: r.version,
          changed: r.routingTableChanged,
          diff: r.diff,
        },
      };
    },
  };
}
