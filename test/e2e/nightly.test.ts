import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb } from '../../src/db/pglite-db.js';
import { createRouter } from '../../src/routing/create-router.js';
import { callCostUsd } from '../../src/routing/price-catalog.js';
import { runCli } from '../support/run-cli.js';
import { E2E_ROUTING_YAML, writeE2eEvents, writeRoutingYaml } from '../support/nightly-fixture.js';

describe('driftwatch nightly end to end (embedded database, offline judge)', () => {
  let cwd: string;
  let routing: string;
  let dbArgs: string[];
  const cli = (...args: string[]) => runCli([...args, ...dbArgs], { cwd });

  beforeAll(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'dw-nightly-'));
    routing = writeRoutingYaml(cwd);
    writeE2eEvents(path.join(cwd, 'events.jsonl'));
    dbArgs = ['--db', path.join(cwd, 'db')];
    const ingest = await cli('ingest', path.join(cwd, 'events.jsonl'), '--json'); // absolute: ingest resolves against process.cwd()
    expect(JSON.parse(ingest.stdout)).toEqual({ routing: 2500, cache: 300, duplicates: 0 });
  });

  it('without --apply decides, records and reports, and leaves routing.yaml byte-identical', async () => {
    const before = readFileSync(routing);
    const r = await cli('nightly', '--rate', '1', '--json');
    expect(r.stderr).not.toMatch(/unexpected/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.routingTableChanged).toBe(false);
    expect(out.judge).toMatchObject({ provider: 'offline', calls: 0, costUsd: 0 });
    const byClass = Object.fromEntries(out.classes.map((c: { taskType: string }) => [c.taskType, c]));
    expect(byClass.classify).toMatchObject({
      model: 'gpt-4o-mini',
      tier: 'trivial',
      sampled: 1000,
      judged: 1000,
      failures: 10,
      decision: 'hold',
    });
    expect(byClass.summarize).toMatchObject({
      tier: 'standard',
      sampled: 1000,
      judged: 1000,
      failures: 80,
      errorRate: 0.08,
      decision: 'escalate',
      to: 'complex',
    });
    expect(byClass.compliance_check).toMatchObject({ tier: 'standard', judged: 500, failures: 40, decision: 'hold' });
    expect(byClass.summarize.lower).toBeGreaterThan(0.0303);
    expect(out.cache).toMatchObject({ sampledHits: 300, falseHits: 6, falseHitRate: 0.02 });
    expect(out.cache.upper).toBeCloseTo(0.043, 3); // Clopper-Pearson 95% upper bound for 6/300
    expect(readFileSync(routing)).toEqual(before);
    const report = readFileSync(path.join(cwd, out.report), 'utf8');
    expect(out.report).toMatch(/^reports\/\d{4}-\d{2}-\d{2}-nightly\.md$/);
    expect(report).not.toContain('xychart-beta');
    // the charts beside the report, referenced relatively; --json carries their series
    const charts = path.join(cwd, out.report.replace(/\.md$/, ''));
    expect(readdirSync(charts).sort()).toEqual(['cache-false-hits.svg', 'trend.svg']);
    expect(report).toMatch(new RegExp(`!\\[Error rate per run[^\\]]*\\]\\(${path.basename(charts)}/trend\\.svg\\)`));
    expect(out.series.trend.classes.map((c: { taskType: string }) => c.taskType)).toEqual([
      'classify',
      'summarize',
      'compliance_check',
    ]);
    expect(out.series.trend.threshold).toBe(0.0303);
    expect(report).toContain('**escalate** → complex (pending)');
    expect(report).toContain('```diff');
    expect(report).toMatch(/\| 300 \| 6 \| 2\.00% \| \[0\.74%, 4\.30%\] \| < 1\.00% \|/);
    // 300 cache samples: too few to fix where the class's step-down starts, so no number is certified
    expect(report).toMatch(/\| support \| .* \| not certified: n &lt; 500 cache samples/);
    expect(out.cache.perClass).toEqual([
      expect.objectContaining({ taskType: 'support', certifiedThreshold: null, currentCertified: false }),
    ]);
    expect(out.cache.pooled).toMatchObject({ weighting: 'hit-volume', certified: false });
    // the savings ledger over the 2,500 events this run read (120 input and 4 output tokens each)
    const sonnet = 'claude-3-5-sonnet-20241022';
    const cost = (model: string, n: number) => callCostUsd(model, 120 * n, 4 * n);
    expect(out.ledger).toMatchObject({
      premiumModel: sonnet,
      unpricedRequests: 0,
      unpricedCacheHits: 300,
      auditUsd: { judge: 0, shadow: 0, total: 0 },
    });
    const ledger = Object.fromEntries(out.ledger.classes.map((c: { taskType: string }) => [c.taskType, c]));
    expect(ledger.classify).toMatchObject({ requests: 1000, pricedRequests: 1000, models: ['gpt-4o-mini'] });
    expect(ledger.classify.actualUsd).toBeCloseTo(cost('gpt-4o-mini', 1000), 10);
    expect(ledger.classify.routingSavingUsd).toBeCloseTo(cost(sonnet, 1000) - cost('gpt-4o-mini', 1000), 10);
    expect(ledger.summarize.routingSavingUsd).toBeCloseTo(
      cost(sonnet, 1000) - cost('claude-3-5-haiku-20241022', 1000),
      10,
    );
    expect(ledger.support).toMatchObject({ requests: 0, cacheHits: 300, cacheSavingUsd: 0 }); // no priced request of that class
    expect(out.ledger.netSavingUsd).toBeCloseTo(out.ledger.routingSavingUsd, 10);
    expect(report).toContain('## Savings ledger');
  });

  it('--apply --fail-on-escalation exits 3, moves only the 8% class one tier, keeps every comment, audits, and a live router follows', async () => {
    const router = createRouter({ path: routing, checkEveryMs: 0 });
    expect(router.route({ taskType: 'summarize' })).toMatchObject({ model: 'claude-3-5-haiku-20241022', version: 1 });

    const r = await cli('nightly', '--apply', '--fail-on-escalation', '--rate', '1', '--json');
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.routingTableChanged).toBe(true);
    const moved = out.classes.filter((c: { decision: string }) => c.decision === 'escalate');
    expect(moved.map((c: { taskType: string; to: string }) => [c.taskType, c.to])).toEqual([['summarize', 'complex']]);

    const text = readFileSync(routing, 'utf8');
    for (const line of E2E_ROUTING_YAML.split('\n').filter((l) => l.includes('#'))) {
      const comment = line.slice(line.indexOf('#'));
      expect(text).toContain(comment);
    }
    expect(text).toMatch(/^version: 2$/m);
    expect(text).toMatch(/summarize: \{[^}]*tier: complex/);
    expect(text).toMatch(/classify: \{ tier: trivial \}/);
    expect(text).toMatch(/compliance_check: \{ tier: standard, pinned: true \}/);

    expect(router.route({ taskType: 'summarize' })).toMatchObject({
      model: 'claude-3-5-sonnet-20241022',
      tier: 'complex',
      version: 2,
    });
    expect(router.route({ taskType: 'classify' })).toMatchObject({ model: 'gpt-4o-mini', version: 2 });

    const db = await openPgliteDb(path.join(cwd, 'db'));
    try {
      const audit = await db.query<{ actor: string; action: string; task_type: string }>(
        `select actor, action, task_type from audit_log order by id`,
      );
      expect(audit.rows).toEqual([{ actor: 'nightly', action: 'escalate', task_type: 'summarize' }]);
      const runs = await db.query<{ kind: string; status: string }>(
        `select kind, status from runs where kind = 'nightly' order by started_at`,
      );
      expect(runs.rows).toEqual([
        { kind: 'nightly', status: 'ok' },
        { kind: 'nightly', status: 'ok' },
      ]);
      const rates = await db.query<{ n: number }>(`select count(*)::int as n from class_rates`);
      expect(rates.rows[0].n).toBeGreaterThanOrEqual(3);
    } finally {
      await db.close();
    }
  });

  it('report rewrites the latest run as markdown with the trend and each decision with its evidence', async () => {
    const r = await cli('report', '--out', 'latest.md', '--json');
    expect(r.code).toBe(0);
    const md = readFileSync(path.join(cwd, 'latest.md'), 'utf8');
    expect(md).toContain('![Error rate per run');
    expect(existsSync(path.join(cwd, 'latest', 'trend.svg'))).toBe(true);
    expect(JSON.parse(r.stdout).series.trend.classes.length).toBe(3);
    const bare = await cli('report', '--out', 'bare.md', '--no-charts');
    expect(bare.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'bare.md'), 'utf8')).not.toContain('![');
    expect(existsSync(path.join(cwd, 'bare'))).toBe(false);
    const row = md.split('\n').find((l) => l.startsWith('| summarize |'));
    expect(row).toMatch(/\| \*\*escalate\*\* → complex \(applied\) \| \S.+ \|$/);
    expect(row).toMatch(/\| \d+(\.\d)? \/ \d+ \|/); // CUSUM S / H
  });
});

