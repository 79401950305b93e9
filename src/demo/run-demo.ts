import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { openPgliteDb } from '../db/pglite-db.js';
import { logRoutingEvent } from '../ingest/event-log.js';
import { ingestFile } from '../ingest/ingest-file.js';
import { createRouter } from '../routing/create-router.js';
import { buildNightTraffic, type DemoData } from './build-night-traffic.js';
import { DEMO_CONFIG_YAML, DEMO_ROUTING_YAML } from './demo-files.js';
import { loadBanking77, loadGsm8kRecordings, loadMtBenchRecordings } from './load-recordings.js';
import { trainIntentClassifier } from './train-intent-classifier.js';

export interface DemoOptions {
  /** Working folder; the demo keeps its database, tables and event files in `<cwd>/.driftwatch/demo`. */
  cwd: string;
  nights?: number;
  /** First night's date; the demo's nights end the day before `now`. */
  now: Date;
  log: (message: string) => void;
}

export interface DemoNightSummary {
  night: number;
  date: string;
  events: number;
}

/** What the demo did, for the report and --json. */
export interface DemoSummary {
  dir: string;
  nights: DemoNightSummary[];
  volumes: { taskType: string; model: string; events: number; costUsd: number }[];
}

/**
 * Replays several nights of recorded traffic through the router into a fresh embedded
 * database, one JSONL file per night ingested like production events.
 */
export async function runDemo(options: DemoOptions): Promise<{ summary: DemoSummary; db: Db }> {
  const nights = options.nights ?? 5;
  const dir = path.join(options.cwd, '.driftwatch', 'demo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'events'), { recursive: true });
  writeFileSync(path.join(dir, 'routing.yaml'), DEMO_ROUTING_YAML);
  writeFileSync(path.join(dir, 'driftwatch.yaml'), DEMO_CONFIG_YAML);

  options.log('loading recorded data: RouteLLM GSM8K and MT-bench answers, Banking77');
  const data = loadDemoData();
  options.log(`trained ${data.classifier.name} on ${data.intents.length > 0 ? 'Banking77 train' : ''} (10,003 examples)`);

  const db = await openPgliteDb(path.join(dir, 'db'));
  await migrate(db);
  const router = createRouter({ path: path.join(dir, 'routing.yaml'), checkEveryMs: 0 });
  const summary: DemoSummary = { dir, nights: [], volumes: [] };
  for (let night = 0; night < nights; night++) {
    const day = new Date(Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate() - nights + night));
    const file = path.join(dir, 'events', `${day.toISOString().slice(0, 10)}.jsonl`);
    const events = buildNightTraffic(data, router, night, nights, day);
    for (const e of events) await logRoutingEvent({ file }, e);
    const counts = await ingestFile(db, file);
    summary.nights.push({ night: night + 1, date: day.toISOString().slice(0, 10), events: counts.routing });
    options.log(`night ${night + 1}/${nights} (${day.toISOString().slice(0, 10)}): ${counts.routing} routed requests ingested`);
  }
  const v = await db.query<{ task_type: string; model: string; n: string; cost: number }>(
    `select task_type, model, count(*) as n, coalesce(sum(cost_usd), 0) as cost from routing_events group by 1, 2 order by 1, 2`,
  );
  summary.volumes = v.rows.map((r) => ({ taskType: r.task_type, model: r.model, events: Number(r.n), costUsd: Number(r.cost) }));
  return { summary, db };
}

/** Loads the bundled recordings and trains the local intent model. */
export function loadDemoData(): DemoData {
  const train = loadBanking77('train');
  return {
    math: loadGsm8kRecordings(),
    chat: loadMtBenchRecordings(),
    intents: loadBanking77('test'),
    classifier: trainIntentClassifier(train),
  };
}

/** Markdown for the demo's volumes and spend. */
export function renderDemoVolumes(s: DemoSummary): string {
  const lines = ['| task class | model | requests | spend (USD) |', '|---|---|---:|---:|'];
  for (const v of s.volumes) lines.push(`| ${v.taskType} | ${v.model} | ${v.events.toLocaleString('en-US')} | ${v.costUsd.toFixed(4)} |`);
  return lines.join('\n');
}
