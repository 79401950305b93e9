/** Events of one stratum (source, reason, task class, UTC day) that a sampling run considers. */
export interface StratumVolume {
  source: 'routing' | 'cache';
  reason: string;
  taskType: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** All events of this stratum in the table (the day's volume V). */
  volume: number;
  /**
   * The stratum's base inclusion rate, fixed once for the (class, UTC day) by `stratumBaseRate`
   * from the expected volume and stored in `stratum_rates`. Without it the rate is sized on `volume`.
   */
  baseRate?: number;
  /** Latest event time (ISO) of the stratum seen by this run (sizes a first day without history). */
  latestTs?: string;
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
    if (v.baseRate !== undefined) {
      // the day's rate is fixed; boost and burst multiply it (a larger key window includes the smaller)
      const rate = Math.min(1, v.baseRate * boost);
      return { ...v, target: v.volume * rate, rate, boost, threshold: toThreshold(rate) };
    }
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

/**
 * The base inclusion rate of a (class, UTC day) stratum from its expected daily volume:
 * max(floor, c * sqrt(V)) / V, all events (1) when V is under the floor, or the flat rate.
 * Pure; fixed once per day so every run of the day draws at the same rate.
 */
export function stratumBaseRate(
  expectedVolume: number,
  options: Pick<AllocationOptions, 'flatRate' | 'floorPerDay' | 'sqrtFactor'>,
): number {
  if (options.flatRate !== undefined) return Math.min(1, Math.max(0, options.flatRate));
  if (!(expectedVolume > 0)) return 1;
  const target = Math.max(options.floorPerDay, options.sqrtFactor * Math.sqrt(expectedVolume));
  return Math.min(1, target / expectedVolume);
}

/** Where an expected daily volume came from: earlier days of the stratum, or the first run's count scaled to a day. */
export type VolumeBasis = 'trailing-mean' | 'extrapolated';

/** The shortest part of a day the extrapolation divides by (the daemon's default interval). */
export const MIN_EXTRAPOLATION_MS = 5 * 60_000;

/**
 * Expected events of a stratum's UTC day: the mean of the stratum's earlier daily volumes (up to
 * seven days before, days with events), else the events seen so far scaled to 24 hours from the
 * elapsed part of the day. The elapsed part ends at the clock (`now`, at most the day's end) when the
 * events reach within an hour of it, else at the latest event seen (a partial backfill); at least 5 minutes.
 */
export function expectedDailyVolume(input: {
  trailing: number[];
  soFar: number;
  day: string;
  latestTs: Date;
  now: Date;
}): { volume: number; basis: VolumeBasis } {
  const prior = input.trailing.filter((x) => x > 0);
  if (prior.length > 0) return { volume: prior.reduce((a, x) => a + x, 0) / prior.length, basis: 'trailing-mean' };
  const dayStart = Date.parse(`${input.day}T00:00:00Z`);
  const clock = Math.min(input.now.getTime(), dayStart + 86_400_000);
  const end =
    input.latestTs.getTime() >= clock - 3_600_000
      ? Math.max(clock, input.latestTs.getTime())
      : input.latestTs.getTime();
  const elapsed = Math.min(86_400_000, Math.max(MIN_EXTRAPOLATION_MS, end - dayStart));
  return { volume: Math.max(input.soFar, (input.soFar * 86_400_000) / elapsed), basis: 'extrapolated' };
}
