// Ingest throughput and peak memory: one JSONL file into PGlite (on disk) and into PostgreSQL.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openPgDb } from '../src/db/pg-db.js';

/** Writes `n` routing events as JSONL without holding them in memory. */
export async function writeEvents(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    const e = {
      kind: 'routing',
      id: `bench-${i}`,
      ts: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      taskType: ['classify', 'summarize', 'math', 'qa_retrieval'][i % 4],
      model: 'gpt-4o-mini',
      inputTokens: 120 + (i % 300),
      outputTokens: 5 + (i % 40),
      prompt: `Classify the customer message number ${i}: where is my card?`,
      response: 'card_arrival',
      reference: i % 50 === 0 ? 'card_delivery_estimate' : 'card_arrival',
    };
    if (!out.write(`${JSON.stringify(e)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function ingestIn(file: string, url: string) {
  const out = execFileSync('npx', ['tsx', path.join(import.meta.dirname, 'ingest-child.ts'), file, url], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    seconds: number;
    eventsPerSecond: number;
    peakRssMb: number;
    counts: { routing: number };
  };
}

/** Runs the ingest bench; returns a markdown section. */
export async function runIngestBench(options: { events?: number; pgUrl?: string } = {}): Promise<string> {
  const n = options.events ?? Number(process.env.BENCH_INGEST_EVENTS ?? 1_000_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-bench-ingest-'));
  const file = path.join(dir, 'events.jsonl');
  await writeEvents(file, n);
  const rows: string[] = [];
  execFileSync('npx', ['tsx', path.join(import.meta.dirname, 'ingest-child.ts'), '--init', path.join(dir, 'pglite')]);
  const pglite = ingestIn(file, path.join(dir, 'pglite'));
  rows.push(
    `| PGlite (embedded, on disk) | ${pglite.counts.routing.toLocaleString('en-US')} | ${pglite.seconds.toFixed(1)} | ${Math.round(pglite.eventsPerSecond).toLocaleString('en-US')} | ${pglite.peakRssMb.toFixed(0)} |`,
  );
  let pg: typeof pglite | undefined;
  const pgUrl = options.pgUrl ?? process.env.DRIFTWATCH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `dw_bench_ingest_${Date.now()}`;
  try {
    const admin = await openPgDb(pgUrl, { max: 1 });
    await admin.exec(`create database ${name}`);
    await admin.close();
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    pg = ingestIn(file, u.toString());
    rows.push(
      `| PostgreSQL 15 (server) | ${pg.counts.routing.toLocaleString('en-US')} | ${pg.seconds.toFixed(1)} | ${Math.round(pg.eventsPerSecond).toLocaleString('en-US')} | ${pg.peakRssMb.toFixed(0)} |`,
    );
  } catch (err) {
    rows.push(`| PostgreSQL | not measured: ${(err as Error).message.split('\n')[0]} | | | |`);
  } finally {
    const admin = await openPgDb(pgUrl, { max: 1 }).catch(() => undefined);
    await admin?.exec(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin?.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return [
    `## Ingest: ${n.toLocaleString('en-US')} routing events from one JSONL file`,
    '',
    'One transaction per file, batches of 2,000 rows via `jsonb_to_recordset`. Peak RSS is the ingesting process (the PGlite WASM heap included), on a database created beforehand: the very first open of a PGlite folder runs initdb, a one-off peak of about 850 MB.',
    '',
    '| target | events stored | seconds | events/s | peak RSS (MB) |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
    pg
      ? `PostgreSQL / PGlite throughput ratio: ${(pg.eventsPerSecond / pglite.eventsPerSecond).toFixed(2)}x. Peak RSS limit 500 MB: PGlite ${pglite.peakRssMb < 500 ? 'within' : 'OVER'}, PostgreSQL ${pg.peakRssMb < 500 ? 'within' : 'OVER'}.`
      : '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runIngestBench());
}
