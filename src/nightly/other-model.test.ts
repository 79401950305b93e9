import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { loadJudgeRates } from '../judge/judge-rates.js';
import { runJudge } from '../judge/run-judge.js';
import { renderClassTable } from '../reports/render-report.js';
import { parseRoutingTable } from '../routing/routing-table.js';
import { runSample } from '../sampler/run-sample.js';
import { insertRoutingEvents } from '../../test/support/insert-events.js';
import { buildClassReports, type NightlyFacts } from './build-nightly-summary.js';
import { startRun } from '../runs/run-record.js';
import { loadRunClassRates } from './run-class-rates.js';

// Issue 11 item 7: after summarize was escalated to mid-1, the application still serves some
// requests with the cheap model (not marked shadow). Those verdicts must show in the report.
const TABLE = `version: 2
tiers:
  trivial: cheap-1
  standard: mid-1
taskClasses:
  summarize: { tier: standard, escalatedFrom: trivial }
`;
const config = configSchema.parse({});
const pglite = testDbAdapters.find((a) => a.name === 'pglite')!;

describe('requests served by a model other than the routed one (PGlite)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await pglite.create();
  });
  afterAll(async () => db?.close());

  it('are reported in their own rows under the class table', async () => {
    const now = new Date('2026-11-27T03:00:00Z');
    await insertRoutingEvents(
      db,
      Array.from({ length: 300 }, (_, i) => ({
        id: `s-${i}`,
        ts: new Date(Date.parse('2026-11-26T00:00:00Z') + i * 280_000).toISOString(),
        taskType: 'summarize',
        // every fifth request still goes to the replaced cheap model, which fails a third of them
        model: i % 5 === 0 ? 'cheap-1' : 'mid-1',
        response: i % 5 === 0 && i % 3 === 0 ? 'negative' : 'positive',
        reference: 'positive',
      })),
    );
    await startRun(db, { id: 'run-x', kind: 'nightly', startedAt: now });
    await runSample({ db, now: () => now }, { sampler: config.sampler, cache: config.cache, rate: 1, runId: 'run-x' });
    await runJudge({ db, now: () => now }, { comparators: { summarize: 'exact-label' }, runId: 'run-x' });
    const rates = await loadRunClassRates(db, 'run-x', await loadJudgeRates(db, config));
    const { table } = parseRoutingTable(TABLE, 'routing.yaml');
    const facts = {
      table,
      rates,
      escalation: { classes: [], routingTableChanged: false, diff: '', version: 2 },
      failed: [],
      sample: { strata: [] },
      maxErrorRate: 0.0303,
    } as unknown as NightlyFacts;
    const [row] = buildClassReports(facts);
    expect(row.model).toBe('mid-1');
    expect(row.otherModels).toEqual([expect.objectContaining({ model: 'cheap-1', n: 60, failures: 20 })]);
    const md = renderClassTable([row], 0.0303);
    expect(md).toContain('requests served by a model other than the routed one');
    expect(md).toMatch(/\| summarize \| mid-1 \| cheap-1 \| 60 \| 20 \| 33\.33% \|/);
  }, 120_000);
});
