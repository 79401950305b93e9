import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { Config } from '../config/config-schema.js';
import type { LoadedConfig } from '../config/load-config.js';
import { resolvePaths } from '../config/resolve-paths.js';
import type { RoutingFormat } from '../config/routing-format.js';
import type { Db } from '../db/db.js';
import type { ActingSchedule } from '../escalator/escalation-policy.js';
import type { JudgeClient } from '../judge/judge-client.js';
import type { JudgeProgress } from '../judge/judge-run-types.js';
import type { ChartImage } from '../reports/charts/render-report-charts.js';
import type { ReportSeries } from '../reports/charts/report-series.js';
import { writeReportCharts } from '../reports/charts/write-report-charts.js';
import type { ExtraSection } from '../reports/report-summary.js';
import { writeReport } from '../reports/write-report.js';
import { loadRoutingTable, type RoutingTable } from '../routing/routing-table.js';

/** One structured log line: an event name and its fields (the CLI prints terminal lines or JSON lines). */
export type CycleLog = (event: string, fields?: Record<string, unknown>) => void;

/** The routing table as read once for a cycle: what the report's "version before" and the decisions use. */
export interface RoutingRead {
  table: RoutingTable;
  /** The file's text as read (the escalator's apply checks the file still hashes to it under its lock). */
  text: string;
  path: string;
  format: RoutingFormat;
}

/** Where a report and its SVG charts go; tests keep them in memory. */
export interface ReportSink {
  writeReport(file: string, markdown: string): string;
  /** Writes the charts beside `file` and returns them for the markdown; unset: no charts. */
  writeCharts?(file: string, series: ReportSeries): Promise<ChartImage[]>;
}

/**
 * The edges one run cycle touches, built in one place (createCycleDeps) for nightly, the daemon's
 * leader and workers and the demo. Everything else a run needs is in CycleOptions.
 */
export interface CycleDeps {
  db: Db;
  config: Config;
  /** driftwatch.yaml's folder: the routing-table path in the report is shown relative to it. */
  baseDir: string;
  routing: RoutingRead;
  reportsDir: string;
  /** The reference-model client; undefined = the offline judge. */
  judgeClient?: JudgeClient;
  now(): Date;
  log: CycleLog;
  /** Judge progress after each sample (the CLI's terminal progress line). */
  judgeProgress?: (p: JudgeProgress) => void;
  reports: ReportSink;
}

/** The flags of one run (nightly's, the daemon's; the demo sets them itself). */
export interface CycleOptions {
  kind: 'nightly' | 'daemon' | 'demo';
  apply: boolean;
  rate?: number;
  judge: JudgeFlags;
  /** Report path; default reports/<date>-<kind>.md under the reports folder. */
  out?: string;
  /** Who to name in the audit log (nightly, daemon:<host>:<pid>). */
  actor: string;
  signal?: AbortSignal;
  /** False: markdown only, no SVG charts beside the report (`--no-charts`). */
  charts?: boolean;
  /** Name of this process in samples.claimed_by (daemon leader and workers). */
  workerId?: string;
  /** Sections other parts fill (the demo's compression choice). */
  extraSections?: ExtraSection[];
  /** When the escalator acts (its H is calibrated for it): nightly (the default) or the daemon's interval. */
  acting?: ActingSchedule;
}

/** The judge flags of a run (`--judge`, `--model`, `--batch`, `--max-cost-usd`, `--retry-errors`). */
export interface JudgeFlags {
  provider?: string;
  model?: string;
  batch?: boolean;
  maxCostUsd?: number;
  retryErrors?: boolean;
  /** How often `--batch` polls the provider (tests shorten it). */
  poll?: PollPolicy;
  /** false (the daemon): `--batch` submits and collects ended batches without waiting for the rest. */
  wait?: boolean;
}

/** The edges createCycleDeps is given. */
export interface CycleEdges {
  db: Db;
  loaded: LoadedConfig;
  now(): Date;
  log: CycleLog;
  judgeClient?: JudgeClient;
  judgeProgress?: (p: JudgeProgress) => void;
  /** Default: the report and its charts written as files. */
  reports?: ReportSink;
}

/** The part of CycleDeps the judge step needs: a daemon worker only judges, so it reads no routing table. */
export type JudgeStepDeps = Pick<CycleDeps, 'db' | 'config' | 'judgeClient' | 'now' | 'log' | 'judgeProgress'>;

/** The one composition root of a run cycle: resolves driftwatch.yaml's paths and reads the routing table once. */
export function createCycleDeps(e: CycleEdges): CycleDeps {
  return {
    ...createJudgeStepDeps(e),
    baseDir: e.loaded.baseDir,
    routing: readRoutingTable(e.loaded),
    reportsDir: resolvePaths(e.loaded).reportsDir,
    reports: e.reports ?? { writeReport, writeCharts: writeReportCharts },
  };
}

/** The edges of a judge-only cycle (daemon workers), the same createCycleDeps starts from. */
export function createJudgeStepDeps(e: CycleEdges): JudgeStepDeps {
  const { db, now, log, judgeClient, judgeProgress } = e;
  return { db, config: e.loaded.config, judgeClient, now, log, judgeProgress };
}

/** Reads and validates the routing table driftwatch.yaml names; throws RoutingTableError (exit 2) before anything is written. */
export function readRoutingTable(loaded: LoadedConfig): RoutingRead {
  const { routingTable: path, routingFormat: format } = resolvePaths(loaded);
  const { table, text } = loadRoutingTable(path, format);
  return { table, text, path, format };
}
