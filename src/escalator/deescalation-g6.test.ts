import { describe, expect, it } from 'vitest';
import { simulateWrongDeescalation } from './deescalation-g6.js';

// Goal G6 with review-estimated judge rates (bench/deescalation-g6.ts runs 1,000 reps and more cases).
describe('wrong de-escalation at a true 3% with a review that found no missed error (true fn 10%)', () => {
  const base = { reps: 300, trueRate: 0.03, fp: 0.01, fn: 0.1, zeroMissed: true } as const;

  it.each([100, 500])(
    'stays <= 0.1 within 90 days at %i shadow verdicts/day, with fn-hat > 0',
    (perDay) => {
      const live = simulateWrongDeescalation({ ...base, perDay, estimator: 'live' });
      const old = simulateWrongDeescalation({ ...base, perDay, estimator: 'plug-in' });
      console.log(
        `${perDay}/day: P(wrong de-escalation) live ${live.deescalated.toFixed(3)} (mean fn-hat ${(live.meanFn * 100).toFixed(1)}%), old plug-in ${old.deescalated.toFixed(3)} (fn-hat 0 in ${(old.fnZero * 100).toFixed(0)}%)`,
      );
      expect(live.fnZero).toBe(0);
      expect(live.meanFn).toBeGreaterThan(0);
      expect(live.deescalated).toBeLessThanOrEqual(0.1);
      // the estimator it replaces fails the goal
      expect(old.deescalated).toBeGreaterThan(0.2);
    },
    120_000,
  );

  it('still returns a recovered (1%) cheap model within 90 days', () => {
    const healthy = simulateWrongDeescalation({ ...base, reps: 100, trueRate: 0.01, perDay: 100, estimator: 'live' });
    expect(healthy.deescalated).toBeGreaterThan(0.8);
  });
});
