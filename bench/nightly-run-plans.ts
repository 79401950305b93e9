// EXPLAIN of every statement a nightly sent (bench/nightly-run.ts), and the sequential scans in them.
import type { Db } from '../src/db/db.js';
import type { Capture } from './capture-db.js';

/** Tables that grow with the history (every table but the state and migration rows). */
export const HISTORY_TABLES = [
  'routing_events',
  'routing_event_counts',
  'samples',
  'sample_counts',
  'judgments',
  'cache_lookups',
  'cache_lookup_buckets',
  'escalator_processed',
  'stratum_rates',
  'class_rates',
  'runs',
  'audit_log',
  'routing_versions',
  'routing_intents',
  'external_verdicts',
  'batch_jobs',
  'batch_job_items',
  'reference_answers',
  'judge_calibrations',
  'review_labels',
  'cache_entries',
];

/** One statement's plan: the sequential scans of history tables in it, or why it was not explained. */
export interface StatementPlan {
  sql: string;
  calls: number;
  seqScans: string[];
  /** The plan's total estimated cost (PostgreSQL JIT-compiles a statement above jit_above_cost, 100,000). */
  cost?: number;
  skipped?: string;
}

/** EXPLAINs each captured statement on `db` with the parameters of its first call. */
export async function explainAll(db: Db, log: Capture): Promise<StatementPlan[]> {
  const out: StatementPlan[] = [];
  const re = new RegExp(`Seq Scan on (${HISTORY_TABLES.join('|')})\\b`);
  for (const [k, s] of log) {
    if (s.exec || !/^\s*(select|with|insert|update|delete)\b/i.test(s.sql)) {
      out.push({
        sql: k,
        calls: s.calls,
        seqScans: [],
        skipped: s.exec ? 'exec (no parameters)' : 'not a DML statement',
      });
      continue;
    }
    try {
      const r = await db.query<{ 'QUERY PLAN': string }>(`explain ${s.sql}`, s.params);
      const lines = r.rows.map((x) => x['QUERY PLAN']);
      const scans = lines.filter((l) => re.test(l));
      const cost = Number(/cost=[\d.]+\.\.([\d.]+)/.exec(lines[0] ?? '')?.[1] ?? 0);
      out.push({ sql: k, calls: s.calls, seqScans: scans.map((l) => l.trim().replace(/^->\s*/, '')), cost });
    } catch (e) {
      out.push({
        sql: k,
        calls: s.calls,
        seqScans: [],
        skipped: `explain failed: ${(e as Error).message.slice(0, 80)}`,
      });
    }
  }
  return out;
}

/** The plans as markdown: every statement with a sequential scan of a history table, then the counts. */
export function renderPlans(engine: string, plans: StatementPlan[]): string[] {
  const cell = (x: string, n = 140) => x.slice(0, n).replace(/\|/g, '\\|');
  const withScans = plans.filter((p) => p.seqScans.length > 0);
  const skipped = plans.filter((p) => p.skipped);
  const costly = plans.filter((p) => (p.cost ?? 0) > 100_000);
  return [
    `Plans at 16x, ${engine}: ${plans.length} distinct statements, ${plans.length - skipped.length} explained, ${withScans.length} with a sequential scan of a history table.`,
    '',
    '| statement | calls | sequential scans of history tables |',
    '|---|---:|---|',
    ...withScans.map((p) => `| \`${cell(p.sql)}\` | ${p.calls} | ${cell(p.seqScans.join('; '), 300)} |`),
    ...skipped.map((p) => `| \`${cell(p.sql)}\` | ${p.calls} | not explained: ${p.skipped} |`),
    '',
    `Estimated above PostgreSQL's jit_above_cost (100,000), so JIT-compiled when run outside a \`set local jit = off\`: ${
      costly.length ? costly.map((p) => `\`${cell(p.sql, 80)}\` (${p.cost})`).join('; ') : 'none'
    }.`,
    '',
  ];
}
