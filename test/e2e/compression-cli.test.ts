import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadQaDataset } from '../../src/compression/load-qa-dataset.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env,
    cwd,
    isTty: false,
  });
  return { code, stdout, stderr };
}

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'dw-compression-cli-'));
const filler = (i: number) => `Note ${i} covers routine matters of the committee and its calendar for week ${i}.`;
const line = (k: number) =>
  JSON.stringify({
    id: `x${k}`,
    taskClass: 'extract_minutes',
    context: [...Array.from({ length: 8 }, (_, i) => filler(i)), `The chair is Dana ${k}.`].join(' '),
    question: 'Who is the chair?',
    answers: [`Dana ${k}`],
    fields: { chair: `Dana ${k}` },
  });

describe('driftwatch compression', () => {
  it('prints results and a recommendation as JSON on the bundled XQuAD-en', async () => {
    const r = await run(
      ['compression', '--json', '--limit', '60', '--method', 'tfidf,structural', '--ratios', '0.5,0.9'],
      tempDir(),
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results).toHaveLength(4);
    expect(out.results[0]).toMatchObject({ method: 'tfidf', ratio: 0.5, n: 60 });
    for (const k of ['achievedRatio', 'answerRetention', 'lower', 'upper', 'tokensSaved'])
      expect(typeof out.results[0][k]).toBe('number');
    expect(Object.keys(out.recommended)).toEqual(['xquad-en']);
    expect(out.recommended['xquad-en']).toHaveProperty('ratio');
  });

  it('tunes per task class from a JSONL file, reports field drops and applies the ratios keeping comments', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'minutes.jsonl'), Array.from({ length: 200 }, (_, k) => line(k)).join('\n'));
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), '# team settings\ncompression:\n  maxDropPoints: 5 # generous\n');
    const r = await run(
      [
        'compression',
        '--json',
        '--dataset',
        'minutes.jsonl',
        '--method',
        'tfidf',
        '--ratios',
        '0.3,0.5,0.7,0.9',
        '--apply',
      ],
      cwd,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.maxDropPoints).toBe(5);
    expect(out.results[0].fieldDrops).toEqual({ chair: { present: 200, dropped: 0 } });
    // every ratio keeps the chair, but an extraction class stops at 0.7
    expect(out.recommended.extract_minutes).toMatchObject({ ratio: 0.7, method: 'tfidf', n: 200 });
    const yaml = readFileSync(path.join(cwd, 'driftwatch.yaml'), 'utf8');
    expect(yaml).toContain('# team settings');
    expect(yaml).toContain('maxDropPoints: 5 # generous');
    expect(yaml).toMatch(/ratios:\n\s+extract_minutes: 0.7/);
  });

  it('recommends nothing from a metric whose baseline is under 0.2, says why, and --apply writes nothing', async () => {
    const cwd = tempDir();
    const items = loadQaDataset('qmsum', { cwd: process.cwd() })
      .items.slice(0, 8)
      .map(({ evidence: _e, ...rest }) => JSON.stringify({ ...rest, taskClass: 'summarize' }));
    writeFileSync(path.join(cwd, 'summaries.jsonl'), items.join('\n'));
    writeFileSync(path.join(cwd, 'driftwatch.yaml'), 'compression:\n  maxDropPoints: 5\n');
    const r = await run(
      [
        'compression',
        '--json',
        '--dataset',
        'summaries.jsonl',
        '--method',
        'tfidf',
        '--ratios',
        '0.3',
        '--metric',
        'retention',
        '--apply',
      ],
      cwd,
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ metric: 'retention', baseline: 0, applies: false, applied: [] });
    for (const row of out.results) expect(row).toMatchObject({ metric: 'retention', baseline: 0, applies: false });
    expect(out.recommended.summarize).toMatchObject({
      ratio: null,
      method: null,
      metric: 'retention',
      baseline: 0,
      applies: false,
      reason: 'metric does not apply: baseline 0.00 < 0.2 (retention on the uncompressed context)',
    });
    expect(readFileSync(path.join(cwd, 'driftwatch.yaml'), 'utf8')).not.toContain('ratios');
    const text = await run(
      ['compression', '--dataset', 'summaries.jsonl', '--method', 'tfidf', '--ratios', '0.3'],
      cwd,
    );
    expect(text.stdout).toContain('Metric: **reference recall**');
    expect(text.stdout).toMatch(/Baseline on the uncompressed context: 0\.\d\d\./);
  });

  it('runs on the bundled Chinese and Thai XQuAD with full uncompressed retention', async () => {
    for (const name of ['xquad-zh', 'xquad-th']) {
      const r = await run(
        ['compression', '--json', '--dataset', name, '--limit', '40', '--method', 'tfidf', '--ratios', '0.7'],
        tempDir(),
      );
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ dataset: name, metric: 'retention', baseline: 1, applies: true });
    }
  });

  it('rejects an unknown --metric, and an answer metric without --judge, with exit 2', async () => {
    expect((await run(['compression', '--metric', 'rouge'], tempDir())).code).toBe(2);
    const r = await run(['compression', '--metric', 'exact-match'], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--metric exact-match needs --judge');
  });

  it('exits 2 naming file, line and field on a bad dataset line, and writes nothing', async () => {
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 'bad.jsonl'),
      `${line(1)}\n${JSON.stringify({ id: 'x2', context: 'c', question: 'q' })}\n`,
    );
    const r = await run(['compression', '--dataset', 'bad.jsonl', '--apply'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl:2: answers: /);
    expect(r.stdout).toBe('');
  });

  it('runs an external compressor named in compression.services against its HTTP endpoint', async () => {
    const seen: number[] = [];
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const { context, rate } = JSON.parse(body);
      seen.push(rate);
      res.writeHead(req.url === '/compress' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ compressed_prompt: context.slice(0, Math.round(context.length * rate)) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const cwd = tempDir();
      writeFileSync(
        path.join(cwd, 'driftwatch.yaml'),
        `compression:\n  services:\n    lingua: http://127.0.0.1:${(server.address() as AddressInfo).port}/compress\n`,
      );
      const r = await run(
        ['compression', '--json', '--limit', '5', '--method', 'lingua,tfidf', '--ratios', '0.5'],
        cwd,
      );
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).results.map((x: { method: string }) => x.method)).toEqual(['lingua', 'tfidf']);
      expect(seen).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it.each([
    [['--method', 'gzip'], /unknown compressor "gzip"/],
    [['--ratios', '0.5,2'], /--ratios expects/],
    [['--dataset', 'nope'], /neither a bundled set/],
    [['--max-drop', 'x'], /--max-drop expects a number/],
  ])('exits 2 on bad flags: %s', async (args, message) => {
    const r = await run(['compression', ...args], tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('with --judge openai, the reference model answers from the full and each compressed context under the budget', async () => {
    // The fake reference model reads like a careful one: it answers with the gold span when the
    // context it was given still holds it, and "unknown" when compression dropped it.
    const items = loadQaDataset('xquad-en', { cwd: process.cwd(), limit: 6 }).items;
    const gold = new Map(items.map((it) => [it.question, it.answers[0]!]));
    const fake = await startFakeOpenAi({
      judge: ({ prompt }) => {
        const context = prompt.slice(prompt.indexOf('<context>'), prompt.indexOf('</context>'));
        const answer = gold.get(prompt.slice(prompt.lastIndexOf('Question: ') + 10, prompt.lastIndexOf('\nAnswer:')))!;
        return context.includes(answer) ? answer : 'unknown';
      },
    });
    const env = { OPENAI_API_KEY: 'sk-compression-test-000000', OPENAI_BASE_URL: `${fake.url}/v1` };
    const args = [
      'compression',
      '--json',
      '--limit',
      '6',
      '--method',
      'tfidf',
      '--ratios',
      '0.3,0.9',
      '--judge',
      'openai',
      '--model',
      'gpt-4o-mini',
    ];
    try {
      const refused = await run([...args, '--max-cost-usd', '0.00001'], tempDir(), env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/18 calls.*nothing was sent/);
      expect(fake.requests).toHaveLength(0);

      const r = await run([...args, '--max-cost-usd', '0.05'], tempDir(), env);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.metric).toBe('exact-match');
      expect(out.judge).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', calls: 18, maxCostUsd: 0.05 });
      expect(out.judge.costUsd).toBeGreaterThan(0);
      expect(out.judge.costUsd).toBeLessThanOrEqual(out.judge.estimateUsd);
      expect(fake.requests.filter((q) => q.path === '/v1/chat/completions')).toHaveLength(18);
      const [low, high] = out.results;
      expect(low.baselineAccuracy.exactMatch).toBe(1); // every gold span is in the full context
      expect(high.accuracy.exactMatch).toBeGreaterThanOrEqual(low.accuracy.exactMatch);
      expect(low.accuracy.exactMatch).toBe(low.answerRetention); // the fake answers exactly what survived
    } finally {
      await fake.close();
    }
  });
});
