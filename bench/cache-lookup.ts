/**
 * Semantic-cache lookup latency on PGlite: N cached entries at 512 and 1,536 dimensions, loaded by
 * binary COPY; HNSW (m=16, ef_construction=64, ef_search=40) against an exact scan, index build
 * time, recall@1, and driftwatch's own overhead per lookup (embedding excluded: the embedder is a
 * table of precomputed vectors). Vectors are clustered synthetic unit vectors (200 centroids),
 * between the uniform worst case and real embeddings. Size: CACHE_BENCH_N (default 100000).
 * Run: CACHE_BENCH_N=20000 CACHE_BENCH_DIMS=512,1536 npx tsx bench/cache-lookup.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDimsIndex, findNearest } from '../src/cache/cache-store.js';
import { l2Normalize, type Embedder } from '../src/cache/embedder.js';
import { createSemanticCache } from '../src/cache/semantic-cache.js';
import { encodeCacheEntriesCopy } from '../src/cache/vector-sql.js';
import { migrate } from '../src/db/migrate.js';
import { openPgliteDb } from '../src/db/pglite-db.js';

/** Options of runCacheBench. */
export interface CacheBenchOptions {
  n?: number;
  dims?: number[];
  queries?: number;
  seed?: number;
}

/** One row of the benchmark table (milliseconds). */
export interface CacheBenchRow {
  dims: number;
  n: number;
  loadRowsPerSec: number;
  buildSeconds: number;
  hnswP50: number;
  hnswP95: number;
  exactP50: number;
  exactP95: number;
  recallAt1: number;
  lookupP50: number;
  overheadP50: number;
}

/** Runs the benchmark for each size and returns rows plus a markdown table. */
export async function runCacheBench(o: CacheBenchOptions = {}): Promise<{ rows: CacheBenchRow[]; markdown: string }> {
  const rows: CacheBenchRow[] = [];
  for (const dims of o.dims ?? [512, 1536])
    rows.push(await benchOne(dims, o.n ?? 100_000, o.queries ?? 100, o.seed ?? 7));
  const md = [
    `| dims | entries | load (rows/s, binary COPY) | HNSW build (s) | HNSW p50 / p95 (ms) | exact p50 / p95 (ms) | exact / HNSW p50 | recall@1 | lookup p50 excl. embedding (ms) | driftwatch overhead p50 (ms) |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.dims} | ${r.n} | ${r.loadRowsPerSec.toFixed(0)} | ${r.buildSeconds.toFixed(1)} | ${r.hnswP50.toFixed(1)} / ${r.hnswP95.toFixed(1)} | ${r.exactP50.toFixed(1)} / ${r.exactP95.toFixed(1)} | ${(r.exactP50 / r.hnswP50).toFixed(1)}x | ${r.recallAt1.toFixed(2)} | ${r.lookupP50.toFixed(1)} | ${r.overheadP50.toFixed(1)} |`,
    ),
  ].join('\n');
  return { rows, markdown: md };
}

