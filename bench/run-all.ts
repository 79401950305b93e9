// `npm run bench`: every benchmark, each figure beside its alternative measured in the same run,
// written to bench/RESULTS.md. BENCH_ONLY=ingest,sampling,... runs a subset.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBanking77CacheAudit } from './banking77-cache.js';
import { runBanking77Warm } from './banking77-cache-warm.js';
import { runCacheBench } from './cache-lookup.js';
import { runCompressionBench } from './compression.js';
import { runEmbedderSpeedBench } from './embedder-speed.js';
import { runQmsumCompressionBench } from './compression-qmsum.js';
import { runIngestBench } from './ingest.js';
import { runJudgeThroughputBench } from './judge-throughput.js';
import { runIngestCliBench } from './ingest-cli.js';
import { runNightlyHistoryBench } from './nightly-history.js';
import { runSampleInsertBench } from './sample-insert.js';
import { renderSamplingBench, runSamplingBench } from './sampling.js';
import { runStartupBench } from './startup.js';
import { runTfidfScorerBench } from './tfidf-scorer.js';

const benches: { name: string; run: () => Promise<string> }[] = [
  { name: 'ingest', run: () => runIngestBench() },
  {
    name: 'sampling',
    run: async () =>
      `## Sampling 5% of 2,000,000 events: driftwatch's sample-key draw beside TABLESAMPLE and ORDER BY random()\n\n${renderSamplingBench(await runSamplingBench())}`,
  },
  { name: 'judge', run: () => runJudgeThroughputBench() },
  { name: 'compression', run: () => runCompressionBench() },
  { name: 'compression-qmsum', run: () => runQmsumCompressionBench() },
  // HNSW builds of 100k x 1,536 take many minutes on a small machine: CACHE_BENCH_N (default 20,000 here).
  {
    name: 'cache-lookup',
    run: async () =>
      `## Semantic-cache lookup on PGlite (${Number(process.env.CACHE_BENCH_N ?? 20_000)} entries)\n\n${(await runCacheBench({ n: Number(process.env.CACHE_BENCH_N ?? 20_000) })).markdown}`,
  },
  { name: 'cache-banking77', run: () => runBanking77CacheAudit() },
  { name: 'embedder-speed', run: () => runEmbedderSpeedBench() },
  { name: 'cache-warm', run: () => runBanking77Warm() },
  // issue 15: each alternative beside the one it replaced, in one run
  { name: 'startup', run: () => runStartupBench() },
  { name: 'sample-insert', run: () => runSampleInsertBench() },
  { name: 'nightly-history', run: () => runNightlyHistoryBench() },
  { name: 'ingest-cli', run: () => runIngestCliBench() },
  { name: 'tfidf-scorer', run: () => runTfidfScorerBench() },
];

const only = process.env.BENCH_ONLY?.split(',');
const sections: string[] = [];
for (const b of benches) {
  if (only && !only.includes(b.name)) continue;
  console.error(`bench: ${b.name} ...`);
  const t0 = performance.now();
  try {
    sections.push(await b.run(), `_(${b.name}: ${((performance.now() - t0) / 1000).toFixed(0)} s wall)_`);
  } catch (err) {
    sections.push(`## ${b.name}\n\nFAILED: ${(err as Error).message}`);
  }
}
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
const out = [
  '# driftwatch benchmarks',
  '',
  `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine}.`,
  'Figures are single runs on a shared machine: read the ratios, not the absolute times.',
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n');
const file = path.join(import.meta.dirname, only ? 'RESULTS.partial.md' : 'RESULTS.md');
writeFileSync(file, out);
console.error(`bench: wrote ${file}`);
