import type { ClassRate, JudgeErrorRates } from '../judge/compute-class-rates.js';
import type { Db } from '../db/db.js';
import type { CacheReport, ClassDecision, ExtraSection } from '../reports/report-summary.js';
import type { RoutingTable } from '../routing/routing-table.js';
import type { WeightedRate } from '../stats/weighted-rate.js';

/** What the sampler drew in this run, per task class. */
export interface SampleOutcome {
  routingByClass: Record<string, number>;
  cacheSampled: number;
  /** The events this run read, as seq ranges (from, to]: the savings ledger covers them. */
  range?: { routing: [number, number]; cache: [number, number] };
}

/** What the judge did in this run (also the contract's `judge` object). */
export interface JudgeOutcome {
  provider: string;
  model?: string;
  judged: number;
  pending: number;
  calls: number;
  /** Calls avoided: offline comparators, deduplicated or already-judged samples. */
  callsSaved: number;
  costUsd: number;
  stoppedByBudget: boolean;
  batch?: boolean;
  maxCostUsd?: number;
  /** Verdicts another worker had already stored (should stay 0: claims are disjoint). */
  duplicates?: number;
  /** Batches still open at the provider (daemon with --batch: collected by a later cycle). */
  openBatches?: number;
  /** Calls that failed, by cause (a partial outage); absent for the offline judge. */
  callFailures?: { total: number; byCause: Partial<Record<string, number>> };
  /** Samples marked judge_error in this run (unreadable replies, not paid again without --retry-errors). */
  judgeErrors?: number;
}

/** One class's verdict counts in one run with a 95% interval on its error rate (routed responses only). */
export interface RunClassRate
  extends Pick<ClassRate, 'taskType' | 'n' | 'failures' | 'rate' | 'lower' | 'upper'>,
    Partial<Pick<ClassRate, 'nEff' | 'corrected'>> {
  /** Judge-noise-corrected rate, when the judge's fp/fn are known. */
  correctedRate?: number | null;
  /** The judge's calibrated error rates for this class (from review or a gold set), when known. */
  judgeErrorRates?: JudgeErrorRates;
  /** This run's verdicts split by the model that served them (routing_events.model). */
  models?: ModelRate[];
}

/** One serving model's share of a class's verdicts in a run. */
export interface ModelRate extends Pick<WeightedRate, 'n' | 'failures' | 'nEff' | 'rate' | 'lower' | 'upper'> {
  model: string;
}

/** The escalator's decision for one class, with its evidence. */
export interface ClassDecisionOutcome {
  taskType: string;
  decision: ClassDecision;
  to?: string;
  reason: string;
  cusum?: { s: number; h: number; m?: number };
  /**
   * The counts behind the decision (the escalator's monitored period), when they differ from
   * this run's verdicts; the class table and JSON show these.
   */
  counts?: {
    sampled?: number;
    judged: number;
    failures: number;
    rate: number | null;
    lower: number;
    upper: number;
    nEff?: number;
  };
}

/** The routing-table change of this run (a dry run when not applied). */
export interface RoutingChange {
  path: string;
  versionBefore: number;
  versionAfter: number;
  changed: boolean;
  diff: string;
}

/** What the escalate step decided and what it did to the routing table. */
export interface EscalationOutcome {
  decisions: ClassDecisionOutcome[];
  routing: RoutingChange;
}

/** One failed sample for the report's examples. */
export interface FailedSampleRow {
  taskType: string;
  sampleId: number;
  eventId: string;
  prompt?: string;
  response: string;
  reference?: string;
  reason?: string;
}

/** Flags of one nightly run (the `sample` and `judge` flags plus --apply). */
export interface NightlyOptions {
  kind: 'nightly' | 'daemon' | 'demo';
  apply: boolean;
  rate?: number;
  judge: { provider?: string; model?: string; batch?: boolean; maxCostUsd?: number; retryErrors?: boolean };
  /** Report path; default reports/<date>-<kind>.md under the reports folder. */
  out?: string;
  /** Who to name in the audit log (nightly, daemon:<host>:<pid>). */
  actor: string;
  signal?: AbortSignal;
  /** False: markdown only, no SVG charts beside the report (`--no-charts`). */
  charts?: boolean;
}

/**
 * Everything a nightly run touches, injected. The feature steps (sampler, judge, escalator)
 * come from their folders through createNightlyDeps; tests pass fakes via makeNightlyDeps.
 */
export interface NightlyDeps {
  db: Db;
  now(): Date;
  newRunId(): string;
  /** Structured progress lines (the daemon prints them as JSON). */
  log(event: string, fields?: Record<string, unknown>): void;
  /** Reads and validates the routing table; throws RoutingTableError (exit 2) before anything is written. */
  readRoutingTable(): { table: RoutingTable; path: string };
  maxErrorRate: number;
  reportsDir: string;
  sample(input: { runId: string; rate?: number }): Promise<SampleOutcome>;
  judge(input: { runId?: string; options: NightlyOptions['judge']; signal?: AbortSignal }): Promise<JudgeOutcome>;
  classRates(input: { runId: string }): Promise<RunClassRate[]>;
  /**
   * Decides per class (CUSUM over the new verdicts) and applies the moves with `apply` (or only
   * diffs them); never writes an invalid table. Unapplied decisions stay pending for a later apply.
   */
  escalate(input: { runId: string; table: RoutingTable; apply: boolean; actor: string }): Promise<EscalationOutcome>;
  cacheReport(input: { runId: string }): Promise<CacheReport | undefined>;
  failedSamples(input: { runId: string; perClass: number }): Promise<FailedSampleRow[]>;
  /** Optional sections other parts fill (compression choice, simulation). */
  extraSections?(input: { runId: string }): Promise<ExtraSection[]>;
}
