import { describe, expect, it } from 'vitest';
import type { ClassState } from './class-state.js';
import { decideEscalations } from './decide-escalations.js';
import { DEFAULT_POLICY } from './escalation-policy.js';
import type { JudgedVerdict } from './escalation-types.js';
import { markApplied } from './reconcile-state.js';
import { seededRandom } from '../stats/seeded-random.js';
import { makeClass, makeVerdicts, NOW, START, TABLE } from '../../test/support/decide-fixtures.js';

const rand = seededRandom(7);
const at8 = () => rand() < 0.08;

/** A class escalated on 2026-11-17 (8% for 10 days) and a decide run on its shadow verdicts. */
function escalatedFixture() {
  const escalatedTable = { ...TABLE, taskClasses: { ...TABLE.taskClasses, broken: { tier: 'standard' } } };
  const escalatedAt = new Date('2026-11-17T00:00:00Z');
  const pendingState = decideEscalations({
    now: escalatedAt,
    table: TABLE,
    policy: DEFAULT_POLICY,
    classes: [makeClass('broken', makeVerdicts('broken', 1000, at8, { start: START - 20 * 86_400_000 }))],
  })[0].state;
  const escalated: ClassState = markApplied(pendingState, pendingState.pending!, 'mid-1', escalatedAt, 0.25);
  const shadowFrom = Date.parse('2026-11-17T01:00:00Z');
  const run = (now: Date, shadow: JudgedVerdict[]) =>
    decideEscalations({
      now,
      table: escalatedTable,
      policy: DEFAULT_POLICY,
      classes: [makeClass('broken', shadow, { state: escalated })],
    })[0];

  return { escalatedTable, escalated, shadowFrom, run };
}

describe('de-escalation hysteresis', () => {
  const { shadowFrom, run } = escalatedFixture();
  it('de-escalates after 7+ days on >= 100 shadow verdicts under the bound, restarting S at H/4', () => {
    const d = run(
      NOW,
      makeVerdicts('broken', 500, (i) => i % 100 === 0, { shadow: true, start: shadowFrom }),
    );
    expect(d).toMatchObject({ decision: 'deescalate', to: 'trivial', tier: 'standard' });
    expect(d.shadow!.upper).toBeLessThan(0.03);
    const back = markApplied(d.state, d.state.pending!, 'cheap-1', NOW, 0.25);
    expect(back).toMatchObject({
      tier: 'trivial',
      model: 'cheap-1',
      S: Math.floor(back.H / 4),
      n: 0,
      shadow: null,
      escalations: [],
    });
    expect(back.S).toBe(50); // H = 200 (nightly, 100/day), restart at floor(H/4) as the notes (H // 4)
  });

  it('does not de-escalate a class at exactly 3%', () => {
    const d = run(
      NOW,
      makeVerdicts('broken', 1000, (i) => i % 100 < 3, { shadow: true, start: shadowFrom }),
    );
    expect(d.decision).toBe('hold');
    expect(d.shadow).toMatchObject({ n: 1000, failures: 30 });
    expect(d.reason).toMatch(/bound not under/);
  });

  it('waits 7 days even on clean shadow verdicts', () => {
    const d = run(
      new Date('2026-11-20T00:00:00Z'),
      makeVerdicts('broken', 500, (i) => i % 100 === 0, { shadow: true, start: shadowFrom }),
    );
    expect(d.decision).toBe('hold');
    expect(d.reason).toMatch(/wait 7 d/);
  });

  it('needs 100 shadow verdicts', () => {
    const d = run(
      NOW,
      makeVerdicts('broken', 99, () => false, { shadow: true, start: shadowFrom }),
    );
    expect(d.decision).toBe('hold');
    expect(d.reason).toMatch(/need 100 shadow/);
  });
});

describe('de-escalation hysteresis: a new cheap model and the judge named', () => {
  const { escalatedTable, escalated } = escalatedFixture();
  it('lifts the wait when the cheap model changes', () => {
    const newCheap = { ...escalatedTable, tiers: { ...escalatedTable.tiers, trivial: 'cheap-2' } };
    const now = new Date('2026-11-19T00:00:00Z');
    const first = decideEscalations({
      now,
      table: newCheap,
      policy: DEFAULT_POLICY,
      classes: [makeClass('broken', [], { state: escalated })],
    })[0];
    expect(first.state.shadow).toEqual({ tier: 'trivial', model: 'cheap-2' });
    const later = new Date('2026-11-20T00:00:00Z');
    const shadow = makeVerdicts('broken', 500, (i) => i % 100 === 0, {
      shadow: true,
      start: Date.parse('2026-11-19T01:00:00Z'),
    });
    const d = decideEscalations({
      now: later,
      table: newCheap,
      policy: DEFAULT_POLICY,
      classes: [makeClass('broken', shadow, { state: first.state })],
    })[0];
    expect(d.decision).toBe('deescalate');
  });

  it('names a measured judge in the reason even when it measured no errors', () => {
    const [d] = decideEscalations({
      now: NOW,
      table: TABLE,
      policy: DEFAULT_POLICY,
      classes: [
        makeClass(
          'healthy',
          makeVerdicts('healthy', 100, () => false),
          { judge: { fp: 0, fn: 0, from: 'gold:gsm8k-hand/numeric-answer' } },
        ),
      ],
    });
    expect(d.reason).toContain('for a judge with fp 0.00%, fn 0.00% (gold:gsm8k-hand/numeric-answer)');
  });
});
