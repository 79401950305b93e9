import type { SavingsLedger } from '../ledger/compute-savings-ledger.js';
import type { CacheSeriesPoint, CompressionSeries } from './charts/report-series.js';
import type { TrendPoint } from '../runs/class-rates-store.js';
/**
 * The plain data a report is rendered from. Nightly, the daemon and `report` build it;
 * renderReport turns it into markdown without reading a clock, a file or a database.
 */

/** What the escalator decided for one task class (the contract's `decision` values). */
export type ClassDecision = 'escalate' | 'hold' | 'deescalate' | 'insufficient';

/** One failed (judged "fail") sample shown as an example under its class. */
export interface FailedSample {
  sampleId: number | string;
  eventId: string;
  /** The prompt (or the last user message) as ingested; redacted and truncated when rendered. */
  prompt?: string;
  response: string;
  reference?: string;
  /** Why the judge failed it (comparator or rubric reason). */
  reason?: string;
}

/** One task class's row in the per-class table. */
export interface ClassReport {
  taskType: string;
  model: string;
  tier: string;
  pinned?: boolean;
  /** Samples drawn for this class in this run. */
  sampled: number;
  /** Verdicts counted (n of the rate). */
  judged: number;
  failures: number;
  /** failures / judged (design-weighted, judge-flag scale), or null when nothing was judged; the JSON's `errorRate`. */
  errorRate: number | null;
  /** Judge-noise-corrected rate (Rogan-Gladen) when the judge's fp/fn are known (true scale). */
  correctedRate?: number | null;
  /** 95% interval of the corrected rate, widened by the fp/fn intervals (never zero-width). */
  correctedLower?: number;
  correctedUpper?: number;
  /** 95% interval on the raw (judge-flag scale) error rate, design-weighted. */
  lower: number;
  upper: number;
  /** Effective n of the weighted rate (equals n with equal inclusion probabilities). */
  nEff?: number;
  /** Which verdicts the row counts: this run's, or the escalator's monitored period since `since` (cumulative). */
  scope?: 'run' | 'monitored';
  /** The business threshold mapped onto the judge's flag scale, q(p*) = fp + (1 - fp - fn) p*, when the judge is not perfect. */
  judgeScaleThreshold?: number;
  /** Verdicts of this run served by a model other than the class's routed one (e.g. the cheap model after an escalation). */
  otherModels?: { model: string; n: number; failures: number; rate: number | null; lower: number; upper: number }[];
  /** Bernoulli CUSUM state after this run: statistic S, threshold H, error weight m. */
  cusum?: { s: number; h: number; m?: number };
  decision: ClassDecision;
  /** Target tier of an escalation or de-escalation. */
  to?: string;
  /** The evidence behind the decision, in the user's terms. */
  reason: string;
  /** True when the decision was written to the routing table in this run. */
  applied?: boolean;
  failedSamples?: FailedSample[];
}

/** One run's error rate per class, for the trend chart: stored in class_rates, read by runs/class-rates-store.ts. */
export type { TrendPoint } from '../runs/class-rates-store.js';

/** Semantic-cache false-hit certification for this run. */
export interface CacheReport {
  sampledHits: number;
  falseHits: number;
  falseHitRate: number | null;
  lower: number;
  upper: number;
  /** Lookups just under the threshold that were also judged. */
  nearMisses?: number;
  /** The target false-hit rate (driftwatch.yaml cache.maxFalseHit). */
  target?: number;
  /** Embedders of this run's judged lookups (a certification holds only for the embedder it was made with). */
  embedders?: { embedder: string; kind: string | null; lookups: number }[];
  recommendation?: { threshold: number; hitShare: number; falseHitUpper: number } | null;
  currentThreshold?: number;
  /** Certification per task class over every judged cache sample so far (inclusion-weighted, anytime-valid). */
  perClass?: CacheClassReport[];
  /** All classes' false-hit estimate weighted by hit volume: an estimate, never a certification. */
  pooled?: { weighting: 'hit-volume'; certified: false; estimate: number | null; unjudgedHitVolume: number };
}

/** One task class's cache certification (docs/semantic-cache.md). */
export interface CacheClassReport {
  taskType: string;
  currentThreshold: number;
  /** Lookups served as hits (all logged). */
  hitVolume: number;
  judgedHits: number;
  /** Inclusion-weighted false-hit rate of the judged hits; null with none judged. */
  weightedRate: number | null;
  certifiedThreshold: number | null;
  falseHitUpper: number | null;
  hitShare: number | null;
  /** The current threshold lies in the certified part of the step-down. */
  currentCertified: boolean;
  /** "certified threshold ..." or "not certified: ...". */
  status: string;
  /** The false-hit curve (upper bound per threshold) over the judged range, for the cache chart. */
  curve?: CacheSeriesPoint[];
}

/** Who judged, how often it was called, and what it cost. */
export interface JudgeReport {
  provider: string;
  model?: string;
  calls: number;
  /** Calls avoided (offline comparators, deduplication, cached verdicts). */
  callsSaved: number;
  costUsd: number;
  maxCostUsd?: number;
  stoppedByBudget?: boolean;
  batch?: boolean;
  /** Samples judged in this run. */
  judged?: number;
  /** Samples still waiting for a verdict after this run. */
  pending?: number;
  /** Batches still open at the provider (daemon with --batch: collected by a later cycle). */
  openBatches?: number;
  /** Calls that failed, by cause (a partial outage). */
  callFailures?: { total: number; byCause: Partial<Record<string, number>> };
  /** Samples marked judge_error in this run (unreadable replies). */
  judgeErrors?: number;
}

/** The routing table before and after this run. */
export interface RoutingReport {
  path: string;
  versionBefore: number;
  versionAfter: number;
  /** True when the file was rewritten in this run. */
  changed: boolean;
  /** Unified diff of the file (empty when nothing would change). */
  diff: string;
  /** False when changes were decided but --apply was not given. */
  applied: boolean;
  /** Task classes seen in this run that the table does not list (measured, never moved or added). */
  unlisted?: string[];
}

/** A free-form section another part fills (compression choice, simulation backtest). */
export interface ExtraSection {
  title: string;
  /** Markdown body, rendered as given. */
  markdown: string;
  /** The numbers of the section's chart (compression: metric against ratio per method). */
  series?: CompressionSeries;
}

/** Everything one report shows. Dates are strings so rendering needs no clock. */
export interface ReportSummary {
  kind: string;
  runId: string;
  /** YYYY-MM-DD, also the report file's date. */
  date: string;
  startedAt?: string;
  finishedAt?: string;
  database?: string;
  /** The business threshold on the error rate (e.g. 0.0303). */
  maxErrorRate: number;
  classes: ClassReport[];
  trend: TrendPoint[];
  judge: JudgeReport;
  cache?: CacheReport;
  routing?: RoutingReport;
  /** Savings of the events this run read, net of the audit's cost (nightly runs that sampled). */
  ledger?: SavingsLedger;
  compression?: ExtraSection;
  simulation?: ExtraSection;
  extraSections?: ExtraSection[];
}
