import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open-db.js';
import { migrate } from '../../src/db/migrate.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import type { FakeServer } from '../support/fakes/fake-http.js';
import { countOutcomes, seedPlantedSamples } from '../support/planted-samples.js';
import { createTestPg, TEST_PG_URL } from '../support/test-db.js';
import { DEFAULT_LEASE_SECONDS } from '../../src/judge/run-judge.js';

const LEASE_SECONDS = 3;
/** Distinct samples the fake processed (and would bill) a judging request for, and how many such requests. */
function served(f: FakeServer): { distinct: number; requests: number } {
  const paid = f.requests.filter((r) => r.usage && r.path === '/v1/messages');
  return {
    distinct: new Set(paid.map((r) => /question ([a-z]+-\d+)/.exec(JSON.stringify(r.json))?.[1])).size,
    requests: paid.length,
  };
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const child = path.join(root, 'test/support/judge-child.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const plan = [
  { taskType: 'summarize', source: 'routing' as const, n: 250, failures: 20 },
  { taskType: 'faq', source: 'cache' as const, n: 100, failures: 3 },
];

/** Runs the child; when `killWhen` turns true it is SIGKILLed. Resolves with its exit signal and stdout. */
function runChild(
  args: string[],
  killWhen?: () => boolean,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; out: string }> {
  return new Promise((resolve) => {
    // node with the tsx loader, not the tsx CLI: the CLI forks a second process SIGKILL would not reach
    const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer =
      killWhen &&
      setInterval(() => {
        if (killWhen()) {
          clearInterval(timer);
          p.kill('SIGKILL');
        }
      }, 5);
    p.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, out });
    });
  });
}

/**
 * A seeded database the child can open: a fresh database on the PostgreSQL server when
 * DRIFTWATCH_TEST_PG_URL is set (fast), else a PGlite folder (initdb makes that slow).
 */
async function freshDb(): Promise<{
  url: string;
  outcomes: () => ReturnType<typeof countOutcomes>;
  lapsed: () => Promise<number>;
  close: () => Promise<void>;
}> {
  const lapsedSql = `select count(*)::int as n from samples where status = 'claimed' and claimed_at < now() - make_interval(secs => ${LEASE_SECONDS})`;
  if (TEST_PG_URL) {
    const db = await createTestPg();
    await seedPlantedSamples(db, plan);
    return {
      url: db.url,
      outcomes: () => countOutcomes(db),
      lapsed: async () => (await db.query<{ n: number }>(lapsedSql)).rows[0]!.n,
      close: () => db.close(),
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-kill-'));
  dirs.push(dir);
  const db = await openDb(dir);
  await migrate(db);
  await seedPlantedSamples(db, plan);
  await db.close();
  const outcomes = async () => {
    const d = await openDb(dir);
    try {
      return await countOutcomes(d);
    } finally {
      await d.close();
    }
  };
  const lapsed = async () => {
    const d = await openDb(dir);
    try {
      return (await d.query<{ n: number }>(lapsedSql)).rows[0]!.n;
    } finally {
      await d.close();
    }
  };
  return { url: dir, outcomes, lapsed, close: async () => {} };
}

describe('judge killed with SIGKILL mid-run and restarted', () => {
  it.each([
    {
      mode: 'realtime',
      provider: 'anthropic',
      start: () =>
        startFakeAnthropic({
          latencyMs: 5,
          faults: { rateLimitEvery: 3, retryAfterMs: 1, serverErrorWhen: (n) => n % 11 === 0 },
        }),
      killAt: (f: FakeServer) => f.requests.length >= 200,
    },
    {
      mode: 'batch',
      provider: 'openai',
      start: () =>
        startFakeOpenAi({
          pollsUntilEnded: 3,
          faults: { rateLimitEvery: 3, retryAfterMs: 1, firstAttemptsOnly: true },
        }),
      killAt: (f: FakeServer & { batches: unknown[] }) => f.batches.length >= 3,
    },
  ] as const)(
    '$mode through $provider: every sample ends judged or pending, none twice',
    async ({ mode, provider, start, killAt }) => {
      const db = await freshDb();
      const fake = await start();
      const lease = mode === 'realtime' ? [String(LEASE_SECONDS)] : [];
      const killed = await runChild([mode, db.url, provider, fake.url, ...lease], () => killAt(fake as never));
      const paidAtKill = served(fake);
      const killedAt = Date.now();
      expect(killed.signal).toBe('SIGKILL');
      const mid = await db.outcomes();
      expect(mid.judgments).toBe(mid.distinctSamples);
      expect(mid.judged + mid.pending + mid.claimed).toBe(mid.total);
      expect(mid.judged).toBeLessThan(mid.total); // really killed mid-run
      if (mode === 'realtime') {
        // every verdict is stored as it arrives: only the calls in flight (concurrency 8) can be lost
        console.info(
          `realtime: the fake served ${paidAtKill.distinct} samples before the kill, ${mid.judgments} verdicts stored`,
        );
        expect(paidAtKill.distinct - mid.judgments).toBeLessThanOrEqual(8);
        // the dead worker's claims lapse after the short lease (no heartbeat renews them), not after 600 s
        expect(DEFAULT_LEASE_SECONDS).toBeLessThanOrEqual(30);
        while ((await db.lapsed()) < mid.claimed) {
          if (Date.now() - killedAt > 60_000)
            throw new Error(`the ${mid.claimed} claims of the killed worker did not lapse within 60 s`);
          await new Promise((r) => setTimeout(r, 100));
        }
        console.info(
          `realtime: ${mid.claimed} claims of the killed worker claimable again after ${Date.now() - killedAt} ms`,
        );
      }
      // restart; under the same faults a few samples may exhaust their retries and stay pending for the next run
      const reruns: { code: number | null; out: string }[] = [];
      let end = mid;
      while (end.pending + end.claimed > 0 && reruns.length < 5) {
        reruns.push(await runChild([mode, db.url, provider, fake.url, ...lease]));
        expect(reruns.at(-1)!.code).toBe(0);
        end = await db.outcomes();
        expect(end.judgments).toBe(end.distinctSamples);
      }
      const rerun = reruns[0]!;
      console.info(
        `${mode}: killed with ${mid.judged} judged, ${mid.pending} pending, ${mid.claimed} claimed; ${reruns.length} rerun(s) -> ${end.judged} judged, ${end.fails} fails`,
      );
      expect(end).toMatchObject({
        total: 350,
        judgments: 350,
        distinctSamples: 350,
        judged: 350,
        pending: 0,
        claimed: 0,
        fails: 23,
      });
      if (mode === 'batch') expect(JSON.parse(rerun.out).resumedBatches).toBeGreaterThan(0);
      // none paid twice beyond the calls in flight at the kill
      if (mode === 'realtime') expect(served(fake).requests - 350).toBeLessThanOrEqual(8);
      await fake.close();
      await db.close();
    },
  );
});
