/**
 * The plain numbers behind every picture of a report, one series type per chart. The report
 * summary supplies them (buildReportSeries); the SVG charts, the markdown and `--json` all read
 * these, so a reader can plot the same figures elsewhere.
 */

/** One run of one task class in the error-rate trend. */
export interface TrendSeriesPoint {
  runId: string;
  /** Label on the x axis (the run's date, or date and time when runs share a day). */
  label: string;
  /** The run's error rate; null when the class had no judged sample (drawn as a gap, never as 0). */
  rate: number | null;
  /** 95% interval of the rate (null with no data). */
  lower: number | null;
  upper: number | null;
  /** Verdicts the rate is computed from. */
  n: number;
  /** Effective sample size under design weights, when the rate is weighted. */
  effectiveN?: number;
  /** What the escalator decided for the class in this run (escalate / deescalate are marked). */
  decision?: string;
}

/** The per-class error-rate trend with the threshold on the same scale. */
export interface TrendSeries {
  /** The business threshold on the error rate (escalation.maxErrorRate). */
  threshold: number;
  /** Each point is one run's own rate (not cumulative). */
  scope: 'per-run' | 'cumulative';
  classes: { taskType: string; points: TrendSeriesPoint[] }[];
}

/** One method at one target ratio in the compression evaluation. */
export interface CompressionSeriesPoint {
  method: string;
  ratio: number;
  /** The metric on the compressed context, with its 95% interval, over n items. */
  value: number;
  lower: number;
  upper: number;
  n: number;
}

/** The compression metric against ratio per method, with the baseline and the accepted drop. */
export interface CompressionSeries {
  /** The report section it belongs to (its markdown title). */
  section: string;
  dataset: string;
  /** How the metric is named to the reader (e.g. "retention"). */
  metric: string;
  /** The metric on the uncompressed context; null when no row had one. */
  baseline: number | null;
  /** Largest acceptable drop, in percentage points of the metric. */
  maxDropPoints: number;
  points: CompressionSeriesPoint[];
}

/** One threshold of one class's cache false-hit curve. */
export interface CacheSeriesPoint {
  threshold: number;
  /** Judged candidates at or above the threshold. */
  hits: number;
  /** Inclusion-weighted false-hit rate there (null when none judged). */
  weightedRate: number | null;
  /** Anytime-valid 95% upper bound of the false-hit rate (1 when nothing bounds it yet). */
  upper: number;
}

/** The cache false-hit curve per class with the target and the certified threshold. */
export interface CacheSeries {
  /** The largest acceptable false-hit rate (cache.maxFalseHit). */
  target: number;
  classes: {
    taskType: string;
    currentThreshold: number;
    certifiedThreshold: number | null;
    /** "certified threshold ..." or "not certified: ...". */
    status: string;
    points: CacheSeriesPoint[];
  }[];
}

/** Every chart's series of one report; null or empty where the report has no such picture. */
export interface ReportSeries {
  trend: TrendSeries | null;
  compression: CompressionSeries[];
  cache: CacheSeries | null;
}
