import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { countOutcomes, seedPlantedSamples } from '../support/planted-samples.js';

const ANTHROPIC_KEY = 'sk-ant-cli-secret-0123456789';
const OPENAI_KEY = 'sk-cli-secret-0123456789abcdef';
let dir: string;
async function run(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '--db', path.join(dir, 'db')], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env,
    cwd: dir,
    isTty: false,
  });
  return { code, out, err };
}

describe('driftwatch judge with a reference model (CLI, local provider servers)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dw-cli-llm-'));
    const db = await openDb(path.join(dir, 'db'), dir);
    await migrate(db);
    await seedPlantedSamples(db, [
      { taskType: 'summarize', source: 'routing', n: 200, failures: 16 },
      { taskType: 'faq', source: 'cache', n: 100, failures: 3 },
    ]);
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('judge --judge anthropic --max-cost-usd 0.01 stops at the budget, under the cap, key never printed', async () => {
    const fake = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY });
    const r = await run(
      { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_BASE_URL: fake.url },
      'judge',
      '--judge',
      'anthropic',
      '--model',
      'claude-sonnet-4',
      '--max-cost-usd',
      '0.01',
      '--json',
    );
    await fake.close();
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4', stoppedByBudget: true });
    expect(out.calls).toBe(fake.requests.length);
    expect(out.calls).toBeGreaterThan(0);
    expect(out.costUsd).toBeLessThanOrEqual(0.01);
    expect(r.out + r.err).not.toContain(ANTHROPIC_KEY);
  });

  it('judge --judge openai --batch judges the rest through the Batch API and counts the planted failures exactly', async () => {
    const fake = await startFakeOpenAi({ apiKey: OPENAI_KEY, pollsUntilEnded: 0 });
    const r = await run(
      { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${fake.url}/v1` },
      'judge',
      '--judge',
      'openai',
      '--model',
      'gpt-4o',
      '--batch',
      '--json',
    );
    await fake.close();
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ provider: 'openai', pending: 0, batches: 1, resumedBatches: 0 });
    expect(fake.unknownRoutes).toEqual([]);
    const db = await openDb(path.join(dir, 'db'), dir);
    const c = await countOutcomes(db);
    await db.close();
    expect(c).toMatchObject({ total: 300, judged: 300, judgments: 300, distinctSamples: 300, fails: 19 });
    const classes = Object.fromEntries(
      out.classes.map((k: { taskType: string; failures: number }) => [k.taskType, k.failures]),
    );
    expect(classes).toMatchObject({ summarize: 16 });
    expect(r.out + r.err).not.toContain(OPENAI_KEY);
  });
});
