import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config/config-schema.js';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../../test/support/test-db.js';
import { parseCsv } from '../../text/parse-csv.js';
import { insertRoutingEvents } from '../../../test/support/insert-events.js';
import { plantedRouting } from '../../../test/support/planted-events.js';
import { runSample } from '../../sampler/run-sample.js';
import { computeClassRates } from '../compute-class-rates.js';
import { runJudge } from '../run-judge.js';
import { renderReview, selectReviewItems } from './export-review.js';
import { importReview } from './import-review.js';

const config = configSchema.parse({});
const now = () => new Date('2026-11-26T03:00:00Z');

describe('review export and import', () => {
  let db: Db;
  let csv: string;
  beforeAll(async () => {
    db = await createTestPglite();
    await insertRoutingEvents(db, plantedRouting('classify', 1000, 40));
    await runSample({ db, now }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    await runJudge({ db, now }, {});
  });
  afterAll(async () => db?.close());

  it('exports every flag and 200 passes, deterministically, as CSV or markdown', async () => {
    const items = await selectReviewItems(db, { taskType: 'classify' });
    expect(items.filter((i) => i.judgeVerdict === 'fail')).toHaveLength(40);
    expect(items.filter((i) => i.judgeVerdict === 'pass')).toHaveLength(200);
    expect(await selectReviewItems(db, { taskType: 'classify' })).toEqual(items);
    csv = renderReview(items, 'csv');
    expect(parseCsv(csv)).toHaveLength(241);
    expect(renderReview(items, 'md')).toContain('| sample_id | judge |');
  });

  it('rejects a bad label naming file, line and field, and writes nothing', async () => {
    const rows = csv.trimEnd().split('\r\n');
    rows[3] = rows[3].replace(/,$/, ',maybe');
    await expect(importReview(db, 'labels.csv', rows.join('\n'))).rejects.toThrow(
      /labels.csv:4: label: expected "correct" or "error", got "maybe"/,
    );
    const n = await db.query<{ n: number }>(`select count(*)::int as n from review_labels`);
    expect(n.rows[0].n).toBe(0);
  });

  it('computes fp-hat and fn-hat from the labels and corrects the class rate with them', async () => {
    // humans: 30 of the 40 flags are real errors, 2 of the 200 passes are errors
    const rows = parseCsv(csv).slice(1);
    let flags = 0;
    let passes = 0;
    const labelled = rows.map((r) => {
      const verdict = r.fields[3];
      const label = verdict === 'fail' ? (flags++ < 30 ? 'error' : 'correct') : passes++ < 2 ? 'error' : 'correct';
      return [...r.fields.slice(0, 8), label].map((f) => `"${f.replace(/"/g, '""')}"`).join(',');
    });
    const [res] = await importReview(
      db,
      'labels.csv',
      `${parseCsv(csv)[0].fields.join(',')}\n${labelled.join('\n')}\n`,
    );
    const f = 0.04;
    // posterior means (stats/judge-noise.ts): PPV ~ Beta(30.5, 10.5); FOR ~ Beta(2 + 1, 198 + b0), prior mean giving fn = 10%
    const ppv = 30.5 / 41;
    const for0 = ((0.1 / 0.9) * f * ppv) / (1 - f);
    const forRate = 3 / (3 + 198 + 1 / for0 - 1);
    const p = f * ppv + (1 - f) * forRate;
    expect(res).toMatchObject({
      taskType: 'classify',
      reviewedFlags: 40,
      confirmedFlags: 30,
      reviewedPasses: 200,
      missedErrors: 2,
      ppv: 0.75,
      forRate: 0.01,
    });
    expect(res.p).toBeCloseTo(p, 12);
    expect(res.fp).toBeCloseTo((f * (1 - ppv)) / (1 - p), 12);
    expect(res.fn).toBeCloseTo(((1 - f) * forRate) / p, 12);
    const rate = (await computeClassRates(db)).find((r) => r.taskType === 'classify')!;
    expect(rate.rate).toBeCloseTo(0.04, 12);
    expect(rate.corrected!.rate).toBeCloseTo((0.04 - res.fp!) / (1 - res.fp! - res.fn!), 12);
    expect(rate.corrected!.from).toBe('review:classify');
  });
});
