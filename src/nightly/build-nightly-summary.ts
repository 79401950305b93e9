import type { EscalationRun } from '../escalator/run-escalation.js';
import type { SavingsLedger } from '../ledger/compute-savings-ledger.js';
import type {
  CacheReport,
  ClassReport,
  ExtraSection,
  JudgeReport,
  ReportSummary,
  RoutingReport,
  TrendPoint,
} from '../reports/report-summary.js';
import { classEntry, modelFor, type RoutingTable } from '../routing/routing-table.js';
import type { SampleResult } from '../sampler/run-sample.js';
import { correctInterval } from '../stats/judge-noise.js';
import { judgeScale } from '../stats/judge-scale.js';
import type { JudgeFlags } from './cycle-deps.js';
import type { JudgeStepResult } from './cycle-steps.js';
import type { FailedSampleRow } from './report-queries.js';
import type { RunClassRate } from './run-class-rates.js';

/** What one run produced, step by step, in the features' own result types. */
export interface NightlyFacts {
  runId: string;
  kind: string;
  startedAt: Date;
  finishedAt: Date;
  database?: string;
  maxErrorRate: number;
  /** The routing table as the cycle read it (the escalator decided over this read). */
  table: RoutingTable;
  /** The routing table's path as the report and JSON show it. */
  routingPath: string;
  sample: Pick<SampleResult, 'strata'>;
  judge: JudgeStepResult;
  judgeFlags: JudgeFlags;
  rates: RunClassRate[];
  escalation: EscalationRun;
  cache?: CacheReport;
  failed: FailedSampleRow[];
  trend: TrendPoint[];
  ledger?: SavingsLedger;
  extraSections?: ExtraSection[];
}

/** Routed samples this run drew, per task class. */
export function sampledByClass(sample: Pick<SampleResult, 'strata'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sample.strata) if (s.source === 'routing') out[s.taskType] = (out[s.taskType] ?? 0) + s.sampled;
  return out;
}

/** Who judged, how often and at what cost (the report's judge section; the JSON's `judge` picks from it). */
export function judgeReport(f: Pick<NightlyFacts, 'judge' | 'judgeFlags'>): JudgeReport {
  const r = f.judge;
  const batch = 'batches' in r;
  // the offline judge makes no calls, so it reports no call failures
  const llm = batch || r.provider !== 'offline' ? { callFailures: r.callFailures, judgeErrors: r.judgeErrors } : {};
  return {
    provider: r.provider,
    model: r.model ?? undefined,
    judged: r.judged,
    pending: r.pending,
    calls: r.calls,
    callsSaved: r.callsSaved,
    costUsd: r.costUsd,
    stoppedByBudget: r.stoppedByBudget,
    batch: batch ? true : f.judgeFlags.batch,
    maxCostUsd: f.judgeFlags.maxCostUsd,
    ...llm,
    // the daemon does not wait for the provider: batches still open are collected by a later cycle
    ...(batch && f.judgeFlags.wait === false ? { openBatches: r.openBatches } : {}),
  };
}

/** The routing-table change of this run (a dry run when not applied): version before from the cycle's read. */
export function routingChange(f: Pick<NightlyFacts, 'table' | 'routingPath' | 'escalation'>): RoutingReport {
  const { routingTableChanged: changed, diff, version } = f.escalation;
  return {
    path: f.routingPath,
    versionBefore: f.table.version,
    versionAfter: version,
    changed,
    diff,
    applied: changed,
  };
}

/** The numbers of one class row: the escalator's monitored period, or this run's verdicts. */
interface ClassCounts {
  sampled?: number;
  judged: number;
  failures: number;
  errorRate: number | null;
  lower: number;
  upper: number;
  nEff?: number;
}

