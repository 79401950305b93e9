/** Events of one stratum (source, reason, task class, UTC day) that a sampling run considers. */
export interface StratumVolume {
  source: 'routing' | 'cache';
  reason: string;
  taskType: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** All events of this stratum in the table (the day's volume V). */
  volume: number;
}

/** How the per-stratum rate is chosen. */
export interface AllocationOptions {
  /** Flat inclusion rate for every stratum; overrides the sqrt(V) rule. */
  flatRate?: number;
  /** Floor of the daily target (notes section 5: 100). */
  floorPerDay: number;
  /** c in n = max(floor, c * sqrt(V)) (notes: 2.2). */
  sqrtFactor: number;
  /** Multiplier per task class (4x while the CUSUM is elevated, 5x after a routing change). */
  boost?: Record<string, number>;
}

/** The decision for one stratum: the target and the hash threshold (of 1e6) that draws it. */
export interface StratumAllocation extends StratumVolume {
  target: number;
  rate: number;
  boost: number;
  /** Include an event when its key (hashtext(id) & 2147483647) % 1e6 lies in [start, start + threshold) mod 1e6, start from the salt. */
  threshold: number;
}

/** Hash buckets; the inclusion test compares a bucket in [0, 1e6) with the threshold. */
export const HASH_BUCKETS = 1_000_000;

/**
 * Per class per day: n = min(V, max(floor, c * sqrt(V))), times the class's boost (still at most V),
 * or a flat rate when given. Pure; the same volumes always give the same thresholds.
 */
export function allocateSample(volumes: StratumVolume[], options: AllocationOptions): StratumAllocation[] {
  return volumes.map((v) => {
    const boost = v.source === 'routing' ? Math.max(1, options.boost?.[v.taskType] ?? 1) : 1;
    if (options.flatRate !== undefined) {
      const rate = Math.min(1, options.flatRate * boost);
      return { ...v, target: v.volume * rate, rate, boost, threshold: toThreshold(rate) };
    }
    const base = Math.max(options.floorPerDay, options.sqrtFactor * Math.sqrt(v.volume));
    const target = Math.min(v.volume, base * boost);
    const rate = v.volume === 0 ? 0 : target / v.volume;
    return { ...v, target, rate, boost, threshold: toThreshold(rate) };
  });
}

/** Rate in [0, 1] to an integer threshold of HASH_BUCKETS; rate 1 includes every event. */
export function toThreshold(rate: number): number {
  if (rate >= 1) return HASH_BUCKETS;
  return Math.max(0, Math.round(rate * HASH_BUCKETS));
}
