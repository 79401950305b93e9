const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A text sparkline (▁▂▃▄▅▆▇█) of `values`, scaled from 0 to `max` (default: the largest value),
 * so lines for different classes drawn with one `max` compare. Missing values show as "·".
 */
export function renderSparkline(values: (number | null)[], max?: number): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const top = max ?? Math.max(0, ...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return '·';
      if (top <= 0) return BARS[0];
      const i = Math.round((Math.min(v, top) / top) * (BARS.length - 1));
      return BARS[Math.max(0, i)];
    })
    .join('');
}
