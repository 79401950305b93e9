import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { loadEnv } from '../../src/config/load-env.js';
import { createDaemonCycles } from '../../src/daemon/create-daemon-cycles.js';
import { runDaemon } from '../../src/daemon/run-daemon.js';
import { createTestPglite } from '../support/test-db.js';
import { storeRoutingEvents } from '../../src/ingest/store-events.js';
import { createJudgeClient } from '../../src/judge/providers/create-judge-client.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { makeRoutingEvent } from '../support/make-events.js';
import { writeRoutingYaml } from '../support/nightly-fixture.js';

const REF = 'The customer wants a refund for order 1234 because the parcel arrived two weeks late.';

describe('daemon leader with --batch (OpenAI SDK against the local batch fake)', () => {
  it('submits one batch, never waits on it inside a cycle, and collects it in the cycle after it ends', async () => {
    const db = await createTestPglite();
    const openai = await startFakeOpenAi({ pollsUntilEnded: 1 }); // the 1st look says in_progress, the 2nd ended
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-daemon-batch-'));
    writeRoutingYaml(cwd);
    try {
      await storeRoutingEvents(
        db,
        Array.from({ length: 45 }, (_, i) =>
          makeRoutingEvent({
            id: `d-${i}`,
            ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
            taskType: 'summarize',
            model: 'claude-3-5-haiku-20241022',
            response: i < 30 ? REF : i < 40 ? `PLANTED_ERROR wrong summary ${i}` : `Client asks money back (${i}).`,
            reference: REF,
          }),
        ),
      );
      const env = loadEnv({ OPENAI_API_KEY: 'sk-daemonbatch0123456789', OPENAI_BASE_URL: `${openai.url}/v1` });
      const judgeClient = createJudgeClient({ provider: 'openai', model: 'gpt-4o', env });
      const lines: Record<string, unknown>[] = [];
      const now = () => new Date('2026-11-26T02:00:00Z');
      const cycle = createDaemonCycles({
        role: 'leader',
        loaded: { config: configSchema.parse({}), baseDir: cwd },
        judgeClient,
        now,
        log: (l) => void lines.push(l),
        flags: {
          rate: 1,
          judge: {
            provider: 'openai',
            model: 'gpt-4o',
            batch: true,
            maxCostUsd: 1,
            poll: { initialMs: 1, factor: 1, maxMs: 5 },
          },
        },
        actor: 'test-daemon',
      });
      const out = await runDaemon(
        {
          role: 'leader',
          intervalMs: 0,
          maxCycles: 3,
          acquire: async () => ({ db, release: async () => {} }),
          cycle,
          sleep: async () => {},
          now,
          log: (l) => void lines.push(l),
        },
        { signal: new AbortController().signal },
      );
      expect(out).toMatchObject({ workCycles: 3, failedCycles: 0 });
      const cycles = lines.filter((l) => l.event === 'cycle');
      // 30 answers equal the reference: passed without a request (cheap first); 15 go into the batch
      expect(cycles.map((c) => [c.judged, c.openBatches])).toEqual([
        [30, 1],
        [0, 1],
        [15, 0],
      ]);
      expect(openai.requests.filter((q) => q.path === '/v1/batches' && q.method === 'POST')).toHaveLength(1);
      expect(openai.batches[0]!.lines).toHaveLength(15);
      const verdicts = await db.query<{ verdict: string; n: number }>(
        `select verdict, count(*)::int as n from judgments group by 1 order by 1`,
      );
      expect(verdicts.rows).toEqual([
        { verdict: 'fail', n: 10 },
        { verdict: 'pass', n: 35 },
      ]);
      expect(String(cycles[2]!.decisions)).toMatch(/summarize:/);
    } finally {
      await db.close();
      await openai.close();
    }
  });
});
