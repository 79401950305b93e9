import type { SavingsLedger } from '../ledger/compute-savings-ledger.js';
import type { ReportSeries } from '../reports/charts/report-series.js';
import type { CacheReport, ClassReport, ExtraSection, ReportSummary, TrendPoint } from '../reports/report-summary.js';
import { classEntry, modelFor, type RoutingTable } from '../routing/routing-table.js';
import { apparentRate, correctInterval } from '../stats/judge-noise.js';
import type {
  ClassDecisionOutcome,
  RunClassRate,
  FailedSampleRow,
  JudgeOutcome,
  RoutingChange,
  SampleOutcome,
} from './nightly-deps.js';

/** The `nightly --json` object of the contract (extra fields allowed). */
export interface NightlyJson {
  runId: string;
  routingTableChanged: boolean;
  report: string | null;
  judge: {
    provider: string;
    model?: string;
    calls: number;
    callsSaved: number;
    costUsd: number;
    judged: number;
    pending: number;
    stoppedByBudget: boolean;
    openBatches?: number;
    callFailures?: { total: number; byCause: Partial<Record<string, number>> };
    judgeErrors?: number;
  };
  classes: {
    taskType: string;
    model: string;
    tier: string;
    sampled: number;
    judged: number;
    failures: number;
    errorRate: number | null;
    lower: number;
    upper: number;
    decision: ClassReport['decision'];
    to?: string;
    reason: string;
    cusum?: { s: number; h: number; m?: number };
    applied: boolean;
    /** Effective n of the design-weighted errorRate; scope of the counts ('monitored' = since the escalator's period start, 'run' = this run). */
    nEff?: number;
    scope?: 'run' | 'monitored';
    /** True-scale rate with its interval (judge fp/fn known). */
    corrected?: { rate: number | null; lower: number; upper: number };
    /** Verdicts of this run served by another model than the routed one. */
    otherModels?: ClassReport['otherModels'];
  }[];
  cache: { sampledHits: number; falseHits: number; falseHitRate: number | null; lower: number; upper: number } & Pick<
    CacheReport,
    'perClass' | 'pooled'
  >;
  routingTable: { path: string; versionBefore: number; versionAfter: number; pending: boolean };
  /** Task classes seen in this run that routing.yaml does not list: measured, never moved or added. */
  unlistedClasses: string[];
  /** Savings of the events this run read, net of the audit's cost (absent when nothing was sampled). */
  ledger?: SavingsLedger;
  /** The numbers behind every chart of the report (the same the SVGs are drawn from). */
  series?: ReportSeries;
}

/** What one run produced, step by step, as plain data. */
export interface NightlyFacts {
  runId: string;
  kind: string;
  startedAt: Date;
  finishedAt: Date;
  database?: string;
  maxErrorRate: number;
  table: RoutingTable;
  sample: SampleOutcome;
  judge: JudgeOutcome;
  rates: RunClassRate[];
  decisions: ClassDecisionOutcome[];
  routing: RoutingChange;
  cache?: CacheReport;
  failed: FailedSampleRow[];
  trend: TrendPoint[];
  ledger?: SavingsLedger;
  extraSections?: ExtraSection[];
}

