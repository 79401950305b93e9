import type { Queryable } from '../db/db.js';
import { InputError } from '../errors.js';
import type { VerdictEvent } from './event-schema.js';

/** A verdict event and the line of the file it came from (for error messages). */
export interface VerdictLine {
  line: number;
  event: VerdictEvent;
}

/** What storing a file's verdicts did. */
export interface StoredVerdicts {
  /** New (eventId, source) verdicts stored. */
  stored: number;
  /** Verdicts already stored for that event and source (or repeated in the file): skipped. */
  duplicates: number;
}

type Resolved = {
  line: number;
  event_id: string;
  kind: string | null;
  in_routing: boolean;
  in_cache: boolean;
  hit: boolean | null;
};

/**
 * Stores external verdicts as judgments of the events they name, inside the caller's transaction:
 * each named event gets its sample (drawn now if the sampler had not drawn it), the verdict is kept
 * once per (event, source) in external_verdicts, and a new one becomes the event's row in
 * `judgments` (provider 'external', method 'external:<source>'), replacing an LLM or offline verdict:
 * the external (human) verdict wins; of two external ones, the later ingested. A verdict for an id
 * that names no stored routing event or cache hit is an InputError naming the line and field.
 */
export async function storeVerdicts(q: Queryable, file: string, lines: VerdictLine[]): Promise<StoredVerdicts> {
  if (lines.length === 0) return { stored: 0, duplicates: 0 };
  const unique = dedupe(lines);
  const r = await q.query<Resolved>(
    `select x.line, x.event_id, x.kind, r.id is not null as in_routing, c.id is not null as in_cache, c.hit
       from jsonb_to_recordset($1::jsonb) as x(line int, event_id text, kind text)
       left join routing_events r on r.id = x.event_id and coalesce(x.kind, 'routing') = 'routing'
       left join cache_lookups c on c.id = x.event_id and coalesce(x.kind, 'cache') = 'cache'
      order by x.line`,
    [JSON.stringify(unique.map((v) => ({ line: v.line, event_id: v.event.eventId, kind: v.event.eventKind ?? null })))],
  );
  const source = new Map<number, 'routing' | 'cache'>();
  for (const x of r.rows) {
    const where = `${file}:${x.line}`;
    if (!x.in_routing && !x.in_cache)
      throw new InputError(
        `${where}: eventId: no stored ${x.kind === 'cache' ? 'cache lookup' : x.kind === 'routing' ? 'routing event' : 'routing event or cache lookup'} has id ${JSON.stringify(x.event_id)}; ingest the event before (or earlier in the same file than) its verdict; nothing from this file was stored`,
      );
    if (x.in_routing && x.in_cache)
      throw new InputError(
        `${where}: eventKind: ${JSON.stringify(x.event_id)} names both a routing event and a cache lookup; add "eventKind": "routing" or "cache"; nothing from this file was stored`,
      );
    if (x.in_cache && !x.hit)
      throw new InputError(
        `${where}: eventId: cache lookup ${JSON.stringify(x.event_id)} was a miss: a verdict judges a served answer (a routed response or a cache hit); nothing from this file was stored`,
      );
    source.set(x.line, x.in_routing ? 'routing' : 'cache');
  }
  const rows = unique.map((v) => ({
    event_source: source.get(v.line)!,
    event_id: v.event.eventId,
    source: v.event.source,
    verdict: v.event.verdict,
    reason: v.event.reason ?? null,
    ts: v.event.ts ?? null,
  }));
  const ids = (s: 'routing' | 'cache') => [...new Set(rows.filter((x) => x.event_source === s).map((x) => x.event_id))];
  // the event's sample, as the sampler would have drawn it (same reason and class naming)
  await q.query(
    `insert into samples (source, event_id, task_type, reason, event_ts, status)
     select 'routing', e.id, e.task_type, case when e.metadata->>'shadow' = 'true' then 'shadow' else 'routing' end, e.ts, 'judged'
       from routing_events e where e.id = any($1::text[])
     on conflict (source, event_id) do nothing`,
    [ids('routing')],
  );
  await q.query(
    `insert into samples (source, event_id, task_type, reason, event_ts, status)
     select 'cache', l.id, coalesce(l.task_type, '(untyped)'), 'hit', l.ts, 'judged' from cache_lookups l where l.id = any($1::text[])
     on conflict (source, event_id) do nothing`,
    [ids('cache')],
  );
  const ins = await q.query<{ sample_id: string; source: string; verdict: string; reason: string | null }>(
    `insert into external_verdicts (event_source, event_id, source, verdict, reason, sample_id, ts)
     select x.event_source, x.event_id, x.source, x.verdict, x.reason, s.id, x.ts
       from jsonb_to_recordset($1::jsonb) as x(event_source text, event_id text, source text, verdict text, reason text, ts timestamptz)
       join samples s on s.source = x.event_source and s.event_id = x.event_id
     on conflict (event_source, event_id, source) do nothing
     returning sample_id, source, verdict, reason`,
    [JSON.stringify(rows)],
  );
  if (ins.rows.length > 0) {
    // one judgment per sample: of several new verdicts on one event in this file, the last line wins
    const latest = new Map(ins.rows.map((x) => [x.sample_id, x]));
    const j = [...latest.values()];
    await q.query(
      `insert into judgments (sample_id, verdict, provider, model, method, reason, cost_usd)
       select sample_id, verdict, 'external', null, 'external:' || source, reason, 0
         from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as v(sample_id, verdict, source, reason)
       on conflict (sample_id) do update set verdict = excluded.verdict, provider = excluded.provider, model = null, method = excluded.method,
         reason = excluded.reason, input_tokens = null, output_tokens = null, cost_usd = 0, run_id = null, judged_at = now()`,
      [j.map((x) => x.sample_id), j.map((x) => x.verdict), j.map((x) => x.source), j.map((x) => x.reason)],
    );
    await q.query(
      `update samples set status = 'judged', unjudgeable_reason = null, claimed_by = null, claimed_at = null where id = any($1::bigint[])`,
      [j.map((x) => x.sample_id)],
    );
  }
  return { stored: ins.rows.length, duplicates: lines.length - ins.rows.length };
}

/** Keeps the first line of each (eventId, eventKind, source) in the file. */
function dedupe(lines: VerdictLine[]): VerdictLine[] {
  const seen = new Set<string>();
  return lines.filter((v) => {
    const k = JSON.stringify([v.event.eventId, v.event.eventKind ?? null, v.event.source]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
