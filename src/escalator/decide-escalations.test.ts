import { describe, expect, it } from 'vitest';
import type { ClassState } from './class-state.js';
import { decideEscalations } from './decide-escalations.js';
import { DEFAULT_POLICY } from './escalation-policy.js';
import { seededRandom } from '../stats/seeded-random.js';
import { thresholdForVolume } from './threshold-for-volume.js';
import { makeClass, makeVerdicts, NOW, TABLE } from '../../test/support/decide-fixtures.js';

const rand = seededRandom(7);
const at8 = () => rand() < 0.08;

/** The four classes decided once: healthy at 1%, broken at 8%, guarded (pinned) at 8%, tiny. */
function decideFixture() {
  const decisions = decideEscalations({
    now: NOW,
    table: TABLE,
    policy: DEFAULT_POLICY,
    classes: [
      makeClass(
        'healthy',
        makeVerdicts('healthy', 1000, (i) => i % 100 === 50),
      ),
      makeClass('broken', makeVerdicts('broken', 1000, at8)),
      makeClass('guarded', makeVerdicts('guarded', 1000, at8, { model: 'mid-1' })),
      makeClass(
        'tiny',
        makeVerdicts('tiny', 12, (i) => i === 3),
      ),
    ],
  });
  const by = Object.fromEntries(decisions.map((d) => [d.taskType, d]));

  return { decisions, by };
}

describe('decideEscalations', () => {
  const { decisions, by } = decideFixture();
  it('escalates only the unpinned class at 8%, one tier up, with its evidence', () => {
    expect(decisions.filter((d) => d.decision === 'escalate').map((d) => d.taskType)).toEqual(['broken']);
    const b = by.broken;
    // H for 100 base verdicts/day, nightly (the default schedule), with the boost per night and the post-change restart in the budget (179 verdict-step, 170 unboosted)
    expect(b).toMatchObject({ tier: 'trivial', to: 'standard', threshold: 200, m: 32, judged: 1000 });
    expect(b.statistic).toBeGreaterThanOrEqual(b.threshold);
    expect(b.errorRate!).toBeGreaterThan(0.06);
    expect(b.lower).toBeLessThan(b.errorRate!);
    expect(b.upper).toBeGreaterThan(b.errorRate!);
    expect(b.reason).toMatch(/S=\d+ >= H=200/);
    expect(b.state.pending).toMatchObject({ kind: 'escalate', fromTier: 'trivial', to: 'standard' });
  });

  it('holds the healthy class with S under H', () => {
    expect(by.healthy).toMatchObject({ decision: 'hold', failures: 10, judged: 1000, errorRate: 0.01 });
    expect(by.healthy.statistic).toBeLessThan(by.healthy.threshold);
  });

  it('holds a pinned class at 8% and says why', () => {
    expect(by.guarded.decision).toBe('hold');
    expect(by.guarded.reason).toMatch(/pinned.*would escalate/);
    expect(by.guarded.state.pending).toBeNull();
  });

  it('calls a small class insufficient', () => {
    expect(by.tiny).toMatchObject({ decision: 'insufficient', reason: '12 < 50 samples' });
  });

  it('keeps an unapplied escalation pending without new samples', () => {
    const again = decideEscalations({
      now: NOW,
      table: TABLE,
      policy: DEFAULT_POLICY,
      classes: [makeClass('broken', [], { state: by.broken.state })],
    });
    expect(again[0]).toMatchObject({ decision: 'escalate', to: 'standard', newVerdicts: 0 });
  });

  it('starts monitoring the new tier with the head start H/4 once the escalation is in the table', () => {
    const escalatedTable = { ...TABLE, taskClasses: { ...TABLE.taskClasses, broken: { tier: 'standard' } } };
    const [d] = decideEscalations({
      now: NOW,
      table: escalatedTable,
      policy: DEFAULT_POLICY,
      classes: [makeClass('broken', [], { state: by.broken.state })],
    });
    expect(d).toMatchObject({
      tier: 'standard',
      statistic: Math.floor(by.broken.state.H / 4),
      judged: 0,
      decision: 'hold',
    });
    expect(d.statistic).toBeGreaterThan(0);
    expect(d.state.shadow).toEqual({ tier: 'trivial', model: 'cheap-1' });
  });
});

describe('decideEscalations: H', () => {
  const { by } = decideFixture();
  it('recalibrates H when the volume rises into a higher grid cell, and on a fall only past 30%', () => {
    const base = by.healthy.state;
    const run = (judgedPerDay: number) =>
      decideEscalations({
        now: NOW,
        table: TABLE,
        policy: DEFAULT_POLICY,
        classes: [makeClass('healthy', [], { state: base, judgedPerDay })],
      })[0].threshold;
    const H = (n: number) => thresholdForVolume(n, 32, DEFAULT_POLICY, { fp: 0, fn: 0 });
    expect(run(100)).toBe(200);
    expect(run(125)).toBe(H(125)); // any rise past the cell (90, 100]: H is never below the calibration at the volume
    expect(H(125)).toBe(210);
    expect(run(75)).toBe(200); // a fall within 30% keeps the higher H
    expect(run(65)).toBe(H(65));
    expect(run(500)).toBe(thresholdForVolume(500, 32, DEFAULT_POLICY, { fp: 0, fn: 0 }));
    expect(run(500)).toBe(265); // nightly; 242 verdict-step, 234 unboosted
  });

  it('recalibrates H for the acting schedule: a state from before (H 179, no calibratedFor) or from the other mode', () => {
    const old = { ...by.healthy.state, H: 179, calibratedFor: undefined };
    const decide = (state: ClassState, policy = DEFAULT_POLICY) =>
      decideEscalations({
        now: NOW,
        table: TABLE,
        policy,
        classes: [makeClass('healthy', [], { state, judgedPerDay: 100 })],
      })[0];
    expect(decide(old)).toMatchObject({ threshold: 200, state: { calibratedFor: 'nightly' } });
    const daemon = decide(old, { ...DEFAULT_POLICY, acting: { mode: 'daemon', intervalMs: 300_000 } });
    expect(daemon).toMatchObject({ threshold: 186, state: { calibratedFor: 'daemon:300000' } });
    // and back: the nightly run on a daemon-calibrated state
    expect(decide(daemon.state).threshold).toBe(200);
  });

  it('uses the judge-scale weight m = round(1/q(p*) - 1) for a noisy judge', () => {
    const [d] = decideEscalations({
      now: NOW,
      table: TABLE,
      policy: DEFAULT_POLICY,
      classes: [
        makeClass(
          'healthy',
          makeVerdicts('healthy', 100, () => false),
          { judge: { fp: 0.02, fn: 0.1, from: 'review:healthy' } },
        ),
      ],
    });
    expect(d.m).toBe(20);
    expect(d.reason).toContain('m=20 for a judge with fp 2.00%, fn 10.00% (review:healthy)');
  });
});
