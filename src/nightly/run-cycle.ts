import path from 'node:path';
import { computeSavingsLedger } from '../ledger/compute-savings-ledger.js';
import { loadLedgerEvents } from '../ledger/ledger-queries.js';
import { buildReportSeries } from '../reports/charts/build-report-series.js';
import { renderReport } from '../reports/render-report.js';
import type { ReportSummary } from '../reports/report-summary.js';
import { reportPath } from '../reports/write-report.js';
import { loadTrend } from '../runs/class-rates-store.js';
import { finishRun, newRunId, startRun } from '../runs/run-record.js';
import type { SampleResult } from '../sampler/run-sample.js';
import { loadJudgeRates } from '../judge/judge-rates.js';
import { buildNightlyJson, type NightlyJson } from './build-nightly-json.js';
import { buildClassReports, buildReportSummary, sampledByClass, type NightlyFacts } from './build-nightly-summary.js';
import type { CycleDeps, CycleOptions } from './cycle-deps.js';
import { cacheStep, escalateStep, judgeStep, sampleStep } from './cycle-steps.js';
import { loadFailedSamples } from './report-queries.js';
import { loadRunClassRates, recordClassRates } from './run-class-rates.js';
import type { StoredRunSummary } from './stored-run-summary.js';

/** What one run returns: the contract JSON, the report data and where the markdown went. */
export interface CycleResult {
  runId: string;
  /** True when SIGTERM/SIGINT stopped the run between two steps; nothing after that step ran. */
  aborted: boolean;
  json: NightlyJson | null;
  summary: ReportSummary | null;
  reportFile: string | null;
  /** True when any class was decided `escalate` (applied or not): --fail-on-escalation exits 3. */
  escalationDecided: boolean;
}

/**
 * One run cycle (nightly, a daemon leader's cycle, a demo night) over the routing table `deps`
 * read once: record the run, sample, judge, compute this run's rates, decide and apply (or diff),
 * record the class rates, write the report. Stops cleanly between steps when `options.signal`
 * aborts; marks the run failed and rethrows on an error.
 */
export async function runCycle(deps: CycleDeps, options: CycleOptions): Promise<CycleResult> {
  const startedAt = deps.now();
  const runId = await startRun(deps.db, { id: newRunId(startedAt), kind: options.kind, startedAt });
  deps.log('run_started', { runId, kind: options.kind });
  const aborted = async (step: string): Promise<CycleResult | null> => {
    if (!options.signal?.aborted) return null;
    await finishRun(deps.db, { id: runId, status: 'aborted', finishedAt: deps.now(), summary: { abortedAfter: step } });
    deps.log('run_aborted', { runId, after: step });
    return { runId, aborted: true, json: null, summary: null, reportFile: null, escalationDecided: false };
  };
  try {
    const sample = await sampleStep(deps, runId, options);
    deps.log('sampled', { runId, routing: sampledByClass(sample), cache: sample.sampled.cache });
    const stop1 = await aborted('sample');
    if (stop1) return stop1;
    const judge = await judgeStep(deps, runId, options);
    const { judged, pending, calls, costUsd } = judge;
    deps.log('judged', { runId, judged, pending, calls, costUsd });
    const stop2 = await aborted('judge');
    if (stop2) return stop2;
    // one read of the judge's fp/fn per class: the report's corrected rates and the decisions use the same
    const judgeRates = await loadJudgeRates(deps.db, deps.config, { llmJudge: Boolean(deps.judgeClient) });
    const rates = await loadRunClassRates(deps.db, runId, judgeRates);
    const escalation = await escalateStep(deps, runId, options, judgeRates);
    deps.log('decided', {
      runId,
      decisions: escalation.classes.map((d) => ({ taskType: d.taskType, decision: d.decision, to: d.to })),
      routingTableChanged: escalation.routingTableChanged,
    });
    await recordClassRates(deps.db, runId, rates, escalation);
    const range = { routing: ranged(sample, 'routing'), cache: ranged(sample, 'cache') };
    const facts: NightlyFacts = {
      runId,
      kind: options.kind,
      startedAt,
      finishedAt: deps.now(),
      database: deps.db.location,
      maxErrorRate: deps.config.escalation.maxErrorRate,
      table: deps.routing.table,
      routingPath: path.relative(deps.baseDir, deps.routing.path) || deps.routing.path,
      sample,
      judge,
      judgeFlags: options.judge,
      rates,
      escalation,
      ledger: computeSavingsLedger(await loadLedgerEvents(deps.db, range), deps.routing.table, costUsd),
      cache: await cacheStep(deps, runId),
      failed: await loadFailedSamples(deps.db, runId, 3),
      trend: await loadTrend(deps.db, runId),
      extraSections: options.extraSections ?? [],
    };
    return await finish(deps, options, facts);
  } catch (err) {
    const summary = { error: (err as Error).message };
    await finishRun(deps.db, { id: runId, status: 'failed', finishedAt: deps.now(), summary }).catch(() => {});
    throw err;
  }
}

/** Renders and writes the report (charts first, so the markdown can link them), then closes the run. */
async function finish(deps: CycleDeps, options: CycleOptions, facts: NightlyFacts): Promise<CycleResult> {
  const summary = buildReportSummary(facts);
  const file = reportPath({ dir: deps.reportsDir, date: summary.date, kind: options.kind, out: options.out });
  const series = buildReportSeries(summary);
  const { writeCharts } = deps.reports;
  const images = options.charts !== false && writeCharts ? await writeCharts(file, series) : [];
  deps.reports.writeReport(file, renderReport(summary, { images }));
  const json: NightlyJson = { ...buildNightlyJson(facts, buildClassReports(facts), file), series };
  const stored: StoredRunSummary = { report: { ...summary, trend: [] }, json };
  await finishRun(deps.db, { id: facts.runId, status: 'ok', finishedAt: facts.finishedAt, summary: stored });
  deps.log('run_finished', { runId: facts.runId, report: file, routingTableChanged: json.routingTableChanged });
  return {
    runId: facts.runId,
    aborted: false,
    json,
    summary,
    reportFile: file,
    escalationDecided: facts.escalation.classes.some((d) => d.decision === 'escalate'),
  };
}

/** The event seq range (from, to] the sampler read in this run: the savings ledger covers it. */
function ranged(sample: SampleResult, source: 'routing' | 'cache'): [number, number] {
  return [sample.previousWatermark[source], sample.watermark[source]];
}
