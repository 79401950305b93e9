import type { ClassReport, ReportSummary, TrendPoint } from '../../src/reports/report-summary.js';

/** Test builder: one class row with plausible defaults. */
export function makeClassReport(overrides: Partial<ClassReport> = {}): ClassReport {
  return {
    taskType: 'classify',
    model: 'gpt-4o-mini',
    tier: 'trivial',
    sampled: 1000,
    judged: 1000,
    failures: 10,
    errorRate: 0.01,
    lower: 0.0054,
    upper: 0.0183,
    nEff: 1000,
    scope: 'monitored',
    cusum: { s: 0, h: 262, m: 32 },
    decision: 'hold',
    reason: 'CUSUM S = 0 < H = 262 over 1000 verdicts',
    ...overrides,
  };
}

/** Fourteen fixed runs (no clock): classify steady near 1%, summarize drifting up to 8%. */
export function makeTrend(): TrendPoint[] {
  const summarize = [0.01, 0.012, 0.009, 0.011, 0.013, 0.01, 0.015, 0.02, 0.028, 0.035, 0.05, 0.061, 0.07, 0.08];
  return summarize.map((s, i) => ({
    runId: `run-${String(i + 1).padStart(2, '0')}`,
    label: `2026-11-${String(13 + i).padStart(2, '0')}`,
    rates: {
      classify: [0.01, 0.011, 0.009][i % 3],
      summarize: s,
      compliance_check: i === 4 ? null : 0.002,
      new_class: null,
    },
    n: { classify: 1000, summarize: 1000, compliance_check: i === 4 ? 0 : 400, new_class: 0 },
    // summarize's judge is calibrated: its points are corrected onto the true scale
    corrected: { summarize: Math.max(0, (s - 0.02) / 0.88) },
  }));
}

/** Test builder: the night summarize drifted to 8% and was escalated, with PII in its failures. */
export function makeEscalationSummary(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    kind: 'nightly',
    runId: 'run-14',
    date: '2026-11-26',
    startedAt: '2026-11-26T02:00:00.000Z',
    finishedAt: '2026-11-26T02:00:41.000Z',
    database: '.driftwatch/db',
    maxErrorRate: 0.0303,
    classes: [makeClassReport(), driftedSummarize(), pinnedCompliance(), newClass()],
    trend: makeTrend(),
    judge: { provider: 'offline', calls: 0, callsSaved: 2400, costUsd: 0, pending: 0 },
    cache: cacheSection(),
    routing: {
      path: 'routing.yaml',
      versionBefore: 1,
      versionAfter: 2,
      changed: true,
      applied: true,
      diff: '--- routing.yaml (version 1)\n+++ routing.yaml (version 2)\n@@ -1,4 +1,4 @@\n-version: 1\n+version: 2\n-  summarize: { tier: standard }\n+  summarize: { tier: complex, escalatedFrom: standard }\n',
    },
    compression: {
      title: 'Compression',
      markdown: 'tf-idf at ratio 0.5 keeps 81% of answers ([77%, 85%], n = 397); chosen for `qa`.',
    },
    ...overrides,
  };
}

/** summarize at 8% on the standard tier, escalated and applied; PII and secrets in its failures. */
function driftedSummarize(): ClassReport {
  return makeClassReport({
    taskType: 'summarize',
    model: 'claude-3-5-haiku-20241022',
    tier: 'standard',
    failures: 80,
    errorRate: 0.08,
    correctedRate: 0.0682,
    correctedLower: 0.0505,
    correctedUpper: 0.0914,
    judgeScaleThreshold: 0.0467,
    lower: 0.0646,
    upper: 0.0987,
    nEff: 846,
    otherModels: [{ model: 'gpt-4o-mini', n: 37, failures: 4, rate: 0.1081, lower: 0.0428, upper: 0.2472 }],
    cusum: { s: 1634, h: 262, m: 32 },
    decision: 'escalate',
    to: 'complex',
    applied: true,
    reason: 'CUSUM S = 1634 ≥ H = 262 (80 failures in 1000 verdicts; 95% interval 6.46%–9.87% lies above 3.03%)',
    failedSamples: [
      {
        sampleId: 41,
        eventId: 'evt-sum-41',
        prompt:
          'Summarize the ticket from jane.doe@example.com, phone +1 (415) 555-0199, key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx.',
        response: 'The customer wants a refund. | Contact: jane.doe@example.com',
        reference: 'Customer asks to cancel the annual plan and get a prorated refund.',
        reason: 'token F1 0.21 < 0.5',
      },
      {
        sampleId: 57,
        eventId: 'evt-sum-57',
        prompt: `Long thread: ${'lorem ipsum dolor sit amet '.repeat(30)}`,
        response: 'Use token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 to log in.',
        reason: 'missing key facts',
      },
      {
        sampleId: 63,
        eventId: 'evt-sum-63',
        response: 'Here is code:\n```js\nconst key = "sk-proj-1234567890abcdefghij";\n```',
        reference: 'No code expected.',
        reason: 'off topic',
      },
      {
        sampleId: 71,
        eventId: 'evt-sum-71',
        response: 'a fourth failure that the report leaves out',
        reason: 'not shown',
      },
    ],
  });
}

