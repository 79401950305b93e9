import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/config-schema.js';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../../test/support/test-db.js';
import { makeFakeJudgeClient } from '../../../test/support/fakes/fake-judge-client.js';
import { loadJudgeRates } from '../judge-rates.js';
import { runCalibration, UNMEASURED_COMPARATORS } from './run-calibration.js';

const show = (r: Awaited<ReturnType<typeof runCalibration>>[number]) =>
  `${r.dataset} ${r.method}: n=${r.n}, fp=${r.fp.rate} [${r.fp.lower.toFixed(4)}, ${r.fp.upper.toFixed(4)}] (n=${r.fp.n}), fn=${r.fn.rate} [${r.fn.lower.toFixed(4)}, ${r.fn.upper.toFixed(4)}] (n=${r.fn.n}), counts=${JSON.stringify(r.counts)}; labels by ${r.labels.by}`;

describe('runCalibration', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db?.close());

  it('measures every offline comparator on labelled sets it did not label, with intervals, and stores fp/fn', async () => {
    const results = await runCalibration({ db }, { datasets: ['gsm8k-hand', 'cache-pairs', 'gsm8k', 'llmbar'] });
    for (const r of results) if (!r.skippedReason) console.log(show(r));
    const by = (d: string, m: string) => results.find((r) => r.dataset === d && r.method === m)!;
    const hand = by('gsm8k-hand', 'numeric-answer');
    expect(hand.labels.independent).toBe(true);
    expect(hand.n).toBe(287); // 300 read, 13 ambiguous (no truth to score)
    expect(hand.fp.rate! + hand.fn.rate!).toBeLessThan(0.02);
    expect(hand.fp.upper).toBeGreaterThan(hand.fp.rate!);
    const cache = by('cache-pairs', 'cache-answer');
    expect(cache.n).toBe(398);
    expect(cache.fn.rate!).toBeLessThan(0.05);
    expect(cache.fp.rate!).toBeLessThan(0.05);
    const f1 = by('cache-pairs', 'token-f1/cache');
    expect(f1.fn.rate!).toBeGreaterThan(0.5); // token F1 >= 0.5 passes most one-word false hits
    const gsm = by('gsm8k', 'numeric-answer');
    expect(gsm.labels.independent).toBe(false);
    expect(gsm.n + gsm.counts.unjudgeable).toBe(1319);
    expect(by('llmbar', 'token-f1').skippedReason).toMatch(/reference model/);
    expect(UNMEASURED_COMPARATORS).toEqual(['exact-label', 'json-fields']);
    const row = await db.query<{ fp: number; fn: number; n: number }>(
      `select fp, fn, n from judge_calibrations where dataset = 'gsm8k-hand'`,
    );
    expect(row.rows[0]).toEqual({ fp: hand.fp.rate, fn: hand.fn.rate, n: hand.n });
  });

  it('feeds the independent labels to the decision: the hand-checked set wins over a later RouteLLM-label run, cache hits get cache-answer', async () => {
    await runCalibration({ db }, { datasets: ['gsm8k'] }); // stored after the hand-checked run
    const config = configSchema.parse({ judge: { comparators: { math: 'numeric-answer' } } });
    const rates = await loadJudgeRates(db, config);
    expect(rates('math')?.from).toBe('gold:gsm8k-hand/numeric-answer');
    expect(rates('support', 'cache')?.from).toBe('gold:cache-pairs/cache-answer');
    expect(rates('support', 'routing')?.from).toBeUndefined(); // token F1 on routed answers is not measured (its cache-hit rates are stored apart)
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
