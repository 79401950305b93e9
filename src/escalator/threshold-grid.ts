const R20 = [1, 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, 2.5, 2.8, 3.15, 3.55, 4, 4.5, 5, 5.6, 6.3, 7.1, 8, 9];

/**
 * The judged volumes H is tabulated at: every integer 1-10, then the Renard R20 preferred numbers
 * (ratio 10^(1/20) = 1.122, so 25, 100, 250, 500, 2,500 are on it) rounded up, up to 10^6. A volume
 * is rounded up to the next grid point before H is looked up or computed: H grows with the volume, so
 * the grid point's H is at least the H of every volume in its cell (schedule-threshold-table.test.ts
 * checks that in sampled cells), and between two points H moves by at most 38 ln 1.122 = 4.4.
 */
export const THRESHOLD_GRID: readonly number[] = buildGrid();

function buildGrid(): number[] {
  const out: number[] = [];
  for (let v = 1; v <= 10; v++) out.push(v);
  for (let decade = 10; decade < 1_000_000; decade *= 10) {
    for (const r of R20) {
      const v = Math.ceil(r * decade - 1e-9);
      if (v > out[out.length - 1]) out.push(v);
    }
  }
  out.push(1_000_000);
  return out;
}

/** The smallest grid point at or above `judgedPerDay` (1 for volumes under 1); volumes above 10^6 are returned rounded up to an integer. */
export function gridVolumeUp(judgedPerDay: number): number {
  const n = Math.max(1, Math.ceil(judgedPerDay - 1e-9));
  const g = THRESHOLD_GRID;
  if (n > g[g.length - 1]) return n;
  let lo = 0;
  let hi = g.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g[mid] >= n) hi = mid;
    else lo = mid + 1;
  }
  return g[lo];
}
