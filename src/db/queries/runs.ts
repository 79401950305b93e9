import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';

/** Creates a `runs` row (status running) and returns its id; `id` lets a caller (nightly) choose it. */
export async function startRun(q: Queryable, kind: string, id: string = `${kind}-${randomUUID()}`): Promise<string> {
  await q.query(`insert into runs (id, kind) values ($1, $2) on conflict (id) do nothing`, [id, kind]);
  return id;
}

/** Marks a run finished with its JSON summary. */
export async function finishRun(q: Queryable, id: string, status: 'ok' | 'failed', summary: unknown): Promise<void> {
  await q.query(`update runs set finished_at = now(), status = $2, summary = $3 where id = $1`, [id, status, JSON.stringify(summary)]);
}
