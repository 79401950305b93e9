import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRoutingEvent, writeJsonl } from '../support/make-events.js';
import { runCli } from '../support/run-cli.js';
import { E2E_ROUTING_YAML } from '../support/nightly-fixture.js';

/** A "billion laughs" YAML document: nine levels of nine aliases, 9^9 strings once expanded. */
const ALIAS_BOMB = `${[
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n')}\n`;

describe('driftwatch CLI on hostile input', () => {
  it('a YAML alias bomb in driftwatch.yaml is exit 2 naming the file (was: exit 1 with a ReferenceError stack)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-bomb-'));
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), ALIAS_BOMB);
    writeFileSync(path.join(cwd, 'routing.yaml'), E2E_ROUTING_YAML);
    const r = await runCli(['nightly', '--db', 'memory:'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(cwd, 'driftwatch.yaml')}: YAML aliases expand too far`);
    expect(r.stderr).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('a YAML alias bomb in routing.yaml is exit 2 naming the file', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-bomb-'));
    writeFileSync(path.join(cwd, 'routing.yaml'), ALIAS_BOMB);
    const r = await runCli(['daemon', '--max-cycles', '1', '--db', 'memory:'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('routing.yaml: YAML aliases expand too far');
    expect(r.stderr).not.toMatch(/ReferenceError|\n\s+at /);
  });

  it('an event with a NUL is exit 2 naming file, line and field, with nothing stored (was: exit 1 with a stack)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-nul-'));
    const file = path.join(cwd, 'events.jsonl');
    writeJsonl(file, [makeRoutingEvent({ id: 'n-1' }), makeRoutingEvent({ id: 'n-2', response: 'a\u0000b' })]);
    const db = path.join(cwd, 'db');
    const r = await runCli(['ingest', file, '--db', db], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: response: contains a NUL character`);
    writeJsonl(file, [makeRoutingEvent({ id: 'n-3' })]);
    expect(JSON.parse((await runCli(['ingest', file, '--json', '--db', db], { cwd })).stdout)).toEqual({
      routing: 1,
      cache: 0,
      duplicates: 0,
    }); // n-1 was never stored
  }, 120_000);
});
