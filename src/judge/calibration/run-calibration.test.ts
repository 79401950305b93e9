import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../db/test-db.js';
import { makeFakeJudgeClient } from '../../../test/helpers/fake-judge-client.js';
import { runCalibration } from './run-calibration.js';

describe('runCalibration', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db?.close());

  it('measures the offline numeric comparator against the GSM8K correctness labels and stores fp/fn', async () => {
    const [gsm, bar] = await runCalibration({ db }, { datasets: ['gsm8k', 'llmbar'] });
    expect(gsm.n + gsm.counts.unjudgeable).toBe(1319);
    expect(gsm.fp.n + gsm.fn.n).toBe(gsm.n);
    expect(gsm.fp.rate).not.toBeNull();
    expect(gsm.fp.rate!).toBeLessThan(0.1);
    expect(gsm.fn.rate!).toBeLessThan(0.1);
    expect(bar.skippedReason).toMatch(/reference model/);
    const row = await db.query<{ fp: number; fn: number; n: number }>(`select fp, fn, n from judge_calibrations where dataset = 'gsm8k'`);
    expect(row.rows[0]).toEqual({ fp: gsm.fp.rate, fn: gsm.fn.rate, n: gsm.n });
    console.log(`gsm8k offline numeric-answer: n=${gsm.n}, fp=${gsm.fp.rate} [${gsm.fp.lower}, ${gsm.fp.upper}] (n=${gsm.fp.n}), fn=${gsm.fn.rate} [${gsm.fn.lower}, ${gsm.fn.upper}] (n=${gsm.fn.n}), counts=${JSON.stringify(gsm.counts)}`);
  });

  it('runs LLMBar pairs through the pairwise judge in both orders, without the cheap shortcut', async () => {
    const client = makeFakeJudgeClient(() => '{"winner":"A","reason":"always the first"}');
    const [bar] = await runCalibration({ db, client }, { datasets: ['llmbar'], limit: 20 });
    expect(bar).toMatchObject({ method: 'pairwise-preference', n: 20, calls: 20 }); // 10 pairs, 2 orders each
    expect(bar.pairwise!.combined).toMatchObject({ n: 10, agree: 0, ties: 10 }); // position bias cancels into ties
    expect(bar.fp.rate).toBe(0); // ties pass: a better served answer is never flagged ...
    expect(bar.fn.rate).toBe(1); // ... and a worse one is never caught
  });
});
