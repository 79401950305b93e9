import { parseRoutingTable } from '../../src/routing/routing-table.js';
import type { ClassInput, JudgedVerdict } from '../../src/escalator/escalation-types.js';

// Fixtures of the decide-step tests: a four-class table and verdicts 100 a day from START.
export const TABLE = parseRoutingTable(
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
export const NOW = new Date('2026-11-26T03:00:00Z');
export const START = Date.parse('2026-11-16T00:00:00Z');

/** n verdicts, 100 per day from START, failing where `fails(i)` says. */
export function makeVerdicts(
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

export function makeClass(
  taskType: string,
  verdicts: JudgedVerdict[],
  overrides: Partial<ClassInput> = {},
): ClassInput {
  return { taskType, verdicts, state: null, judgedPerDay: 100, ...overrides };
}
