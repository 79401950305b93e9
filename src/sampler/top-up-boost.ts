import type { Config } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { allocateSample, toThreshold, type StratumAllocation } from './allocate-sample.js';
import { computeBoost, readBoostInputs } from './sample-boost.js';
import { drawRouting } from './draw-routing.js';
import { readWatermark, writeWatermark } from './sampler-watermark.js';
import { saltWindowStart } from './stratum-pick.js';

/** A stratum of the last sampler range drawn again at a higher boost. */
export interface ToppedUpStratum {
  taskType: string;
  day: string;
  /** Boost the sampler drew the range with, and the boost now. */
  from: number;
  to: number;
  /** Samples added (the wider key window minus what was already drawn). */
  added: number;
}

/**
 * The boost decided in the same run that sees S rise (issue 11 item 5): after the escalator has
 * updated the CUSUM states, every class whose boost (computeBoost on the new states) is above the
 * one the last sampler run drew it with gets the last run's range drawn again at the new rate. The
 * key window is nested, so this adds exactly the events between the old and the new window, and
 * every sample of those strata in the range now has the new inclusion probability (the design is
 * the wider window). The new samples are judged by the next judge pass. Skips when the sampler is busy.
 */
export async function topUpBoost(
  deps: { db: Db; now: () => Date },
  options: { sampler: Config['sampler']; runId: string },
): Promise<ToppedUpStratum[]> {
  const release = await deps.db.tryLock('driftwatch:sampler');
  if (!release) return [];
  try {
    return await deps.db.transaction(
      async (tx) => {
        const wm = await readWatermark(tx);
        if (!wm.last) return [];
        const [after, upTo] = wm.last.routing;
        const used = wm.last.boost;
        const inputs = await readBoostInputs(tx);
        const now = computeBoost(Object.keys(used), inputs.cusum, inputs.lastChange, deps.now());
        const raised = Object.keys(used).filter((c) => now[c] > used[c]);
        if (raised.length === 0 || upTo <= after) return [];
        const strata = await tx.query<{ task_type: string; day: string; volume: number; base_rate: number }>(
          `select v.task_type, to_char(v.day, 'YYYY-MM-DD') as day, v.volume, r.base_rate from (
           select task_type, utc_day as day, count(*)::int as volume from routing_events
            where seq > $1 and seq <= $2 and task_type = any($3::text[]) group by 1, 2) v
         join stratum_rates r on r.source = 'routing' and r.reason = 'routing' and r.task_type = v.task_type and r.day = v.day`,
          [after, upTo, raised],
        );
        const alloc: StratumAllocation[] = allocateSample(
          strata.rows.map((s) => ({
            source: 'routing' as const,
            reason: 'routing',
            taskType: s.task_type,
            day: s.day,
            volume: s.volume,
            baseRate: Number(s.base_rate),
          })),
          { floorPerDay: options.sampler.floorPerDay, sqrtFactor: options.sampler.sqrtFactor, boost: now },
        );
        if (alloc.length === 0) return [];
        const start = await saltWindowStart(tx, options.sampler.salt);
        const drawn = await drawRouting(tx, after, upTo, alloc, start, options.runId, 'range-pass');
        // the samples drawn before in these strata: the wider window is now their design
        await tx.query(
          `update samples s set inclusion_prob = a.threshold / 1000000.0
           from routing_events e, unnest($3::text[], $4::date[], $5::int[]) as a(task_type, day, threshold)
          where s.source = 'routing' and s.event_id = e.id and e.seq > $1 and e.seq <= $2
            and e.task_type = a.task_type and e.utc_day = a.day and coalesce(s.inclusion_prob, 0) < a.threshold / 1000000.0`,
          [after, upTo, alloc.map((a) => a.taskType), alloc.map((a) => a.day), alloc.map((a) => toThreshold(a.rate))],
        );
        await writeWatermark(tx, {
          ...wm,
          last: { routing: [after, upTo], boost: { ...used, ...Object.fromEntries(raised.map((c) => [c, now[c]])) } },
        });
        return alloc.map((a) => ({
          taskType: a.taskType,
          day: a.day,
          from: used[a.taskType],
          to: now[a.taskType],
          added: drawn.filter((d) => d.taskType === a.taskType && d.day === a.day).reduce((n, d) => n + d.sampled, 0),
        }));
      },
      { retry: true },
    ); // keyed by the watermark read inside, like the draw
  } finally {
    await release();
  }
}
