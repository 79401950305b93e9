import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { configSchema } from '../../src/config/config-schema.js';
import { createDaemonCycles } from '../../src/daemon/create-daemon-cycles.js';
import { daemonExitCode, runDaemon } from '../../src/daemon/run-daemon.js';
import { createJudgeClient } from '../../src/judge/providers/create-judge-client.js';
import { migrate } from '../../src/db/migrate.js';
import { openDb } from '../../src/db/open-db.js';
import { storeRoutingEvents } from '../../src/ingest/store-events.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { seedPlantedSamples } from '../support/planted-samples.js';
import { makeRoutingEvent } from '../support/make-events.js';
import { spawnCli } from '../support/spawn-cli.js';
import { writeRoutingYaml } from '../support/nightly-fixture.js';

const KEY = 'sk-test-loud-0123456789abcdef';
const REF = 'The customer wants a refund for order 1234 because the parcel arrived two weeks late.';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A folder with routing.yaml and an embedded database holding 40 summarize events no comparator can pass. */
async function workspace(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-loud-'));
  dirs.push(dir);
  writeRoutingYaml(dir);
  const db = await openDb(path.join(dir, 'db'), dir);
  await migrate(db);
  await storeRoutingEvents(
    db,
    Array.from({ length: 40 }, (_, i) =>
      makeRoutingEvent({
        id: `loud-${i}`,
        ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
        taskType: 'summarize',
        model: 'claude-3-5-haiku-20241022',
        prompt: `Summarize ticket #${i}#`,
        response: `Client asks money back (${i}).`,
        reference: REF,
      }),
    ),
  );
  await db.close();
  return dir;
}

