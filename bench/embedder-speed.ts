/**
 * ms per embedding of short sentences (Banking77 test messages) for the lexical and local
 * embedders: wall time and this process's CPU time (on a shared machine the CPU figure is the one
 * to compare), one text per call (a live lookup) and batches of 64 (fill, replay). Run:
 * npx tsx bench/embedder-speed.ts
 */
import os from 'node:os';
import { loadBanking77 } from '../src/cache/banking77.js';
import type { Embedder } from '../src/cache/embedder.js';
import { createLexicalEmbedder } from '../src/cache/lexical-embedder.js';
import { createLocalEmbedder, loadLocalModel } from '../src/cache/local-embedder.js';

const texts = loadBanking77().test.map((q) => q.text);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(e: Embedder) {
  const w0 = performance.now();
  const c0 = cpuMs();
  if (e.kind === 'semantic') await loadLocalModel();
  const load = { wall: performance.now() - w0, cpu: cpuMs() - c0 };
  await e.embed(texts.slice(0, 8)); // warm-up
  const single = texts.slice(100, 160);
  let w = performance.now();
  let c = cpuMs();
  for (const t of single) await e.embed([t]);
  const one = { wall: (performance.now() - w) / single.length, cpu: (cpuMs() - c) / single.length };
  const batch = texts.slice(200, 456);
  w = performance.now();
  c = cpuMs();
  for (let i = 0; i < batch.length; i += 64) await e.embed(batch.slice(i, i + 64));
  const many = { wall: (performance.now() - w) / batch.length, cpu: (cpuMs() - c) / batch.length };
  return { id: e.id, load, one, many };
}

export async function runEmbedderSpeedBench(): Promise<string> {
  const load = os.loadavg()[0];
  const rows = [];
  for (const e of [createLexicalEmbedder(), createLocalEmbedder()]) rows.push(await measure(e));
  const f = (x: number) => x.toFixed(2);
  return [
    '## Embedding speed: lexical vs local (short Banking77 sentences)',
    '',
    `${os.cpus().length} cores, 1-minute load average ${load.toFixed(1)} at the start (shared machine: the CPU columns are this process's own time). 60 texts one per call; 256 texts in batches of 64 (average ${f(texts.slice(200, 456).reduce((a, t) => a + t.split(/\s+/).length, 0) / 256)} words).`,
    '',
    '| embedder | load wall / CPU ms | one per call: wall / CPU ms | batch of 64: wall / CPU ms per text |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${r.load.wall.toFixed(0)} / ${r.load.cpu.toFixed(0)} | ${f(r.one.wall)} / ${f(r.one.cpu)} | ${f(r.many.wall)} / ${f(r.many.cpu)} |`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await runEmbedderSpeedBench());
