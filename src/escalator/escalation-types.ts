import type { RoutingTable } from '../routing/routing-table.js';
import type { ClassState, PendingChange } from './class-state.js';
import type { EscalationPolicy, JudgeRates } from './escalation-policy.js';

/** One judged sample, in request order. `shadow` = the cheap model judged while the class is escalated. */
export interface JudgedVerdict {
  taskType: string;
  /** Event time (ISO) and ingestion sequence: the request order. */
  ts: string;
  seq: number;
  /** The model that served the request (routing_events.model). */
  model: string;
  failed: boolean;
  shadow: boolean;
  /** The probability the sampler drew it with (null: drawn before inclusion probabilities were stored). */
  inclusionProb?: number | null;
}

/** Everything `decideEscalations` needs for one task class. */
export interface ClassInput {
  taskType: string;
  /** New verdicts since the state's last processed position, in request order. */
  verdicts: JudgedVerdict[];
  /** Stored state, or null the first time the class is seen. */
  state: ClassState | null;
  /** Judged verdicts per day (recent), used to calibrate H. */
  judgedPerDay: number;
  /** Samples drawn for the class in the monitored period (for the report), when known. */
  sampled?: number;
  /** Calibrated judge rates for this class; perfect judge when absent. */
  judge?: JudgeRates;
}

/** Input of the pure decide step. */
export interface DecideInput {
  now: Date;
  table: RoutingTable;
  policy: EscalationPolicy;
  classes: ClassInput[];
}

/** One of the contract's decisions. */
export type DecisionKind = 'escalate' | 'hold' | 'deescalate' | 'insufficient';

/**
 * A class's decision with its evidence, shaped like the contract's nightly `classes` entries
 * plus the CUSUM statistic and threshold. Counts cover the monitored period (`since`).
 */
export interface Decision {
  taskType: string;
  model: string;
  tier: string;
  decision: DecisionKind;
  /** Target tier for escalate / deescalate. */
  to?: string;
  reason: string;
  sampled: number;
  judged: number;
  failures: number;
  errorRate: number | null;
  /** 95% interval on the design-weighted error rate (Wilson on the effective n). */
  lower: number;
  upper: number;
  /** Effective n of the weighted rate. */
  nEff?: number;
  /** CUSUM statistic S and threshold H; m is the failure weight. */
  statistic: number;
  threshold: number;
  m: number;
  /** Verdicts processed in this run. */
  newVerdicts: number;
  pinned: boolean;
  /** The routing table does not list the class: reported, never moved (its entry is never appended). */
  unlisted?: true;
  /** A pending change dropped in this run because its class or tier left the table (audited), and why. */
  droppedPending?: PendingChange & { why: string };
  /** Shadow evidence while escalated. */
  shadow?: { n: number; failures: number; upper: number; bound: number; daysEscalated: number };
  /** The state to persist after this decision (unapplied changes stay in `pending`). */
  state: ClassState;
}
