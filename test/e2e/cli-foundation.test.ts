import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { makeRoutingEvent, writeJsonl } from '../support/make-events.js';
import { runCli } from '../support/run-cli.js';

describe('driftwatch CLI foundation', () => {
  it('init writes templates that load, then refuses to overwrite (exit 2)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cli-'));
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    expect(loadConfig(undefined, cwd).config.cache.noCache).toEqual(['compliance_check']);
    const before = readFileSync(path.join(cwd, 'routing.yaml'), 'utf8');
    const again = await runCli(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*nothing written \(init --force overwrites them\)/);
    expect(readFileSync(path.join(cwd, 'routing.yaml'), 'utf8')).toBe(before);
  });

  it('ingest prints contract JSON, is idempotent, and exits 2 naming line 51', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cli-'));
    const ok = path.join(cwd, 'ok.jsonl');
    writeJsonl(
      ok,
      Array.from({ length: 2000 }, (_, i) => makeRoutingEvent({ id: `e${i}` })),
    );
    const first = await runCli(['ingest', ok, '--json', '--db', 'memory:'], { cwd });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ routing: 2000, cache: 0, duplicates: 0 });

    const db = ['--db', path.join(cwd, 'db')];
    expect(JSON.parse((await runCli(['ingest', ok, '--json', ...db], { cwd })).stdout)).toEqual({
      routing: 2000,
      cache: 0,
      duplicates: 0,
    });
    expect(JSON.parse((await runCli(['ingest', ok, '--json', ...db], { cwd })).stdout)).toEqual({
      routing: 0,
      cache: 0,
      duplicates: 2000,
    });

    const bad = path.join(cwd, 'bad.jsonl');
    const lines: unknown[] = Array.from({ length: 100 }, (_, i) => makeRoutingEvent({ id: `b${i}` }));
    lines[50] = { ...makeRoutingEvent({ id: 'b50' }), taskType: 7 };
    writeJsonl(bad, lines);
    const r = await runCli(['ingest', bad, '--json', ...db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(
      `driftwatch ingest: ${bad}:51: taskType: Invalid input: expected string, received number; nothing from this file was stored`,
    );
  });

  it('cost --json matches the contract example shape', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cli-'));
    const r = await runCli(['cost', '--workload', path.resolve('examples/workload.yaml'), '--json'], { cwd });
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['after', 'before', 'savingPct', 'savingUsd']);
    expect(out.before.rows[0]).toMatchObject({ task: 'intent_classification', totalUsd: 37.5 });
  });

  it('rejects unknown commands and flags with exit 2', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cli-'));
    expect((await runCli(['frobnicate'], { cwd })).code).toBe(2);
    const r = await runCli(['cost', '--nope'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('driftwatch cost: unknown option --nope; driftwatch cost --help lists its options\n');
  });
});
