import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openDb } from '../../src/db/open-db.js';
import { numericAnswer } from '../../src/judge/comparators/numeric-answer.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../support/fakes/fake-openai-server.js';

const KEY = 'sk-drift-check-0123456789';
const block = (prompt: string, name: string) =>
  prompt.split(`<untrusted-data name="${name}">\n`)[1]!.split('\n</untrusted-data>')[0]!;

describe('judge-calibrate --check: the judge re-scores gold items and is compared with its stored calibration', () => {
  let dir: string;
  let fake: FakeOpenAiServer;
  // the reference model behind the fake: careful (compares final numbers) until it is silently swapped for a lenient one
  let lenient = false;
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main([...argv, '--db', path.join(dir, 'db')], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${fake.url}/v1` },
      cwd: dir,
      isTty: false,
    });
    return { code, out, err };
  };
  const gsm8k = [
    'judge-calibrate',
    '--dataset',
    'gsm8k',
    '--judge',
    'openai',
    '--model',
    'gpt-4o',
    '--limit',
    '120',
    '--json',
  ];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dw-drift-'));
    fake = await startFakeOpenAi({
      judge: ({ prompt }) => {
        const pass = lenient || numericAnswer(block(prompt, 'candidate'), block(prompt, 'reference')).value === 1;
        return JSON.stringify({ verdict: pass ? 'pass' : 'fail', reason: 'scripted' });
      },
    });
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses without a stored calibration, stays steady for the same judge, and exits 3 once the judge moved', async () => {
    const none = await run(...gsm8k, '--check');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no stored calibration to compare with for gsm8k \(routing-agreement, openai gpt-4o\)/);

    const baseline = await run(...gsm8k);
    expect(baseline.code).toBe(0);
    const stored = JSON.parse(baseline.out).results[0];
    expect(stored.fn.n).toBeGreaterThan(30); // wrong answers among the 120 gold items

    const steady = await run(...gsm8k, '--check');
    expect(steady.code).toBe(0);
    const same = JSON.parse(steady.out);
    expect(same).toMatchObject({ moved: false, check: [{ dataset: 'gsm8k', moved: false }] });
    expect(same.check[0].pFp).toBeCloseTo(1, 6); // the same judge on the same items: identical counts
    expect(same.check[0].pFn).toBeCloseTo(1, 6);

    lenient = true; // a silent model update: it now passes wrong answers
    const moved = await run(...gsm8k, '--check');
    expect(moved.code).toBe(3);
    const check = JSON.parse(moved.out).check[0];
    expect(check).toMatchObject({ moved: true });
    expect(check.now.fn.rate).toBe(1);
    expect(check.pFn).toBeLessThan(1e-6);

    const db = await openDb(path.join(dir, 'db'), dir);
    try {
      const rows = await db.query<{ n: number }>(`select count(*)::int as n from judge_calibrations`);
      expect(rows.rows[0]!.n).toBe(1); // checks measure, they never replace the calibration
    } finally {
      await db.close();
    }
  });
});
