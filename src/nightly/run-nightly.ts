import { computeSavingsLedger } from '../ledger/compute-savings-ledger.js';
import { loadLedgerEvents } from '../ledger/ledger-queries.js';
import { renderReport } from '../reports/render-report.js';
import type { ReportSummary } from '../reports/report-summary.js';
import { reportPath } from '../reports/write-report.js';
import { buildReportSeries } from '../reports/charts/build-report-series.js';
import type { ChartImage } from '../reports/charts/render-report-charts.js';
import type { ReportSeries } from '../reports/charts/report-series.js';
import {
  buildClassReports,
  buildNightlyJson,
  buildReportSummary,
  type NightlyFacts,
  type NightlyJson,
} from './build-nightly-summary.js';
import type { NightlyDeps, NightlyOptions } from './nightly-deps.js';
import { finishRun, insertRun, loadTrend, recordClassRates } from './run-queries.js';

/** What one run returns: the contract JSON, the report data and where the markdown went. */
export interface NightlyResult {
  runId: string;
  /** True when SIGTERM/SIGINT stopped the run between two steps; nothing after that step ran. */
  aborted: boolean;
  json: NightlyJson | null;
  summary: ReportSummary | null;
  reportFile: string | null;
  /** True when any class was decided `escalate` (applied or not): --fail-on-escalation exits 3. */
  escalationDecided: boolean;
}

/** What runs.summary stores, so `driftwatch report` can re-render the latest run. */
export interface StoredRunSummary {
  report: ReportSummary;
  json: NightlyJson;
}

/** Files a report needs beyond NightlyDeps: where to write it and (optionally) its SVG charts. */
export interface ReportSink {
  writeReport(file: string, markdown: string): string;
  /** Writes the charts beside `file` and returns them for the markdown; unset: no charts. */
  writeCharts?(file: string, series: ReportSeries): Promise<ChartImage[]>;
}

/**
 * One nightly cycle: validate the routing table, sample, judge, compute this run's rates,
 * decide and apply (or diff), record the run and class rates, write the report. Stops cleanly between
 * steps when `options.signal` aborts; marks the run failed and rethrows on an error.
 */
export async function runNightly(deps: NightlyDeps & ReportSink, options: NightlyOptions): Promise<NightlyResult> {
  const { table } = deps.readRoutingTable(); // bad table: exit 2 before anything is written
  const runId = deps.newRunId();
  const startedAt = deps.now();
  await insertRun(deps.db, { id: runId, kind: options.kind, startedAt });
  deps.log('run_started', { runId, kind: options.kind });
  const aborted = async (step: string): Promise<NightlyResult | null> => {
    if (!options.signal?.aborted) return null;
    await finishRun(deps.db, { id: runId, status: 'aborted', finishedAt: deps.now(), summary: { abortedAfter: step } });
    deps.log('run_aborted', { runId, after: step });
    return { runId, aborted: true, json: null, summary: null, reportFile: null, escalationDecided: false };
  };
  try {
    const sample = await deps.sample({ runId, rate: options.rate });
    deps.log('sampled', { runId, routing: sample.routingByClass, cache: sample.cacheSampled });
    const stop1 = await aborted('sample');
    if (stop1) return stop1;
    const judge = await deps.judge({ runId, options: options.judge, signal: options.signal });
    deps.log('judged', {
      runId,
      judged: judge.judged,
      pending: judge.pending,
      calls: judge.calls,
      costUsd: judge.costUsd,
    });
    const stop2 = await aborted('judge');
    if (stop2) return stop2;
    const rates = await deps.classRates({ runId });
    const { decisions, routing } = await deps.escalate({ runId, table, apply: options.apply, actor: options.actor });
    deps.log('decided', {
      runId,
      decisions: decisions.map((d) => ({ taskType: d.taskType, decision: d.decision, to: d.to })),
      routingTableChanged: routing.changed,
    });
    await recordClassRates(deps.db, runId, rates, decisions);
    const ledger = sample.range
      ? computeSavingsLedger(await loadLedgerEvents(deps.db, sample.range), table, judge.costUsd)
      : undefined;
    const facts: NightlyFacts = {
      runId,
      kind: options.kind,
      startedAt,
      finishedAt: deps.now(),
      database: deps.db.location,
      maxErrorRate: deps.maxErrorRate,
      table,
      sample,
      judge,
      rates,
      decisions,
      routing,
      ledger,
      cache: await deps.cacheReport({ runId }),
      failed: await deps.failedSamples({ runId, perClass: 3 }),
      trend: await loadTrend(deps.db, runId),
      extraSections: (await deps.extraSections?.({ runId })) ?? [],
    };
    return await finish(deps, options, facts);
  } catch (err) {
    await finishRun(deps.db, {
      id: runId,
      status: 'failed',
      finishedAt: deps.now(),
      summary: { error: (err as Error).message },
    }).catch(() => {});
    throw err;
  }
}

async function finish(
  deps: NightlyDeps & ReportSink,
  options: NightlyOptions,
  facts: NightlyFacts,
): Promise<NightlyResult> {
  const summary = buildReportSummary(facts);
  const file = reportPath({ dir: deps.reportsDir, date: summary.date, kind: options.kind, out: options.out });
  const series = buildReportSeries(summary);
  const images = options.charts !== false && deps.writeCharts ? await deps.writeCharts(file, series) : [];
  deps.writeReport(file, renderReport(summary, { images }));
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
    escalationDecided: facts.decisions.some((d) => d.decision === 'escalate'),
  };
}
