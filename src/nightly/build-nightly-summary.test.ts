import { describe, expect, it } from 'vitest';
import type { AppliedDecision } from '../escalator/run-escalation.js';
import type { JudgeRunResult } from '../judge/judge-run-types.js';
import { parseRoutingTable } from '../routing/routing-table.js';
import { buildNightlyJson } from './build-nightly-json.js';
import { buildClassReports, type NightlyFacts } from './build-nightly-summary.js';

const TABLE = `version: 1
tiers:
  trivial: gpt-4o-mini
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
taskClasses:
  classify: { tier: trivial }
  summarize: { tier: standard }
`;

const judged: JudgeRunResult = {
  provider: 'offline',
  model: null,
  runId: 'r1',
  judged: 1005,
  pending: 0,
  calls: 0,
  callsSaved: 0,
  costUsd: 0,
  stoppedByBudget: false,
  unjudgeable: 0,
  failures: 0,
  duplicates: 0,
  callFailures: { total: 0, byCause: {} },
  judgeErrors: 0,
  retriedErrors: 0,
  unconfirmedCostUsd: 0,
};

const escalate: AppliedDecision = {
  taskType: 'summarize',
  model: 'claude-3-5-haiku-20241022',
  tier: 'standard',
  decision: 'escalate',
  to: 'complex',
  reason: 'S ≥ H',
  sampled: 1200,
  judged: 1200,
  failures: 90,
  errorRate: 0.075,
  lower: 0.06,
  upper: 0.09,
  statistic: 300,
  threshold: 262,
  m: 32,
  newVerdicts: 1000,
  pinned: false,
  applied: false,
};

const stratum = (taskType: string, sampled: number) => ({
  source: 'routing' as const,
  reason: 'base',
  taskType,
  day: '2026-11-25',
  volume: sampled,
  target: sampled,
  rate: 1,
  boost: 1,
  sampled,
});

function makeFacts(overrides: Partial<NightlyFacts> = {}): NightlyFacts {
  return {
    runId: 'r1',
    kind: 'nightly',
    startedAt: new Date('2026-11-26T02:00:00Z'),
    finishedAt: new Date('2026-11-26T02:01:00Z'),
    maxErrorRate: 0.0303,
    table: parseRoutingTable(TABLE, 'routing.yaml').table,
    routingPath: 'routing.yaml',
    sample: { strata: [stratum('summarize', 1000), stratum('newcomer', 5)] },
    judge: judged,
    judgeFlags: {},
    rates: [
      {
        taskType: 'summarize',
        n: 1000,
        failures: 80,
        nEff: 1000,
        rate: 0.08,
        lower: 0.065,
        upper: 0.098,
        judgeRates: { fp: 0.02, fn: 0.1, from: 'review:summarize' },
        models: [],
      },
    ],
    escalation: { classes: [escalate], routingTableChanged: false, diff: '-a\n+b\n', version: 1 },
    failed: [],
    trend: [],
    ...overrides,
  };
}

describe('buildClassReports', () => {
  it('shows the escalator counts behind a decision, corrected with the judge calibration, in table order', () => {
    const [summarize, newcomer] = buildClassReports(makeFacts());
    expect(summarize).toMatchObject({
      taskType: 'summarize',
      model: 'claude-3-5-haiku-20241022',
      tier: 'standard',
      sampled: 1200,
      judged: 1200,
      failures: 90,
      errorRate: 0.075,
      decision: 'escalate',
      to: 'complex',
      applied: false,
      cusum: { s: 300, h: 262, m: 32 },
    });
    expect(summarize.correctedRate).toBeCloseTo((0.075 - 0.02) / 0.88, 10);
    expect(summarize.judgeScaleThreshold).toBeCloseTo(0.02 + 0.88 * 0.0303, 10);
    expect(newcomer).toMatchObject({
      taskType: 'newcomer',
      sampled: 5,
      judged: 0,
      errorRate: null,
      lower: 0,
      upper: 1,
      decision: 'insufficient',
    });
  });
});

describe('buildNightlyJson', () => {
  it('has exactly the contract fields (plus documented extras) and marks an unapplied change pending', () => {
    const facts = makeFacts();
    const j = buildNightlyJson(facts, buildClassReports(facts), 'reports/2026-11-26-nightly.md');
    expect(Object.keys(j).sort()).toEqual([
      'cache',
      'classes',
      'judge',
      'report',
      'routingTable',
      'routingTableChanged',
      'runId',
      'unlistedClasses',
    ]);
    expect(j.unlistedClasses).toEqual(['newcomer']); // sampled, not in the table
    // the offline judge makes no calls: no call failures, no judge errors in the contract object
    expect(j.judge).toEqual({
      provider: 'offline',
      model: undefined,
      calls: 0,
      callsSaved: 0,
      costUsd: 0,
      judged: 1005,
      pending: 0,
      stoppedByBudget: false,
    });
    expect(Object.keys(j.classes[0])).toEqual(
      expect.arrayContaining([
        'taskType',
        'model',
        'tier',
        'sampled',
        'judged',
        'failures',
        'errorRate',
        'lower',
        'upper',
        'decision',
        'to',
      ]),
    );
    expect('to' in j.classes[1]).toBe(false);
    expect(j.cache).toEqual({ sampledHits: 0, falseHits: 0, falseHitRate: null, lower: 0, upper: 1 });
    expect(j.routingTable).toEqual({ path: 'routing.yaml', versionBefore: 1, versionAfter: 1, pending: true });
  });

  it('reports open batches only when the run did not wait for the provider (the daemon)', () => {
    const batch = { ...judged, batches: 1, resumedBatches: 0, needsRealtime: 0, openBatches: 2 };
    const daemon = makeFacts({ judge: batch, judgeFlags: { batch: true, wait: false } });
    expect(buildNightlyJson(daemon, [], null).judge).toMatchObject({ openBatches: 2, judgeErrors: 0 });
    const nightly = makeFacts({ judge: batch, judgeFlags: { batch: true } });
    expect('openBatches' in buildNightlyJson(nightly, [], null).judge).toBe(false);
  });
});
