import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { createTestPglite } from '../support/test-db.js';
import { storeRoutingEvents } from '../../src/ingest/store-events.js';
import { startFakeAnthropic, type FakeAnthropicServer } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { makeRoutingEvent } from '../support/make-events.js';
import { writeRoutingYaml } from '../support/nightly-fixture.js';
import { runJudgedNightly } from '../support/run-judged-nightly.js';

const KEY = 'sk-ant-api03-nightlytestkey0123456789abcdef';
const REF = 'The customer wants a refund for order 1234 because the parcel arrived two weeks late.';

describe('nightly with the Anthropic judge (official SDK against a local wire-format fake)', () => {
  let db: Db;
  let fake: FakeAnthropicServer;
  let cwd: string;
  beforeAll(async () => {
    db = await createTestPglite();
    fake = await startFakeAnthropic({ apiKey: KEY });
    cwd = mkdtempSync(path.join(tmpdir(), 'dw-nightly-llm-'));
    writeRoutingYaml(cwd);
    // 30 answers match the reference (a comparator passes them, no call); 10 differ and carry the
    // fake judge's failure marker (a call each, verdict fail); 5 differ without it (a call, pass).
    const events = Array.from({ length: 45 }, (_, i) =>
      makeRoutingEvent({
        id: `llm-${i}`,
        ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
        taskType: 'summarize',
        model: 'claude-3-5-haiku-20241022',
        prompt: `Summarize ticket ${i} from jane@example.com`,
        response:
          i < 30
            ? REF
            : i < 40
              ? `PLANTED_ERROR wrong summary ${i}`
              : `Client asks money back: delivery delayed (${i}).`,
        reference: REF,
      }),
    );
    await storeRoutingEvents(db, events);
  });
  afterAll(async () => {
    await db.close();
    await fake.close();
  });

  it('pays only for answers a comparator cannot pass, reports calls and spend, and never writes the key', async () => {
    const r = await runJudgedNightly({
      db,
      cwd,
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url },
    });

    expect(r.json!.judge).toMatchObject({
      provider: 'anthropic',
      calls: 15,
      judged: 45,
      pending: 0,
      stoppedByBudget: false,
    });
    expect(r.json!.judge.costUsd).toBeGreaterThan(0);
    expect(r.json!.judge.costUsd).toBeLessThan(1);
    expect(fake.requests.filter((q) => q.path === '/v1/messages')).toHaveLength(15);
    const summarize = r.json!.classes.find((c) => c.taskType === 'summarize')!;
    expect(summarize).toMatchObject({ judged: 45, failures: 10, decision: 'insufficient' }); // 45 < 50 verdicts

    const md = readFileSync(r.reportFile!, 'utf8');
    expect(md).toMatch(/\| calls \| 15 \|/);
    expect(md).toMatch(/\| spend \| \$\d+\.\d+ of a \$1\.00 budget \|/);
    expect(md).not.toContain('jane@example.com');
    const stored =
      JSON.stringify((await db.query(`select * from runs`)).rows) +
      JSON.stringify((await db.query(`select * from judgments`)).rows);
    expect(md + stored).not.toContain(KEY);
    expect(md + stored).not.toContain('nightlytestkey');
  });

  it('judges through the OpenAI batch API with --batch: one batch, exact failures, nothing pending', async () => {
    const batchDb = await createTestPglite();
    const openai = await startFakeOpenAi({ pollsUntilEnded: 2 });
    try {
      const events = Array.from({ length: 45 }, (_, i) =>
        makeRoutingEvent({
          id: `b-${i}`,
          ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
          taskType: 'summarize',
          model: 'gpt-4o-mini',
          response: i < 10 ? `PLANTED_ERROR wrong summary ${i}` : `Client asks money back (${i}).`,
          reference: REF,
        }),
      );
      await storeRoutingEvents(batchDb, events);
      const r = await runJudgedNightly({
        db: batchDb,
        cwd,
        provider: 'openai',
        model: 'gpt-4o',
        env: { OPENAI_API_KEY: 'sk-batchtestkey0123456789', OPENAI_BASE_URL: `${openai.url}/v1` },
        judge: { batch: true, maxCostUsd: 1, poll: { initialMs: 1, factor: 1, maxMs: 5 } },
      });
      expect(r.json!.judge).toMatchObject({ provider: 'openai', judged: 45, pending: 0 });
      expect(r.json!.classes.find((c) => c.taskType === 'summarize')).toMatchObject({ judged: 45, failures: 10 });
      expect(openai.requests.filter((q) => q.path === '/v1/batches' && q.method === 'POST')).toHaveLength(1);
    } finally {
      await batchDb.close();
      await openai.close();
    }
  });
});