async function run(
  dir: string,
  env: NodeJS.ProcessEnv,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
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

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('a dead judge is a failed run (CLI)', () => {
  it('nightly with an unreachable OpenAI base URL exits 4 with one line naming provider, base URL and error; the run is recorded failed', async () => {
    const dir = await workspace();
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const r = await run(
      dir,
      { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url },
      'nightly',
      '--judge',
      'openai',
      '--model',
      'gpt-4o-mini',
      '--rate',
      '1',
      '--quiet',
    );
    expect(r.code).toBe(4);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^driftwatch nightly: the openai judge at ${url.replace(/[.]/g, '\\.')} \\(model gpt-4o-mini\\) could not judge: \\d+ of \\d+ calls failed \\(connection \\d+\\).*ECONNREFUSED`,
      ),
    );
    expect(r.err).not.toContain(KEY);
    const db = await openDb(path.join(dir, 'db'), dir);
    const runs = await db.query<{ status: string }>(`select status from runs where kind = 'nightly'`);
    const pending = await db.query<{ n: number }>(`select count(*)::int as n from samples where status = 'pending'`);
    await db.close();
    expect(runs.rows).toEqual([{ status: 'failed' }]);
    expect(pending.rows[0]!.n).toBe(40);
  }, 300_000);

  it('nightly --json through a partial outage (every 5th call fails for good) exits 0 with the failures in --json and the report', async () => {
    const dir = await workspace();
    const every5th = (json: unknown) => Number(/ticket #(\d+)#/.exec(JSON.stringify(json))?.[1] ?? 1) % 5 === 0;
    const fake = await startFakeOpenAi({ apiKey: KEY, faults: { serverErrorFor: every5th, retryAfterMs: 1 } });
    const r = await run(
      dir,
      { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${fake.url}/v1` },
      'nightly',
      '--judge',
      'openai',
      '--model',
      'gpt-4o-mini',
      '--rate',
      '1',
      '--json',
    );
    await fake.close();
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.judge).toMatchObject({
      calls: 40,
      judged: 32,
      pending: 8,
      callFailures: { total: 8, byCause: { server_error: 8 } },
    });
    const report = readFileSync(path.join(dir, out.report), 'utf8');
    expect(report).toMatch(/failed calls \| 8 \(server_error 8\)/);
    expect(report).toMatch(/Partial judge outage/);
  }, 300_000);

  it('the daemon keeps running through a dead judge: each cycle is logged cycle_failed (judge_unavailable) and its run recorded failed', async () => {
    const dir = await workspace();
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const db = await openDb(path.join(dir, 'db'), dir);
    try {
      const judgeClient = createJudgeClient({
        provider: 'openai',
        model: 'gpt-4o-mini',
        env: { openaiApiKey: KEY, openaiBaseUrl: url, isTty: false },
        maxRetries: 0,
      });
      const lines: Record<string, unknown>[] = [];
      const loaded = { config: configSchema.parse({}), baseDir: dir };
      const cycle = createDaemonCycles({
        role: 'leader',
        loaded,
        judgeClient,
        now: () => new Date(),
        log: (l) => void lines.push(l),
        flags: { rate: 1, judge: { provider: 'openai', model: 'gpt-4o-mini' } },
        actor: 'daemon-test',
      });
      const out = await runDaemon(
        {
          role: 'leader',
          intervalMs: 1,
          maxCycles: 2,
          acquire: async () => ({ db, release: async () => {} }),
          cycle,
          sleep: async () => {},
          now: () => new Date(),
          log: (l) => void lines.push(l),
        },
        { signal: new AbortController().signal },
      );
      expect(out).toMatchObject({ cycles: 2, failedCycles: 2, stoppedBy: 'max-cycles' });
      expect(daemonExitCode(out)).toBe(4); // the CLI's exit: the run could not do its job
      const failed = lines.filter((l) => l.event === 'cycle_failed');
      expect(failed).toHaveLength(2);
      expect(failed[0]).toMatchObject({ code: 'judge_unavailable' });
      expect(String(failed[0]!.error)).toContain(`the openai judge at ${url}`);
      const runs = await db.query<{ status: string }>(`select status from runs where kind = 'daemon'`);
      expect(runs.rows).toEqual([{ status: 'failed' }, { status: 'failed' }]);
    } finally {
      await db.close();
    }
  }, 300_000);

  it('judge --json stays one JSON object on stdout with ANTHROPIC_LOG=debug (SDK logs go to stderr)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-sdklog-'));
    dirs.push(dir);
    const db = await openDb(path.join(dir, 'db'), dir);
    await migrate(db);
    await seedPlantedSamples(db, [{ taskType: 'summarize', source: 'routing', n: 5, failures: 1 }]);
    await db.close();
    const fake = await startFakeAnthropic({ apiKey: KEY });
    const child = spawnCli(
      ['judge', '--judge', 'anthropic', '--model', 'claude-sonnet-4', '--json', '--db', path.join(dir, 'db')],
      {
        cwd: dir,
        env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_LOG: 'debug' },
      },
    );
    const code = await child.exited;
    await fake.close();
    expect(code).toBe(0);
    const out = JSON.parse(child.stdout());
    expect(out).toMatchObject({ provider: 'anthropic', judged: 5, calls: 5 });
    expect(child.lines.some((l) => String(l.text ?? '').includes('sending request'))).toBe(true); // the SDK did log, on stderr
    expect(child.stdout() + child.lines.map((l) => String(l.text ?? '')).join('\n')).not.toContain(KEY);

    const openai = await startFakeOpenAi({ apiKey: KEY });
    const more = await openDb(path.join(dir, 'db'), dir); // five new samples for the OpenAI judge, with OPENAI_LOG=debug
    await seedPlantedSamples(more, [{ taskType: 'faq', source: 'cache', n: 5, failures: 1 }]);
    await more.close();
    const o = spawnCli(
      ['judge', '--judge', 'openai', '--model', 'gpt-4o', '--json', '--retry-errors', '--db', path.join(dir, 'db')],
      {
        cwd: dir,
        env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${openai.url}/v1`, OPENAI_LOG: 'debug' },
      },
    );
    expect(await o.exited).toBe(0);
    await openai.close();
    expect(JSON.parse(o.stdout())).toMatchObject({ provider: 'openai', judged: 5, calls: 5 });
    expect(o.lines.some((l) => String(l.text ?? '').includes('sending request'))).toBe(true);
  }, 300_000);
});
