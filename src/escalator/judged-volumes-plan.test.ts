import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { insertJudgedVerdicts } from '../../test/support/insert-judged-verdicts.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { JUDGED_VOLUMES_SQL } from './escalator-queries.js';

interface PlanNode {
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Sum of the loops of every plan node that reads `relation`: how often the statement probes it. */
function probesOf(node: PlanNode, relation: string): number {
  const own = node['Relation Name'] === relation ? (node['Actual Loops'] ?? 0) : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + probesOf(child, relation), 0);
}

const CLASSES = ['a', 'b', 'c'];
const PER_CLASS = 400;

// A class's latest judged event (`last`) must be found once per class, not once per sample of its
// window: re-evaluated per joined row, the statement probes judgments samples x samples times (at
// 2,500 samples PGlite spent 157 s on it, every nightly run of the e2e tests).
describe.each(testDbAdapters.filter((a) => a.enabled))('loadJudgedVolumes plan on $name', (adapter) => {
  let db: Db;
  beforeAll(async () => {
    db = await adapter.create();
    for (const c of CLASSES) await insertJudgedVerdicts(db, c, PER_CLASS, [3, 30]);
  });
  afterAll(async () => db?.close());

  it('probes judgments a bounded number of times per sample, not once per pair of samples', async () => {
    const r = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(
      `explain (analyze, format json) ${JUDGED_VOLUMES_SQL}`,
    );
    const cell = r.rows[0]!['QUERY PLAN'];
    const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell)[0].Plan as PlanNode;
    const probes = probesOf(plan, 'judgments');
    expect(probes).toBeGreaterThan(0); // the walk found the judgments nodes
    // bounded: 1-2 per sample (2,400 here); the per-row re-evaluation made 962,400 on PGlite
    expect(probes).toBeLessThanOrEqual(3 * CLASSES.length * PER_CLASS);
  });
});
