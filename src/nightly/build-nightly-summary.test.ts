import { describe, expect, it } from 'vitest';
import { parseRoutingTable } from '../routing/routing-table.js';
import { buildClassReports, buildNightlyJson, type NightlyFacts } from './build-nightly-summary.js';
import { TEST_ROUTING_YAML } from '../../test/support/make-nightly-deps.js';

function makeFacts(overrides: Partial<NightlyFacts> = {}): NightlyFacts {
  return {
    runId: 'r1',
    kind: 'nightly',
    startedAt: new Date('2026-11-26T02:00:00Z'),
    finishedAt: new Date('2026-11-26T02:01:00Z'),
    maxErrorRate: 0.0303,
    table: parseRoutingTable(TEST_ROUTING_YAML, 'routing.yaml').table,
    sample: { routingByClass: { summarize: 1000, newcomer: 5 }, cacheSampled: 0 },
    judge: {
      provider: 'offline',
      judged: 1005,
      pending: 0,
      calls: 0,
      callsSaved: 0,
      costUsd: 0,
      stoppedByBudget: false,
    },
    rates: [
      {
        taskType: 'summarize',
        n: 1000,
        failures: 80,
        rate: 0.08,
        lower: 0.065,
        upper: 0.098,
        judgeErrorRates: { fp: 0.02, fn: 0.1, from: 'review:summarize' },
      },
    ],
    decisions: [
      {
        taskType: 'summarize',
        decision: 'escalate',
        to: 'complex',
        reason: 'S ≥ H',
        cusum: { s: 300, h: 262, m: 32 },
        counts: { sampled: 1200, judged: 1200, failures: 90, rate: 0.075, lower: 0.06, upper: 0.09 },
      },
    ],
    routing: { path: 'routing.yaml', versionBefore: 1, versionAfter: 1, changed: false, diff: '-a\n+b\n' },
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
      rawRate: 0.075,
      decision: 'escalate',
      to: 'complex',
      applied: false,
    });
    expect(summarize.correctedRate).toBeCloseTo((0.075 - 0.02) / 0.88, 10);
    expect(newcomer).toMatchObject({
      taskType: 'newcomer',
      sampled: 5,
      judged: 0,
      rawRate: null,
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
    expect(Object.keys(j.judge)).toEqual(expect.arrayContaining(['provider', 'calls', 'costUsd']));
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
});
