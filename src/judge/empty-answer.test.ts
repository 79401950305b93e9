import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { runEscalation } from '../escalator/run-escalation.js';
import { runSample } from '../sampler/run-sample.js';
import { insertRoutingEvents } from '../../test/support/insert-events.js';
import { computeClassRates } from './compute-class-rates.js';
import type { EmptyAnswerPolicy } from './empty-answer.js';
import { runJudge } from './run-judge.js';

// Issue 11 item 7: a model that returns empty output on 10% of requests must show up as failures
// and escalate, unless judge.emptyAnswer says `unjudgeable`. Real sampler, judge and escalator on PGlite.
const TABLE = `version: 1
tiers:
  trivial: cheap-1
  standard: mid-1
taskClasses:
  blank: { tier: trivial }
`;
const NOW = new Date('2026-11-27T03:00:00Z');
const config = configSchema.parse({});
const pglite = testDbAdapters.find((a) => a.name === 'pglite')!;

describe('empty answers (PGlite)', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  async function pipeline(emptyAnswer: EmptyAnswerPolicy) {
    db = await pglite.create();
    // 2,000 requests over a day; every tenth answer is empty, the rest match the reference label
    await insertRoutingEvents(
      db,
      Array.from({ length: 2000 }, (_, i) => ({
        id: `b-${i}`,
        ts: new Date(Date.parse('2026-11-26T00:00:00Z') + i * 43_000).toISOString(),
        taskType: 'blank',
        model: 'cheap-1',
        response: i % 10 === 3 ? '' : 'positive',
        reference: 'positive',
      })),
    );
    await runSample({ db, now: () => NOW }, { sampler: config.sampler, cache: config.cache, rate: 0.25 });
    const judged = await runJudge({ db, now: () => NOW }, { comparators: { blank: 'exact-label' }, emptyAnswer });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-empty-')), 'routing.yaml');
    writeFileSync(file, TABLE);
    const run = await runEscalation({ db, now: () => NOW }, { routingTable: file, apply: false });
    const rate = (await computeClassRates(db)).find((r) => r.source === 'routing' && r.taskType === 'blank');
    return { judged, decision: run.classes.find((c) => c.taskType === 'blank')!, rate };
  }

  it('counts empty answers as failures by default, and the class escalates', async () => {
    const { judged, decision, rate } = await pipeline('fail');
    expect(judged.unjudgeable).toBe(0);
    expect(rate!.rate!).toBeGreaterThan(0.05);
    expect(decision).toMatchObject({ decision: 'escalate', to: 'standard' });
    const m = await db!.query<{ method: string; n: number }>(
      `select method, count(*)::int as n from judgments where verdict = 'fail' group by 1`,
    );
    expect(m.rows).toEqual([{ method: 'empty-answer', n: rate!.failures }]);
  }, 120_000);

  it('with judge.emptyAnswer: unjudgeable leaves them out (the failure mode is invisible)', async () => {
    const { judged, decision, rate } = await pipeline('unjudgeable');
    expect(judged.unjudgeable).toBeGreaterThan(0);
    expect(rate!.failures).toBe(0);
    expect(decision.decision).toBe('hold');
  }, 120_000);
});
