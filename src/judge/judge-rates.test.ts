import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { cusumWeight, DEFAULT_POLICY } from '../escalator/escalation-policy.js';
import { loadJudgeRates } from './judge-rates.js';

let db: Db;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await db.query(`delete from judge_calibrations`);
});

const store = (
  source: 'gold' | 'review',
  method: string,
  fp: number,
  fn: number | null,
  taskType: string | null = null,
) =>
  db.query(
    `insert into judge_calibrations (source, dataset, task_type, method, provider, n, fp, fn, details) values ($1, $2, $3, $4, 'offline', 100, $5, $6, '{}')`,
    [source, source === 'gold' ? 'gsm8k' : 'labels.csv', taskType, method, fp, fn],
  );

describe('loadJudgeRates: one source of judge fp/fn for the escalator and the reports', () => {
  it('takes a class override from driftwatch.yaml, then the class review, then the gold set, then the default', async () => {
    await store('gold', 'numeric-answer', 0.006, 0.013);
    await store('gold', 'exact-label', 0.02, 0.05);
    await store('review', 'review', 0.04, null, 'classify');
    const config = configSchema.parse({
      escalation: { classJudgeErrorRates: { summarize: { fp: 0.01, fn: 0.1 } } },
      judge: { comparators: { math: 'numeric-answer', classify: 'exact-label' } },
    });
    const rates = await loadJudgeRates(db, config);
    expect(rates('summarize')).toEqual({ fp: 0.01, fn: 0.1, from: 'config:escalation.classJudgeErrorRates.summarize' });
    expect(rates('classify')).toEqual({ fp: 0.04, fn: 0.1, from: 'review:classify' }); // fn unmeasured: the 10% prior
    expect(rates('math')).toEqual({ fp: 0.006, fn: 0.013, from: 'gold:gsm8k/numeric-answer' });
    expect(rates('qa_retrieval')).toBeUndefined(); // token-f1 has no calibration, default is the perfect judge
    const withDefault = await loadJudgeRates(
      db,
      configSchema.parse({ escalation: { judgeErrorRates: { fp: 0.005, fn: 0.05 } } }),
    );
    expect(withDefault('qa_retrieval')).toEqual({ fp: 0.005, fn: 0.05, from: 'config:escalation.judgeErrorRates' });
  });

  it("uses the reference model's own gold calibration when one judges, and it moves the CUSUM weight", async () => {
    await store('gold', 'numeric-answer', 0.006, 0.013);
    await store('gold', 'routing-agreement', 0.03, 0.08);
    const config = configSchema.parse({ judge: { comparators: { math: 'numeric-answer' } } });
    const offline = await loadJudgeRates(db, config);
    const llm = await loadJudgeRates(db, config, { llmJudge: true });
    expect(offline('math')?.from).toBe('gold:gsm8k/numeric-answer');
    expect(llm('math')).toEqual({ fp: 0.03, fn: 0.08, from: 'gold:gsm8k/routing-agreement' });
    expect(cusumWeight(DEFAULT_POLICY, { fp: 0, fn: 0 })).toBe(32);
    expect(cusumWeight(DEFAULT_POLICY, offline('math')!)).toBe(27);
    expect(cusumWeight(DEFAULT_POLICY, llm('math')!)).toBe(17); // q(3.03%) = 0.03 + 0.89 x 0.0303 = 5.7%
  });
});
