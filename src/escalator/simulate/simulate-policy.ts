import { cusumWeight, DEFAULT_POLICY, PERFECT_JUDGE, type EscalationPolicy } from '../escalation-policy.js';
import { seededRandom } from '../../stats/seeded-random.js';
import { thresholdForVolume } from '../threshold-for-volume.js';
import { cusumDelay, cusumEscalations30, cusumFlapping } from './cusum-figures.js';
import { naiveDelay, naiveEscalations } from './naive-rule.js';
import { simulateLive, type LiveFigures, type LiveOptions } from './simulate-live.js';

/** What to backtest. */
export interface SimulationOptions {
  /** Judged samples per class per day. */
  volumes: number[];
  seed: number;
  /** Fewer Monte Carlo replicates (for tests). */
  quick: boolean;
  policy?: EscalationPolicy;
  /** Run the live policy (sampler, boost, burst, volume-driven H, minSamples, judge noise) in both acting modes. Default true. */
  live?: boolean;
  /** Daemon interval for the live daemon mode (default 5 min). */
  intervalMs?: number;
  /** The judge's real fp/fn for the live rows (default a perfect judge); the escalator gets review-estimated rates. */
  judge?: { fp: number; fn: number };
  sampler?: LiveOptions['sampler'];
  /** Work multiplier of the live rows (default 1). */
  effort?: number;
}

/** Mean and 90th percentile of the days to detect a jump. */
export interface Delay {
  to: number;
  mean: number;
  p90: number;
}

/** One rule's figures at one volume. */
export interface RuleFigures {
  rule: 'cusum' | 'cusum-nightly' | 'naive-1d' | 'live-nightly' | 'live-daemon';
  method: string;
  falsePer30dAt1_5: number;
  falsePer30dAt2: number;
  delays: Delay[];
  escalationsPer90dAt3: number;
  shareEscalatedAt3: number | null;
  /** Live rows only: the full figures (intervals, judged samples, calls, G6 detail). */
  live?: LiveFigures;
}

/** Figures per volume, with the CUSUM's calibrated threshold. */
export interface VolumeFigures {
  judgedPerDay: number;
  m: number;
  H: number;
  rules: RuleFigures[];
}

/** The backtest's output (deterministic for a seed and mode). */
export interface SimulationResult {
  seed: number;
  mode: 'quick' | 'full';
  replicates: { falseAlarms: number; delays: number; flapping: number };
  volumes: VolumeFigures[];
  /** Settings of the live rows (absent when they were not run). */
  live?: {
    intervalMinutes: number;
    judge: { fp: number; fn: number };
    review: { flags: number; passes: number };
    sampler: LiveOptions['sampler'];
    premiumRate: number;
  };
}

export const JUMPS = [0.04, 0.06, 0.1];
const PRE = 0.01;

/**
 * Backtests the recommended CUSUM (exact Markov chain; Monte Carlo only for the 90-day
 * escalate/de-escalate cycle at 3%) against the naive rule "escalate when tonight's point
 * estimate is over 3%" (seeded Monte Carlo) at each daily judged volume.
 */