/** Joins the steps' outputs into one row per class: table order first, then any other class by name. */
export function buildClassReports(f: NightlyFacts): ClassReport[] {
  const rates = new Map(f.rates.map((r) => [r.taskType, r]));
  const decisions = new Map(f.decisions.map((d) => [d.taskType, d]));
  const seen = new Set([...Object.keys(f.sample.routingByClass), ...rates.keys(), ...decisions.keys()]);
  const ordered = [
    ...Object.keys(f.table.taskClasses).filter((c) => seen.has(c)),
    ...[...seen].filter((c) => !classEntry(f.table, c)).sort(),
  ];
  return ordered.map((taskType) => {
    const r = rates.get(taskType);
    const d = decisions.get(taskType);
    const { model, tier } = modelFor(f.table, taskType);
    const moves = d?.decision === 'escalate' || d?.decision === 'deescalate';
    const counts =
      d?.counts ??
      (r
        ? { judged: r.n, failures: r.failures, rate: r.rate, lower: r.lower, upper: r.upper, nEff: r.nEff }
        : undefined);
    const judge = r?.judgeErrorRates;
    const fix =
      judge && counts && counts.rate !== null
        ? correctInterval({ rate: counts.rate, lower: counts.lower, upper: counts.upper }, judge)
        : undefined;
    const others = (r?.models ?? []).filter((x) => x.model !== model).map(({ nEff: _n, ...x }) => x);
    return {
      taskType,
      model,
      tier,
      pinned: classEntry(f.table, taskType)?.pinned ?? undefined,
      sampled: counts?.sampled ?? f.sample.routingByClass[taskType] ?? 0,
      judged: counts?.judged ?? 0,
      failures: counts?.failures ?? 0,
      rawRate: counts?.rate ?? null,
      correctedRate: fix ? fix.rate : r?.correctedRate,
      ...(fix ? { correctedLower: fix.lower, correctedUpper: fix.upper } : {}),
      lower: counts?.lower ?? 0,
      upper: counts?.upper ?? 1,
      ...(counts?.nEff !== undefined ? { nEff: counts.nEff } : {}),
      scope: d?.counts ? ('monitored' as const) : ('run' as const),
      ...(judge && (judge.fp > 0 || judge.fn > 0)
        ? { judgeScaleThreshold: apparentRate(f.maxErrorRate, judge.fp, judge.fn) }
        : {}),
      ...(others.length ? { otherModels: others } : {}),
      cusum: d?.cusum,
      decision: d?.decision ?? 'insufficient',
      to: d?.to,
      reason: d?.reason ?? 'no verdicts in this run',
      applied: moves ? f.routing.changed : undefined,
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
    judge: { ...f.judge },
    cache: f.cache,
    routing: { ...f.routing, applied: f.routing.changed, unlisted: unlistedClasses(f) },
    ledger: f.ledger,
    compression: extras.find((e) => e.title === 'Compression'),
    simulation: extras.find((e) => e.title === 'Simulation'),
    extraSections: extras.filter((e) => e.title !== 'Compression' && e.title !== 'Simulation'),
  };
}

/** The contract's `nightly --json` object. */
export function buildNightlyJson(f: NightlyFacts, classes: ClassReport[], reportPath: string | null): NightlyJson {
  const cache = f.cache ?? { sampledHits: 0, falseHits: 0, falseHitRate: null, lower: 0, upper: 1 };
  return {
    runId: f.runId,
    routingTableChanged: f.routing.changed,
    report: reportPath,
    judge: {
      provider: f.judge.provider,
      model: f.judge.model,
      calls: f.judge.calls,
      callsSaved: f.judge.callsSaved,
      costUsd: f.judge.costUsd,
      judged: f.judge.judged,
      pending: f.judge.pending,
      stoppedByBudget: f.judge.stoppedByBudget,
      ...(f.judge.openBatches !== undefined ? { openBatches: f.judge.openBatches } : {}),
      ...(f.judge.callFailures ? { callFailures: f.judge.callFailures } : {}),
      ...(f.judge.judgeErrors !== undefined ? { judgeErrors: f.judge.judgeErrors } : {}),
    },
    classes: classes.map((c) => ({
      taskType: c.taskType,
      model: c.model,
      tier: c.tier,
      sampled: c.sampled,
      judged: c.judged,
      failures: c.failures,
      errorRate: c.rawRate,
      lower: c.lower,
      upper: c.upper,
      decision: c.decision,
      ...(c.to ? { to: c.to } : {}),
      reason: c.reason,
      ...(c.cusum ? { cusum: c.cusum } : {}),
      applied: Boolean(c.applied),
      ...(c.nEff !== undefined ? { nEff: c.nEff } : {}),
      ...(c.scope ? { scope: c.scope } : {}),
      ...(c.correctedLower !== undefined && c.correctedUpper !== undefined
        ? { corrected: { rate: c.correctedRate ?? null, lower: c.correctedLower, upper: c.correctedUpper } }
        : {}),
      ...(c.otherModels ? { otherModels: c.otherModels } : {}),
    })),
    cache: {
      sampledHits: cache.sampledHits,
      falseHits: cache.falseHits,
      falseHitRate: cache.falseHitRate,
      lower: cache.lower,
      upper: cache.upper,
      ...(cache.perClass ? { perClass: cache.perClass } : {}),
      ...(cache.pooled ? { pooled: cache.pooled } : {}),
    },
    routingTable: {
      path: f.routing.path,
      versionBefore: f.routing.versionBefore,
      versionAfter: f.routing.versionAfter,
      pending: !f.routing.changed && f.routing.diff.trim() !== '',
    },
    unlistedClasses: unlistedClasses(f),
    ...(f.ledger ? { ledger: f.ledger } : {}),
  };
}

/** Classes this run sampled, rated or decided that the routing table does not list, by name. */
export function unlistedClasses(f: NightlyFacts): string[] {
  const seen = new Set([
    ...Object.keys(f.sample.routingByClass),
    ...f.rates.map((r) => r.taskType),
    ...f.decisions.map((d) => d.taskType),
  ]);
  return [...seen].filter((c) => !classEntry(f.table, c)).sort();
}
