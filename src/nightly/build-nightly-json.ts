import type { SavingsLedger } from '../ledger/compute-savings-ledger.js';
import type { ReportSeries } from '../reports/charts/report-series.js';
import type { CacheReport, ClassReport, JudgeReport } from '../reports/report-summary.js';
import { judgeReport, routingChange, unlistedClasses, type NightlyFacts } from './build-nightly-summary.js';

/** The `nightly --json` object of the contract (extra fields allowed). */
export interface NightlyJson {
  runId: string;
  routingTableChanged: boolean;
  report: string | null;
  judge: Pick<JudgeReport, 'provider' | 'model' | 'openBatches' | 'callFailures' | 'judgeErrors'> &
    Required<Pick<JudgeReport, 'calls' | 'callsSaved' | 'costUsd' | 'judged' | 'pending' | 'stoppedByBudget'>>;
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

/** The contract's `nightly --json` object. */
export function buildNightlyJson(f: NightlyFacts, classes: ClassReport[], reportPath: string | null): NightlyJson {
  const cache = f.cache ?? { sampledHits: 0, falseHits: 0, falseHitRate: null, lower: 0, upper: 1 };
  const routing = routingChange(f);
  return {
    runId: f.runId,
    routingTableChanged: routing.changed,
    report: reportPath,
    judge: judgeJson(judgeReport(f)),
    classes: classes.map(classJson),
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
      path: routing.path,
      versionBefore: routing.versionBefore,
      versionAfter: routing.versionAfter,
      pending: !routing.changed && routing.diff.trim() !== '',
    },
    unlistedClasses: unlistedClasses(f),
    ...(f.ledger ? { ledger: f.ledger } : {}),
  };
}

function judgeJson(j: JudgeReport): NightlyJson['judge'] {
  return {
    provider: j.provider,
    model: j.model,
    calls: j.calls,
    callsSaved: j.callsSaved,
    costUsd: j.costUsd,
    judged: j.judged ?? 0,
    pending: j.pending ?? 0,
    stoppedByBudget: j.stoppedByBudget ?? false,
    ...(j.openBatches !== undefined ? { openBatches: j.openBatches } : {}),
    ...(j.callFailures ? { callFailures: j.callFailures } : {}),
    ...(j.judgeErrors !== undefined ? { judgeErrors: j.judgeErrors } : {}),
  };
}

function classJson(c: ClassReport): NightlyJson['classes'][number] {
  return {
    taskType: c.taskType,
    model: c.model,
    tier: c.tier,
    sampled: c.sampled,
    judged: c.judged,
    failures: c.failures,
    errorRate: c.errorRate,
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
  };
}
