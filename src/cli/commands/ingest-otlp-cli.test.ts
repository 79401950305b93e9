import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/otlp/${name}`, import.meta.url));

describe('driftwatch ingest --format otlp', () => {
  it('ingests the three dialects with the configured task attribute, stores nothing twice, and exits 2 on a bad file naming its line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-otlp-cli-'));
    writeFileSync(
      path.join(dir, 'driftwatch.yaml'),
      'ingest:\n  otlp:\n    taskAttribute: traceloop.association.properties.task_type\n',
    );
    const db = ['--db', path.join(dir, 'db')];
    const files = ['genai.jsonl', 'openllmetry.jsonl', 'openinference.jsonl'].map(fixture);
    const first = await runCli(['ingest', '--format', 'otlp', ...files, ...db, '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const j = JSON.parse(first.stdout);
    expect(j).toMatchObject({ routing: 9, cache: 0, duplicates: 0, withoutContent: 3 });
    expect(Object.values(j.skipped as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(8);
    const again = await runCli(['ingest', '--format', 'otlp', ...files, ...db, '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout)).toMatchObject({ routing: 0, duplicates: 9 });

    const bad = await runCli(['ingest', '--format', 'otlp', fixture('bad-trace-id.jsonl'), ...db], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /bad-trace-id\.jsonl:3: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.traceId: expected 32 hex digits.*nothing from this file was stored/,
    );
    const after = await runCli(['ingest', '--format', 'otlp', ...files, ...db, '--json'], { cwd: dir });
    expect(JSON.parse(after.stdout)).toMatchObject({ routing: 0, duplicates: 9 });

    const format = await runCli(['ingest', '--format', 'csv', fixture('genai.jsonl'), ...db], { cwd: dir });
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('driftwatch ingest: --format must be jsonl or otlp, got "csv"\n');
  });
});
