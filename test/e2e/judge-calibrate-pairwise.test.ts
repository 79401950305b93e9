import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { neutralizeDelimiters } from '../../src/judge/build-judge-prompt.js';
import { loadLlmbarPairs } from '../../src/judge/calibration/gold-sets.js';
import { wilsonInterval } from '../../src/stats/binomial-interval.js';
import { pairwiseAnswers, type ScriptedJudge } from '../support/fakes/fake-http.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { runCli } from '../support/run-cli.js';

const pairs = loadLlmbarPairs();
const label1 = pairs.filter((p) => p.label === 1).length;
// which position holds the gold-better output, for both orders of every pair
// (a few MT-Bench instances repeat the same two outputs swapped: for those the order is unknown)
const gold = new Map<string, { better: 'A' | 'B'; output1First: boolean | undefined }>();
for (const p of pairs) {
  const [o1, o2] = [neutralizeDelimiters(p.output1), neutralizeDelimiters(p.output2)];
  for (const [key, better, first] of [
    [`${o1}\u0000${o2}`, p.label === 1 ? 'A' : 'B', true],
    [`${o2}\u0000${o1}`, p.label === 1 ? 'B' : 'A', false],
  ] as const) {
    const seen = gold.get(key);
    gold.set(key, { better, output1First: seen && seen.output1First !== first ? undefined : first });
  }
}
const lookup = (prompt: string) => {
  const pair = pairwiseAnswers(prompt);
  if (!pair) throw new Error('not a pairwise prompt');
  const g = gold.get(`${pair.a}\u0000${pair.b}`);
  if (!g) throw new Error('pair not in LLMBar');
  return g;
};
const reply = (winner: string) => JSON.stringify({ winner, reason: 'scripted' });

async function calibrate(judge: ScriptedJudge, ...extra: string[]) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dw-cal-pw-'));
  const fake = await startFakeOpenAi({ apiKey: 'sk-cal-pairwise-0123456789', judge });
  try {
    const env = { OPENAI_API_KEY: 'sk-cal-pairwise-0123456789', OPENAI_BASE_URL: `${fake.url}/v1` };
    const json = await runCli(
      ['judge-calibrate', '--dataset', 'llmbar', '--judge', 'openai', '--json', '--db', path.join(cwd, 'db'), ...extra],
      { cwd, env },
    );
    expect(json.stderr).not.toMatch(/Error/);
    expect(json.code).toBe(0);
    const text = await runCli(
      ['judge-calibrate', '--dataset', 'llmbar', '--judge', 'openai', '--db', path.join(cwd, 'db'), ...extra],
      { cwd, env },
    );
    return {
      result: JSON.parse(json.stdout).results[0],
      text: text.stdout,
      calls: fake.requests.filter((q) => q.path === '/v1/chat/completions').length,
    };
  } finally {
    await fake.close();
  }
}

describe('judge-calibrate --dataset llmbar with a reference model: pairwise agreement with the gold preference', () => {
  it('a judge that follows the gold label agrees 100% in each order and combined, two calls a pair', {
    timeout: 300_000,
  }, async () => {
    const { result, text, calls } = await calibrate(({ prompt }) => reply(lookup(prompt).better));
    expect(calls).toBe(2 * 2 * pairs.length); // both orders, --json run and text run
    expect(result).toMatchObject({
      dataset: 'llmbar',
      method: 'pairwise-preference',
      provider: 'openai',
      model: 'gpt-4.1',
      n: 2 * pairs.length,
    });
    for (const k of ['output1First', 'output2First', 'combined'] as const)
      expect(result.pairwise[k]).toMatchObject({ agree: pairs.length, n: pairs.length, rate: 1, ties: 0 });
    expect(result.pairwise.combined.lower).toBeCloseTo(wilsonInterval(pairs.length, pairs.length).lower, 10);
    expect(result.fp.rate).toBe(0);
    expect(result.fn.rate).toBe(0);
    expect(text).toMatch(/both orders combined: 100\.00% \[98\.\d\d%, 100\.00%\] \(300 of 300, 0 ties\)/);
  });

  it('a judge that always prefers position A gives ties, not passes or fails: no agreement combined, per-order = label share', {
    timeout: 300_000,
  }, async () => {
    const { result, text } = await calibrate(() => reply('A'));
    const pw = result.pairwise;
    expect(pw.output1First).toMatchObject({ agree: label1, n: pairs.length, ties: 0 });
    expect(pw.output2First).toMatchObject({ agree: pairs.length - label1, n: pairs.length, ties: 0 });
    expect(pw.combined).toMatchObject({ agree: 0, wrong: 0, ties: pairs.length, inconsistent: pairs.length, rate: 0 });
    expect(pw.firstPosition).toMatchObject({ rate: 1, n: 2 * pairs.length });
    // as judge error rates: it never flags a better served answer and misses every worse one
    expect(result.fp.rate).toBe(0);
    expect(result.fn.rate).toBe(1);
    const w1 = wilsonInterval(label1, pairs.length);
    expect(pw.output1First.lower).toBeCloseTo(w1.lower, 10);
    expect(pw.output1First.upper).toBeCloseTo(w1.upper, 10);
    expect(text).toContain(`output_1 shown first: ${((100 * label1) / pairs.length).toFixed(2)}%`);
    console.log(text);
    expect(text).toMatch(/position bias: 100\.00% .* of 600 picks chose the answer shown first/);
  });

  it('right in one order and position-biased in the other: only pairs both orders get right count as agreement', {
    timeout: 300_000,
  }, async () => {
    // output_1 first: follows the gold label; output_2 first: always A (= output_2); order unknown: gold
    const { result } = await calibrate(
      ({ prompt }) => {
        const g = lookup(prompt);
        return reply(g.output1First === false ? 'A' : g.better);
      },
      '--limit',
      '200',
    );
    const pw = result.pairwise;
    expect(pw.combined.n).toBe(100);
    expect(pw.combined.ties).toBeGreaterThan(20); // the label-1 pairs: not vacuous
    // label 2 pairs: both orders pick output_2 (agree); label 1 pairs: output_1 then output_2 (a tie)
    expect(pw.combined.agree).toBe(pw.combined.n - pw.combined.ties);
    expect(pw.combined.inconsistent).toBe(pw.combined.ties);
    expect(pw.output1First).toMatchObject({ agree: 100, rate: 1 });
    expect(pw.output2First.agree).toBe(pw.combined.agree);
    expect(result.fn.rate).toBeCloseTo(pw.combined.ties / 100, 10);
    expect(result.fp.rate).toBe(0);
  });
});
