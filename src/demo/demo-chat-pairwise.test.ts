import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { loadEnv } from '../config/load-env.js';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { storeRoutingEvents } from '../ingest/store-events.js';
import { computeClassRates } from '../judge/compute-class-rates.js';
import { createJudgeClient } from '../judge/providers/create-judge-client.js';
import { runJudge } from '../judge/run-judge.js';
import { createRouter } from '../routing/create-router.js';
import { runSample } from '../sampler/run-sample.js';
import { pairwiseAnswers } from '../../test/support/fakes/fake-http.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../../test/support/fakes/fake-openai-server.js';
import { buildNightTraffic } from './build-night-traffic.js';
import { DEMO_ROUTING_YAML } from './demo-files.js';
import { CHEAP_MODEL, loadMtBenchRecordings, PREMIUM_MODEL } from './load-recordings.js';

const NOW = new Date('2026-11-26T02:00:00Z');
const words = (s: string) => s.trim().split(/\s+/).length;

describe('the demo chat class (MT-bench, no gold answers) with an LLM judge', () => {
  let db: Db;
  let fake: FakeOpenAiServer;
  const chat = loadMtBenchRecordings();
  beforeAll(async () => {
    db = await createTestPglite();
    // a deterministic stand-in for a judge: the answer with more words wins, equal length is a tie
    fake = await startFakeOpenAi({
      judge: ({ prompt }) => {
        const p = pairwiseAnswers(prompt)!;
        return JSON.stringify({
          winner: words(p.a) === words(p.b) ? 'tie' : words(p.a) > words(p.b) ? 'A' : 'B',
          reason: 'longer',
        });
      },
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-demo-chat-'));
    writeFileSync(path.join(dir, 'routing.yaml'), DEMO_ROUTING_YAML);
    const router = createRouter({ path: path.join(dir, 'routing.yaml'), checkEveryMs: 0 });
    const events = buildNightTraffic(
      { math: [], chat, intents: [], classifier: { classify: () => '' } as never },
      router,
      0,
      1,
      new Date('2026-11-25T00:00:00Z'),
    );
    expect(
      events.every((e) => e.model === CHEAP_MODEL && e.premiumModel === PREMIUM_MODEL && e.reference === undefined),
    ).toBe(true);
    await storeRoutingEvents(db, events);
    const config = configSchema.parse({});
    await runSample({ db, now: () => NOW, log: () => {} }, { sampler: config.sampler, cache: config.cache, rate: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await fake?.close();
  });

  it("judges every chat answer pairwise against GPT-4 Turbo's recorded one (was: all unjudgeable)", {
    timeout: 300_000,
  }, async () => {
    const client = createJudgeClient({
      provider: 'openai',
      env: loadEnv({ OPENAI_API_KEY: 'sk-demo-chat-0123456789', OPENAI_BASE_URL: `${fake.url}/v1` }),
    });
    const r = await runJudge({ db, client, now: () => NOW }, {});
    // both orders each; an answer identical to the premium one passes without a call
    const identical = chat.filter((c) => c.responses[PREMIUM_MODEL].trim() === c.responses[CHEAP_MODEL].trim()).length;
    expect(r).toMatchObject({
      judged: chat.length,
      unjudgeable: 0,
      calls: 2 * (chat.length - identical),
      callsSaved: identical,
    });
    // worse than premium = the premium answer is longer (the stand-in judge's rule) in both orders
    const expected = chat.filter((c) => words(c.responses[PREMIUM_MODEL]) > words(c.responses[CHEAP_MODEL])).length;
    const rate = (await computeClassRates(db)).find((c) => c.source === 'routing' && c.taskType === 'chat')!;
    expect(rate).toMatchObject({ n: chat.length, failures: expected });
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(chat.length);
  });
});
