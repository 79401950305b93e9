import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';
import { isProcessAlive, THIS_PROCESS } from '../../fs/process-alive.js';

/** Creates a `runs` row (status running) and returns its id; `id` lets a caller (nightly) choose it. */
export async function startRun(q: Queryable, kind: string, id: string = `${kind}-${randomUUID()}`): Promise<string> {
  await q.query(`insert into runs (id, kind, pid, host) values ($1, $2, $3, $4) on conflict (id) do nothing`, [
    id,
    kind,
    THIS_PROCESS.pid,
    THIS_PROCESS.host,
  ]);
  return id;
}

/** Marks a run finished with its JSON summary. */
export async function finishRun(q: Queryable, id: string, status: 'ok' | 'failed', summary: unknown): Promise<void> {
  await q.query(`update runs set finished_at = now(), status = $2, summary = $3 where id = $1`, [
    id,
    status,
    JSON.stringify(summary),
  ]);
}

/**
 * Closes as `aborted` the runs still `running` whose process is gone: recorded on this host with a
 * pid that no longer exists (killed, crashed, OOM). Runs of other hosts are left alone (their
 * process cannot be seen from here), as are rows written before pids were recorded. Returns their ids.
 */
export async function abortStaleRuns(q: Queryable): Promise<string[]> {
  const r = await q.query<{ id: string; pid: number }>(
    `select id, pid from runs where status = 'running' and host = $1 and pid is not null`,
    [THIS_PROCESS.host],
  );
  const stale = r.rows.filter((row) => row.pid !== THIS_PROCESS.pid && !isProcessAlive(row.pid)).map((row) => row.id);
  for (const id of stale) {
    await q.query(
      `update runs set status = 'aborted', finished_at = now(), summary = coalesce(summary, '{}'::jsonb) || $2::jsonb where id = $1 and status = 'running'`,
      [
        id,
        JSON.stringify({
          error: `aborted: its process (pid ${r.rows.find((x) => x.id === id)!.pid} on ${THIS_PROCESS.host}) ended without finishing the run`,
        }),
      ],
    );
  }
  return stale;
}