describe('driftwatch nightly with a corrupt routing table', () => {
  const cases: [string, string, RegExp][] = [
    ['bad YAML', 'version: 1\ntiers:\n  trivial: gpt-4o-mini\n taskClasses: [\n', /routing\.yaml:\d+: invalid YAML/],
    [
      'an unknown tier',
      E2E_ROUTING_YAML.replace('summarize: { tier: standard }', 'summarize: { tier: huge }'),
      /routing\.yaml:12: taskClasses\.summarize\.tier: unknown tier "huge"/,
    ],
  ];
  it.each(cases)('exits 2 naming the file on %s, and writes nothing', async (_name, text, message) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-nightly-bad-'));
    const file = writeRoutingYaml(cwd, text);
    const r = await runCli(['nightly', '--apply', '--rate', '1', '--db', path.join(cwd, 'db')], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(path.join(cwd, 'reports'))).toBe(false);
    expect(existsSync(path.join(cwd, 'db'))).toBe(false); // failed before the database was opened
  });

  it('exits 2 on a bad flag before touching anything', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-nightly-bad-'));
    writeFileSync(path.join(cwd, 'routing.yaml'), E2E_ROUTING_YAML);
    const r = await runCli(['nightly', '--rate', '1.5'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('driftwatch nightly: --rate must be between 0 and 1, got 1.5');
  });
});

