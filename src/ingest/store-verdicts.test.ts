import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { InputError } from '../errors.js';
import { loadNewVerdicts } from '../escalator/escalator-queries.js';
import { computeClassRates } from '../judge/compute-class-rates.js';
import { runJudge } from '../judge/run-judge.js';
import { runSample } from '../sampler/run-sample.js';
import { configSchema } from '../config/config-schema.js';
import { makeCacheLookup, makeRoutingEvent, writeJsonl } from '../../test/support/make-events.js';
import { ingestFile } from './ingest-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dw-verdicts-'));
const NOW = new Date('2026-11-26T02:00:00Z');
const verdict = (
  eventId: string,
  v: 'pass' | 'fail',
  source = 'human-review',
  extra: Record<string, unknown> = {},
) => ({ kind: 'verdict', eventId, verdict: v, source, reason: `${source} says ${v}`, ...extra });

describe.each(testDbAdapters.filter((a) => a.enabled))('external verdict events on $name', ({ create }) => {
  let db: Db;
  const file = (name: string) => path.join(dir, `${name}-${db.kind}.jsonl`);
  const rates = async () =>
    Object.fromEntries(
      (await computeClassRates(db)).map((r) => [`${r.source}:${r.taskType}`, { n: r.n, failures: r.failures }]),
    );
  beforeAll(async () => {
    db = await create();
    // 20 classify events the offline judge passes, sampled and judged; 10 more never sampled
    const events = Array.from({ length: 30 }, (_, i) =>
      makeRoutingEvent({ id: `c-${i}`, ts: new Date(Date.UTC(2026, 10, 25, 1, 0, i)).toISOString() }),
    );
    writeJsonl(file('events'), [
      ...events.slice(0, 20),
      makeCacheLookup({ id: 'lk-hit' }),
      makeCacheLookup({ id: 'lk-miss', hit: false, similarity: 0.5 }),
    ]);
    await ingestFile(db, file('events'));
    const config = configSchema.parse({ sampler: { rate: 1 } });
    await runSample({ db, now: () => NOW, log: () => {} }, { sampler: config.sampler, cache: config.cache, rate: 1 });
    await runJudge({ db, now: () => NOW }, {});
    // the other 10 events come with their verdicts in one file, after them
    writeJsonl(file('late'), [...events.slice(20), ...events.slice(20, 24).map((e) => verdict(e.id, 'fail', 'ragas'))]);
  });
  afterAll(async () => db?.close());

  it('count in the class rates, win over the LLM/offline verdict, and are stored once per (event, source)', async () => {
    expect(await rates()).toMatchObject({ 'routing:classify': { n: 20, failures: 0 } });
    writeJsonl(file('review'), [
      verdict('c-1', 'fail'),
      verdict('c-2', 'fail'),
      verdict('c-3', 'pass'),
      verdict('c-1', 'fail'),
    ]);
    expect(await ingestFile(db, file('review'))).toEqual({ routing: 0, cache: 0, duplicates: 1, verdicts: 3 });
    expect(await rates()).toMatchObject({ 'routing:classify': { n: 20, failures: 2 } });
    // ingesting the same file again stores nothing and changes nothing
    expect(await ingestFile(db, file('review'))).toEqual({ routing: 0, cache: 0, duplicates: 4, verdicts: 0 });
    expect(await rates()).toMatchObject({ 'routing:classify': { n: 20, failures: 2 } });
    const stored = await db.query<{ n: number }>(`select count(*)::int as n from external_verdicts`);
    expect(stored.rows[0].n).toBe(3);
    const j = await db.query<{ provider: string; method: string; verdict: string }>(
      `select j.provider, j.method, j.verdict from judgments j join samples s on s.id = j.sample_id where s.event_id = 'c-1'`,
    );
    expect(j.rows).toEqual([{ provider: 'external', method: 'external:human-review', verdict: 'fail' }]);
  });

  it('judge events the sampler never drew (in the same file as the events), and feed the CUSUM', async () => {
    expect(await ingestFile(db, file('late'))).toEqual({ routing: 10, cache: 0, duplicates: 0, verdicts: 4 });
    expect(await rates()).toMatchObject({ 'routing:classify': { n: 24, failures: 6 } });
    const fresh = await loadNewVerdicts(db);
    expect(fresh.filter((v) => v.failed)).toHaveLength(6);
    expect(fresh).toHaveLength(24);
    // an externally judged sample is never claimed by the judge again
    const before = await db.query<{ n: number }>(`select count(*)::int as n from judgments`);
    await runJudge({ db, now: () => NOW }, {});
    expect((await db.query<{ n: number }>(`select count(*)::int as n from judgments`)).rows[0].n).toBe(
      before.rows[0].n,
    );
  });

  it('judges a cache hit; rejects an unknown id, a cache miss and an ambiguous id naming file, line and field, storing nothing', async () => {
    writeJsonl(file('cache'), [verdict('lk-hit', 'fail')]);
    expect((await ingestFile(db, file('cache'))).verdicts).toBe(1);
    expect(await rates()).toMatchObject({ 'cache:support': { n: 1, failures: 1 } });

    writeJsonl(file('unknown'), [
      makeRoutingEvent({ id: 'never-1' }),
      verdict('c-5', 'fail', 'x'),
      verdict('nope', 'fail'),
    ]);
    await expect(ingestFile(db, file('unknown'))).rejects.toThrow(InputError);
    await expect(ingestFile(db, file('unknown'))).rejects.toThrow(
      new RegExp(`${file('unknown')}:3: eventId: no stored routing event or cache lookup has id "nope"`),
    );
    const none = await db.query<{ n: number }>(
      `select (select count(*) from routing_events where id = 'never-1') + (select count(*) from external_verdicts where source = 'x') as n`,
    );
    expect(Number(none.rows[0].n)).toBe(0);

    writeJsonl(file('miss'), [verdict('lk-miss', 'fail')]);
    await expect(ingestFile(db, file('miss'))).rejects.toThrow(/:1: eventId: cache lookup "lk-miss" was a miss/);
    writeJsonl(file('both'), [makeCacheLookup({ id: 'c-7' }), verdict('c-7', 'pass', 'y')]);
    await expect(ingestFile(db, file('both'))).rejects.toThrow(/:2: eventKind: "c-7" names both/);
    writeJsonl(file('bad'), [{ kind: 'verdict', eventId: 'c-1', verdict: 'maybe', source: 'z' }]);
    await expect(ingestFile(db, file('bad'))).rejects.toThrow(/:1: verdict: /);
  });
});
