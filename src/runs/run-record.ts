import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import { isProcessAlive, THIS_PROCESS } from '../fs/process-alive.js';

/** What started a run: a nightly cycle, a daemon cycle, the demo, or a standalone `sample` / `judge`. */
export type RunKind = 'nightly' | 'daemon' | 'demo' | 'sample' | 'judge';

/** How a run ended. */
export type RunStatus = 'ok' | 'failed' | 'aborted';

/** The one run id format: the run's UTC date and 8 random hex digits (`2026-11-26-3f9c01ab`). */
export function newRunId(at: Date = new Date()): string {
  return `${at.toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
}

/**
 * Records the start of a run (status running, this process's pid and host, so a crash can be
 * closed later by abortStaleRuns) and returns its id. Without `id` a new one is drawn.
 */
export async function startRun(db: Queryable, run: { kind: RunKind; id?: string; startedAt?: Date }): Promise<string> {
  const id = run.id ?? newRunId(run.startedAt);
  await db.query(
    `insert into runs (id, kind, started_at, status, pid, host) values ($1, $2, coalesce($3::timestamptz, now()), 'running', $4, $5)`,
    [id, run.kind, run.startedAt ?? null, THIS_PROCESS.pid, THIS_PROCESS.host],
  );
  return id;
}

/** Closes a run with its status and the summary `report` re-renders (finishedAt: the caller's clock, else the database's). */
export async function finishRun(
  db: Queryable,
  run: { id: string; status: RunStatus; summary: unknown; finishedAt?: Date },
): Promise<void> {
  await db.query(
    `update runs set status = $2, finished_at = coalesce($3::timestamptz, now()), summary = $4 where id = $1`,
    [run.id, run.status, run.finishedAt ?? null, JSON.stringify(run.summary)],
  );
}

/**
 * Closes as `aborted` the runs still `running` whose process is gone: recorded on this host with a
 * pid that no longer exists (killed, crashed, OOM). Runs of other hosts are left alone (their
 * process cannot be seen from here), as are rows written before pids were recorded. Returns their ids.
 */
export async function abortStaleRuns(db: Queryable): Promise<string[]> {
  const r = await db.query<{ id: string; pid: number }>(
    `select id, pid from runs where status = 'running' and host = $1 and pid is not null`,
    [THIS_PROCESS.host],
  );
  const stale = r.rows.filter((row) => row.pid !== THIS_PROCESS.pid && !isProcessAlive(row.pid));
  for (const { id, pid } of stale) {
    await db.query(
      `update runs set status = 'aborted', finished_at = now(), summary = coalesce(summary, '{}'::jsonb) || $2::jsonb where id = $1 and status = 'running'`,
      [
        id,
        JSON.stringify({
          error: `aborted: its process (pid ${pid} on ${THIS_PROCESS.host}) ended without finishing the run`,
        }),
      ],
    );
  }
  return stale.map((row) => row.id);
}

/** The stored summary of the latest finished run that has a report (what `report` renders). */
export async function loadLatestRunSummary<T>(db: Queryable): Promise<{ runId: string; summary: T } | null> {
  const r = await db.query<{ id: string; summary: T | string }>(
    `select id, summary from runs where status = 'ok' and summary is not null and summary ? 'report' order by started_at desc, id desc limit 1`,
  );
  if (r.rows.length === 0) return null;
  const s = r.rows[0].summary;
  return { runId: r.rows[0].id, summary: typeof s === 'string' ? (JSON.parse(s) as T) : s };
}