async function benchOne(dims: number, n: number, queries: number, seed: number): Promise<CacheBenchRow> {
  const rand = mulberry32(seed + dims);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const centroids = Array.from({ length: 200 }, () => l2Normalize(Array.from({ length: dims }, gauss)));
  const near = (c: number[], spread: number) => l2Normalize(c.map((x) => x + (spread * gauss()) / Math.sqrt(dims)));
  // On disk (a temp folder) for large sizes: the in-memory filesystem would hold table, index and WAL in the WASM heap.
  const dir = n > 20_000 ? mkdtempSync(path.join(tmpdir(), 'dw-cache-bench-')) : undefined;
  const db = await openPgliteDb(dir);
  try {
    await migrate(db);
    await db.exec(`drop index cache_entries_hnsw_${dims}`);
    const embedder = `bench:${dims}`;
    const vectors: number[][] = [];
    let copyMs = 0;
    for (let i = 0; i < n; i += 5000) {
      const chunk = Array.from({ length: Math.min(5000, n - i) }, (_, j) => near(centroids[(i + j) % 200], 0.6));
      vectors.push(...chunk);
      const buf = encodeCacheEntriesCopy(
        chunk.map((v, j) => ({
          taskType: 'bench',
          query: `q${i + j}`,
          embedding: v,
          embedder,
          result: `r${i + j}`,
          createdAt: new Date(),
        })),
      );
      const t0 = performance.now();
      await db.copyBinary!(
        `copy cache_entries (task_type, query, embedding, dims, embedder, result, created_at) from '/dev/blob' with (format binary)`,
        buf,
      );
      copyMs += performance.now() - t0;
    }
    const loadRowsPerSec = n / (copyMs / 1000);
    await db.exec(`set maintenance_work_mem = '512MB'`);
    const t1 = performance.now();
    await ensureDimsIndex(db, dims);
    const buildSeconds = (performance.now() - t1) / 1000;
    await db.exec('analyze cache_entries');
    const qs = Array.from({ length: queries }, (_, i) => near(vectors[Math.floor(rand() * n)], 0.3 + (i % 3) * 0.1));
    const hnsw = await timeEach(qs, (q) =>
      findNearest(db, { embedding: q, embedder, taskType: 'bench', iterativeScan: true }),
    );
    const exact = await timeEach(qs, (q) =>
      findNearest(db, { embedding: q, embedder, taskType: 'bench', exact: true }),
    );
    const recallAt1 = hnsw.results.filter((r, i) => r?.id === exact.results[i]?.id).length / queries;
    const table = new Map(qs.map((q, i) => [`bench-query-${i}`, q]));
    const instant: Embedder = { id: embedder, kind: 'semantic', dims, embed: async (t) => t.map((x) => table.get(x)!) };
    const cache = await createSemanticCache({ db, embedder: instant, threshold: 0.9 });
    // Paired, both warm: per query, one untimed search warms the buffers, then the bare search and
    // the full lookup (search + log insert + JS) are timed; overhead = lookup - search.
    const keys = [...table.keys()];
    const paired = await timeEach(keys, async (k) => {
      const q = { embedding: table.get(k)!, embedder, taskType: 'bench', iterativeScan: true };
      await findNearest(db, q);
      const t = performance.now();
      await findNearest(db, q);
      const search = performance.now() - t;
      const t2 = performance.now();
      await cache.lookup(k, { taskType: 'bench' });
      return { search, lookup: performance.now() - t2 };
    });
    const lookupMs = paired.results.map((r) => r.lookup);
    const overhead = paired.results.map((r) => r.lookup - r.search);
    return {
      dims,
      n,
      loadRowsPerSec,
      buildSeconds,
      hnswP50: pctl(hnsw.ms, 0.5),
      hnswP95: pctl(hnsw.ms, 0.95),
      exactP50: pctl(exact.ms, 0.5),
      exactP95: pctl(exact.ms, 0.95),
      recallAt1,
      lookupP50: pctl(lookupMs, 0.5),
      overheadP50: pctl(overhead, 0.5),
    };
  } finally {
    await db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (dir) rmSync(`${dir}.lock`, { force: true });
  }
}

async function timeEach<T, R>(items: T[], f: (x: T) => Promise<R>): Promise<{ ms: number[]; results: R[] }> {
  await f(items[0]); // warm the buffers
  const ms: number[] = [];
  const results: R[] = [];
  for (const x of items) {
    const t = performance.now();
    results.push(await f(x));
    ms.push(performance.now() - t);
  }
  return { ms, results };
}

function pctl(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.env.CACHE_BENCH_N ?? 100_000);
  const dims = (process.env.CACHE_BENCH_DIMS ?? '512,1536').split(',').map(Number);
  const { markdown } = await runCacheBench({ n, dims, queries: Number(process.env.CACHE_BENCH_QUERIES ?? 100) });
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    `bench/results/cache-lookup-${n}-${dims.join('-')}.md`,
    `## Cache lookup on PGlite (${n} entries, run ${new Date().toISOString()})\n\n${markdown}\n`,
  );
  console.log(markdown);
}
