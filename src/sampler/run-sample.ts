import type { Config } from '../config/config-schema.js';
import type { Db, Queryable } from '../db/db.js';
import { finishRun, startRun } from '../runs/run-record.js';
import { readEventHorizon } from '../db/queries/event-fence.js';
import { DriftwatchError } from '../errors.js';
import { allocateSample, type StratumAllocation, type StratumVolume } from './allocate-sample.js';
import { computeBoost, readBoostInputs } from './sample-boost.js';
import { cacheVolumes, drawCache, type CacheBand } from './draw-cache.js';
import { drawRouting, routingVolumes } from './draw-routing.js';
import { readNewRange, readNewUpTo, readWatermark, stratumKey, writeWatermark } from './sampler-watermark.js';
import { fixStratumRates } from './stratum-rates.js';
import { chooseDrawPlan, saltWindowStart } from './stratum-pick.js';

/** What runSample needs from outside. */
export interface SampleDeps {
  db: Db;
  now: () => Date;
  log?: (message: string) => void;
}

/** Options of one sampling run; defaults come from the sampler and cache config sections. */
export interface SampleOptions {
  sampler: Config['sampler'];
  cache: Pick<Config['cache'], 'threshold' | 'thresholds'>;
  /** Flat rate (`--rate R`); overrides config sampler.rate and the sqrt(V) rule. */
  rate?: number;
  /** Extra boost per class (wins over the CUSUM / routing-change boost read from the database). */
  boost?: Record<string, number>;
  /** Run id to attach samples to (nightly passes its own); a `sample` run is created otherwise. */
  runId?: string;
}

/** One stratum of the run: what was there, the rate chosen and how many were drawn. */
export interface SampledStratum {
  source: 'routing' | 'cache';
  reason: string;
  taskType: string;
  day: string;
  volume: number;
  target: number;
  rate: number;
  boost: number;
  sampled: number;
}

/** The outcome of runSample: per-stratum counts, totals and the rows it read. */
export interface SampleResult {
  runId: string;
  /** New events read (seq above the watermark); old events are never re-read. */
  examined: { routing: number; cache: number };
  sampled: { routing: number; cache: number };
  watermark: { routing: number; cache: number };
  /** The watermark before this run: the run read seq in (previousWatermark, watermark]. */
  previousWatermark: { routing: number; cache: number };
  strata: SampledStratum[];
}

/**
 * Draws the stratified, deterministic sample from events ingested since the last run, in one
 * transaction: read the watermark, size each (class, day) stratum, insert by hash, move the
 * watermark. Rerunning over the same data draws nothing; two concurrent runs are excluded by a lock.
 */
export async function runSample(deps: SampleDeps, options: SampleOptions): Promise<SampleResult> {
  const { db } = deps;
  const release = await db.tryLock('driftwatch:sampler');
  if (!release)
    throw new DriftwatchError(
      'sampler_busy',
      `another sampler is running on ${db.location}; try again when it has finished`,
    );
  try {
    const runId = options.runId ?? (await startRun(db, { kind: 'sample' }));
    // wait for writers in flight, so no event commits later below the watermark this run sets
    const horizon = await readEventHorizon(db);
    const result = await drawInTransaction(deps, options, runId, horizon).catch(async (err: unknown) => {
      if (!options.runId)
        await finishRun(db, { id: runId, status: 'failed', summary: { error: (err as Error).message } }).catch(
          () => {},
        );
      throw err;
    });
    if (!options.runId)
      await finishRun(db, { id: runId, status: 'ok', summary: { examined: result.examined, sampled: result.sampled } });
    deps.log?.(
      `sampled ${result.sampled.routing} routed responses and ${result.sampled.cache} cache lookups from ${result.examined.routing + result.examined.cache} new events`,
    );
    return result;
  } finally {
    await release();
  }
}

