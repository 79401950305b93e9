/**
 * cache-warm on Banking77: train split as premium-model history, test split as the last 7 days.
 * Reports the replayed hit rate and false-hit rate (Wilson 95%) at a few thresholds, lexical embedder.
 * Run: npx tsx bench/banking77-cache-warm.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createLexicalEmbedder } from '../src/cache/lexical-embedder.js';
import { createSemanticCache } from '../src/cache/semantic-cache.js';
import { warmCache } from '../src/cache/warm-cache.js';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDb } from '../src/db/pglite-db.js';
import type { RateEstimate } from '../src/stats/binomial-interval.js';
import { seedBanking77History } from '../test/support/seed-banking77-history.js';

/** Runs the warm-up once, replays at each threshold, returns a markdown section. */
export async function runBanking77Warm(o: { thresholds?: number[]; testStride?: number } = {}): Promise<string> {
  const db = await openPgliteDb();
  const now = new Date('2026-11-26T00:00:00Z');
  try {
    await migrate(db);
    const seeded = await seedBanking77History(db, {
      now,
      days: 7,
      premium: 'claude-3-5-sonnet-20241022',
      testStride: o.testStride,
    });
    const lines = [
      '## cache-warm on Banking77 (lexical embedder, not semantic)',
      '',
      `History: ${seeded.train} train queries answered by the premium model; replay: ${seeded.test} test queries of the last 7 days (placeholder answers keyed by intent).`,
      '',
      '| threshold | filled | hit rate (95% Wilson) | false-hit rate among hits (95% Wilson) |',
      '| ---: | ---: | :--- | :--- |',
    ];
    for (const threshold of o.thresholds ?? [0.95, 0.9, 0.83, 0.8, 0.7]) {
      const t0 = Date.now();
      const cache = await createSemanticCache({ db, embedder: createLexicalEmbedder(), threshold, now: () => now });
      const r = await warmCache(db, { cache, now, days: 7, premiumModels: ['claude-3-5-sonnet-20241022'] });
      lines.push(`| ${threshold} | ${r.filled} | ${fmt(r.hitRate)} | ${fmt(r.falseHitRate)} |`);
      console.error(`threshold ${threshold}: ${(Date.now() - t0) / 1000}s`);
    }
    return lines.join('\n');
  } finally {
    await db.close();
  }
}

function fmt(e: RateEstimate): string {
  return `${e.rate === null ? 'n/a' : `${(e.rate * 100).toFixed(1)}%`} (${e.failures}/${e.n}; [${(e.lower * 100).toFixed(1)}%, ${(e.upper * 100).toFixed(1)}%])`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const md = await runBanking77Warm({ testStride: Number(process.env.B77_STRIDE ?? 1) });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/banking77-cache-warm.md', `${md}\n`);
  console.log(md);
}
