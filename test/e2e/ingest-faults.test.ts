import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestPg, terminateBackends, TEST_PG_URL } from '../support/test-db.js';
import { makeCacheLookup, makeRoutingEvent, writeJsonl } from '../support/make-events.js';
import { spawnCli } from '../support/spawn-cli.js';

/** `n` events with ids shared between two files: routing events and every 5th a cache lookup. */
function overlappingEvents(n: number) {
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 4
      ? makeCacheLookup({ id: `lk-${String(i).padStart(6, '0')}` })
      : makeRoutingEvent({
          id: `evt-${String(i).padStart(6, '0')}`,
          ts: new Date(Date.UTC(2026, 10, 25, 0, 0, i)).toISOString(),
        }),
  );
}

const stored = async (db: { query: (sql: string) => Promise<{ rows: unknown[] }> }) =>
  (
    await db.query(`select (select count(*)::int from routing_events) as routing, (select count(*)::int from cache_lookups) as cache,
                          (select count(distinct id)::int from routing_events) as distinct_routing`)
  ).rows[0];

describe.skipIf(!TEST_PG_URL)(
  'driftwatch ingest on PostgreSQL under concurrency and dropped connections (child processes)',
  () => {
    it('two ingests of overlapping files with ids in opposite order both exit 0 and store each id once, every round', {
      timeout: 600_000,
    }, async () => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'dw-ingest-race-'));
      const events = overlappingEvents(12_000);
      const forward = path.join(cwd, 'forward.jsonl');
      const backward = path.join(cwd, 'backward.jsonl');
      writeJsonl(forward, events.slice(0, 10_000)); // ids 0..9,999
      writeJsonl(backward, events.slice(2_000).reverse()); // ids 11,999..2,000: 8,000 shared, in the opposite order
      for (let round = 1; round <= 3; round++) {
        const db = await createTestPg();
        try {
          const [a, b] = [forward, backward].map((f) => spawnCli(['ingest', f, '--json', '--db', db.url], { cwd }));
          const codes = await Promise.all([a.exited, b.exited]);
          const stderr = [a, b].flatMap((c) => c.lines.map((l) => l.text ?? JSON.stringify(l)));
          expect(codes, stderr.join('\n')).toEqual([0, 0]);
          const [ca, cb] = [JSON.parse(a.stdout()), JSON.parse(b.stdout())];
          console.log(`round ${round}: forward ${JSON.stringify(ca)}, backward ${JSON.stringify(cb)}`);
          expect(ca.routing + ca.cache + cb.routing + cb.cache).toBe(12_000); // each id stored by exactly one of them
          expect(ca.duplicates + cb.duplicates).toBe(8_000);
          expect(await stored(db)).toEqual({ routing: 9_600, cache: 2_400, distinct_routing: 9_600 });
        } finally {
          await db.close();
        }
      }
    });

    it('an ingest whose connection is terminated mid-file reconnects, runs its transaction again and stores each event once', {
      timeout: 300_000,
    }, async () => {
      const cwd = mkdtempSync(path.join(tmpdir(), 'dw-ingest-drop-'));
      const file = path.join(cwd, 'events.jsonl');
      writeJsonl(file, overlappingEvents(60_000));
      const db = await createTestPg();
      try {
        const child = spawnCli(['ingest', file, '--json', '--db', db.url], { cwd });
        // its transaction has written (staged) rows: cut the connection now, as a failover would
        let killed = 0;
        for (
          const end = Date.now() + 120_000;
          killed === 0 && Date.now() < end;
          await new Promise((r) => setTimeout(r, 20))
        ) {
          killed = await terminateBackends(db.url, 'backend_xid is not null');
        }
        expect(killed).toBe(1);
        const code = await child.exited;
        const stderr = child.lines.map((l) => l.text ?? JSON.stringify(l)).join('\n');
        expect(code, stderr).toBe(0);
        expect(stderr).toMatch(/lost the connection .* running it again from the start/);
        expect(JSON.parse(child.stdout())).toEqual({ routing: 48_000, cache: 12_000, duplicates: 0 });
        expect(await stored(db)).toEqual({ routing: 48_000, cache: 12_000, distinct_routing: 48_000 });
      } finally {
        await db.close();
      }
    });
  },
);
