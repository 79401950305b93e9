/**
 * Banking77 false-hit audit, lexical vs local embedder side by side in one run: for each embedder
 * the cache is filled from train and all 3,080 test queries are looked up through the real cache,
 * labelled by intent (result vs reference) through samples + judgments as the offline judge would.
 * The project's certification (analyseFalseHits: fixed-sequence, inclusion-weighted, anytime-valid)
 * runs on one half of the lookups; the false-hit rate at that threshold is measured on the held-out
 * half. Run: npx tsx bench/banking77-cache.ts  (B77_EMBEDDERS=lexical,local; B77_STRIDE=k uses every
 * k-th test query).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { buildBanking77CacheDemo, loadBanking77 } from '../src/cache/banking77.js';
import type { Embedder } from '../src/cache/embedder.js';
import { analyseFalseHits, type JudgedLookup, type ThresholdAnalysis } from '../src/cache/false-hit-curve.js';
import { createLexicalEmbedder } from '../src/cache/lexical-embedder.js';
import { createLocalEmbedder, loadLocalModel } from '../src/cache/local-embedder.js';
import { renderFalseHitTable, renderRecommendation } from '../src/cache/render-false-hit-table.js';
import { configSchema } from '../src/config/config-schema.js';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDb } from '../src/db/pglite-db.js';
import { clopperPearsonInterval } from '../src/stats/binomial-interval.js';
import { labelCacheLookups } from '../test/support/label-cache-lookups.js';

const TARGETS = [0.01, 0.02, 0.05, 0.1];

interface EmbedderRun {
  embedder: Embedder;
  filled: number;
  lookups: number;
  /** Model load (first call), ms; 0 for the lexical embedder. */
  loadMs: number;
  batchMsPerEmbedding: number;
  singleMsPerEmbedding: number;
  defaultThreshold: number;
  atDefault: { served: number; falseHits: number };
  analyses: {
    target: number;
    a: ThresholdAnalysis;
    heldOut: { served: number; falseHits: number; upper: number } | null;
  }[];
  seconds: number;
}

