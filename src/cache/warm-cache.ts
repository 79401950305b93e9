import type { Db } from '../db/db.js';
import { wilsonInterval, type RateEstimate } from '../stats/binomial-interval.js';
import { resultText } from './lookup-log.js';
import type { SemanticCache } from './semantic-cache.js';

/** Options of a cold-start warm-up: history before `now - days` fills, the last `days` replay. */
export interface WarmCacheOptions {
  cache: SemanticCache;
  now: Date;
  days: number;
  /** Responses from these models count as good without a judgment (the premium tier). */
  premiumModels: string[];
  log?: (message: string) => void;
}

/** What the cache would have done on the replayed days, with 95% Wilson intervals. */
export interface WarmCacheResult {
  filled: number;
  skippedExisting: number;
  replayed: number;
  hits: number;
  falseHits: number;
  /** Rate of hits among replayed queries (RateEstimate's `failures` counts hits here). */
  hitRate: RateEstimate;
  /** False hits among replayed hits whose truth is known (a reference, or a judged-good response). */
  falseHitRate: RateEstimate;
  unlabelledHits: number;
}

interface EventRow {
  id: string;
  task_type: string;
  prompt: string | null;
  messages: { role: string; content: unknown }[] | null;
  response: string;
  reference: string | null;
  judged_pass: boolean;
}

const EVENTS_SQL = `select r.id, r.task_type, r.prompt, r.messages, r.response, r.reference,
    exists (select 1 from samples s join judgments j on j.sample_id = s.id
             where s.source = 'routing' and s.event_id = r.id and j.verdict = 'pass') as judged_pass
  from routing_events r`;

/**
 * Fills the cache from routing events older than the replay window whose responses were judged
 * good or came from a premium model, then replays the window's queries against the cache
 * (without logging them) and reports the hit rate and false-hit rate it would have had.
 */
export async function warmCache(db: Db, o: WarmCacheOptions): Promise<WarmCacheResult> {
  const cutoff = new Date(o.now.getTime() - o.days * 86_400_000);
  const history = await db.query<EventRow>(
    `${EVENTS_SQL} where r.ts < $1 and (r.model = any($2::text[]) or exists (
      select 1 from samples s join judgments j on j.sample_id = s.id where s.source = 'routing' and s.event_id = r.id and j.verdict = 'pass')) order by r.ts`,
    [cutoff, o.premiumModels],
  );
  const existing = await db.query<{ task_type: string; query: string }>(
    `select task_type, query from cache_entries where embedder = $1`,
    [o.cache.embedder.id],
  );
  const seen = new Set(existing.rows.map((r) => `${r.task_type}\u0000${r.query}`));
  const fresh = history.rows
    .map((r) => ({ query: queryText(r), result: r.response, taskType: r.task_type }))
    .filter((e) => e.query && !seen.has(`${e.taskType}\u0000${e.query}`) && seen.add(`${e.taskType}\u0000${e.query}`));
  const filled = await o.cache.fill(fresh);
  if (filled > 0) await db.exec('analyze cache_entries');
  o.log?.(
    `cache-warm: cached ${filled} good past responses (${history.rows.length - fresh.length} already cached or duplicates)`,
  );
  const replay = await db.query<EventRow>(`${EVENTS_SQL} where r.ts >= $1 and r.ts <= $2 order by r.ts`, [
    cutoff,
    o.now,
  ]);
  let hits = 0,
    labelled = 0,
    falseHits = 0;
  // embedded 1,000 at a time: a sentence model embeds a batch far faster than one text at a time,
  // and a bounded chunk keeps a long replay window from holding every vector in memory
  let vectors: number[][] = [];
  for (const [i, r] of replay.rows.entries()) {
    if (i % 1000 === 0) vectors = await o.cache.embedMany(replay.rows.slice(i, i + 1000).map(queryText));
    const p = await o.cache.probe(queryText(r), { taskType: r.task_type, embedding: vectors[i % 1000] });
    if (!p.hit) continue;
    hits++;
    const truth = r.reference ?? (r.judged_pass ? r.response : null);
    if (truth === null) continue;
    labelled++;
    if (normalize(resultText(p.matched!.result)) !== normalize(truth)) falseHits++;
  }
  return {
    filled,
    skippedExisting: history.rows.length - fresh.length,
    replayed: replay.rows.length,
    hits,
    falseHits,
    hitRate: wilsonInterval(hits, replay.rows.length),
    falseHitRate: wilsonInterval(falseHits, labelled),
    unlabelledHits: hits - labelled,
  };
}

/** The query a routing event would have looked up: its prompt, or its last user message. */
function queryText(r: Pick<EventRow, 'prompt' | 'messages'>): string {
  if (r.prompt) return r.prompt;
  const user = (r.messages ?? []).filter((m) => m.role === 'user').pop();
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}

function normalize(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}
