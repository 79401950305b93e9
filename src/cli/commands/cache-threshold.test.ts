import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../../test/support/test-db.js';
import { runSample } from '../../sampler/run-sample.js';
import { labelCacheLookups } from '../../../test/support/label-cache-lookups.js';
import type { CommandContext } from '../command.js';
import { parseFlags } from '../parse-command-line.js';
import { cacheThresholdCommand } from './cache-threshold.js';
import { cacheThresholdSpec } from './cache-threshold-spec.js';

const flags = (...args: string[]) => parseFlags(cacheThresholdSpec, args);

function makeCtx(db: Db, dir: string, overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    cwd: dir,
    env: { isTty: false },
    json: true,
    quiet: true,
    dbTarget: { url: 'memory:', from: '--db' },
    config: () => loadConfig(undefined, dir),
    db: async () => db,
    log: () => {},
    progress: () => {},
    now: () => new Date('2026-11-26T00:00:00Z'),
    signal: new AbortController().signal,
    ...overrides,
  };
}

describe('cache-threshold', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await createTestPglite();
    dir = mkdtempSync(path.join(tmpdir(), 'dw-cache-threshold-'));
    // support: 3,000 correct lookups in [0.95, 1), 300 false and 200 correct spread over [0.7, 0.95)
    // (the true rate at or above t is under 1% exactly for t >= 0.925); faq: 100
    // correct. Stored in an interleaved order (md5 of the id), as the sampler's hash draws them.
    await db.exec(`
      insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold)
      select id, now(), task_type, 'q', similarity >= 0.9, similarity, 'm', case when bad then 'another answer' else 'cached answer' end, 'cached answer', 0.9
        from (select 'support-' || g as id, 'support' as task_type,
                     case when g <= 3000 then 0.95 + 0.05 * (g - 0.5) / 3000 else 0.7 + 0.25 * ((g - 3000) - 0.5) / 500 end as similarity,
                     g > 3000 and (g - 3000) % 5 < 3 as bad from generate_series(1, 3500) g
              union all
              select 'faq-' || g, 'faq', 0.9 + 0.1 * (g - 0.5) / 100, false from generate_series(1, 100) g) x
       order by md5(id);`);
    const ids = await db.query<{ id: string }>(`select id from cache_lookups order by seq`);
    await labelCacheLookups(
      db,
      ids.rows.map((r) => r.id),
    );
  });
  afterAll(async () => {
    await db.close();
  });

  it('certifies support at a threshold in [0.925, 0.99] per class, in the contract JSON shape (extended)', async () => {
    const r = await cacheThresholdCommand.run(makeCtx(db, dir), flags('--task', 'support'), []);
    const json = r.json as {
      recommended: Record<string, number>;
      curve: Record<string, number>[];
      method: string;
      start: number;
      floor: number;
    };
    expect(Object.keys(json.recommended).sort()).toEqual(['falseHitUpper', 'hitShare', 'threshold', 'weightedRate']);
    expect(json.recommended.threshold).toBeGreaterThanOrEqual(0.925);
    expect(json.recommended.threshold).toBeLessThanOrEqual(0.99);
    expect(json.recommended.falseHitUpper).toBeLessThan(0.01);
    expect(Object.keys(json.curve[0]).sort()).toEqual([
      'effectiveN',
      'falseHits',
      'hits',
      'threshold',
      'upper',
      'weightedRate',
    ]);
    expect(json.method).toBe('anytime-weighted-fixed-sequence');
    expect(json.floor).toBe(0.705);
    expect(r.text).toMatch(/certified threshold 0\.9[2-9]/);
  });

  it('says "not certified: n < 500" for a class with 100 cache samples, with no number', async () => {
    const r = await cacheThresholdCommand.run(makeCtx(db, dir), flags('--task', 'faq'), []);
    expect((r.json as { recommended: unknown }).recommended).toBeNull();
    expect((r.json as { needed: { reason: string } }).needed.reason).toBe(
      'not certified: n < 500 cache samples of the class fix where the step-down starts (100 so far)',
    );
    expect(r.text).toMatch(/not certified: n < 500 cache samples/);
  });

  it('with several classes certifies none pooled; the pooled figure is hit-volume weighted and not certified', async () => {
    const r = await cacheThresholdCommand.run(makeCtx(db, dir), flags(), []);
    const json = r.json as {
      recommended: unknown;
      scope: string;
      pooled: { certified: boolean; weighting: string; estimate: number };
      perClass: Record<string, { recommended: unknown }>;
    };
    expect(json.scope).toBe('all classes');
    expect(json.recommended).toBeNull();
    expect(json.pooled).toMatchObject({ certified: false, weighting: 'hit-volume' });
    expect(json.perClass.support.recommended).not.toBeNull();
    expect(r.text).toMatch(/an estimate, not certified/);
  });

  it('--apply writes certified per-class thresholds into driftwatch.yaml and keeps its comments', async () => {
    const file = path.join(dir, 'driftwatch.yaml');
    writeFileSync(
      file,
      '# team settings\ncache:\n  threshold: 0.9 # global default\n  thresholds:\n    faq: 0.97 # hand-tuned\n',
    );
    const r = await cacheThresholdCommand.run(makeCtx(db, dir), flags('--apply'), []);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# team settings');
    expect(text).toContain('# hand-tuned');
    const cfg = loadConfig(undefined, dir).config;
    expect(cfg.cache.thresholds.faq).toBe(0.97);
    expect(cfg.cache.thresholds.support).toBeGreaterThanOrEqual(0.925);
    expect((r.json as { applied: { after: Record<string, number> } }).applied.after.support).toBe(
      cfg.cache.thresholds.support,
    );
    const audit = await db.query(`select 1 from audit_log where action = 'threshold'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('rejects a bad --max-false-hit', async () => {
    expect(() => flags('--max-false-hit', 'lots')).toThrow('--max-false-hit expects a number, got "lots"');
    expect(() => flags('--max-false-hit', '0.9')).toThrow('--max-false-hit must be between 0.000001 and 0.5, got 0.9');
  });
});

describe('cache-threshold below the judged band', () => {
  let db: Db;
  let dir: string;
  beforeAll(async () => {
    db = await createTestPglite();
    dir = mkdtempSync(path.join(tmpdir(), 'dw-cache-band-'));
    // Synthetic: three days of 6,000 lookups with similarity spread over [0.4, 1), cache threshold 0.7.
    // At or above 0.65 5% are false hits; under 0.65 (never sampled: below the 0.05 near-miss band) 80% are.
    await db.exec(`
      insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold)
      select id, ts, 'faq', 'q', s >= 0.7, s, 'm',
             case when (hashtext('f' || id) & 2147483647) % 100 < (case when s >= 0.65 then 5 else 80 end) then 'wrong' else 'right' end, 'right', 0.7
        from (select 'lk-' || d || '-' || g as id,
                     timestamptz '2026-11-20T00:00:00Z' + (d || ' days')::interval + (g * 14 || ' seconds')::interval as ts,
                     0.4 + 0.6 * ((hashtext('s' || d || '-' || g) & 2147483647) % 1000000) / 1000000.0 as s
                from generate_series(0, 2) d, generate_series(1, 6000) g) x;`);
    const config = loadConfig(undefined, dir).config;
    await runSample(
      { db, now: () => new Date('2026-11-23T01:00:00Z') },
      { sampler: config.sampler, cache: { threshold: 0.7, thresholds: {} } },
    );
    // the offline judge's verdict for every drawn lookup (result vs reference)
    await db.exec(`
      insert into judgments (sample_id, verdict, provider, method)
      select s.id, case when c.result = c.reference then 'pass' else 'fail' end, 'offline', 'exact'
        from samples s join cache_lookups c on c.id = s.event_id where s.source = 'cache';
      update samples set status = 'judged' where source = 'cache';`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores the draw probability of every cache sample: hits and near-misses at different rates', async () => {
    const r = await db.query<{ reason: string; p: number; n: string; lo: number }>(
      `select reason, max(inclusion_prob) as p, count(*)::text as n, min(c.similarity) as lo from samples s join cache_lookups c on c.id = s.event_id group by reason order by reason`,
    );
    const [hit, near] = r.rows;
    expect(hit.reason).toBe('hit');
    expect(near.reason).toBe('near_miss');
    expect(Number(near.p)).toBeGreaterThan(3 * Number(hit.p));
    expect(Number(near.lo)).toBeGreaterThanOrEqual(0.65);
    expect(Number(hit.n) + Number(near.n)).toBeGreaterThan(500);
  });

  it('at a 25% target certifies nothing under 0.65, lists no row under it, and --apply writes >= 0.65', async () => {
    const file = path.join(dir, 'driftwatch.yaml');
    writeFileSync(file, 'cache:\n  threshold: 0.7\n');
    const r = await cacheThresholdCommand.run(makeCtx(db, dir), flags('--apply', '--max-false-hit', '0.25'), []);
    const json = r.json as { recommended: { threshold: number } | null; curve: { threshold: number }[]; floor: number };
    expect(json.recommended?.threshold ?? 1).toBeGreaterThanOrEqual(0.65);
    expect(json.floor).toBeGreaterThanOrEqual(0.65);
    expect(Math.min(...json.curve.map((p) => p.threshold))).toBeGreaterThanOrEqual(0.65);
    const written = loadConfig(undefined, dir).config.cache.thresholds.faq;
    expect(written === undefined || written >= 0.65).toBe(true);
    expect(written).toBeDefined(); // the band's data do certify 25%, at or above 0.65
    const rows = r.text
      .split('\n')
      .filter((l) => /^\| 0\.\d{3} \|/.test(l))
      .map((l) => Number(l.slice(2, 7)));
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.min(...rows)).toBeGreaterThanOrEqual(0.65);
  });
});