async function runOne(embedder: Embedder, o: { testStride: number; threshold: number }): Promise<EmbedderRun> {
  const t0 = performance.now();
  let loadMs = 0;
  if (embedder.kind === 'semantic') {
    const l0 = performance.now();
    await loadLocalModel();
    loadMs = performance.now() - l0;
  }
  // one text at a time, as a live lookup embeds it: 40 short test queries
  const probes = loadBanking77()
    .test.slice(0, 40)
    .map((q) => q.text);
  await embedder.embed([probes[0]]);
  const s0 = performance.now();
  for (const p of probes) await embedder.embed([p]);
  const singleMsPerEmbedding = (performance.now() - s0) / probes.length;
  const db = await openPgliteDb();
  try {
    await migrate(db);
    const demo = await buildBanking77CacheDemo(db, {
      embedder,
      threshold: o.threshold,
      testStride: o.testStride,
      log: (m) => console.error(m),
    });
    await labelCacheLookups(db, demo.lookupIds);
    const rows = await db.query<{ id: string; similarity: number; verdict: string; hit: boolean }>(
      `select c.id, c.similarity, c.hit, j.verdict from cache_lookups c join samples s on s.source = 'cache' and s.event_id = c.id join judgments j on j.sample_id = s.id`,
    );
    const calib: JudgedLookup[] = [];
    const held: JudgedLookup[] = [];
    let served = 0;
    let falseServed = 0;
    for (const r of rows.rows) {
      const j = { similarity: Number(r.similarity), falseHit: r.verdict === 'fail' };
      (Number(r.id.split('-').pop()) % 2 === 0 ? calib : held).push(j);
      if (r.hit) {
        served++;
        if (j.falseHit) falseServed++;
      }
    }
    const analyses = TARGETS.map((target) => {
      const a = analyseFalseHits(calib, { target });
      if (!a.recommended) return { target, a, heldOut: null };
      const above = held.filter((h) => h.similarity >= a.recommended!.threshold);
      const k = above.filter((h) => h.falseHit).length;
      return {
        target,
        a,
        heldOut: { served: above.length, falseHits: k, upper: clopperPearsonInterval(k, above.length).upper },
      };
    });
    return {
      embedder,
      filled: demo.filled,
      lookups: demo.lookups,
      loadMs,
      batchMsPerEmbedding: demo.msPerEmbedding ?? 0,
      singleMsPerEmbedding,
      defaultThreshold: o.threshold,
      atDefault: { served, falseHits: falseServed },
      analyses,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await db.close();
  }
}

/** Runs the audit for each embedder and returns the markdown section for RESULTS.md. */
export async function runBanking77CacheAudit(o: { testStride?: number; embedders?: string[] } = {}): Promise<string> {
  const threshold = configSchema.parse({}).cache.threshold;
  const names = o.embedders ?? ['lexical', 'local'];
  const runs: EmbedderRun[] = [];
  for (const name of names) {
    const embedder = name === 'local' ? createLocalEmbedder() : createLexicalEmbedder();
    console.error(`banking77: ${embedder.id} ...`);
    runs.push(await runOne(embedder, { testStride: o.testStride ?? 1, threshold }));
  }
  const cert = (r: EmbedderRun, target: number) => {
    const x = r.analyses.find((y) => y.target === target)!;
    if (!x.a.recommended) return 'not certified';
    const h = x.heldOut!;
    return `${x.a.recommended.threshold} (held-out ${h.falseHits}/${h.served} = ${pct(h.served ? h.falseHits / h.served : 0)}, serves ${pct(x.a.recommended.hitShare)})`;
  };
  const out = [
    '## Banking77 semantic-cache audit: lexical vs local embedder',
    '',
    `Cache: ${runs[0]?.filled} train queries per embedder; ${runs[0]?.lookups} test lookups through the real cache, labelled by intent (false hit = the matched entry's intent differs). ` +
      `The certification (analyseFalseHits: fixed sequence, inclusion-weighted, anytime-valid 95%) runs on the even-numbered half of the lookups; "held-out" is the false-hit rate at that threshold on the odd half. ` +
      `Default threshold = cache.threshold default ${threshold}. ms/embedding: "batch" = the test queries embedded in batches of 64 (fill and replay), "single" = 40 queries one call each (a live lookup).`,
    '',
    `| embedder | false hits at ${threshold} (served) | certified @1% | certified @2% | certified @5% | certified @10% | ms/embedding batch | ms/embedding single | model load ms |`,
    '| --- | ---: | --- | --- | --- | --- | ---: | ---: | ---: |',
    ...runs.map(
      (r) =>
        `| ${r.embedder.id} (${r.embedder.kind}) | ${r.atDefault.falseHits}/${r.atDefault.served} = ${pct(r.atDefault.served ? r.atDefault.falseHits / r.atDefault.served : 0)} (${pct(r.atDefault.served / r.lookups)} of lookups) | ${TARGETS.map((t) => cert(r, t)).join(' | ')} | ${r.batchMsPerEmbedding.toFixed(2)} | ${r.singleMsPerEmbedding.toFixed(2)} | ${r.loadMs.toFixed(0)} |`,
    ),
    '',
  ];
  for (const r of runs) {
    const a1 = r.analyses[0].a;
    out.push(
      `### ${r.embedder.id}: target 1% (${r.seconds.toFixed(0)} s for this embedder)`,
      '',
      renderRecommendation(a1),
      '',
      renderFalseHitTable(a1, { step: 0.05 }),
      '',
    );
  }
  return out.join('\n');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const md = await runBanking77CacheAudit({
    testStride: Number(process.env.B77_STRIDE ?? 1),
    embedders: process.env.B77_EMBEDDERS?.split(','),
  });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/banking77-cache.md', `${md}\n`);
  console.log(md);
}
