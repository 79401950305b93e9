import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { logCacheLookup, logRoutingEvent } from './event-log.js';
import { ingestFile } from './ingest-file.js';

describe('logRoutingEvent / logCacheLookup', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(() => db.close());

  it('appends contract events to a JSONL file that ingest accepts', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-log-')), 'events.jsonl');
    const e = await logRoutingEvent(
      { file },
      { taskType: 'classify', model: 'gpt-4o-mini', prompt: 'p', response: 'r', ts: new Date('2026-11-25T10:00:00Z') },
    );
    await logCacheLookup({ file }, { query: 'q', hit: false, similarity: 0.5 });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ kind: 'routing', id: e.id, ts: '2026-11-25T10:00:00.000Z' });
    expect(lines[1]).toMatchObject({ kind: 'cache', hit: false });
    expect(await ingestFile(db, file)).toEqual({ routing: 1, cache: 1, duplicates: 0 });
  });

  it('writes straight to the database and rejects invalid events', async () => {
    await logRoutingEvent({ db }, { id: 'direct-1', taskType: 't', model: 'm', prompt: 'p', response: 'r' });
    const r = await db.query(`select 1 from routing_events where id = 'direct-1'`);
    expect(r.rows).toHaveLength(1);
    await expect(logCacheLookup({ db }, { query: 'q', hit: true, similarity: 1.5 })).rejects.toThrow(/similarity/);
  });
});
