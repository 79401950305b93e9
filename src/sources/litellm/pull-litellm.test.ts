import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, TransactionOptions } from '../../db/db.js';
import { openPgDb } from '../../db/pg-db.js';
import { createTestPg, terminateBackends, TEST_PG_URL, testDbAdapters } from '../../../test/support/test-db.js';
import { runCli } from '../../../test/support/run-cli.js';
import { pullLitellm } from './pull-litellm.js';

const DDL = readFileSync(new URL('../../../test/fixtures/litellm/spend-logs.sql', import.meta.url), 'utf8');

/** A fresh database on the test server holding only LiteLLM's spend-logs table (no driftwatch tables). */
async function createLitellmDb(): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  const name = `dw_test_${randomBytes(6).toString('hex')}`;
  const admin = await openPgDb(TEST_PG_URL!, { max: 1 });
  await admin.exec(`create database ${name}`);
  await admin.close();
  const url = new URL(TEST_PG_URL!);
  url.pathname = `/${name}`;
  const db = await openPgDb(url.toString(), { max: 1 });
  await db.exec(DDL);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const a = await openPgDb(TEST_PG_URL!, { max: 1 });
      await a.exec(`drop database if exists ${name} with (force)`);
      await a.close();
    },
  };
}

/**
 * Rows n in [from, to) as the proxy writes them: 4 in 5 tagged `task:<class>`, 7 in 10 with
 * messages and response stored (store_prompts_in_spend_logs), the rest `{}`. Two rows share each
 * startTime (the watermark's tie on request_id). `lateFrom`: rows below it start 40 minutes into the
 * first batch, as a batch LiteLLM flushed late would.
 */
async function insertRows(db: Db, from: number, to: number, lateBelow = 0): Promise<void> {
  await db.query(
    `insert into "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, "startTime", "endTime",
       request_duration_ms, model, model_id, model_group, custom_llm_provider, api_base, "user", metadata, cache_hit, cache_key, request_tags, messages, response, status)
     select 'chatcmpl-' || lpad(n::text, 6, '0'), 'acompletion', '88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b',
       0.00012 * (1 + n % 3), 30 + n % 7, 20 + n % 5, 10 + n % 2,
       s, s + interval '420 milliseconds', 420, 'gpt-4o-mini', 'd1c6e1', 'support-bot', 'openai', 'https://api.openai.com/v1', '', '{"user_api_key_alias": "support"}',
       case when n % 50 = 0 then 'True' else 'False' end, '',
       case when n % 5 = 0 then '["team:support"]'::jsonb else jsonb_build_array('task:' || (array['classify','extract','qa','summarize'])[1 + n % 4], 'team:support') end,
       case when n % 10 < 7 then jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'question ' || n)) else '{}'::jsonb end,
       case when n % 10 < 7 then jsonb_build_object('id', 'chatcmpl-' || n, 'object', 'chat.completion', 'model', 'gpt-4o-mini-2024-07-18',
         'choices', jsonb_build_array(jsonb_build_object('index', 0, 'finish_reason', 'stop', 'message', jsonb_build_object('role', 'assistant', 'content', 'answer ' || n)))) else '{}'::jsonb end,
       'success'
     from generate_series($1::int, $2::int - 1) n,
       lateral (select timestamp '2026-11-30 00:00:00' + make_interval(secs => case when n < $3 then 2400 + (n - $1) else n / 2 end) as s) t`,
    [from, to, lateBelow],
  );
}

/** The source Db, recording every transaction's options and any statement run outside one. */
function recording(db: Db): Db & { txOptions: (TransactionOptions | undefined)[]; direct: string[] } {
  const txOptions: (TransactionOptions | undefined)[] = [];
  const direct: string[] = [];
  return Object.assign(Object.create(db) as Db, {
    txOptions,
    direct,
    transaction: <T>(fn: Parameters<Db['transaction']>[0], o?: TransactionOptions) => {
      txOptions.push(o);
      return db.transaction(fn as never, o) as Promise<T>;
    },
    query: (sql: string) => {
      direct.push(sql);
      throw new Error('a statement outside a read-only transaction');
    },
    exec: (sql: string) => {
      direct.push(sql);
      throw new Error('a statement outside a read-only transaction');
    },
  });
}

