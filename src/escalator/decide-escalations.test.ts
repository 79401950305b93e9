import { describe, expect, it } from 'vitest';
import { parseRoutingTable } from '../routing/routing-table.js';
import type { ClassState } from './class-state.js';
import { decideEscalations } from './decide-escalations.js';
import { DEFAULT_POLICY } from './escalation-policy.js';
import type { ClassInput, JudgedVerdict } from './escalation-types.js';
import { markApplied } from './reconcile-state.js';
import { seededRandom } from '../stats/seeded-random.js';
import { thresholdForVolume } from './threshold-for-volume.js';

const TABLE = parseRoutingTable(
  `version: 1
tiers: { trivial: cheap-1, standard: mid-1, complex: big-1, critical: big-2 }
taskClasses:
  healthy: { tier: trivial }
  broken: { tier: trivial }
  guarded: { tier: standard, pinned: true }
  tiny: { tier: trivial }
`,
  'routing.yaml',
).table;
const NOW = new Date('2026-11-26T03:00:00Z');
const START = Date.parse('2026-11-16T00:00:00Z');

/** n verdicts, 100 per day from START, failing where `fails(i)` says. */
function makeVerdicts(
  taskType: string,
  n: number,
  fails: (i: number) => boolean,
  opts: Partial<JudgedVerdict> & { start?: number } = {},
): JudgedVerdict[] {
  const start = opts.start ?? START;
  return Array.from({ length: n }, (_, i) => ({
    taskType,
    ts: new Date(start + i * 864_000).toISOString(),
    seq: i + 1,
    model: opts.model ?? 'cheap-1',
    failed: fails(i),
    shadow: opts.shadow ?? false,
  }));
}

function makeClass(taskType: string, verdicts: JudgedVerdict[], overrides: Partial<ClassInput> = {}): ClassInput {
  return { taskType, verdicts, state: null, judgedPerDay: 100, ...overrides };
}

const rand = seededRandom(7);
const at8 = () => rand() < 0.08;

describe('decideEscalations', () => {
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
    expect(daemon).toMatchObject({ threshold: 183, state: { calibratedFor: 'daemon:300000' } });
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

describe('de-escalation hysteresis', () => {
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
