import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { migrate } from '../../src/db/migrate.js';
import { csvField, parseCsv } from '../../src/text/parse-csv.js';
import { openDb } from '../../src/db/open-db.js';
import { insertCacheLookups, insertRoutingEvents } from '../support/insert-events.js';
import { plantedCacheHits, plantedRouting } from '../support/planted-events.js';

let dir: string;
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '--db', path.join(dir, 'db')], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: {},
    cwd: dir,
    isTty: false,
  });
  return { code, out, err };
}

describe('driftwatch sample / judge / review (CLI)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dw-cli-'));
    const db = await openDb(path.join(dir, 'db'), dir);
    await migrate(db);
    await insertRoutingEvents(db, [...plantedRouting('classify', 300, 6), ...plantedRouting('gsm8k_math', 200, 10)]);
    await insertCacheLookups(db, plantedCacheHits(100, 5));
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('samples with --rate 1 and judges offline with the contract JSON', async () => {
    const s = await run('sample', '--rate', '1', '--json');
    expect(s.code).toBe(0);
    expect(JSON.parse(s.out).sampled).toEqual({ routing: 500, cache: 100 });
    const j = await run('judge', '--json');
    expect(j.code).toBe(0);
    const out = JSON.parse(j.out);
    expect(out).toMatchObject({ judged: 600, pending: 0, calls: 0, costUsd: 0, stoppedByBudget: false });
    const rates = Object.fromEntries(
      out.classes.map((c: { source: string; taskType: string; failures: number }) => [
        `${c.source}:${c.taskType}`,
        c.failures,
      ]),
    );
    expect(rates).toMatchObject({ 'routing:classify': 6, 'routing:gsm8k_math': 10, 'cache:*': 5 });
  });

  it('rejects bad flags and unavailable providers with exit 2 and one message', async () => {
    expect(await run('sample', '--rate', '2')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--rate must be between 0 and 1'),
    });
    // no --model: the catalog's default model, so the missing key is what is reported
    expect(await run('judge', '--judge', 'anthropic')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/ANTHROPIC_API_KEY.*model claude-sonnet-4-6/),
    });
    expect(await run('judge', '--judge', 'anthropic', '--model', 'claude-sonnet-4')).toMatchObject({
      code: 2,
      err: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
    expect(await run('judge', '--batch')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--batch needs --judge anthropic or --judge openai'),
    });
    expect(await run('judge', '--judge', 'nope')).toMatchObject({
      code: 2,
      err: 'driftwatch judge: --judge must be offline, anthropic or openai, got "nope"\n',
    });
  });

  it('exports a review file and imports labels, reporting fp-hat and fn-hat', async () => {
    const file = path.join(dir, 'review.csv');
    expect((await run('review', '--task', 'classify', '--out', file)).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    // label every flag an error and every pass correct: a perfect judge on this class
    const [head, ...rows] = parseCsv(text);
    const labelled = rows.map((r) =>
      [...r.fields.slice(0, -1), r.fields[3] === 'fail' ? 'error' : 'correct'].map(csvField).join(','),
    );
    writeFileSync(file, [head.fields.join(','), ...labelled].join('\n'));
    const r = await run('review', '--import', file, '--json');
    expect(r.code).toBe(0);
    const imported = JSON.parse(r.out).imported[0];
    expect(imported).toMatchObject({ taskType: 'classify', reviewedFlags: 6, confirmedFlags: 6, ppv: 1, forRate: 0 });
    // Beta posteriors (issue 11 item 4): no false flag and no missed error still leave fp, fn > 0, with intervals
    expect(imported.fp).toBeGreaterThan(0);
    expect(imported.fp).toBeLessThan(0.05);
    expect(imported.fn).toBeGreaterThan(0);
    expect(imported.fnInterval[1]).toBeGreaterThan(imported.fn);
    writeFileSync(file, 'sample_id,label\n1,perhaps\n');
    expect(await run('review', '--import', file)).toMatchObject({
      code: 2,
      err: expect.stringContaining('review.csv:2: label: expected "correct" or "error"'),
    });
  });

  it('calibrates the offline judge on GSM8K', async () => {
    const r = await run('judge-calibrate', '--dataset', 'gsm8k', '--json');
    expect(r.code).toBe(0);
    const [g] = JSON.parse(r.out).results;
    expect(g).toMatchObject({ dataset: 'gsm8k', method: 'numeric-answer', provider: 'offline' });
    expect(g.n + g.counts.unjudgeable).toBe(1319);
  });
});