describe.skipIf(!TEST_PG_URL).each(testDbAdapters.filter((a) => a.enabled))('pullLitellm into $name', ({ create }) => {
  let db: Db;
  let litellm: Awaited<ReturnType<typeof createLitellmDb>>;
  beforeAll(async () => {
    db = await create();
    litellm = await createLitellmDb();
  });
  afterAll(async () => {
    await db.close();
    await litellm.drop();
  });

  it('two pulls with 1,000 new rows between them (50 of them committed late) store exactly 6,000 events once, read only', async () => {
    await insertRows(litellm.db, 0, 5000);
    const source = recording(litellm.db);
    const first = await pullLitellm(db, source, { sourceKey: 'litellm:test' });
    expect(first).toMatchObject({
      rowsRead: 5000,
      routing: 5000,
      duplicates: 0,
      withoutContent: 1500,
      from: null,
      to: { startTime: '2026-11-30T00:41:39.000000', requestId: 'chatcmpl-004999' },
    });

    await insertRows(litellm.db, 5000, 6000, 5050);
    const second = await pullLitellm(db, source, { sourceKey: 'litellm:test' });
    expect(second.routing).toBe(1000);
    expect(second.withoutContent).toBe(300); // of the 1,000 new (the 5,000 read again are duplicates)
    const third = await pullLitellm(db, source, { sourceKey: 'litellm:test' });
    expect(third.routing).toBe(0);

    const n = await db.query<{ n: number; ids: number }>(
      `select count(*)::int as n, count(distinct metadata->>'requestId')::int as ids from routing_events where id like 'litellm:%'`,
    );
    expect(n.rows[0]).toEqual({ n: 6000, ids: 6000 });
    expect(source.direct).toEqual([]);
    expect(source.txOptions.length).toBeGreaterThan(0);
    expect(source.txOptions.every((o) => o?.readOnly === true)).toBe(true);
    // and the server enforces it
    await expect(
      litellm.db.transaction((tx) => tx.query(`delete from "LiteLLM_SpendLogs"`), { readOnly: true }),
    ).rejects.toThrow(/read-only transaction/);
    const left = await litellm.db.query<{ n: number }>('select count(*)::int as n from "LiteLLM_SpendLogs"');
    expect(left.rows[0].n).toBe(6000);
  });

  it('maps request_id, model, model_group, tokens, spend, startTime, cache_hit, messages and response; the class from task: tags, else the model group', async () => {
    const rows = (
      await db.query<Record<string, unknown>>(
        `select id, ts, task_type, model, prompt, messages, response, input_tokens, output_tokens, cost_usd, latency_ms, metadata from routing_events where id in ('litellm:chatcmpl-000001', 'litellm:chatcmpl-000000', 'litellm:chatcmpl-000007') order by id`,
      )
    ).rows;
    expect(rows[0]).toMatchObject({
      id: 'litellm:chatcmpl-000000',
      task_type: 'support-bot',
      response: 'answer 0',
      metadata: { cacheHit: true, requestTags: ['team:support'] },
    });
    expect(rows[1]).toMatchObject({
      id: 'litellm:chatcmpl-000001',
      task_type: 'extract',
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'question 1' }],
      response: 'answer 1',
      input_tokens: 21,
      output_tokens: 11,
      latency_ms: 420,
      metadata: {
        source: 'litellm',
        requestId: 'chatcmpl-000001',
        modelGroup: 'support-bot',
        provider: 'openai',
        callType: 'acompletion',
        cacheHit: false,
        contentCaptured: true,
        requestTags: ['task:extract', 'team:support'],
      },
    });
    expect(rows[1].cost_usd).toBeCloseTo(0.00024, 12);
    expect((rows[1].ts as Date).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(rows[2]).toMatchObject({
      id: 'litellm:chatcmpl-000007',
      task_type: 'summarize',
      prompt: '',
      messages: null,
      response: '',
      metadata: { contentCaptured: false },
    });
    expect(JSON.stringify(rows)).not.toContain('88dc28d0f030'); // the hashed key is not copied
  });
});

describe.skipIf(!TEST_PG_URL)('driftwatch pull litellm', () => {
  it('pulls through the CLI (--source), skips embeddings and failures, counts rows without content, and stores nothing new on a second run', async () => {
    const litellm = await createLitellmDb();
    try {
      await insertRows(litellm.db, 0, 40);
      await litellm.db.query(`insert into "LiteLLM_SpendLogs" (request_id, call_type, "startTime", "endTime", model, status) values
        ('emb-1', 'aembedding', '2026-11-30 01:00:00', '2026-11-30 01:00:01', 'text-embedding-3-small', 'success'),
        ('fail-1', 'acompletion', '2026-11-30 01:00:02', '2026-11-30 01:00:03', 'gpt-4o-mini', 'failure')`);
      const dir = mkdtempSync(path.join(tmpdir(), 'dw-pull-'));
      const args = ['pull', 'litellm', '--source', litellm.url, '--db', path.join(dir, 'db'), '--json'];
      const first = await runCli(args, { cwd: dir });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({
        rowsRead: 42,
        routing: 40,
        withoutContent: 12,
        skipped: { 'call_type aembedding': 1, 'failed request (status failure)': 1 },
      });
      const second = await runCli(args, { cwd: dir });
      expect(JSON.parse(second.stdout)).toMatchObject({ routing: 0 });
      const noSource = await runCli(['pull', 'litellm', '--db', path.join(dir, 'db')], { cwd: dir });
      expect(noSource.code).toBe(2);
      expect(noSource.stderr).toContain('--source postgres://');
    } finally {
      await litellm.drop();
    }
  });
});

describe.skipIf(!TEST_PG_URL)('pullLitellm when connections drop', () => {
  it('a pull whose driftwatch and LiteLLM sessions are terminated mid-way runs again and stores each row once', async () => {
    const db = await createTestPg();
    const litellm = await createLitellmDb();
    try {
      await insertRows(litellm.db, 0, 3000);
      let pages = 0;
      const progress: number[] = [];
      const r = await pullLitellm(db, litellm.db, {
        sourceKey: 'litellm:drop',
        pageSize: 500,
        onProgress: (rows) => {
          progress.push(rows);
          pages++;
          // after the 2nd page: cut driftwatch's session (its transaction reruns); after the 4th: LiteLLM's
          if (pages === 2) void terminateBackends(db.url);
          if (pages === 4) void terminateBackends(litellm.url);
        },
      });
      // the transaction ran again from the start: the rows read went back down once
      expect(
        progress.some((n, i) => i > 0 && n < progress[i - 1]),
        progress.join(','),
      ).toBe(true);
      expect(r).toMatchObject({ rowsRead: 3000, routing: 3000, duplicates: 0 });
      const n = await db.query<{ n: number }>(`select count(*)::int as n from routing_events`);
      expect(n.rows[0].n).toBe(3000);
      const w = await db.query<{ position: unknown }>(
        `select position from source_watermarks where source = 'litellm:drop'`,
      );
      expect(w.rows[0].position).toEqual({ startTime: '2026-11-30T00:24:59.000000', requestId: 'chatcmpl-002999' });
    } finally {
      await db.close();
      await litellm.drop();
    }
  });
});
