// Issue 15's must-show for a whole nightly run: the real cycle (runCycle through createCycleDeps,
// offline judge, escalation applied) over the same new day at 1x / 4x / 16x history, on PGlite and
// PostgreSQL; each round on a fresh copy of the same database. Every statement the run sends is
// captured (bench/capture-db.ts) and, at 16x, EXPLAINed and checked for a sequential scan.
// Run: npx tsx bench/nightly-run.ts
//   NIGHTLY_RUN_NEW   events (and as many cache lookups) in the new day, default 5000 (issue: 50000)
//   NIGHTLY_RUN_DAYS  old days at 1x, default 10 (1x = 10 new days of history, as 0.5M at 50k)
//   NIGHTLY_RUN_ROUNDS runs per size, default 3; NIGHTLY_RUN_ENGINES pglite,postgres (postgres needs DRIFTWATCH_TEST_PG_URL)
//   NIGHTLY_RUN_OUT   also write the markdown there
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../src/config/config-schema.js';
import type { Db } from '../src/db/db.js';
import { migrate } from '../src/db/migrate.js';
import { openPgDb } from '../src/db/pg-db.js';
import { createPgliteDb } from '../src/db/pglite-db.js';
import { createCycleDeps } from '../src/nightly/cycle-deps.js';
import { runCycle } from '../src/nightly/run-cycle.js';
import { tuneCacheThresholds } from '../src/cache/tune-thresholds.js';
import { type Capture, captureDb } from './capture-db.js';
import { CLASSES, fillHistory, ingestNewDay } from './nightly-run-fill.js';
import { explainAll, renderPlans } from './nightly-run-plans.js';

const NEW = Number(process.env.NIGHTLY_RUN_NEW ?? 5000);
const DAYS = Number(process.env.NIGHTLY_RUN_DAYS ?? 10);
const ROUNDS = Number(process.env.NIGHTLY_RUN_ROUNDS ?? 3);
const PG_URL = process.env.DRIFTWATCH_TEST_PG_URL;
const ENGINES = (process.env.NIGHTLY_RUN_ENGINES ?? (PG_URL ? 'pglite,postgres' : 'pglite')).split(',');
const SCALES = [1, 4, 16];

/** A filled database and a way to get fresh copies of it. */
interface Engine {
  base(): Promise<Db>;
  /** Closes `base` and returns a factory of copies of it as it is now (and a cleanup). */
  snapshot(base: Db): Promise<{ copy: () => Promise<Db>; drop: () => Promise<void> }>;
}

let pgliteBase: PGlite | undefined;
const pglite: Engine = {
  async base() {
    pgliteBase = await PGlite.create({ extensions: { vector } });
    const db = createPgliteDb(pgliteBase, ':memory:');
    await migrate(db);
    return db;
  },
  async snapshot(base) {
    const dump = await pgliteBase!.dumpDataDir('none');
    await base.close();
    return {
      copy: async () => createPgliteDb(await PGlite.create({ loadDataDir: dump, extensions: { vector } }), ':memory:'),
      drop: async () => {},
    };
  },
};

const admin = async <T>(fn: (a: Db) => Promise<T>): Promise<T> => {
  const a = await openPgDb(PG_URL!, { max: 1 });
  try {
    return await fn(a);
  } finally {
    await a.close();
  }
};
const urlOf = (name: string) => Object.assign(new URL(PG_URL!), { pathname: `/${name}` }).toString();
const postgres: Engine & { name?: string } = {
  async base() {
    const name = `dw_bench_${randomBytes(5).toString('hex')}`;
    await admin((a) => a.exec(`create database ${name}`));
    postgres.name = name;
    const db = await openPgDb(urlOf(name));
    await migrate(db);
    return db;
  },
  async snapshot(base) {
    await base.close();
    const template = postgres.name!;
    return {
      copy: async () => {
        const name = `dw_bench_${randomBytes(5).toString('hex')}`;
        await admin((a) => a.exec(`create database ${name} template ${template}`));
        const db = await openPgDb(urlOf(name));
        const close = db.close;
        return Object.assign(db, {
          close: async () => {
            await close();
            await admin((a) => a.exec(`drop database if exists ${name} with (force)`));
          },
        });
      },
      drop: () => admin((a) => a.exec(`drop database if exists ${template} with (force)`)),
    };
  },
};

const TABLE = `version: 1
tiers: { trivial: gpt-4o-mini, standard: claude-3-5-haiku-20241022, complex: claude-3-5-sonnet-20241022 }
taskClasses:
${Array.from({ length: CLASSES }, (_, i) => `  class_${i}: { tier: trivial }`).join('\n')}
`;

