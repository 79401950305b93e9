import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { InputError } from '../errors.js';
import { makeCacheLookup, makeRoutingEvent, writeJsonl } from '../../test/support/make-events.js';
import { ingestFile } from './ingest-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dw-ingest-'));

function twoThousandEvents(prefix: string) {
  return Array.from({ length: 2000 }, (_, i) =>
    i % 4 === 3
      ? makeCacheLookup({ id: `${prefix}-lk-${i}`, hit: i % 8 === 3, similarity: 0.9 })
      : makeRoutingEvent({
          id: `${prefix}-evt-${i}`,
          taskType: i % 2 ? 'math' : 'classify',
          ts: new Date(Date.UTC(2026, 10, 25, 0, 0, i)).toISOString(),
        }),
  );
}

/** Routing events and cache lookups whose id starts with `prefix`. */
async function countPrefix(db: Db, prefix: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    `select (select count(*) from routing_events where id like $1) + (select count(*) from cache_lookups where id like $1) as n`,
    [`${prefix}%`],
  );
  return Number(r.rows[0].n);
}

// Values the schema let through and the database refused (exit 1 with a stack) or stored wrongly.
const UNSTORABLE_VALUES = [
  { name: 'a NUL in the prompt', field: 'prompt', bad: { prompt: 'a\u0000b' } },
  { name: 'a NUL in a metadata key', field: 'metadata.', bad: { metadata: { nested: { 'k\u0000': 1 } } } },
  { name: 'a lone surrogate in the response', field: 'response', bad: { response: 'broken \ud800 text' } },
  {
    name: 'a lone low surrogate in messages',
    field: 'messages.0.content',
    bad: { prompt: undefined, messages: [{ role: 'user', content: '\udc00' }] },
  },
  { name: 'a token count of 2^31', field: 'inputTokens', bad: { inputTokens: 2 ** 31 } },
  { name: 'a 10 KB id', field: 'id', bad: { id: `e-${'x'.repeat(10_240)}` } },
  { name: 'a 10 KB task type', field: 'taskType', bad: { taskType: 'x'.repeat(10_240) } },
  { name: 'a 30 February', field: 'ts', bad: { ts: '2026-02-30T00:00:00Z' } },
  { name: 'a non-ISO timestamp Date.parse accepts', field: 'ts', bad: { ts: '1' } },
  {
    name: 'an offset past 15:59, refused by the database itself',
    field: 'ts',
    bad: { ts: '2026-11-25T10:00:00+16:00' },
  },
];

