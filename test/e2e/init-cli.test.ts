import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { runCli } from '../support/run-cli.js';

const read = (cwd: string, f: string) => readFileSync(path.join(cwd, f), 'utf8');

describe('driftwatch init', () => {
  it('writes both templates and prints the next steps', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    const r = await runCli(['init'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote driftwatch\.yaml and routing\.yaml\n\nNext steps:\n {2}1\. edit routing\.yaml/);
    expect(r.stdout).toMatch(/ {2}2\. .*driftwatch ingest events\.jsonl/);
    expect(r.stdout).toMatch(/ {2}3\. driftwatch nightly: /);
    expect(existsSync(path.join(cwd, 'routing.yaml'))).toBe(true);
    loadConfig(undefined, cwd); // the template loads
  });

  it('re-creates a missing file and keeps the existing one untouched, saying so', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    const edited = `${read(cwd, 'driftwatch.yaml')}# my edit\n`;
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), edited);
    rmSync(path.join(cwd, 'routing.yaml'));
    const r = await runCli(['init', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ written: ['routing.yaml'], kept: ['driftwatch.yaml'], replaced: [] });
    expect(read(cwd, 'driftwatch.yaml')).toBe(edited);
    expect(read(cwd, 'routing.yaml')).toBe(readFileSync('templates/routing.yaml', 'utf8'));
    rmSync(path.join(cwd, 'routing.yaml'));
    const text = await runCli(['init'], { cwd });
    expect(text.stdout).toMatch(
      /^wrote routing\.yaml\nkept driftwatch\.yaml: it already exists \(init --force overwrites\)\n/,
    );
  });

  it('with both files present writes nothing and exits 2; --force replaces both and lists them', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    writeFileSync(path.join(cwd, 'routing.yaml'), 'version: 9\n');
    const again = await runCli(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(
      `driftwatch init: driftwatch.yaml and routing.yaml already exist in ${cwd}; nothing written (init --force overwrites them)\n`,
    );
    expect(read(cwd, 'routing.yaml')).toBe('version: 9\n');
    const forced = await runCli(['init', '--force', '--judge', 'openai'], { cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^wrote driftwatch\.yaml and routing\.yaml \(judge openai .+\)\nreplaced driftwatch\.yaml and routing\.yaml \(--force\)\n/,
    );
    expect(forced.stdout).toContain('set OPENAI_API_KEY for the openai judge');
    expect(read(cwd, 'routing.yaml')).toBe(readFileSync('templates/routing.yaml', 'utf8'));
    expect(loadConfig(undefined, cwd).config.judge.provider).toBe('openai');
  });

  it('--judge with a kept driftwatch.yaml exits 2 and writes nothing', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-init-'));
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), 'reportsDir: out\n');
    const r = await runCli(['init', '--judge', 'anthropic'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--judge anthropic: driftwatch\.yaml already exists and init keeps it; .*--force/);
    expect(existsSync(path.join(cwd, 'routing.yaml'))).toBe(false);
    expect(read(cwd, 'driftwatch.yaml')).toBe('reportsDir: out\n');
  });
});