describe('driftwatch daemon flags', () => {
  it.each([
    [['--interval', 'soon'], 'driftwatch daemon: --interval expects a duration such as 30s, 5m or 1h, got "soon"'],
    [['--interval', '10ms'], 'driftwatch daemon: --interval must be at least 100ms, got 10ms'],
    [['--role', 'boss'], 'driftwatch daemon: --role must be leader or worker, got "boss"'],
    [['--max-cycles', '1.5'], 'driftwatch daemon: --max-cycles expects a whole number, got 1.5'],
  ])('exits 2 on %o with one message naming the flag', async (args, message) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-daemon-flags-'));
    writeRoutingYaml(cwd);
    const r = await runCli(['daemon', ...args], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
    expect(existsSync(path.join(cwd, '.driftwatch'))).toBe(false);
  });

  it('runs one leader cycle on an embedded database and stops', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-daemon-once-'));
    writeRoutingYaml(cwd);
    const r = await runCli(['daemon', '--max-cycles', '1', '--json', '--db', 'memory:'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      cycles: 1,
      workCycles: 1,
      standbyCycles: 0,
      failedCycles: 0,
      stoppedBy: 'max-cycles',
    });
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(lines.map((l) => l.event)).toEqual(
      expect.arrayContaining([
        'daemon_started',
        'leader_acquired',
        'run_started',
        'run_finished',
        'cycle',
        'leader_released',
        'daemon_stopped',
      ]),
    );
    expect(existsSync(path.join(cwd, 'reports'))).toBe(true);
  });
});
