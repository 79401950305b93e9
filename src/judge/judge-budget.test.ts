import { describe, expect, it } from 'vitest';
import { JudgeBudget } from './judge-budget.js';

describe('JudgeBudget', () => {
  it('refuses a reservation that would take spend plus reservations past the cap, however many are open', () => {
    const b = new JudgeBudget(1);
    expect([0, 1, 2, 3].map(() => b.tryReserve(0.3))).toEqual([true, true, true, false]);
    expect(b.stopped).toBe(true);
    expect(b.reservedUsd).toBeCloseTo(0.9, 12);
  });

  it('settles to the real cost, keeps a reservation as spent for a call that may have been billed', () => {
    const b = new JudgeBudget(1);
    b.tryReserve(0.4);
    b.tryReserve(0.4);
    b.settle(0.4, 0.1);
    b.keep(0.4);
    expect(b.spentUsd).toBeCloseTo(0.5, 12);
    expect(b.reservedUsd).toBeCloseTo(0, 12);
  });

  it('raises later estimates by the ratio a provider reported above the reserved tokens, never lowers them', () => {
    const b = new JudgeBudget(undefined);
    b.observe({ inputTokens: 100, outputTokens: 200 }, { inputTokens: 300, outputTokens: 50 });
    expect(b.scale({ inputTokens: 100, outputTokens: 200 })).toEqual({ inputTokens: 300, outputTokens: 200 });
    b.observe({ inputTokens: 300, outputTokens: 200 }, { inputTokens: 150, outputTokens: 200 });
    expect(b.scale({ inputTokens: 100, outputTokens: 200 })).toEqual({ inputTokens: 300, outputTokens: 200 });
  });
});