/** One nightly over `db` (the real composition root, offline judge, escalation applied); returns ms. */
async function oneNight(db: Db): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-nightly-run-'));
  writeFileSync(path.join(dir, 'routing.yaml'), TABLE);
  const deps = createCycleDeps({
    db,
    loaded: { config: configSchema.parse({}), baseDir: dir },
    now: () => new Date('2026-12-01T02:00:00Z'),
    log: () => {},
    reports: { writeReport: (file) => file },
  });
  const t = performance.now();
  const r = await runCycle(deps, { kind: 'nightly', apply: true, judge: {}, actor: 'bench', charts: false });
  const ms = performance.now() - t;
  const j = r.json as unknown as { judge?: { judged?: number } } | null;
  if (!j || !(Number(j.judge?.judged) > 0)) throw new Error(`the nightly judged nothing: ${JSON.stringify(r.json)}`);
  return ms;
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (xs: number[]) =>
  `${(med(xs) / 1000).toFixed(2)} (${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)})`;

/** Fills one database per scale, then runs the rounds interleaved over the scales (1x, 4x, 16x, 1x, ...). */
async function benchEngine(name: string, engine: Engine): Promise<string[]> {
  const times = new Map<number, number[]>();
  const captures = new Map<number, Capture[]>();
  const copies = new Map<number, Awaited<ReturnType<Engine['snapshot']>>>();
  let plans: string[] = [];
  try {
    for (const scale of SCALES) {
      const t0 = performance.now();
      const base = await engine.base();
      await fillHistory(base, DAYS * scale, NEW);
      // what the night before left: the cache tuner's summary covers the history's verdicts
      await tuneCacheThresholds(base, { target: 0.01 });
      await ingestNewDay(base, NEW);
      copies.set(scale, await engine.snapshot(base));
      console.error(`${name} ${scale}x filled in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    for (let i = 0; i < ROUNDS; i++)
      for (const scale of SCALES) {
        const db = await copies.get(scale)!.copy();
        const log: Capture = new Map();
        try {
          const ms = await oneNight(captureDb(db, log));
          times.set(scale, [...(times.get(scale) ?? []), ms]);
          captures.set(scale, [...(captures.get(scale) ?? []), log]);
          console.error(
            `${name} ${scale}x round ${i + 1}: ${(ms / 1000).toFixed(2)} s, load ${os.loadavg()[0]!.toFixed(1)}`,
          );
          if (scale === 16 && i === ROUNDS - 1) plans = renderPlans(name, await explainAll(db, log));
        } finally {
          await db.close();
        }
      }
  } finally {
    for (const c of copies.values()) await c.drop();
  }
  const [a, b, c] = SCALES.map((s) => times.get(s)!);
  return [
    `| ${name} | whole nightly (runCycle) | ${fmt(a!)} | ${fmt(b!)} | ${fmt(c!)} | ${(med(c!) / med(a!)).toFixed(2)}x |`,
    ...statementRows(name, captures),
    `| ${name} | _load average 1/5/15 at the end_ | ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} | | | |`,
    '',
    ...plans,
  ];
}

/** The 12 statements with the most time at 16x: median ms per run at each scale. */
function statementRows(name: string, captures: Map<number, Capture[]>): string[] {
  const perScale = (s: number, k: string) => med(captures.get(s)!.map((c) => c.get(k)?.ms ?? 0));
  const keys = [...captures.get(16)![0]!.keys()];
  return keys
    .map((k) => ({ k, at: SCALES.map((s) => perScale(s, k)) }))
    .sort((x, y) => y.at[2]! - x.at[2]!)
    .slice(0, 12)
    .map(
      ({ k, at }) =>
        `| ${name} | \`${k.slice(0, 90).replace(/\|/g, '\\|')}...\` | ${at[0]!.toFixed(0)} ms | ${at[1]!.toFixed(0)} ms | ${at[2]!.toFixed(0)} ms | ${(at[2]! / Math.max(at[0]!, 0.1)).toFixed(2)}x |`,
    );
}

const out: string[] = [
  `## Whole nightly at 1x / 4x / 16x history (${(NEW * DAYS).toLocaleString('en-US')} / ${(NEW * DAYS * 4).toLocaleString('en-US')} / ${(NEW * DAYS * 16).toLocaleString('en-US')} old events and as many cache lookups, the same new day of ${NEW.toLocaleString('en-US')} of each), s, median of ${ROUNDS} (min-max)`,
  '',
  '| engine | what | 1x | 4x | 16x | 16x / 1x |',
  '|---|---|---:|---:|---:|---:|',
];
for (const name of ENGINES) out.push(...(await benchEngine(name, name === 'postgres' ? postgres : pglite)));
const md = out.join('\n');
if (process.env.NIGHTLY_RUN_OUT) writeFileSync(process.env.NIGHTLY_RUN_OUT, `${md}\n`);
console.log(md);
