import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBanking77CacheDemo } from '../cache/banking77.js';
import { loadConfig } from '../config/load-config.js';
import { migrate } from '../db/migrate.js';
import { writeFileAtomic } from '../fs/write-file-atomic.js';
import { openPgliteDb } from '../db/pglite-db.js';
import { runCompressionReport } from '../compression/run-compression-report.js';
import { logRoutingEvent } from '../ingest/event-log.js';
import { ingestFile } from '../ingest/ingest-file.js';
import { createCycleDeps } from '../nightly/cycle-deps.js';
import type { NightlyJson } from '../nightly/build-nightly-json.js';
import { runCycle } from '../nightly/run-cycle.js';
import { buildReportSeries } from '../reports/charts/build-report-series.js';
import { writeReportCharts } from '../reports/charts/write-report-charts.js';
import { renderReport } from '../reports/render-report.js';
import { createRouter } from '../routing/create-router.js';
import { buildNightTraffic, type DemoData } from './build-night-traffic.js';
import { createDemoEmbedder, DEMO_TRAIN_PER_INTENT } from './demo-vectors.js';
import { DEMO_CONFIG_YAML, DEMO_ROUTING_YAML } from './demo-files.js';
import { loadBanking77, loadGsm8kRecordings, loadMtBenchRecordings } from './load-recordings.js';
import { renderDemoPreface } from './render-demo-preface.js';
import { trainIntentClassifier } from './train-intent-classifier.js';

export interface DemoOptions {
  /** Working folder; the demo keeps its database, tables and event files in `<cwd>/.driftwatch/demo`. */
  cwd: string;
  nights?: number;
  /** The demo's nights are the `nights` days before `now`. */
  now: Date;
  /** Progress lines (the CLI shows them on a terminal). */
  log: (message: string) => void;
  /** False: the final report is markdown only, without SVG charts beside it. */
  charts?: boolean;
}

/** One replayed night: traffic ingested and the nightly run over it. */
export interface DemoNight {
  night: number;
  date: string;
  events: number;
  cacheLookups: number;
  nightly: NightlyJson;
}

export interface DemoResult {
  dir: string;
  nights: DemoNight[];
  /** The final night's report, with the story of the whole replay in front of it. */
  report: string;
  /** Its SVG charts, relative to the report (empty with `charts: false`). */
  charts: string[];
  routingTable: string;
}

/**
 * The whole product on recorded data, offline: several nights of application traffic
 * (RouteLLM's recorded Mixtral and GPT-4 Turbo answers to GSM8K and MT-bench, a naive Bayes
 * model trained here on Banking77, and a Banking77 support cache) go through the real
 * router, ingest, sampler, offline judge, escalator (applied), cache audit and compression
 * evaluation; each night writes its report and the last one tells the whole story.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const nights = options.nights ?? 5;
  const dir = path.join(options.cwd, '.driftwatch', 'demo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'events'), { recursive: true });
  writeFileSync(path.join(dir, 'routing.yaml'), DEMO_ROUTING_YAML);
  writeFileSync(path.join(dir, 'driftwatch.yaml'), DEMO_CONFIG_YAML);
  const loaded = loadConfig(path.join(dir, 'driftwatch.yaml'), dir);

  options.log('loading recordings (RouteLLM GSM8K and MT-bench answers) and training naive Bayes on Banking77 train');
  const data = loadDemoData();
  const db = await openPgliteDb(path.join(dir, 'db'));
  try {
    await migrate(db);
    const router = createRouter({ path: path.join(dir, 'routing.yaml'), checkEveryMs: 0 });
    const compression = await runCompressionReport({
      dataset: 'xquad-en',
      maxDropPoints: loaded.config.compression.maxDropPoints,
      cwd: options.cwd,
    });
    options.log(`compression: evaluated ${compression.evaluation.rows.length} method/ratio points on XQuAD-en`);
    // the support cache embeds with the offline sentence model (what cache.embedder: auto/local uses),
    // its vectors of the bundled sentences stored beside them (demo-vectors.ts)
    const embedder = createDemoEmbedder();
    const done: DemoNight[] = [];
    for (let night = 0; night < nights; night++) {
      const day = new Date(
        Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate() - nights + night),
      );
      const runAt = new Date(day.getTime() + 26 * 3_600_000); // 02:00 the next morning
      const date = day.toISOString().slice(0, 10);
      const file = path.join(dir, 'events', `${date}.jsonl`);
      const events = buildNightTraffic(data, router, night, nights, day);
      for (const e of events) await logRoutingEvent({ file }, e);
      const counts = await ingestFile(db, file);
      const cache = await buildBanking77CacheDemo(db, {
        embedder,
        trainPerIntent: DEMO_TRAIN_PER_INTENT,
        taskType: 'support',
        threshold: loaded.config.cache.threshold,
        testStride: nights,
        testOffset: night,
        now: () => new Date(day.getTime() + 12 * 3_600_000),
      });
      const last = night === nights - 1;
      const deps = createCycleDeps({ db, loaded, now: () => runAt, log: () => {} });
      // Each night's own report stays markdown; the final report below gets the pictures.
      const result = await runCycle(deps, {
        kind: 'demo',
        apply: true,
        actor: 'demo',
        judge: {},
        charts: false,
        out: path.join(dir, 'reports', `${date}-demo.md`),
        extraSections: last
          ? [{ title: 'Compression (XQuAD-en)', markdown: compression.markdown, series: compression.series }]
          : undefined,
      });
      if (!result.json || !result.reportFile || !result.summary) throw new Error(`demo night ${date} did not finish`);
      done.push({ night: night + 1, date, events: counts.routing, cacheLookups: cache.lookups, nightly: result.json });
      options.log(
        `night ${night + 1}/${nights} ${date}: ${counts.routing} requests, ${cache.lookups} cache lookups; ${summarizeDecisions(result.json)}`,
      );
      if (last) {
        const report = path.join(options.cwd, 'reports', `${options.now.toISOString().slice(0, 10)}-demo.md`);
        mkdirSync(path.dirname(report), { recursive: true });
        const images =
          options.charts === false
            ? []
            : await writeReportCharts(report, result.json.series ?? buildReportSeries(result.summary));
        writeFileAtomic(report, renderDemoPreface(done, data) + renderReport(result.summary, { images }));
        return {
          dir,
          nights: done,
          report,
          charts: images.map((i) => i.file),
          routingTable: path.join(dir, 'routing.yaml'),
        };
      }
    }
    throw new Error('the demo needs at least one night');
  } finally {
    await db.close();
  }
}

function summarizeDecisions(j: NightlyJson): string {
  return j.classes.map((c) => `${c.taskType} ${c.decision}${c.to ? ` -> ${c.to}` : ''}`).join(', ');
}

/** Loads the bundled recordings and trains the local intent model. */
export function loadDemoData(): DemoData {
  return {
    math: loadGsm8kRecordings(),
    chat: loadMtBenchRecordings(),
    intents: loadBanking77('test'),
    classifier: trainIntentClassifier(loadBanking77('train')),
  };
}
