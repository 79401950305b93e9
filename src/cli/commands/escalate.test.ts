import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.js';
import { openDb } from '../../db/open-db.js';
import { seededRandom } from '../../stats/seeded-random.js';
import { insertJudgedVerdicts } from '../../../test/support/insert-judged-verdicts.js';
import { main, type MainIo } from '../main.js';

const TABLE = `version: 1
tiers:
  trivial: cheap-1     # cheapest first
  standard: mid-1
taskClasses:
  classify: { tier: trivial }
  math: { tier: trivial }
`;

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: MainIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, cwd, isTty: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('driftwatch escalate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dw-cli-esc-'));
    writeFileSync(path.join(dir, 'routing.yaml'), TABLE);
    const db = await openDb('db', dir);
    await migrate(db);
    const rand = seededRandom(5);
    await insertJudgedVerdicts(
      db,
      'math',
      400,
      Array.from({ length: 400 }, (_, i) => i + 1).filter(() => rand() < 0.1),
    );
    await insertJudgedVerdicts(db, 'classify', 400, [100, 300]);
    await db.close();
  });

  it('prints decisions and the diff as JSON without touching routing.yaml', async () => {
    const r = await cli(dir, 'escalate', '--json', '--db', 'db');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.routingTableChanged).toBe(false);
    expect(out.diff).toContain('+  math: { tier: standard, escalatedFrom: trivial');
    const math = out.classes.find((c: { taskType: string }) => c.taskType === 'math');
    for (const k of [
      'taskType',
      'model',
      'tier',
      'sampled',
      'judged',
      'failures',
      'errorRate',
      'lower',
      'upper',
      'decision',
      'to',
      'statistic',
      'threshold',
      'reason',
    ])
      expect(math).toHaveProperty(k);
    expect(math).toMatchObject({
      decision: 'escalate',
      to: 'standard',
      tier: 'trivial',
      model: 'cheap-1',
      judged: 400,
      sampled: 400,
    });
    expect(out.classes.find((c: { taskType: string }) => c.taskType === 'classify')).toMatchObject({
      decision: 'hold',
      failures: 2,
    });
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).toBe(TABLE);
  });

  it('--apply writes the pending escalation and reports it in text', async () => {
    const r = await cli(dir, 'escalate', '--apply', '--db', 'db');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/math \(trivial, cheap-1\): escalate -> standard \(applied\)/);
    expect(r.stdout).toMatch(/routing\.yaml written \(version 2\)/);
    expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).toMatch(
      /^version: 2\n[\s\S]* {2}math: \{ tier: standard, escalatedFrom: trivial/,
    );
  });

  it('exits 2 naming file and line for a broken routing.yaml', async () => {
    writeFileSync(path.join(dir, 'routing.yaml'), TABLE.replace('math: { tier: trivial }', 'math: { tier: gold }'));
    const r = await cli(dir, 'escalate', '--db', 'db');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/routing\.yaml:7: taskClasses\.math\.tier: unknown tier "gold"/);
  });
});

describe('driftwatch simulate', () => {
  it('--quick --json --out writes the markdown table and prints the figures', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-cli-sim-'));
    const r = await cli(dir, 'simulate', '--quick', '--json', '--volumes', '100', '--out', 'sim.md');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.volumes[0]).toMatchObject({ judgedPerDay: 100, H: 170, m: 32 });
    expect(out.volumes[0].rules.map((x: { rule: string }) => x.rule)).toEqual([
      'cusum',
      'cusum-nightly',
      'live-nightly',
      'live-daemon',
      'naive-1d',
    ]);
    const daemon = out.volumes[0].rules.find((x: { rule: string }) => x.rule === 'live-daemon').live;
    expect(daemon).toMatchObject({ mode: 'daemon', intervalMinutes: 5, requestsPerDay: 2066 });
    expect(daemon.falseAt2).toEqual(
      expect.objectContaining({
        per30d: expect.any(Number),
        lower: expect.any(Number),
        upper: expect.any(Number),
        events: expect.any(Number),
      }),
    );
    expect(out.live).toMatchObject({ intervalMinutes: 5, judge: { fp: 0, fn: 0 } });
    const md = readFileSync(path.join(dir, 'sim.md'), 'utf8');
    expect(md).toMatch(/\| 100 \| design: CUSUM, exact, streaming, no boost \| 170 \| 0\.047 \|/);
    expect(md).toMatch(/## Live policy[\s\S]*\| 100 \| nightly \| 2066 \([\s\S]*\| 100 \| daemon 5 min \| 2066 \(/);
  }, 240_000);

  it('rejects a daemon interval that does not divide the day, and judge rates out of range, with exit 2', async () => {
    const r = await cli(tmpdir(), 'simulate', '--interval', '7');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--interval: expected the daemon interval in minutes/);
    const j = await cli(tmpdir(), 'simulate', '--judge-fp', '0.7');
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/--judge-fp: expected a rate/);
  });

  it('rejects bad volumes with exit 2', async () => {
    const r = await cli(tmpdir(), 'simulate', '--volumes', '100,abc');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--volumes: expected/);
  });
});
