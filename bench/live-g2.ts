// Issue 11 / goal G2 (<= 0.33 false escalations per 30 days at a steady 2%) in the live daemon, over
// independent seeded deployments (each from an empty volume window, 8-day warm-up): per-deployment
// counts, the pooled rate with its quasi-Poisson interval (replicateEventRate), the design value
// 30 / restartArlDays at the measured volume, and the share of restarts (de-escalation, S = H/4, 48 h
// burst) followed by a false escalation within 2 days beside the chain's. This is the statistical check
// that live-class-run.test.ts ran before (20 x 300 days at 100/day, 269 s under load); the test keeps the
// mechanism checks. Run: nice npx tsx bench/live-g2.ts [judgedPerDay=100] [deployments=20] [days=300] [mode=daemon]
import { DEFAULT_POLICY } from '../src/escalator/escalation-policy.js';
import { restartArlDays } from '../src/escalator/schedule-threshold.js';
import { LIVE_PATH, runLiveClass } from '../src/escalator/simulate/live-class-run.js';
import { escalatedAfter, liveSpec, WARMUP_DAYS } from '../src/escalator/simulate/live-options.js';
import { replicateEventRate, type ReplicateCount } from '../src/escalator/simulate/event-rate.js';
import { seededRandom } from '../src/stats/seeded-random.js';

const n = Number(process.argv[2] ?? 100);
const deployments = Number(process.argv[3] ?? 20);
const days = Number(process.argv[4] ?? 300);
const mode = (process.argv[5] ?? 'daemon') as 'daemon' | 'nightly';
const o = {
  seed: 20250601,
  quick: false,
  intervalMs: 300_000,
  policy: DEFAULT_POLICY,
  sampler: { floorPerDay: 100, sqrtFactor: 2.2 },
  judge: { fp: 0, fn: 0 },
  review: { flags: 50, passes: 200 },
};
const reps: ReplicateCount[] = [];
const gaps: number[] = [];
let H = 0;
let volume = 0;
const t0 = performance.now();
for (let k = 0; k < deployments; k++) {
  const rand = seededRandom(1700 + k);
  const spec = { ...liveSpec(n, mode, o, rand), days: days + WARMUP_DAYS, cheapRate: () => 0.02 };
  const r = runLiveClass(spec, rand, {
    ...LIVE_PATH,
    decideEscalations: (input) => {
      const [d] = LIVE_PATH.decideEscalations(input);
      H = d.state.H;
      volume = input.classes[0].judgedPerDay;
      return [d];
    },
  });
  const events = r.escalations.filter((t) => t >= WARMUP_DAYS).length;
  reps.push({ events, daysAtRisk: days - escalatedAfter(r, WARMUP_DAYS) });
  r.deescalations.forEach((d, i) => {
    if (d < r.daysRun - 2) gaps.push((r.escalations[i + 1] ?? Infinity) - d);
  });
  console.log(
    `deployment ${k}: ${events} events, ${reps[k].daysAtRisk.toFixed(0)} days at risk, H ${H} at ${volume.toFixed(1)}/day`,
  );
}
const rate = replicateEventRate(reps);
const restart = { fraction: 0.25, burstFactor: 5, burstMs: 48 * 3_600_000 };
const schedule =
  mode === 'daemon' ? ({ mode: 'daemon', intervalMs: o.intervalMs } as const) : ({ mode: 'nightly' } as const);
const design = 30 / restartArlDays(0.02, 32, H, volume, DEFAULT_POLICY.boost!, schedule, restart);
const early = gaps.filter((g) => g <= 2).length;
console.log(
  `${mode} ${n}/day, ${deployments} x ${days} d: G2 ${rate.per30d.toFixed(3)} [${rate.lower.toFixed(3)}, ${rate.upper.toFixed(3)}] (${rate.events} events, dispersion ${rate.dispersion}); design at H ${H}, ${volume.toFixed(0)}/day: ${design.toFixed(3)}; restarts followed by an escalation within 2 d: ${early} of ${gaps.length}; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