/** compliance_check: pinned on the critical tier, holding. */
function pinnedCompliance(): ClassReport {
  return makeClassReport({
    taskType: 'compliance_check',
    model: 'claude-3-5-sonnet-20241022',
    tier: 'critical',
    pinned: true,
    sampled: 400,
    judged: 400,
    failures: 1,
    errorRate: 0.0025,
    lower: 0.0004,
    upper: 0.014,
    nEff: 400,
    cusum: { s: 0, h: 234, m: 32 },
    reason: 'pinned: never moved automatically (CUSUM S = 0 < H = 234)',
  });
}

/** A class seen for the first time, with no verdicts yet. */
function newClass(): ClassReport {
  return makeClassReport({
    taskType: 'new_class',
    sampled: 0,
    judged: 0,
    failures: 0,
    errorRate: null,
    lower: 0,
    upper: 1,
    nEff: 0,
    scope: 'run',
    cusum: undefined,
    decision: 'insufficient',
    reason: 'no verdicts in this run',
  });
}

/** The cache section: one class certified, one short of samples, the pooled estimate. */
function cacheSection(): NonNullable<ReportSummary['cache']> {
  return {
    sampledHits: 80,
    falseHits: 3,
    falseHitRate: 0.0375,
    lower: 0.0128,
    upper: 0.1045,
    nearMisses: 12,
    target: 0.01,
    currentThreshold: 0.92,
    perClass: [
      {
        taskType: 'faq',
        currentThreshold: 0.92,
        hitVolume: 52000,
        judgedHits: 1400,
        weightedRate: 0.0021,
        certifiedThreshold: 0.9,
        falseHitUpper: 0.0062,
        hitShare: 0.41,
        currentCertified: true,
        status: 'certified threshold 0.9',
      },
      {
        taskType: 'support',
        currentThreshold: 0.92,
        hitVolume: 6400,
        judgedHits: 80,
        weightedRate: 0.0375,
        certifiedThreshold: null,
        falseHitUpper: null,
        hitShare: null,
        currentCertified: false,
        status: 'not certified: n < 500 cache samples of the class fix where the step-down starts (92 so far)',
      },
    ],
    pooled: { weighting: 'hit-volume', certified: false, estimate: 0.00596, unjudgedHitVolume: 0 },
  };
}

/** Test builder: a first, quiet run: no history, no cache, one class short of samples, budget hit. */
export function makeQuietSummary(): ReportSummary {
  return {
    kind: 'daemon',
    runId: 'run-quiet',
    date: '2026-11-26',
    maxErrorRate: 0.0303,
    classes: [
      makeClassReport({
        sampled: 30,
        judged: 12,
        failures: 0,
        errorRate: 0,
        lower: 0,
        upper: 0.2425,
        nEff: 12,
        scope: 'run',
        cusum: { s: 0, h: 100 },
        decision: 'insufficient',
        reason: '12 < 50 verdicts',
      }),
    ],
    trend: [],
    judge: {
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      calls: 12,
      callsSaved: 0,
      costUsd: 0.0042,
      maxCostUsd: 0.005,
      stoppedByBudget: true,
      pending: 18,
      batch: true,
    },
    routing: { path: 'routing.yaml', versionBefore: 3, versionAfter: 3, changed: false, applied: false, diff: '' },
  };
}
