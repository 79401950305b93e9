// Issue 11 item 2: coverage of the design-weighted class-rate interval over simulated histories with
// boost, burst and split days, through the live sampler and estimator functions (pure, seeded).
// Run: npx tsx bench/weighted-rate-coverage.ts [reps=1000]
import { coverage, simulateCoverage } from '../src/stats/weighted-rate-coverage.js';

const reps = Number(process.argv[2] ?? 1000);
const t = Date.now();
const r = simulateCoverage({ reps, seed: 2026 });
const naiveCover =
  r.filter((x) => {
    // the old estimate: unweighted failures / n with a plain Wilson interval
    if (x.naive === null) return false;
    const z = 1.959964;
    const n = x.n;
    const p = x.naive;
    const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    return c - h <= x.truth && x.truth <= c + h;
  }).length / r.length;
const bias = (f: (x: (typeof r)[number]) => number | null) =>
  r.reduce((a, x) => a + ((f(x) ?? 0) - x.truth), 0) / r.length;
console.log(
  `histories: ${r.length} (30 days, 1,000-3,000 events/day, 1% with a 6% episode in half, 1/2/24 runs a day, 4x boost at S >= 0.2 H, 5x burst after a change in half)`,
);
console.log(
  `weighted (Hajek, Wilson on effective n): coverage ${(coverage(r) * 100).toFixed(1)}%, mean bias ${(bias((x) => x.rate) * 100).toFixed(3)} pp, median n ${median(r.map((x) => x.n))}, median n_eff ${median(r.map((x) => Math.round(x.nEff)))}`,
);
console.log(
  `unweighted (old): coverage ${(naiveCover * 100).toFixed(1)}%, mean bias ${(bias((x) => x.naive) * 100).toFixed(3)} pp`,
);
console.log(`(${((Date.now() - t) / 1000).toFixed(1)} s)`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
