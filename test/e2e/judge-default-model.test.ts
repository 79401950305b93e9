import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { defaultJudgeModel } from '../../src/judge/default-judge-model.js';
import { priceCatalog } from '../../src/routing/price-catalog.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { makeRoutingEvent, writeJsonl } from '../support/make-events.js';
import { runCli } from '../support/run-cli.js';
import { writeRoutingYaml } from '../support/nightly-fixture.js';

const REF = 'The customer wants a refund for order 1234 because the parcel arrived two weeks late.';

/** A folder with routing.yaml and 30 summarize events the offline comparator cannot pass (each needs a call). */
async function setUp(prefix: string): Promise<{ cwd: string; db: string[] }> {
  const cwd = mkdtempSync(path.join(tmpdir(), prefix));
  writeRoutingYaml(cwd);
  const events = Array.from({ length: 30 }, (_, i) =>
    makeRoutingEvent({
      id: `dm-${i}`,
      ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
      taskType: 'summarize',
      model: 'claude-3-5-haiku-20241022',
      prompt: `Summarize ticket ${i}`,
      response: i < 5 ? `PLANTED_ERROR wrong ${i}` : `Client asks money back: delivery delayed (${i}).`,
      reference: REF,
    }),
  );
  writeJsonl(path.join(cwd, 'events.jsonl'), events);
  const db = ['--db', path.join(cwd, 'db')];
  expect((await runCli(['ingest', path.join(cwd, 'events.jsonl'), ...db], { cwd })).code).toBe(0);
  return { cwd, db };
}

describe('the default reference model per provider (no --model)', () => {
  it('the catalog names a priced default for each provider', () => {
    for (const p of ['anthropic', 'openai'] as const) expect(priceCatalog.models[defaultJudgeModel(p)]).toBeDefined();
  });

  it('nightly --judge anthropic without --model runs with the catalog default and names it in stdout, --json and the report', {
    timeout: 300_000,
  }, async () => {
    const { cwd, db } = await setUp('dw-defmodel-a-');
    const model = defaultJudgeModel('anthropic');
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-default-model-0123456789' });
    const env = { ANTHROPIC_API_KEY: 'sk-ant-default-model-0123456789', ANTHROPIC_BASE_URL: fake.url };
    try {
      const text = await runCli(['nightly', '--rate', '1', '--judge', 'anthropic', '--out', 'night.md', ...db], {
        cwd,
        env,
      });
      expect(text.stderr).not.toMatch(/needs --model/);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`judged with anthropic ${model}`);
      const sent = fake.requests
        .filter((q) => q.path === '/v1/messages')
        .map((q) => (q.json as { model: string }).model);
      expect(sent.length).toBe(30);
      expect(new Set(sent)).toEqual(new Set([model]));
      expect(readFileSync(path.join(cwd, 'night.md'), 'utf8')).toContain(`anthropic (${model})`);
    } finally {
      await fake.close();
    }
    const json = await runCli(['judge', '--judge', 'anthropic', '--json', ...db], {
      cwd,
      env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(JSON.parse(json.stdout)).toMatchObject({ provider: 'anthropic', model, calls: 0 }); // nothing left to judge, no call made
  });

  it('nightly --judge openai --batch without --model batches with the catalog default and names it', {
    timeout: 300_000,
  }, async () => {
    const { cwd, db } = await setUp('dw-defmodel-o-');
    const model = defaultJudgeModel('openai');
    const fake = await startFakeOpenAi({ apiKey: 'sk-default-model-0123456789', pollsUntilEnded: 0 });
    try {
      const r = await runCli(['nightly', '--rate', '1', '--judge', 'openai', '--batch', '--json', ...db], {
        cwd,
        env: { OPENAI_API_KEY: 'sk-default-model-0123456789', OPENAI_BASE_URL: `${fake.url}/v1` },
      });
      expect(r.stderr).not.toMatch(/needs --model/);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.judge).toMatchObject({ provider: 'openai', model, judged: 30, pending: 0 });
      expect(out.classes.find((c: { taskType: string }) => c.taskType === 'summarize')).toMatchObject({
        judged: 30,
        failures: 5,
      });
      const lines = [...fake.files.values()].filter((f) => f.includes('"custom_id"') && f.includes('"method"'));
      expect(lines.join('\n')).toContain(`"model":"${model}"`);
      expect(readFileSync(path.join(cwd, out.report), 'utf8')).toContain(`openai (${model}), batch`);
    } finally {
      await fake.close();
    }
  });

  it('init writes the default model into driftwatch.yaml (active with --judge, commented without)', {
    timeout: 300_000,
  }, async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    expect((await runCli(['init'], { cwd: plain })).code).toBe(0);
    const text = readFileSync(path.join(plain, 'driftwatch.yaml'), 'utf8');
    expect(text).toContain(`# model: ${defaultJudgeModel('anthropic')}`);
    expect(text).toContain(`openai ${defaultJudgeModel('openai')}`);
    expect(loadConfig(undefined, plain).config.judge.model).toBeUndefined();

    const withJudge = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    const r = await runCli(['init', '--judge', 'openai', '--json'], { cwd: withJudge });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).judge).toEqual({ provider: 'openai', model: defaultJudgeModel('openai') });
    expect(loadConfig(undefined, withJudge).config.judge).toMatchObject({
      provider: 'openai',
      model: defaultJudgeModel('openai'),
    });
    expect(
      (await runCli(['init', '--judge', 'mistral'], { cwd: mkdtempSync(path.join(tmpdir(), 'dw-init-')) })).code,
    ).toBe(2);
  });
});
