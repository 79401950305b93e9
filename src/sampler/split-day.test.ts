import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { Db } from '../db/db.js';
import { testDbAdapters } from '../../test/support/test-db.js';
import { seededRandom } from '../stats/seeded-random.js';
import { insertRoutingEvents, type TestRoutingEvent } from '../../test/support/insert-events.js';
import { runSample, type SampleOptions } from './run-sample.js';

// Issue 11 item 1: one (class, UTC day) drawn in 1, 2 or 24 sampler runs gets the same expected
// sample, uniform across the day's hours. Floor 400 makes the target 400 (rate 20% at 2,000/day).
const config = configSchema.parse({ sampler: { floorPerDay: 400 } });
const opts: SampleOptions = { sampler: config.sampler, cache: config.cache };
const DAY = '2026-11-26';
const TARGET = 400;
const HOURS = 24;
/** chi-square 95% quantile, 23 degrees of freedom. */
const CHI2_95_DF23 = 35.172;

/** 2,000 events spread uniformly at random over a UTC day, in time order (seeded). */
function dayEvents(day: string, n: number, seed: number): TestRoutingEvent[] {
  const rnd = seededRandom(seed);
  const start = Date.parse(`${day}T00:00:00Z`);
  const ts = Array.from({ length: n }, () => start + Math.floor(rnd() * 86_400_000)).sort((a, b) => a - b);
  return ts.map((t, i) => ({
    id: `${day}-steady-${seed}-${i}`,
    ts: new Date(t).toISOString(),
    taskType: 'steady',
    response: 'x',
  }));
}

const hourOf = (ts: string | Date) => new Date(ts).getUTCHours();

/** Pearson chi-square of drawn counts per hour against the hour's share of the day's events. */
function chiSquare(drawnHours: number[], eventHours: number[]): number {
  const drawn = Array<number>(HOURS).fill(0);
  const events = Array<number>(HOURS).fill(0);
  for (const h of drawnHours) drawn[h]++;
  for (const h of eventHours) events[h]++;
  return drawn.reduce((x2, o, h) => {
    const e = (drawnHours.length * events[h]) / eventHours.length;
    return x2 + (o - e) ** 2 / e;
  }, 0);
}

const pglite = testDbAdapters.find((a) => a.name === 'pglite')!;

describe('a day drawn in several sampler runs (PGlite)', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  async function drawDayIn(
    runs: number,
    history: boolean,
  ): Promise<{ drawn: { event_ts: Date; inclusion_prob: number }[]; events: TestRoutingEvent[] }> {
    db = await pglite.create();
    if (history) {
      // two earlier days of 2,000 each, sampled by the nightly after they ended
      await insertRoutingEvents(db, [...dayEvents('2026-11-24', 2000, 1), ...dayEvents('2026-11-25', 2000, 2)]);
      await runSample({ db, now: () => new Date('2026-11-26T00:01:00Z') }, opts);
    }
    const events = dayEvents(DAY, 2000, 3);
    const dayStart = Date.parse(`${DAY}T00:00:00Z`);
    for (let k = 0; k < runs; k++) {
      const from = dayStart + (k * 86_400_000) / runs;
      const to = dayStart + ((k + 1) * 86_400_000) / runs;
      await insertRoutingEvents(
        db,
        events.filter((e) => Date.parse(e.ts) >= from && Date.parse(e.ts) < to),
      );
      // the run happens at the end of its slice, as a daemon or a nightly would see the day
      await runSample({ db, now: () => new Date(to) }, opts);
    }
    const r = await db.query<{ event_ts: Date; inclusion_prob: number }>(
      `select event_ts, inclusion_prob from samples where event_ts >= $1`,
      [`${DAY}T00:00:00Z`],
    );
    return { drawn: r.rows, events };
  }

  it.each([1, 2, 24])(
    'draws the target within 10 percent and uniformly over the hours in %i run(s)',
    async (runs) => {
      const { drawn, events } = await drawDayIn(runs, true);
      console.log(
        `split day, ${runs} run(s): ${drawn.length} drawn (target ${TARGET}), chi-square ${chiSquare(
          drawn.map((d) => hourOf(d.event_ts)),
          events.map((e) => hourOf(e.ts)),
        ).toFixed(1)} (df 23, 95% ${CHI2_95_DF23})`,
      );
      expect(Math.abs(drawn.length - TARGET) / TARGET).toBeLessThan(0.1);
      expect(
        chiSquare(
          drawn.map((d) => hourOf(d.event_ts)),
          events.map((e) => hourOf(e.ts)),
        ),
      ).toBeLessThan(CHI2_95_DF23);
      // every sample of the day carries the day's one rate (400 / 2,000)
      expect(new Set(drawn.map((d) => d.inclusion_prob))).toEqual(new Set([0.2]));
    },
    120_000,
  );

  it('sizes a first day without history once, from the first run, and keeps it uniform over the hours', async () => {
    const { drawn, events } = await drawDayIn(24, false);
    console.log(
      `first day, 24 runs: ${drawn.length} drawn, chi-square ${chiSquare(
        drawn.map((d) => hourOf(d.event_ts)),
        events.map((e) => hourOf(e.ts)),
      ).toFixed(1)}`,
    );
    // the first hour's ~83 events scaled to 24 h: the rate is fixed for the day (not recomputed per run)
    expect(new Set(drawn.map((d) => d.inclusion_prob)).size).toBe(1);
    expect(Math.abs(drawn.length - TARGET) / TARGET).toBeLessThan(0.35);
    expect(
      chiSquare(
        drawn.map((d) => hourOf(d.event_ts)),
        events.map((e) => hourOf(e.ts)),
      ),
    ).toBeLessThan(CHI2_95_DF23);
  }, 120_000);
});
