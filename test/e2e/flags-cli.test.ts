import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'dw-flags-'));

describe('did you mean', () => {
  it.each([
    [['nigthly'], 'driftwatch: unknown command "nigthly"; did you mean nightly?'],
    [['judge-cal'], 'driftwatch: unknown command "judge-cal"; did you mean judge-calibrate?'],
    [['frobnicate'], 'driftwatch: unknown command "frobnicate"; driftwatch --help lists the commands'],
    [['cost', '--worklaod', 'w.yaml'], 'driftwatch cost: unknown option --worklaod; did you mean --workload?'],
    [['nightly', '--aply'], 'driftwatch nightly: unknown option --aply; did you mean --apply?'],
    [['judge', '--jsno'], 'driftwatch judge: unknown option --jsno; did you mean --json?'],
    [['nightly', '--max-cost', '1'], 'driftwatch nightly: unknown option --max-cost; did you mean --max-cost-usd?'],
    [
      ['report', '--frobnicate'],
      'driftwatch report: unknown option --frobnicate; driftwatch report --help lists its options',
    ],
  ])('%o exits 2 with one line', async (args, line) => {
    const cwd = tempDir();
    const r = await runCli(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
    expect(existsSync(path.join(cwd, '.driftwatch'))).toBe(false);
  });
});

describe('typed flag values', () => {
  it.each([
    [['judge', '--concurrency', 'many'], 'driftwatch judge: --concurrency expects a number, got "many"'],
    [['judge', '--concurrency', '0'], 'driftwatch judge: --concurrency must be between 1 and 256, got 0'],
    [['judge', '--limit', '2.5'], 'driftwatch judge: --limit expects a whole number, got 2.5'],
    [['judge', '--max-cost-usd=-1'], 'driftwatch judge: --max-cost-usd must be at least 0, got -1'],
    [['judge', '--judge', 'gpt5'], 'driftwatch judge: --judge must be offline, anthropic or openai, got "gpt5"'],
    [['ingest', '--format', 'csv', 'x.jsonl'], 'driftwatch ingest: --format must be jsonl or otlp, got "csv"'],
    [['review', '--format', 'pdf'], 'driftwatch review: --format must be csv or md, got "pdf"'],
    [
      ['judge-calibrate', '--dataset', 'mmlu'],
      'driftwatch judge-calibrate: --dataset must be gsm8k, gsm8k-hand, cache-pairs, llmbar or all, got "mmlu"',
    ],
    [['daemon', '--interval', '10ms'], 'driftwatch daemon: --interval must be at least 100ms, got 10ms'],
    [['cache-warm', '--days', '0'], 'driftwatch cache-warm: --days must be between 0.001 and 3650, got 0'],
    [['demo', '--nights', '31'], 'driftwatch demo: --nights must be between 1 and 30, got 31'],
    [['sample', '--log-format', 'yaml'], 'driftwatch sample: --log-format must be text or json, got "yaml"'],
    [
      ['simulate', '--volumes', '10,x'],
      'driftwatch simulate: --volumes: expected a comma-separated list of judged samples per day (integers 1..100000), got "10,x"',
    ],
    // --db is accepted everywhere (the contract), so a bad value of the command's own flag is what fails
    [
      ['simulate', '--db', 'memory:', '--volumes', '0'],
      'driftwatch simulate: --volumes: expected a comma-separated list of judged samples per day (integers 1..100000), got "0"',
    ],
  ])('%o exits 2 naming the flag and what it expected, before anything is opened', async (args, line) => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'x.jsonl'), '');
    const r = await runCli(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(existsSync(path.join(cwd, '.driftwatch'))).toBe(false);
  });

  it('a missing value and a stray positional are one line too', async () => {
    const cwd = tempDir();
    const missing = await runCli(['cost', '--workload'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^driftwatch cost: Option '--workload <value>' argument missing; driftwatch cost --help lists its options\n$/,
    );
    // a value starting with a dash needs --flag=value (parseArgs's rule), and the message says so
    const dash = await runCli(['judge', '--max-cost-usd', '-1'], { cwd });
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain("use '--max-cost-usd=-XYZ'");
    expect(dash.stderr.trim().split('\n')).toHaveLength(1);
    const stray = await runCli(['report', 'extra'], { cwd });
    expect(stray.code).toBe(2);
    expect(stray.stderr.trim().split('\n')).toHaveLength(1);
    expect(stray.stderr).toContain("Unexpected argument 'extra'");
  });

  it('--help wins over a bad value and prints the options', async () => {
    const r = await runCli(['judge', '--concurrency', 'x', '--help'], { cwd: tempDir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--concurrency N');
  });
});
