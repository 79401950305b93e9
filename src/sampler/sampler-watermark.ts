import type { Queryable } from '../db/db.js';
import type { StratumVolume } from './allocate-sample.js';

/**
 * Event sequence numbers already considered by the sampler, per source, and the volumes counted so
 * far per stratum of recent days (key `source|reason|class|day`), so a day's V never needs a re-read.
 */
export interface SamplerWatermark {
  routing: number;
  cache: number;
  volumes: Record<string, number>;
  /** The routing seq range (from, to] the last run read and the boost it drew each class with (for a same-run top-up). */
  last?: { routing: [number, number]; boost: Record<string, number> };
}

/** The key of a stratum in SamplerWatermark.volumes. */
export function stratumKey(v: Pick<StratumVolume, 'source' | 'reason' | 'taskType' | 'day'>): string {
  return `${v.source}|${v.reason}|${v.taskType}|${v.day}`;
}

const WATERMARK_KEY = 'sampler:watermark';

/** Reads the watermark (zeros before the first run), locking the row for the transaction. */
export async function readWatermark(q: Queryable): Promise<SamplerWatermark> {
  const r = await q.query<{ value: Partial<SamplerWatermark> }>(
    `select value from driftwatch_state where key = $1 for update`,
    [WATERMARK_KEY],
  );
  const v = r.rows[0]?.value ?? {};
  return {
    routing: Number(v.routing ?? 0),
    cache: Number(v.cache ?? 0),
    volumes: v.volumes ?? {},
    ...(v.last ? { last: v.last } : {}),
  };
}

export async function writeWatermark(q: Queryable, w: SamplerWatermark): Promise<void> {
  await q.query(
    `insert into driftwatch_state (key, value, updated_at) values ($1, $2, now())
     on conflict (key) do update set value = excluded.value, updated_at = now()`,
    [WATERMARK_KEY, JSON.stringify(w)],
  );
}

/** Highest seq in (watermark, horizon], and how many events lie there (the rows this run reads). */
export async function readNewRange(
  q: Queryable,
  table: 'routing_events' | 'cache_lookups',
  after: number,
  horizon: number,
): Promise<{ upTo: number; count: number }> {
  const r = await q.query<{ upto: string | null; n: string }>(
    `select max(seq)::text as upto, count(*)::text as n from ${table} where seq > $1 and seq <= $2`,
    [after, horizon],
  );
  return { upTo: Number(r.rows[0]?.upto ?? after), count: Number(r.rows[0]?.n ?? 0) };
}

/**
 * Highest seq in (watermark, horizon]: one backward probe of the seq index. The routing side takes
 * its count from the per-stratum volumes it reads anyway, instead of a second pass over the new rows.
 */
export async function readNewUpTo(
  q: Queryable,
  table: 'routing_events' | 'cache_lookups',
  after: number,
  horizon: number,
): Promise<number> {
  const r = await q.query<{ upto: string | null }>(
    `select max(seq)::text as upto from ${table} where seq > $1 and seq <= $2`,
    [after, horizon],
  );
  return Number(r.rows[0]?.upto ?? after);
}
