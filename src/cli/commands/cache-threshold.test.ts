import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load-config.js';
import type { Db } from '../../db/db.js';
import { createTestPglite } from '../../db/test-db.js';
import { labelCacheLookups } from '../../../test/helpers/label-cache-lookups.js';
import type { CommandContext } from '../command.js';
import { cacheThresholdCommand } from './cache-threshold.js';

let db: Db;
let dir: string;
const ids: string[] = [];

function makeCtx(overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    cwd: dir, env: { isTty: false }, json: true, quiet: true,
    config: () => loadConfig(undefined, dir), db: async () => db, log: () => {}, progress: () => {},
    now: () => new Date('2026-11-26T00:00:00Z'), signal: new AbortController().signal, ...overrides,
  };
}

async function seed(taskType: string, n: number, lo: number, hi: number, falseHit: boolean) {
  for (let i = 0; i < n; i++) {
    const id = `${taskType}-${lo}-${falseHit}-${i}`;
    ids.push(id);
    await db.query(
      `insert into cache_lookups (id, ts, task_type, query, hit, similarity, matched_query, result, reference, threshold)
       values ($1, now(), $2, 'q', $3, $4, 'm', 'cached answer', $5, 0.9)`,
      [id, taskType, lo >= 0.9, lo + ((hi - lo) * (i + 0.5)) / n, falseHit ? 'another answer' : 'cached answer'],
    );
  }
}

beforeAll(async () => {
  db = await createTestPglite();
  dir = mkdtempSync(path.join(tmpdir(), 'dw-cache-threshold-'));
  await seed('support', 500, 0.95, 1, false);
  await seed('support', 300, 0.7, 0.95, true);
  await seed('support', 200, 0.7, 0.95, false);
  await seed('faq', 100, 0.9, 1, false);
  await labelCacheLookups(db, ids);
});
afterAll(async () => {
  await db.close();
});

describe('cache-threshold', () => {
  it('certifies a threshold in [0.945, 0.975] when all false hits lie below 0.95, in the contract JSON shape', async () => {
    const r = await cacheThresholdCommand.run(makeCtx(), { task: 'support' }, []);
    const json = r.json as { recommended: Record<string, number>; curve: Record<string, number>[] };
    expect(Object.keys(json.recommended).sort()).toEqual(['falseHitUpper', 'hitShare', 'threshold']);
    expect(json.recommended.threshold).toBeGreaterThanOrEqual(0.945);
    expect(json.recommended.threshold).toBeLessThanOrEqual(0.975);
    expect(json.recommended.falseHitUpper).toBeLessThan(0.01);
    expect(Object.keys(json.curve[0]).sort()).toEqual(['falseHits', 'hits', 'threshold', 'upper']);
    expect(r.text).toMatch(/certified threshold 0\.9[4-7]/);
  });

  it('says not enough data, and how many more judged lookups, for a class with 100 judged', async () => {
    const r = await cacheThresholdCommand.run(makeCtx(), { task: 'faq' }, []);
    expect((r.json as { recommended: unknown }).recommended).toBeNull();
    expect((r.json as { needed: { more: number } }).needed.more).toBe(199);
    expect(r.text).toMatch(/not enough data.*199 more judged lookups/);
  });

  it('--apply writes certified per-class thresholds into driftwatch.yaml and keeps its comments', async () => {
    const file = path.join(dir, 'driftwatch.yaml');
    writeFileSync(file, '# team settings\ncache:\n  threshold: 0.9 # global default\n  thresholds:\n    faq: 0.97 # hand-tuned\n');
    const r = await cacheThresholdCommand.run(makeCtx(), { apply: true }, []);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# team settings');
    expect(text).toContain('# hand-tuned');
    const cfg = loadConfig(undefined, dir).config;
    expect(cfg.cache.thresholds.faq).toBe(0.97);
    expect(cfg.cache.thresholds.support).toBeGreaterThanOrEqual(0.945);
    expect((r.json as { applied: { after: Record<string, number> } }).applied.after.support).toBe(cfg.cache.thresholds.support);
    const audit = await db.query(`select 1 from audit_log where action = 'threshold'`);
    expect(audit.rows).toHaveLength(1);
  });

  it('rejects a bad --max-false-hit', async () => {
    await expect(cacheThresholdCommand.run(makeCtx(), { 'max-false-hit': 'lots' }, [])).rejects.toThrow(/--max-false-hit expects a number/);
  });
});
