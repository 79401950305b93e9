import type { Db } from '../../src/db/db.js';
import { parseRoutingTable } from '../../src/routing/routing-table.js';
import type { NightlyDeps } from '../../src/nightly/nightly-deps.js';
import type { ReportSink } from '../../src/nightly/run-nightly.js';

/** A routing table with two movable classes and a pinned one, for tests. */
export const TEST_ROUTING_YAML = `# test table
version: 1
tiers:
  trivial: gpt-4o-mini
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
  critical: claude-3-5-sonnet-20241022
taskClasses:
  classify: { tier: trivial }
  summarize: { tier: standard }
  compliance_check: { tier: critical, pinned: true }
`;

/**
 * Test builder: NightlyDeps over a real database with fake feature steps (fixed outcomes,
 * a fixed clock, sequential run ids) and an in-memory report sink. Override any step.
 */
export function makeNightlyDeps(
  db: Db,
  overrides: Partial<NightlyDeps & ReportSink> = {},
): NightlyDeps & ReportSink & { written: Map<string, string>; events: string[] } {
  const written = new Map<string, string>();
  const events: string[] = [];
  let seq = 0;
  let clock = Date.parse('2026-11-26T02:00:00Z');
  return {
    db,
    written,
    events,
    now: () => new Date((clock += 1000)),
    newRunId: () => `run-${++seq}`,
    log: (event) => void events.push(event),
    readRoutingTable: () => ({
      table: parseRoutingTable(TEST_ROUTING_YAML, 'routing.yaml').table,
      path: 'routing.yaml',
    }),
    maxErrorRate: 0.0303,
    reportsDir: 'reports',
    sample: async () => ({
      routingByClass: { classify: 1000, summarize: 1000, compliance_check: 100 },
      cacheSampled: 0,
    }),
    judge: async () => ({
      provider: 'offline',
      judged: 2100,
      pending: 0,
      calls: 0,
      callsSaved: 2100,
      costUsd: 0,
      stoppedByBudget: false,
    }),
    classRates: async () => [
      { taskType: 'classify', n: 1000, failures: 10, rate: 0.01, lower: 0.0054, upper: 0.0183 },
      { taskType: 'summarize', n: 1000, failures: 80, rate: 0.08, lower: 0.0646, upper: 0.0987 },
      { taskType: 'compliance_check', n: 100, failures: 0, rate: 0, lower: 0, upper: 0.037 },
    ],
    escalate: async ({ apply }) => ({
      decisions: ['classify', 'summarize', 'compliance_check'].map((taskType) =>
        taskType === 'summarize'
          ? {
              taskType,
              decision: 'escalate' as const,
              to: 'complex',
              reason: 'CUSUM S = 1634 ≥ H = 262',
              cusum: { s: 1634, h: 262, m: 32 },
            }
          : { taskType, decision: 'hold' as const, reason: 'CUSUM S = 0 < H = 262', cusum: { s: 0, h: 262, m: 32 } },
      ),
      routing: {
        path: 'routing.yaml',
        versionBefore: 1,
        versionAfter: apply ? 2 : 1,
        changed: apply,
        diff: '-  summarize: { tier: standard }\n+  summarize: { tier: complex }\n',
      },
    }),
    cacheReport: async () => undefined,
    failedSamples: async () => [],
    writeReport: (file, markdown) => {
      written.set(file, markdown);
      return file;
    },
    ...overrides,
  };
}
