import { randomUUID } from 'node:crypto';
import type { LoadedConfig } from '../config/load-config.js';
import { summariseCacheCertification } from '../cache/summarise-cache-certification.js';
import { tuneCacheThresholds } from '../cache/tune-thresholds.js';
import type { Db } from '../db/db.js';
import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { JudgeClient } from '../judge/judge-client.js';
import type { JudgeProgress } from '../judge/judge-run-types.js';
import { writeReport } from '../reports/write-report.js';
import { writeReportCharts } from '../reports/charts/write-report-charts.js';
import { loadRoutingTable } from '../routing/routing-table.js';
import type { CacheReport } from '../reports/report-summary.js';
import { createFeatureSteps } from './feature-steps.js';
import type { NightlyDeps } from './nightly-deps.js';
import { loadCacheReport, loadFailedSamples } from './report-queries.js';
import { resolvePaths } from './resolve-paths.js';
import { loadRunClassRates } from './run-class-rates.js';
import { loadJudgeRates } from '../judge/judge-rates.js';
import type { ReportSink } from './run-nightly.js';

/** The edges a real run is built from. */
export interface NightlyWiring {
  db: Db;
  loaded: LoadedConfig;
  now: () => Date;
  log: NightlyDeps['log'];
  /** The cache's threshold advice (a fixed recommendation; unset: none), shown in the cache section. */
  cacheRecommendation?: () => Promise<CacheReport['recommendation']>;
  /** Per-class cache certification and the pooled estimate (createDefaultNightlyDeps: from the database). */
  cacheCertification?: () => Promise<Pick<CacheReport, 'perClass' | 'pooled'>>;
  /** Sections other parts fill (compression choice, simulation backtest). */
  extraSections?: NightlyDeps['extraSections'];
  /** A reference model judges (its gold calibration, not the comparator's, corrects the rates). */
  llmJudge?: boolean;
}

/** The feature steps (sampler, judge, escalator) nightly orchestrates. */
export type FeatureSteps = Pick<NightlyDeps, 'sample' | 'judge' | 'escalate'>;

/** Real NightlyDeps: routing table and report paths from driftwatch.yaml, the database, the given feature steps. */
export function createNightlyDeps(w: NightlyWiring, steps: FeatureSteps): NightlyDeps & ReportSink {
  const paths = resolvePaths(w.loaded);
  const { config } = w.loaded;
  return {
    db: w.db,
    now: w.now,
    log: w.log,
    newRunId: () => `${w.now().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`,
    readRoutingTable: () => ({
      table: loadRoutingTable(paths.routingTable, paths.routingFormat).table,
      path: paths.routingTable,
    }),
    maxErrorRate: config.escalation.maxErrorRate,
    reportsDir: paths.reportsDir,
    ...steps,
    classRates: async ({ runId }) =>
      loadRunClassRates(w.db, runId, await loadJudgeRates(w.db, config, { llmJudge: w.llmJudge })),
    cacheReport: async ({ runId }) => {
      const report = await loadCacheReport(w.db, runId, config.cache.maxFalseHit);
      if (!report) return report;
      const certification = w.cacheCertification ? await w.cacheCertification() : {};
      const recommendation = w.cacheRecommendation ? { recommendation: await w.cacheRecommendation() } : {};
      return { ...report, currentThreshold: config.cache.threshold, ...certification, ...recommendation };
    },
    failedSamples: ({ runId, perClass }) => loadFailedSamples(w.db, runId, perClass),
    extraSections: w.extraSections,
    writeReport,
    writeCharts: writeReportCharts,
  };
}

/** What a caller outside the CLI (demo, library users) needs for a real run. */
export interface DefaultNightlyWiring extends NightlyWiring {
  /** The reference-model client; undefined = the offline judge. */
  judgeClient?: JudgeClient;
  /** Poll policy of `--batch` runs (tests shorten it). */
  batchPoll?: PollPolicy;
  /** Judge progress after each sample (the CLI's terminal progress line). */
  judgeProgress?: (p: JudgeProgress) => void;
}

/** NightlyDeps over the real sampler, judge and escalator: what `demo` and library users call runNightly with. */
export function createDefaultNightlyDeps(w: DefaultNightlyWiring): NightlyDeps & ReportSink {
  const text = (message: string) => w.log('progress', { message });
  const { cache } = w.loaded.config;
  const cacheCertification =
    w.cacheCertification ??
    (async () => summariseCacheCertification(await tuneCacheThresholds(w.db, { target: cache.maxFalseHit }), cache));
  return createNightlyDeps(
    { ...w, cacheCertification, llmJudge: Boolean(w.judgeClient) },
    createFeatureSteps({
      db: w.db,
      loaded: w.loaded,
      now: w.now,
      log: text,
      judgeClient: w.judgeClient,
      batchPoll: w.batchPoll,
      judgeProgress: w.judgeProgress,
    }),
  );
}