describe.each(testDbAdapters.filter((a) => a.enabled))('ingestFile on $name', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores a 2,000-event file once and nothing on re-ingest', async () => {
    const file = path.join(dir, `ok-${db.kind}.jsonl`);
    writeJsonl(file, twoThousandEvents('a'));
    const classes: [string, number, number][] = [];
    const onRoutingClass = (taskType: string, line: number, events: number) => classes.push([taskType, line, events]);
    expect(await ingestFile(db, file, { batchSize: 300, onRoutingClass })).toEqual({
      routing: 1500,
      cache: 500,
      duplicates: 0,
    });
    // once per class after the commit: the line it first appeared on, its routing events
    expect(classes).toEqual([
      ['classify', 1, 1000],
      ['math', 2, 500],
    ]);
    expect(await ingestFile(db, file)).toEqual({ routing: 0, cache: 0, duplicates: 2000 });
    const r = await db.query<{ n: string }>(
      'select (select count(*) from routing_events) + (select count(*) from cache_lookups) as n',
    );
    expect(Number(r.rows[0].n)).toBe(2000);
  });

  it('rejects a file whose line 51 is invalid, naming line and field, storing nothing from it', async () => {
    const events = twoThousandEvents('b');
    const bad = { ...events[50] } as Record<string, unknown>;
    delete bad.ts;
    events[50] = bad as never;
    const file = path.join(dir, `bad-${db.kind}.jsonl`);
    writeJsonl(file, events);
    const err = await ingestFile(db, file, { batchSize: 10 }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`${file}:51: ts:`);
    const r = await db.query<{ n: string }>(`select count(*) as n from routing_events where id like 'b-%'`);
    expect(Number(r.rows[0].n)).toBe(0);
  });

  it('names invalid JSON and a missing prompt', async () => {
    const file = path.join(dir, `json-${db.kind}.jsonl`);
    writeJsonl(file, [makeRoutingEvent({ id: 'c-1' }), '{"kind": "routing",']);
    await expect(ingestFile(db, file)).rejects.toThrow(`${file}:2: invalid JSON`);
    const noPrompt = makeRoutingEvent({ id: 'c-2' }) as Record<string, unknown>;
    delete noPrompt.prompt;
    writeJsonl(file, [noPrompt]);
    await expect(ingestFile(db, file)).rejects.toThrow(`${file}:1: prompt: one of prompt or messages is required`);
  });

  it.each(UNSTORABLE_VALUES)(
    'rejects $name with file:line:field and stores nothing from the file',
    async ({ name, field, bad }) => {
      const prefix = `bad-${name.replace(/\W+/g, '-')}-`;
      const events = [1, 2, 3, 4, 5].map((i) => makeRoutingEvent({ id: `${prefix}${i}` })) as Record<string, unknown>[];
      events[3] = { ...events[3], ...bad };
      const file = path.join(dir, `${prefix}${db.kind}.jsonl`);
      writeJsonl(file, events);
      const err = await ingestFile(db, file, { batchSize: 2 }).catch((e) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toContain(`${file}:4: ${field}`);
      expect(err.message).toContain('nothing from this file was stored');
      expect(await countPrefix(db, prefix)).toBe(0);
    },
  );

  it('rejects invalid UTF-8 naming the line (it was stored as U+FFFD)', async () => {
    const file = path.join(dir, `utf8-${db.kind}.jsonl`);
    const lines = [1, 2, 3].map((i) =>
      Buffer.from(`${JSON.stringify(makeRoutingEvent({ id: `u8-${i}`, response: 'caf\u00e9 \ufffd ok' }))}\n`),
    );
    const broken = Buffer.from(`${JSON.stringify(makeRoutingEvent({ id: 'u8-3', response: 'caf@' }))}\n`);
    broken[broken.indexOf('caf@') + 3] = 0xe9; // latin-1 e-acute: not UTF-8
    writeFileSync(file, Buffer.concat([lines[0], lines[1], broken]));
    const err = await ingestFile(db, file).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid UTF-8 at byte \\d+`),
    );
    expect(await countPrefix(db, 'u8-')).toBe(0);
    writeFileSync(file, Buffer.concat([lines[0], lines[1]])); // a real U+FFFD in the text is fine
    expect(await ingestFile(db, file)).toEqual({ routing: 2, cache: 0, duplicates: 0 });
  });
});

describe.each(testDbAdapters.filter((a) => a.enabled))('ingestFile on $name: repeated ids', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.close();
  });

  it('rejects an id repeated with different content, naming both lines; the same content twice is a duplicate', async () => {
    const file = path.join(dir, `dup-${db.kind}.jsonl`);
    const first = makeRoutingEvent({ id: 'dup-1', response: 'yes' });
    writeJsonl(file, [
      makeRoutingEvent({ id: 'dup-0' }),
      first,
      makeRoutingEvent({ id: 'dup-2' }),
      makeRoutingEvent({ id: 'dup-3' }),
      { ...first, response: 'no' },
    ]);
    const err = await ingestFile(db, file, { batchSize: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain(`${file}:5: id: "dup-1" was already used on line 2`);
    expect(await countPrefix(db, 'dup-')).toBe(0);
    const reordered = Object.fromEntries(Object.entries(first).reverse());
    writeJsonl(file, [makeRoutingEvent({ id: 'dup-0' }), first, reordered]);
    expect(await ingestFile(db, file, { batchSize: 2 })).toEqual({ routing: 2, cache: 0, duplicates: 1 });
  });

  it('counts ids repeated within one file as duplicates', async () => {
    const file = path.join(dir, `rep-${db.kind}.jsonl`);
    writeJsonl(file, [
      makeRoutingEvent({ id: 'd-1' }),
      makeRoutingEvent({ id: 'd-1' }),
      makeRoutingEvent({ id: 'd-2', messages: [{ role: 'user', content: 'hi' }], prompt: undefined }),
    ]);
    expect(await ingestFile(db, file)).toEqual({ routing: 2, cache: 0, duplicates: 1 });
  });
});
