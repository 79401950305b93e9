import { z } from 'zod';

const escalationRecordSchema = z.object({
  /** When the escalation was applied (ISO). Shadow verdicts count from here. */
  at: z.string(),
  fromTier: z.string(),
  fromModel: z.string(),
  toTier: z.string(),
  /** Shadow verdicts of the cheap model since `shadowSince`. */
  shadowN: z.number().int().nonnegative(),
  shadowFailures: z.number().int().nonnegative(),
  shadowSince: z.string(),
  /** Set when the cheap model changed since the escalation (lifts the 7-day wait). */
  cheapModelChangedAt: z.string().nullable(),
});

const pendingSchema = z.object({
  kind: z.enum(['escalate', 'deescalate']),
  fromTier: z.string(),
  to: z.string(),
  decidedAt: z.string(),
  reason: z.string(),
});

/**
 * One task class's escalator state, stored as plain JSON in driftwatch_state under
 * `cusum:<taskType>`. The sampler reads `S` and `H` (4x boost while S >= 0.2 H) and `shadow`.
 */
export const classStateSchema = z.object({
  v: z.literal(1),
  taskType: z.string(),
  /** Tier and model being monitored (the ones the class is served by). */
  tier: z.string(),
  model: z.string(),
  /** CUSUM statistic, failure weight, threshold and the judged/day volume H was calibrated at. */
  S: z.number().nonnegative(),
  m: z.number().int().positive(),
  H: z.number().int().positive(),
  volume: z.number().nonnegative(),
  /**
   * The acting schedule H was calibrated for ('nightly' | 'daemon:<interval ms>'); a state calibrated
   * for another schedule (or stored before this field) is recalibrated at the next decision.
   */
  calibratedFor: z.string().optional(),
  /** Verdicts of the monitored model counted since `since` (ISO event time). */
  n: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  since: z.string(),
  /**
   * Design-weight sums (1/inclusion probability) of the verdicts counted since `since` (the same
   * verdicts as n / failures), for the reported weighted rate; reset when `since` moves.
   */
  weights: z
    .object({ since: z.string(), sumW: z.number(), sumWFail: z.number(), sumW2: z.number(), sumW2Fail: z.number() })
    .optional(),
  /** Last processed verdict in request order (event ts, ingestion seq). */
  lastPosition: z.object({ ts: z.string(), seq: z.number() }).nullable(),
  /** Applied escalations, innermost last; the last one is the one a de-escalation undoes. */
  escalations: z.array(escalationRecordSchema),
  /** What the sampler should shadow-judge while escalated (the cheap model), or null. */
  shadow: z.object({ tier: z.string(), model: z.string() }).nullable(),
  /** A decided but unapplied change; a later apply performs it without new samples. */
  pending: pendingSchema.nullable(),
  updatedAt: z.string(),
});

export type ClassState = z.infer<typeof classStateSchema>;
export type EscalationRecord = z.infer<typeof escalationRecordSchema>;
export type PendingChange = z.infer<typeof pendingSchema>;

/** A fresh state for a class that starts being monitored at `now`. */
export function initialClassState(args: {
  taskType: string;
  tier: string;
  model: string;
  m: number;
  H: number;
  volume: number;
  now: Date;
  S?: number;
}): ClassState {
  return {
    v: 1,
    taskType: args.taskType,
    tier: args.tier,
    model: args.model,
    S: args.S ?? 0,
    m: args.m,
    H: args.H,
    volume: args.volume,
    n: 0,
    failures: 0,
    since: new Date(0).toISOString(),
    lastPosition: null,
    escalations: [],
    shadow: null,
    pending: null,
    updatedAt: args.now.toISOString(),
  };
}
