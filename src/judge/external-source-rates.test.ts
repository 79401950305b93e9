import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { ingestFile } from '../ingest/ingest-file.js';
import { runSample } from '../sampler/run-sample.js';
import { makeRoutingEvent, writeJsonl } from '../../test/support/make-events.js';
import { mixSourceRates } from './external-source-rates.js';
import { loadJudgeRates } from './judge-rates.js';
import { runJudge } from './run-judge.js';

describe('mixSourceRates', () => {
  const base = { fp: 0.02, fn: 0.1, from: 'gold:gsm8k/numeric-answer' };
  it("weights each source by its share of the class's verdicts", () => {
    const r = mixSourceRates(
      [
        { taskType: 'c', kind: 'judge', n: 30 },
        { taskType: 'c', kind: 'external', source: 'human', n: 10 },
      ],
      base,
      { sources: { human: { fp: 0.1, fn: 0.2 } } },
    );
    expect(r!.fp).toBeCloseTo(0.75 * 0.02 + 0.25 * 0.1, 12);
    expect(r!.fn).toBeCloseTo(0.75 * 0.1 + 0.25 * 0.2, 12);
    expect(r!.from).toBe('mix: gold:gsm8k/numeric-answer 75%, config:judge.sources.human 25%');
  });
  it('leaves the class rates alone when no configured source judged it (an unlisted source counts as the judge)', () => {
    expect(
      mixSourceRates(
        [
          { taskType: 'c', kind: 'judge', n: 30 },
          { taskType: 'c', kind: 'external', source: 'other', n: 10 },
        ],
        base,
        { sources: { human: { fp: 0.1, fn: 0.2 } } },
      ),
    ).toBe(base);
    expect(
      mixSourceRates([{ taskType: 'c', kind: 'external', source: 'other', n: 10 }], undefined, { sources: {} }),
    ).toBeUndefined();
  });
  it("uses the pairwise judge's own calibration for the pairwise-judged part", () => {
    const pairwise = { fp: 0.05, fn: 0.3, from: 'gold:llmbar/pairwise-preference' };
    const r = mixSourceRates([{ taskType: 'c', kind: 'pairwise', n: 10 }], base, { sources: {}, pairwise })!;
    expect(r).toMatchObject({ fp: 0.05, fn: 0.3, from: 'mix: gold:llmbar/pairwise-preference 100%' });
    expect(mixSourceRates([{ taskType: 'c', kind: 'pairwise', n: 10 }], base, { sources: {} })).toBe(base); // uncalibrated: the class's rates
  });
});

describe('loadJudgeRates with external verdict sources', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-src-rates-'));
    const events = Array.from({ length: 20 }, (_, i) =>
      makeRoutingEvent({ id: `e-${i}`, ts: new Date(Date.UTC(2026, 10, 25, 1, 0, i)).toISOString() }),
    );
    writeJsonl(path.join(dir, 'e.jsonl'), events);
    await ingestFile(db, path.join(dir, 'e.jsonl'));
    const config = configSchema.parse({});
    await runSample(
      { db, now: () => new Date('2026-11-26T02:00:00Z'), log: () => {} },
      { sampler: config.sampler, cache: config.cache, rate: 1 },
    );
    await runJudge({ db, now: () => new Date('2026-11-26T02:00:00Z') }, {});
    writeJsonl(
      path.join(dir, 'v.jsonl'),
      events.slice(0, 5).map((e) => ({ kind: 'verdict', eventId: e.id, verdict: 'fail', source: 'human-review' })),
    );
    await ingestFile(db, path.join(dir, 'v.jsonl'));
  });
  afterAll(async () => db?.close());

  it('uses the configured source rates for its share of the class, the class rates for the rest', async () => {
    const config = configSchema.parse({
      judge: { sources: { 'human-review': { fp: 0.01, fn: 0.05 } } },
      escalation: { judgeErrorRates: { fp: 0.04, fn: 0.2 } },
    });
    const r = (await loadJudgeRates(db, config))('classify')!;
    expect(r.fp).toBeCloseTo(0.75 * 0.04 + 0.25 * 0.01, 12);
    expect(r.fn).toBeCloseTo(0.75 * 0.2 + 0.25 * 0.05, 12);
    expect(r.from).toMatch(/^mix: config:escalation.judgeErrorRates 75%, config:judge.sources.human-review 25%$/);
    // a class override wins outright
    const pinned = configSchema.parse({
      judge: { sources: { 'human-review': { fp: 0.01, fn: 0.05 } } },
      escalation: { classJudgeErrorRates: { classify: { fp: 0.03, fn: 0.03 } } },
    });
    expect((await loadJudgeRates(db, pinned))('classify')).toMatchObject({ fp: 0.03, fn: 0.03 });
    // without judge.sources: the class rates, as before
    expect(
      (await loadJudgeRates(db, configSchema.parse({ escalation: { judgeErrorRates: { fp: 0.04, fn: 0.2 } } })))(
        'classify',
      ),
    ).toMatchObject({ fp: 0.04, fn: 0.2 });
  });
});