export function simulatePolicy(opts: SimulationOptions): SimulationResult {
  // the exact design rows model a stream without the adaptive boost, so their H is the unboosted one;
  // the live rows run the policy as configured (H calibrated for each row's acting mode) through the live functions
  const livePolicy: EscalationPolicy = opts.policy ?? DEFAULT_POLICY;
  const policy: EscalationPolicy = { ...livePolicy, boost: undefined };
  const liveOpts: LiveOptions | null =
    opts.live === false
      ? null
      : {
          seed: opts.seed,
          quick: opts.quick,
          intervalMs: opts.intervalMs ?? 300_000,
          policy: livePolicy,
          sampler: opts.sampler ?? { floorPerDay: 100, sqrtFactor: 2.2 },
          judge: opts.judge ?? { fp: 0, fn: 0 },
          review: { flags: 50, passes: 200 },
          effort: opts.effort ?? 1,
        };
  const replicates = opts.quick
    ? { falseAlarms: 300, delays: 1000, flapping: 300 }
    : { falseAlarms: 3000, delays: 3000, flapping: 3000 };
  const days = 360;
  const volumes = opts.volumes.map((n): VolumeFigures => {
    const rng = (label: number) =>
      seededRandom((opts.seed ^ Math.imul(n, 0x9e3779b1) ^ Math.imul(label, 0x85ebca6b)) >>> 0);
    const m = cusumWeight(policy, PERFECT_JUDGE);
    const H = thresholdForVolume(n, m, policy, PERFECT_JUDGE);
    const delays = JUMPS.map((p1) => ({ p1, d: cusumDelay(n, PRE, p1, m, H) }));
    const flap = cusumFlapping(n, 0.03, m, H, policy, replicates.flapping, 90, rng(1));
    const fe = { at15: cusumEscalations30(n, 0.015, m, H), at2: cusumEscalations30(n, 0.02, m, H) };
    const cusum = (
      rule: RuleFigures['rule'],
      method: string,
      pick: (d: (typeof delays)[number]['d']) => { mean: number; p90: number },
    ): RuleFigures => ({
      rule,
      method,
      falsePer30dAt1_5: fe.at15,
      falsePer30dAt2: fe.at2,
      delays: delays.map(({ p1, d }) => ({ to: p1, ...pick(d) })),
      escalationsPer90dAt3: flap.events,
      shareEscalatedAt3: flap.shareEscalated,
    });
    return {
      judgedPerDay: n,
      m,
      H,
      rules: [
        cusum('cusum', 'exact Markov chain; 3% cycle: renewal Monte Carlo', (d) => ({ mean: d.mean, p90: d.p90 })),
        cusum('cusum-nightly', 'same, acted on only at the nightly run', (d) => ({
          mean: d.nightlyMean,
          p90: d.nightlyP90,
        })),
        ...(liveOpts ? (['nightly', 'daemon'] as const).map((mode) => liveRow(simulateLive(n, mode, liveOpts))) : []),
        naiveFigures(n, replicates, days, rng),
      ],
    };
  });
  const live = liveOpts
    ? {
        intervalMinutes: liveOpts.intervalMs / 60_000,
        judge: liveOpts.judge,
        review: liveOpts.review,
        sampler: liveOpts.sampler,
        premiumRate: 0.005,
      }
    : undefined;
  return { seed: opts.seed, mode: opts.quick ? 'quick' : 'full', replicates, volumes, ...(live ? { live } : {}) };
}

function liveRow(f: LiveFigures): RuleFigures {
  return {
    rule: f.mode === 'nightly' ? 'live-nightly' : 'live-daemon',
    method: `live path (sampler, boost, burst, volume-driven H, minSamples, judge, ${f.mode === 'nightly' ? 'one decision a night' : `a decision every ${f.intervalMinutes} min`}), seeded Monte Carlo`,
    falsePer30dAt1_5: f.falseAt1_5.per30d,
    falsePer30dAt2: f.falseAt2.per30d,
    delays: f.delays.map((d) => ({ to: d.to, mean: d.mean, p90: d.p90 })),
    escalationsPer90dAt3: f.at3.escalationsPer90d,
    shareEscalatedAt3: f.at3.shareEscalated,
    live: f,
  };
}

function naiveFigures(
  n: number,
  replicates: SimulationResult['replicates'],
  days: number,
  rng: (label: number) => () => number,
): RuleFigures {
  return {
    rule: 'naive-1d',
    method: 'seeded Monte Carlo',
    falsePer30dAt1_5: naiveEscalations(n, 0.015, replicates.falseAlarms, days, rng(2)),
    falsePer30dAt2: naiveEscalations(n, 0.02, replicates.falseAlarms, days, rng(3)),
    delays: JUMPS.map((p1, i) => ({ to: p1, ...naiveDelay(n, p1, replicates.delays, rng(4 + i)) })),
    escalationsPer90dAt3: naiveEscalations(n, 0.03, replicates.flapping, 90, rng(8), 90),
    shareEscalatedAt3: null,
  };
}
