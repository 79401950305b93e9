import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('driftwatch cache-warm', () => {
  it('fills the cache from the premium model and replays the queries (lexical embedder, offline)', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cache-warm-'));
    // 20 answers a month old fill the cache; the same 20 questions asked yesterday are replayed
    const day = 86_400_000;
    const lines = readFileSync('examples/events.jsonl', 'utf8').split('\n').slice(0, 20);
    const at = (e: Record<string, unknown>, id: string, ago: number) =>
      JSON.stringify({ ...e, id, ts: new Date(Date.now() - ago * day).toISOString() });
    const events = lines.flatMap((l) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      return [at(e, String(e.id), 30), at(e, `${String(e.id)}-again`, 1)];
    });
    writeFileSync(path.join(cwd, 'events.jsonl'), `${events.join('\n')}\n`);
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), 'cache:\n  embedder: lexical\n');
    const db = ['--db', path.join(cwd, 'db')];
    expect((await runCli(['ingest', path.join(cwd, 'events.jsonl'), ...db], { cwd })).code).toBe(0);
    const r = await runCli(['cache-warm', '--premium', 'mixtral-8x7b', '--days', '7', '--json', ...db], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ embedderKind: 'lexical', days: 7, premiumModels: ['mixtral-8x7b'] });
    expect(out).toMatchObject({ filled: 20, replayed: 20 });
    expect(out.hitRate).toMatchObject({ n: 20 });
    expect(out.hitRate.rate).toBeGreaterThan(0.9); // the same questions, word for word
  });
});
