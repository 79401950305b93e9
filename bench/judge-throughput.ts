// Real-time judge throughput against a local Anthropic-wire server: achieved judgments/s at 200 ms
// latency and concurrency 16 versus the 80/s bound (concurrency / latency), and driftwatch's own
// per-judgment overhead with a 0 ms server, side by side with a bare SDK call. The server runs in
// its own process, as a remote provider would.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import type { Db } from '../src/db/db.js';
import { buildJudgePrompt } from '../src/judge/build-judge-prompt.js';
import { createJudgeClient } from '../src/judge/providers/create-judge-client.js';
import { loadRubric } from '../src/judge/rubric.js';
import { runJudge } from '../src/judge/run-judge.js';
import { resetJudgeTables, seedPlantedSamples } from '../test/support/planted-samples.js';

const MODEL = 'claude-sonnet-4';

/** Starts the fake provider in a child process; returns its URL and a stop function. */
async function startRemoteFake(latencyMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'fake-server-child.ts'), String(latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(p.stdout, 'data')) as [Buffer];
  return {
    url: chunk.toString().trim(),
    close: async () => {
      p.kill('SIGTERM');
      await once(p, 'exit');
    },
  };
}

async function timedRun(
  db: Db,
  n: number,
  latencyMs: number,
  concurrency: number,
  chunkSize?: number,
): Promise<{ seconds: number; judged: number; fails: number }> {
  await resetJudgeTables(db);
  await seedPlantedSamples(db, [{ taskType: 'bench', source: 'routing', n, failures: Math.round(n * 0.05) }]);
  const fake = await startRemoteFake(latencyMs);
  const client = createJudgeClient({
    provider: 'anthropic',
    model: MODEL,
    env: { anthropicApiKey: 'sk-ant-bench-000000', anthropicBaseUrl: fake.url, isTty: false },
  });
  const t0 = performance.now();
  const s = await runJudge({ db, client, now: () => new Date() }, { concurrency, chunkSize });
  const seconds = (performance.now() - t0) / 1000;
  await fake.close();
  const fails = await db.query<{ n: string }>(`select count(*) as n from judgments where verdict = 'fail'`);
  return { seconds, judged: s.judged, fails: Number(fails.rows[0]!.n) };
}

async function bareSdkMs(n: number): Promise<number> {
  const fake = await startRemoteFake(0);
  const client = createJudgeClient({
    provider: 'anthropic',
    model: MODEL,
    env: { anthropicApiKey: 'sk-ant-bench-000000', anthropicBaseUrl: fake.url, isTty: false },
  });
  const t0 = performance.now();
  // the same rubric prompt size the judge sends
  const rubric = loadRubric('routing-agreement');
  for (let i = 0; i < n; i++) {
    const { system, prompt } = buildJudgePrompt(rubric, {
      input: `question bench-${i}`,
      candidate: `answer ${i} correct`,
      reference: 'reference answer',
    });
    await client.complete({ customId: `b${i}`, system, prompt, maxTokens: rubric.maxTokens });
  }
  const ms = (performance.now() - t0) / n;
  await fake.close();
  return ms;
}

/** Judgments/s at the given latency with the database on the PostgreSQL server (SQL off the event loop). */
async function measureOnPg(n: number, latencyMs: number, concurrency: number): Promise<number | undefined> {
  if (!TEST_PG_URL) return undefined;
  const db = await createTestPg();
  try {
    const r = await timedRun(db, n, latencyMs, concurrency);
    return r.judged / r.seconds;
  } finally {
    await db.close();
  }
}

/** Runs the bench once; returns a markdown section with the figures. */
export async function runJudgeThroughputBench(
  options: { judgments?: number; overheadJudgments?: number; concurrency?: number; latencyMs?: number } = {},
): Promise<string> {
  const n = options.judgments ?? 800;
  const m = options.overheadJudgments ?? 300;
  const concurrency = options.concurrency ?? 16;
  const latencyMs = options.latencyMs ?? 200;
  const bound = concurrency / (latencyMs / 1000);
  const db = await createTestPglite();
  try {
    await timedRun(db, 50, 0, 4); // warm-up: JIT, SDK import, PGlite plans
    const loaded = await timedRun(db, n, latencyMs, concurrency);
    const rate = loaded.judged / loaded.seconds;
    // runJudge waits for a whole claimed chunk (default 4 x concurrency) before claiming the next one
    const bigChunks = await timedRun(db, n, latencyMs, concurrency, 16 * concurrency);
    const bigRate = bigChunks.judged / bigChunks.seconds;
    const pg = await measureOnPg(n, latencyMs, concurrency);
    const zero = await timedRun(db, m, 0, 1);
    const perJudgmentMs = (zero.seconds * 1000) / zero.judged;
    const sdkMs = await bareSdkMs(m);
    return [
      `## Judge throughput: real time through the Anthropic SDK against a local server`,
      '',
      `PGlite in memory, fake provider in a separate process; ${n} judgments at ${latencyMs} ms server latency and concurrency ${concurrency} (bound ${bound}/s = concurrency / latency); overhead from ${m} judgments at 0 ms latency, concurrency 1.`,
      '',
      `Machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1/5/15 min) at the end of the run; other processes share these cores.`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| achieved judgments/s at ${latencyMs} ms, c=${concurrency} | ${rate.toFixed(1)} |`,
      `| share of the ${bound}/s bound | ${((100 * rate) / bound).toFixed(1)}% (target >= 90%: ${rate >= 0.9 * bound ? 'met' : 'NOT met'}) |`,
      `| judged / planted failures found | ${loaded.judged} / ${loaded.fails} |`,
      `| same, chunkSize ${16 * concurrency} instead of the default ${4 * concurrency} | ${bigRate.toFixed(1)}/s = ${((100 * bigRate) / bound).toFixed(1)}% of the bound (ratio to default ${(bigRate / rate).toFixed(2)}x) |`,
      pg === undefined
        ? '| same on PostgreSQL | not measured (DRIFTWATCH_TEST_PG_URL unset) |'
        : `| same on the PostgreSQL server, default chunks | ${pg.toFixed(1)}/s = ${((100 * pg) / bound).toFixed(1)}% of the bound |`,
      `| per-judgment time, 0 ms server, c=1 (SDK + HTTP + fake + driftwatch) | ${perJudgmentMs.toFixed(2)} ms |`,
      `| bare SDK call, 0 ms server, c=1 | ${sdkMs.toFixed(2)} ms |`,
      `| driftwatch's own part (claims, prompt, budget, verdict, SQL) | ${(perJudgmentMs - sdkMs).toFixed(2)} ms (${(((perJudgmentMs - sdkMs) / perJudgmentMs) * 100).toFixed(0)}%) |`,
    ].join('\n');
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runJudgeThroughputBench());
}
