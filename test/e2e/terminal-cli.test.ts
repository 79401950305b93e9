import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main, type MainIo } from '../../src/cli/main.js';
import { writeE2eEvents, writeRoutingYaml } from '../support/nightly-fixture.js';

// The terminal experience through the real CLI entry point; TTY-ness and NO_COLOR are injected.
async function run(args: string[], cwd: string, o: { isTty: boolean; env?: NodeJS.ProcessEnv }) {
  let stdout = '';
  let stderr = '';
  const io: MainIo = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: o.env ?? {},
    cwd,
    isTty: o.isTty,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
const jsonLines = (s: string) => s.split('\n').filter((l) => l.trim().startsWith('{'));
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the escape sequences under test
const ESC = /\x1b\[/;

describe('CLI on a terminal and off it', () => {
  let cwd: string;
  let db: string[];
  beforeAll(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'dw-terminal-'));
    writeRoutingYaml(cwd);
    writeE2eEvents(path.join(cwd, 'events.jsonl'));
    db = ['--db', path.join(cwd, 'db')];
    const r = await run(['ingest', path.join(cwd, 'events.jsonl'), ...db], cwd, { isTty: false });
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  it('nightly on a TTY: human step lines and judge progress on stderr, an aligned per-class table with colour on stdout, no JSON', async () => {
    const r = await run(['nightly', '--rate', '1', ...db], cwd, { isTty: true, env: { TERM: 'xterm-256color' } });
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/run \S+.*started \(nightly\)/);
    expect(r.stderr).toMatch(/sampled 2500 routed responses and 300 cache lookups/);
    expect(r.stderr).toMatch(/judged 2800 samples .*0 pending/);
    expect(r.stderr).toMatch(/judging .*2800\/2800.*\(100%\) {2}0 calls {2}\$0\.0000 {2}done in/);
    expect(r.stderr).toMatch(/decided 3 classes: .*summarize escalate -> complex/);
    expect(r.stdout).toMatch(ESC); // colour on a terminal
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the SGR escapes under test
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const lines = plain.split('\n');
    const header = lines.find((l) =>
      /^\s+class\s+model\s+tier\s+judged\s+failures\s+rate\s+95% interval\s+decision\s+reason/.test(l),
    );
    expect(header, plain).toBeDefined();
    const rows = lines.filter((l) => /^\s+(classify|summarize|compliance_check)\s/.test(l));
    expect(rows).toHaveLength(3);
    // aligned: the decision column starts at the same offset on every row and in the header
    const at = (l: string, word: RegExp) => l.search(word);
    const decisionCol = at(header!, /decision/);
    for (const row of rows) expect(at(row, /(hold|escalate|deescalate|insufficient)/)).toBe(decisionCol);
    expect(rows.find((l) => l.includes('summarize'))).toMatch(/1000\s+80\s+8\.00%\s+\[[^\]]+\]\s+escalate -> complex/);
  }, 300_000);

  it('NO_COLOR (any non-empty value) removes every escape sequence on a TTY', async () => {
    const r = await run(['nightly', '--rate', '1', ...db], cwd, { isTty: true, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(ESC);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the progress line's own erase-line escape is allowed
    expect(r.stderr.replace(/\r\x1b\[K/g, '')).not.toMatch(ESC);
    expect(r.stdout).toMatch(/class\s+model\s+tier/);
  }, 300_000);

  it('off a terminal: the plain text outcome as before, human log lines, no colour, no progress line', async () => {
    const r = await run(['nightly', '--rate', '1', ...db], cwd, { isTty: false, env: { TERM: 'xterm' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run \S+: judged with offline \(0 calls, \$0\.0000\)\n {2}classify: hold/);
    expect(r.stdout + r.stderr).not.toMatch(ESC);
    expect(r.stderr).not.toMatch(/judging /);
    expect(jsonLines(r.stderr)).toEqual([]);
  }, 300_000);

  it('--log-format json (and --json) write every step as one JSON line on stderr, even on a TTY', async () => {
    const r = await run(['nightly', '--rate', '1', '--log-format', 'json', ...db], cwd, { isTty: true });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    const events = lines.map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['run_started', 'sampled', 'judged', 'decided', 'run_finished']),
    );
    expect(r.stderr).not.toMatch(/judging /);
    const j = await run(['nightly', '--rate', '1', '--json', ...db], cwd, { isTty: true });
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout).runId).toBeDefined();
    expect(jsonLines(j.stderr).map((l) => JSON.parse(l).event)).toEqual(
      expect.arrayContaining(['run_started', 'run_finished']),
    );
  }, 300_000);

  it('rejects an unknown --log-format with exit 2', async () => {
    const r = await run(['nightly', '--log-format', 'yaml', ...db], cwd, { isTty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--log-format must be text or json, got "yaml"/);
  });
});
