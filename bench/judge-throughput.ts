// Real-time judge throughput against a local Anthropic-wire server: achieved judgments/s at 200 ms
// latency and concurrency 16 versus the 80/s bound (concurrency / latency), and driftwatch's own
// per-judgment overhead with a 0 ms server, side by side with a bare SDK call.
import { createTestPglite } from '../src/db/test-db.js';
import type { Db } from '../src/db/db.js';
import { createJudgeClient } from '../src/judge/providers/create-judge-client.js';
import { runRealtimeJudge } from '../src/judge/provider-judge/run-realtime-judge.js';
import { startFakeAnthropic } from '../test/fakes/fake-anthropic-server.js';
import { resetJudgeTables, seedPlantedSamples, testRubric } from '../test/fixtures/planted-samples.js';

const MODEL = 'claude-sonnet-4';

async function timedRun(db: Db, n: number, latencyMs: number, concurrency: number): Promise<{ seconds: number; judged: number; fails: number }> {
  await resetJudgeTables(db);
  await seedPlantedSamples(db, [{ taskType: 'bench', source: 'routing', n, failures: Math.round(n * 0.05) }]);
  const fake = await startFakeAnthropic({ latencyMs });
  const client = createJudgeClient({ provider: 'anthropic', model: MODEL, env: { anthropicApiKey: 'sk-ant-bench-000000', anthropicBaseUrl: fake.url, isTty: false } });
  const t0 = performance.now();
  const s = await runRealtimeJudge({ db, client }, { ...testRubric(), concurrency });
  const seconds = (performance.now() - t0) / 1000;
  await fake.close();
  return { seconds, judged: s.judged, fails: s.fail };
}

async function bareSdkMs(n: number): Promise<number> {
  const fake = await startFakeAnthropic();
  const client = createJudgeClient({ provider: 'anthropic', model: MODEL, env: { anthropicApiKey: 'sk-ant-bench-000000', anthropicBaseUrl: fake.url, isTty: false } });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await client.complete({ customId: `b${i}`, system: 'judge', prompt: `answer ${i} correct`, maxTokens: 64 });
  const ms = (performance.now() - t0) / n;
  await fake.close();
  return ms;
}

/** Runs the bench once; returns a markdown section with the figures. */
export async function runJudgeThroughputBench(options: { judgments?: number; overheadJudgments?: number; concurrency?: number; latencyMs?: number } = {}): Promise<string> {
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
    const zero = await timedRun(db, m, 0, 1);
    const perJudgmentMs = (zero.seconds * 1000) / zero.judged;
    const sdkMs = await bareSdkMs(m);
    return [
      `## Judge throughput: real time through the Anthropic SDK against a local server`,
      '',
      `PGlite in memory, ${n} judgments at ${latencyMs} ms server latency and concurrency ${concurrency} (bound ${bound}/s = concurrency / latency); overhead from ${m} judgments at 0 ms latency, concurrency 1.`,
      '',
      '| measure | value |',
      '|---|---:|',
      `| achieved judgments/s at ${latencyMs} ms, c=${concurrency} | ${rate.toFixed(1)} |`,
      `| share of the ${bound}/s bound | ${((100 * rate) / bound).toFixed(1)}% (target >= 90%: ${rate >= 0.9 * bound ? 'met' : 'NOT met'}) |`,
      `| judged / planted failures found | ${loaded.judged} / ${loaded.fails} |`,
      `| per-judgment time, 0 ms server, c=1 (SDK + HTTP + fake + driftwatch) | ${perJudgmentMs.toFixed(2)} ms |`,
      `| bare SDK call, 0 ms server, c=1 | ${sdkMs.toFixed(2)} ms |`,
      `| driftwatch's own part (prompt, budget, verdict, SQL) | ${(perJudgmentMs - sdkMs).toFixed(2)} ms (${((perJudgmentMs - sdkMs) / perJudgmentMs * 100).toFixed(0)}%) |`,
    ].join('\n');
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runJudgeThroughputBench());
}