/** Reads the watermark, sizes the strata, draws and moves the watermark, all in one transaction (rerun whole if the connection drops). */
async function drawInTransaction(
  deps: SampleDeps,
  options: SampleOptions,
  runId: string,
  horizon: { routing: number; cache: number },
): Promise<SampleResult> {
  return deps.db.transaction(
    async (tx) => {
      // JIT compilation costs seconds on these one-off scans and buys nothing
      await tx.query('set local jit = off');
      const wm = await readWatermark(tx);
      const r = await readRoutingRange(tx, wm.routing, horizon.routing);
      const c = await readNewRange(tx, 'cache_lookups', wm.cache, horizon.cache);
      const band: CacheBand = {
        defaultThreshold: options.cache.threshold,
        thresholds: options.cache.thresholds,
        nearMissBand: options.sampler.nearMissBand,
      };
      const rVol = addKnownVolumes(r.fresh, wm.volumes);
      const cVol = addKnownVolumes(c.count > 0 ? await cacheVolumes(tx, wm.cache, c.upTo, band) : [], wm.volumes);
      const inputs = await readBoostInputs(tx);
      const boost = computeBoost(
        [...new Set(rVol.map((v) => v.taskType))],
        inputs.cusum,
        inputs.lastChange,
        deps.now(),
        options.boost,
      );
      const allocOpts = {
        flatRate: options.rate ?? options.sampler.rate,
        floorPerDay: options.sampler.floorPerDay,
        sqrtFactor: options.sampler.sqrtFactor,
        boost,
      };
      // each (class, day) keeps the rate its first run fixed; boost and burst multiply it for this run
      const rAlloc = allocateSample(await fixStratumRates(tx, rVol, allocOpts, runId, deps.now()), allocOpts);
      const cAlloc = allocateSample(await fixStratumRates(tx, cVol, allocOpts, runId, deps.now()), allocOpts);
      const start = rAlloc.length || cAlloc.length ? await saltWindowStart(tx, options.sampler.salt) : 0;
      const rDrawn = rAlloc.length
        ? await drawRouting(tx, wm.routing, r.upTo, rAlloc, start, runId, chooseDrawPlan(rAlloc, r.count))
        : [];
      const cDrawn = cAlloc.length ? await drawCache(tx, wm.cache, c.upTo, band, cAlloc, start, runId) : [];
      const watermark = { routing: r.upTo, cache: c.upTo };
      const flat = allocOpts.flatRate !== undefined;
      await writeWatermark(tx, {
        ...watermark,
        volumes: rememberVolumes(wm.volumes, [...rVol, ...cVol]),
        ...(flat ? {} : { last: { routing: [wm.routing, r.upTo], boost } }),
      });
      const strata = [...mergeDrawn(rAlloc, rDrawn), ...mergeDrawn(cAlloc, cDrawn)];
      const sum = (s: 'routing' | 'cache') => strata.filter((x) => x.source === s).reduce((a, x) => a + x.sampled, 0);
      return {
        runId,
        examined: { routing: r.count, cache: c.count },
        sampled: { routing: sum('routing'), cache: sum('cache') },
        watermark,
        previousWatermark: { routing: wm.routing, cache: wm.cache },
        strata,
      };
    },
    { retry: true },
  ); // all in the database and keyed by the watermark read inside: a rerun after a lost connection draws the same sample once
}

/** The new routing range (watermark, upTo] and its per-stratum volumes; their sum is the range's count. */
async function readRoutingRange(q: Queryable, after: number, horizon: number) {
  const upTo = await readNewUpTo(q, 'routing_events', after, horizon);
  const fresh = upTo > after ? await routingVolumes(q, after, upTo) : [];
  return { upTo, fresh, count: fresh.reduce((n, v) => n + v.volume, 0) };
}

/** Day volume V = events counted by earlier runs for the stratum + the new ones. */
function addKnownVolumes(fresh: StratumVolume[], known: Record<string, number>): StratumVolume[] {
  return fresh.map((v) => ({ ...v, volume: v.volume + (known[stratumKey(v)] ?? 0) }));
}

/** Volumes to keep for later runs: the updated strata, and earlier ones within VOLUME_MEMORY_DAYS of the newest day. */
function rememberVolumes(known: Record<string, number>, updated: StratumVolume[]): Record<string, number> {
  const all = { ...known, ...Object.fromEntries(updated.map((v) => [stratumKey(v), v.volume])) };
  const days = Object.keys(all).map((k) => k.slice(k.lastIndexOf('|') + 1));
  const newest = days.sort().at(-1) ?? ''; // ISO days: the lexical maximum is the newest
  if (!newest) return all;
  const cutoff = new Date(Date.parse(`${newest}T00:00:00Z`) - VOLUME_MEMORY_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.slice(k.lastIndexOf('|') + 1) >= cutoff));
}

/** Late events for a day older than this (relative to the newest day seen) count as a fresh stratum. */
export const VOLUME_MEMORY_DAYS = 7;

function mergeDrawn(
  alloc: StratumAllocation[],
  drawn: { taskType: string; reason: string; day: string; sampled: number }[],
): SampledStratum[] {
  const key = (x: { taskType: string; reason: string; day: string }) => `${x.taskType}\u0000${x.reason}\u0000${x.day}`;
  const got = new Map(drawn.map((d) => [key(d), d.sampled]));
  return alloc.map((a) => ({
    source: a.source,
    reason: a.reason,
    taskType: a.taskType,
    day: a.day,
    volume: a.volume,
    target: Math.round(a.target * 10) / 10,
    rate: a.rate,
    boost: a.boost,
    sampled: got.get(key(a)) ?? 0,
  }));
}
