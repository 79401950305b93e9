/**
 * Banking77 false-hit audit with the offline lexical embedder: cache filled from train, all 3,080
 * test queries looked up through the real cache and labelled by intent (result vs reference).
 * Calibrates the threshold on one half of the lookups (fixed-sequence test) and measures the
 * false-hit rate at that threshold on the held-out half. Run: npx tsx bench/banking77-cache.ts
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { buildBanking77CacheDemo } from '../src/cache/banking77.js';
import { analyseFalseHits, type JudgedLookup, type ThresholdAnalysis } from '../src/cache/false-hit-curve.js';
import { renderFalseHitTable, renderRecommendation } from '../src/cache/render-false-hit-table.js';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDb } from '../src/db/pglite-db.js';
import { clopperPearsonInterval, wilsonInterval } from '../src/stats/binomial-interval.js';
import { labelCacheLookups } from '../test/helpers/label-cache-lookups.js';

/** Runs the audit and returns the markdown section for the report. */
export async function runBanking77CacheAudit(o: { testStride?: number; targets?: number[] } = {}): Promise<string> {
  const db = await openPgliteDb();
  try {
    await migrate(db);
    const t0 = Date.now();
    const demo = await buildBanking77CacheDemo(db, { threshold: 0.9, testStride: o.testStride ?? 1, log: (m) => console.error(m) });
    const seconds = (Date.now() - t0) / 1000;
    await labelCacheLookups(db, demo.lookupIds);
    const rows = await db.query<{ id: string; similarity: number; verdict: string }>(
      `select c.id, c.similarity, j.verdict from cache_lookups c join samples s on s.source = 'cache' and s.event_id = c.id join judgments j on j.sample_id = s.id`,
    );
    const calib: JudgedLookup[] = [];
    const held: JudgedLookup[] = [];
    for (const r of rows.rows) (Number(r.id.split('-').pop()) % 2 === 0 ? calib : held).push({ similarity: Number(r.similarity), falseHit: r.verdict === 'fail' });
    const out = [`## Banking77 semantic-cache audit (lexical embedder, not semantic)`, '',
      `Cache: ${demo.filled} train queries; ${demo.lookups} test lookups through the real cache (${seconds.toFixed(0)} s), labelled by intent (false hit = matched entry's intent differs). Calibration half: ${calib.length}; held-out half: ${held.length}.`, ''];
    let first: ThresholdAnalysis | undefined;
    for (const target of o.targets ?? [0.01, 0.02, 0.05, 0.1]) {
      const a = analyseFalseHits(calib, { target });
      first ??= a;
      out.push(`### Target ${target * 100}%`, '', renderRecommendation(a), '');
      if (a.recommended) {
        const t = a.recommended.threshold;
        const above = held.filter((h) => h.similarity >= t);
        const k = above.filter((h) => h.falseHit).length;
        const cp = clopperPearsonInterval(k, above.length);
        const w = wilsonInterval(k, above.length);
        out.push(`Held-out half at ${t}: ${k} false of ${above.length} served (rate ${pct(cp.rate ?? 0)}, 95% Clopper-Pearson [${pct(cp.lower)}, ${pct(cp.upper)}], Wilson [${pct(w.lower)}, ${pct(w.upper)}]); hit share ${pct(above.length / held.length)} of held-out lookups.`, '');
      }
      out.push(renderFalseHitTable(a, { step: 0.05 }), '');
    }
    return out.join('\n');
  } finally {
    await db.close();
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const md = await runBanking77CacheAudit({ testStride: Number(process.env.B77_STRIDE ?? 1) });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/banking77-cache.md', md + '\n');
  console.log(md);
}