/** Joins the steps' outputs into one row per class: table order first, then any other class by name. */
export function buildClassReports(f: NightlyFacts): ClassReport[] {
  const rates = new Map(f.rates.map((r) => [r.taskType, r]));
  const decisions = new Map(f.escalation.classes.map((d) => [d.taskType, d]));
  const sampled = sampledByClass(f.sample);
  const seen = new Set([...Object.keys(sampled), ...rates.keys(), ...decisions.keys()]);
  const ordered = [
    ...Object.keys(f.table.taskClasses).filter((c) => seen.has(c)),
    ...[...seen].filter((c) => !classEntry(f.table, c)).sort(),
  ];
  const changed = f.escalation.routingTableChanged;
  return ordered.map((taskType) => {
    const r = rates.get(taskType);
    const d = decisions.get(taskType);
    const { model, tier } = modelFor(f.table, taskType);
    const moves = d?.decision === 'escalate' || d?.decision === 'deescalate';
    // the escalator's monitored period when it decided the class, else this run's verdicts
    const counts: ClassCounts | undefined = d
      ? {
          sampled: d.sampled,
          judged: d.judged,
          failures: d.failures,
          errorRate: d.errorRate,
          lower: d.lower,
          upper: d.upper,
          nEff: d.nEff,
        }
      : r
        ? { judged: r.n, failures: r.failures, errorRate: r.rate, lower: r.lower, upper: r.upper, nEff: r.nEff }
        : undefined;
    const judge = r?.judgeRates;
    const fix =
      judge && counts && counts.errorRate !== null
        ? correctInterval({ ...counts, rate: counts.errorRate }, judge)
        : undefined;
    const others = (r?.models ?? []).filter((x) => x.model !== model).map(({ nEff: _n, ...x }) => x);
    return {
      taskType,
      model,
      tier,
      pinned: classEntry(f.table, taskType)?.pinned ?? undefined,
      sampled: counts?.sampled ?? sampled[taskType] ?? 0,
      judged: counts?.judged ?? 0,
      failures: counts?.failures ?? 0,
      errorRate: counts?.errorRate ?? null,
      correctedRate: fix ? fix.rate : r?.corrected?.rate,
      ...(fix ? { correctedLower: fix.lower, correctedUpper: fix.upper } : {}),
      lower: counts?.lower ?? 0,
      upper: counts?.upper ?? 1,
      ...(counts?.nEff !== undefined ? { nEff: counts.nEff } : {}),
      scope: d ? ('monitored' as const) : ('run' as const),
      ...(judge && (judge.fp > 0 || judge.fn > 0) ? { judgeScaleThreshold: judgeScale(f.maxErrorRate, judge) } : {}),
      ...(others.length ? { otherModels: others } : {}),
      cusum: d ? { s: d.statistic, h: d.threshold, m: d.m } : undefined,
      decision: d?.decision ?? 'insufficient',
      to: d?.to,
      reason: d?.reason ?? 'no verdicts in this run',
      applied: moves ? changed : undefined,
      failedSamples: f.failed.filter((s) => s.taskType === taskType),
    };
  });
}

/** The data the markdown report is rendered from. */
export function buildReportSummary(f: NightlyFacts): ReportSummary {
  const extras = f.extraSections ?? [];
  return {
    kind: f.kind,
    runId: f.runId,
    date: f.startedAt.toISOString().slice(0, 10),
    startedAt: f.startedAt.toISOString(),
    finishedAt: f.finishedAt.toISOString(),
    database: f.database,
    maxErrorRate: f.maxErrorRate,
    classes: buildClassReports(f),
    trend: f.trend,
    judge: judgeReport(f),
    cache: f.cache,
    routing: { ...routingChange(f), unlisted: unlistedClasses(f) },
    ledger: f.ledger,
    compression: extras.find((e) => e.title === 'Compression'),
    simulation: extras.find((e) => e.title === 'Simulation'),
    extraSections: extras.filter((e) => e.title !== 'Compression' && e.title !== 'Simulation'),
  };
}

/** Classes this run sampled, rated or decided that the routing table does not list, by name. */
export function unlistedClasses(f: NightlyFacts): string[] {
  const seen = new Set([
    ...Object.keys(sampledByClass(f.sample)),
    ...f.rates.map((r) => r.taskType),
    ...f.escalation.classes.map((d) => d.taskType),
  ]);
  return [...seen].filter((c) => !classEntry(f.table, c)).sort();
}
