import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../db/test-db.js';
import { InputError } from '../errors.js';
import { makeCacheLookup, makeRoutingEvent, writeJsonl } from '../../test/support/make-events.js';
import { ingestFile } from './ingest-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dw-ingest-'));

function twoThousandEvents(prefix: string) {
  return Array.from({ length: 2000 }, (_, i) =>
    i % 4 === 3
      ? makeCacheLookup({ id: `${prefix}-lk-${i}`, hit: i % 8 === 3, similarity: 0.9 })
      : makeRoutingEvent({ id: `${prefix}-evt-${i}`, taskType: i % 2 ? 'math' : 'classify', ts: new Date(Date.UTC(2026, 10, 25, 0, 0, i)).toISOString() }),
  );
}

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
    expect(await ingestFile(db, file, { batchSize: 300 })).toEqual({ routing: 1500, cache: 500, duplicates: 0 });
    expect(await ingestFile(db, file)).toEqual({ routing: 0, cache: 0, duplicates: 2000 });
    const r = await db.query<{ n: string }>('select (select count(*) from routing_events) + (select count(*) from cache_lookups) as n');
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

  it('counts ids repeated within one file as duplicates', async () => {
    const file = path.join(dir, `rep-${db.kind}.jsonl`);
    writeJsonl(file, [makeRoutingEvent({ id: 'd-1' }), makeRoutingEvent({ id: 'd-1' }), makeRoutingEvent({ id: 'd-2', messages: [{ role: 'user', content: 'hi' }], prompt: undefined })]);
    expect(await ingestFile(db, file)).toEqual({ routing: 2, cache: 0, duplicates: 1 });
  });
});
