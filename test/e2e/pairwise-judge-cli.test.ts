import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open-db.js';
import { pairwiseAnswers } from '../support/fakes/fake-http.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { startFakeOpenAi } from '../support/fakes/fake-openai-server.js';
import { makeRoutingEvent, writeJsonl } from '../support/make-events.js';
import { runCli } from '../support/run-cli.js';

const KEY = 'sk-ant-pairwise-cli-0123456789';

/**
 * An open-ended chat class with no references: each event carries the premium model's answer.
 * 6 of 24 served answers carry the fake judge's marker (worse than premium), 18 are as good.
 */
async function chatFolder(): Promise<{ cwd: string; db: string[] }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'dw-pairwise-'));
  const events = Array.from({ length: 24 }, (_, i) => {
    const { reference: _ref, ...e } = makeRoutingEvent({
      id: `chat-${i}`,
      ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
      taskType: 'chat',
      model: 'mixtral-8x7b',
      prompt: `Write a short note to a colleague about topic ${i}.`,
      response: i % 4 === 1 ? `PLANTED_ERROR off-topic reply ${i}` : `Hi! A short note about topic ${i}.`,
    });
    return { ...e, premiumResponse: `Hello, here is a short note about topic ${i}.`, premiumModel: 'gpt-4-turbo' };
  });
  writeJsonl(path.join(cwd, 'events.jsonl'), events);
  const db = ['--db', path.join(cwd, 'db')];
  expect((await runCli(['ingest', path.join(cwd, 'events.jsonl'), ...db], { cwd })).code).toBe(0);
  expect((await runCli(['sample', '--rate', '1', ...db], { cwd })).code).toBe(0);
  return { cwd, db };
}

describe('a class without references is judged pairwise against the premium answer (official SDK, local fake)', () => {
  it('offline it is unjudgeable with the reason; with --judge anthropic both orders are asked and worse-than-premium answers fail', {
    timeout: 300_000,
  }, async () => {
    const { cwd, db } = await chatFolder();
    const off = JSON.parse((await runCli(['judge', '--json', '--limit', '1', ...db], { cwd })).stdout);
    expect(off).toMatchObject({ judged: 0, unjudgeable: 1 });
    const probe = await openDb(db[1], cwd);
    const why = await probe.query<{ r: string }>(
      `select unjudgeable_reason as r from samples where status = 'unjudgeable'`,
    );
    // the offline judge cannot compare pairwise; put the sample back for the LLM judge below
    await probe.query(`update samples set status = 'pending', unjudgeable_reason = null where status = 'unjudgeable'`);
    await probe.close();
    expect(why.rows[0].r).toMatch(/premium answer can only be compared pairwise by a reference model/);

    const fake = await startFakeAnthropic({ apiKey: KEY });
    try {
      const r = await runCli(['judge', '--judge', 'anthropic', '--json', ...db], {
        cwd,
        env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url },
      });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ judged: 24, unjudgeable: 0, pending: 0, calls: 48 });
      expect(out.classes.find((c: { taskType: string }) => c.taskType === 'chat')).toMatchObject({
        n: 24,
        failures: 6,
      });
      // every served answer was shown once as A and once as B; no reference answer was requested
      const prompts = fake.requests
        .filter((q) => q.path === '/v1/messages')
        .map((q) => (q.json as { messages: { content: string }[] }).messages[0].content);
      const pairs = prompts.map((p) => pairwiseAnswers(p)!);
      expect(pairs.every(Boolean)).toBe(true);
      for (let i = 0; i < 24; i++) {
        const served = i % 4 === 1 ? `PLANTED_ERROR off-topic reply ${i}` : `Hi! A short note about topic ${i}.`;
        expect(pairs.filter((p) => p.a === served)).toHaveLength(1);
        expect(pairs.filter((p) => p.b === served)).toHaveLength(1);
      }
    } finally {
      await fake.close();
    }
    const check = await openDb(db[1], cwd);
    const rows = await check.query<{ method: string; n: number }>(
      `select method, count(*)::int as n from judgments group by 1`,
    );
    const reason = await check.query<{ reason: string }>(
      `select j.reason from judgments j join samples s on s.id = j.sample_id where s.event_id = 'chat-1'`,
    );
    await check.close();
    expect(rows.rows).toEqual([{ method: 'pairwise-preference', n: 24 }]);
    expect(reason.rows[0].reason).toMatch(/worse than the premium answer in both orders/);
  });

  it('a reference model that always prefers the answer shown first fails nothing: its bias cancels into ties', {
    timeout: 300_000,
  }, async () => {
    const { cwd, db } = await chatFolder();
    const fake = await startFakeAnthropic({
      apiKey: KEY,
      judge: () => JSON.stringify({ winner: 'A', reason: 'first is best' }),
    });
    try {
      const r = await runCli(['judge', '--judge', 'anthropic', '--json', ...db], {
        cwd,
        env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url },
      });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ judged: 24, calls: 48 });
      expect(out.classes.find((c: { taskType: string }) => c.taskType === 'chat')).toMatchObject({
        n: 24,
        failures: 0,
      });
    } finally {
      await fake.close();
    }
    const check = await openDb(db[1], cwd);
    const reasons = await check.query<{ reason: string }>(`select reason from judgments`);
    await check.close();
    expect(reasons.rows.every((x) => /orders disagree \(position bias\): counted as a tie/.test(x.reason))).toBe(true);
  });

  it('judge --batch carries both orders of each pair in one provider batch; a failed order is re-asked alone, the paid one kept', {
    timeout: 300_000,
  }, async () => {
    const { cwd, db } = await chatFolder();
    const key = 'sk-pairwise-batch-0123456789';
    // one order of one pair errors inside the first batch
    let errored = 0;
    const fake = await startFakeOpenAi({
      apiKey: key,
      pollsUntilEnded: 0,
      itemOutcome: (id) => (id === 'sample-2-premium-first' && errored++ === 0 ? 'errored' : 'succeeded'),
    });
    const env = { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${fake.url}/v1` };
    try {
      const first = JSON.parse(
        (await runCli(['judge', '--judge', 'openai', '--batch', '--json', ...db], { cwd, env })).stdout,
      );
      expect(first).toMatchObject({ judged: 23, pending: 1, calls: 48, batches: 1, needsRealtime: 0 });
      const lines = fake.batches[0].lines.map((l) => l.custom_id);
      expect(lines).toHaveLength(48);
      expect(lines.filter((id) => id.endsWith('-served-first'))).toHaveLength(24);
      const second = JSON.parse(
        (await runCli(['judge', '--judge', 'openai', '--batch', '--json', ...db], { cwd, env })).stdout,
      );
      // only the order that failed is sent again: the other one's paid reply was kept
      expect(second).toMatchObject({ judged: 1, pending: 0, calls: 1 });
      expect(fake.batches[1].lines.map((l) => l.custom_id)).toEqual(['sample-2-premium-first']);
      expect(second.classes.find((c: { taskType: string }) => c.taskType === 'chat')).toMatchObject({
        n: 24,
        failures: 6,
      });
    } finally {
      await fake.close();
    }
  });
});
