// What migration 013's routing_event_counts trigger costs at ingest: the same JSONL file ingested
// with the trigger on and off (interleaved, a fresh database each time), on PGlite and PostgreSQL.
// Run: npx tsx bench/ingest-counts-trigger.ts   (TRIGGER_BENCH_N=100000 TRIGGER_BENCH_ROUNDS=3)
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../src/db/db.js';
import { createTestPg, createTestPglite, TEST_PG_URL } from '../test/support/test-db.js';
import { ingestFile } from '../src/ingest/ingest-file.js';
import { writeEvents } from './ingest.js';

const N = Number(process.env.TRIGGER_BENCH_N ?? 100_000);
const ROUNDS = Number(process.env.TRIGGER_BENCH_ROUNDS ?? 3);

async function once(create: () => Promise<Db>, file: string, trigger: boolean): Promise<number> {
  const db = await create();
  try {
    if (!trigger) await db.exec('alter table routing_events disable trigger routing_events_counts');
    const t = performance.now();
    const counts = await ingestFile(db, file);
    const s = (performance.now() - t) / 1000;
    if (counts.routing !== N) throw new Error(`ingested ${counts.routing} of ${N}`);
    return N / s;
  } finally {
    await db.close();
  }
}

export async function runIngestCountsTriggerBench(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-trigger-'));
  const file = path.join(dir, 'events.jsonl');
  await writeEvents(file, N);
  const engines: [string, () => Promise<Db>][] = [['pglite', createTestPglite]];
  if (TEST_PG_URL) engines.push(['postgres', createTestPg]);
  const lines: string[] = [];
  try {
    for (const [engine, create] of engines) {
      const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
      for (let i = 0; i < ROUNDS; i++) {
        // alternate which goes first
        for (const trigger of i % 2 === 0 ? [true, false] : [false, true])
          rates[trigger ? 'on' : 'off'].push(await once(create, file, trigger));
      }
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
      const fmt = (xs: number[]) =>
        `${med(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
      lines.push(
        `| ${engine} | ${fmt(rates.off)} | ${fmt(rates.on)} | ${(med(rates.on) / med(rates.off)).toFixed(2)}x | ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' / ')} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    `## Ingest of ${N.toLocaleString('en-US')} routing events with and without the routing_event_counts trigger (events/s, median of ${ROUNDS}, min-max)`,
    '',
    '| engine | trigger off | trigger on | on / off | load 1/5/15 at the end |',
    '|---|---:|---:|---:|---|',
    ...lines,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await runIngestCountsTriggerBench());
