import { readFileSync } from 'node:fs';
import type { Db, Queryable } from '../db/db.js';
import { DriftwatchError } from '../errors.js';
import { acquireFileLock } from './table-lock.js';
import { contentHash, removeStaleTempFiles } from '../fs/write-file-atomic.js';
import { jsonColumn } from '../db/json-column.js';

/** One audit_log row an apply writes once its file has moved. */
export interface IntentAudit {
  action: string;
  taskType: string | null;
  details: Record<string, unknown>;
}

/** What an apply records before it renames the file. */
export interface IntentInput {
  path: string;
  oldVersion: number;
  newVersion: number;
  oldContent: string;
  newContent: string;
  diff: string;
  reason: string;
  actor: string;
  runId: string | null;
  audit: IntentAudit[];
  at: Date;
}

/** A recorded intent, as stored. */
export interface Intent extends IntentInput {
  id: string;
  oldHash: string;
  newHash: string;
}

/** Commits the intent (status pending) in its own transaction, before the file is touched. */
export async function recordIntent(db: Db, input: IntentInput): Promise<Intent> {
  const intent = { ...input, oldHash: contentHash(input.oldContent), newHash: contentHash(input.newContent) };
  const r = await db.query<{ id: string | number }>(
    `insert into routing_intents (path, old_version, new_version, old_hash, new_hash, old_content, new_content, diff, reason, actor, run_id, audit, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id`,
    [
      intent.path,
      intent.oldVersion,
      intent.newVersion,
      intent.oldHash,
      intent.newHash,
      intent.oldContent,
      intent.newContent,
      intent.diff,
      intent.reason,
      intent.actor,
      intent.runId,
      JSON.stringify(intent.audit),
      intent.at.toISOString(),
    ],
  );
  return { ...intent, id: String(r.rows[0].id) };
}

/**
 * The file moved to the intent's content: routing_versions rows (the replaced version too, so the
 * history starts at the hand-written table), the audit rows, intent done. Idempotent.
 */
export async function completeIntent(tx: Queryable, intent: Intent, note?: Record<string, unknown>): Promise<void> {
  const claimed = await tx.query(
    `update routing_intents set status = 'done', resolved_at = now() where id = $1 and status = 'pending' returning id`,
    [intent.id],
  );
  if (claimed.rows.length === 0) return;
  await tx.query(
    `insert into routing_versions (version, path, content, reason) values ($1, $2, $3, 'before driftwatch edit') on conflict do nothing`,
    [intent.oldVersion, intent.path, intent.oldContent],
  );
  await tx.query(
    `insert into routing_versions (version, path, content, reason, run_id) values ($1, $2, $3, $4, $5) on conflict do nothing`,
    [intent.newVersion, intent.path, intent.newContent, intent.reason, intent.runId],
  );
  for (const a of intent.audit) {
    await tx.query(`insert into audit_log (at, actor, action, task_type, details) values ($1, $2, $3, $4, $5)`, [
      intent.at.toISOString(),
      intent.actor,
      a.action,
      a.taskType,
      JSON.stringify({ ...a.details, ...note }),
    ]);
  }
}

/** Closes an intent whose file did not move (rolled_back) or cannot be told (interrupted), with an audit row. */
export async function resolveIntent(
  db: Queryable,
  intent: Intent,
  status: 'rolled_back' | 'interrupted',
  why?: string,
): Promise<void> {
  const claimed = await db.query(
    `update routing_intents set status = $2, resolved_at = now() where id = $1 and status = 'pending' returning id`,
    [intent.id, status],
  );
  if (claimed.rows.length === 0) return;
  const reason =
    why ??
    'the apply failed before the file was replaced; the file is unchanged and the decision stays to be applied again';
  const details = {
    file: intent.path,
    fromVersion: intent.oldVersion,
    version: intent.newVersion,
    reason,
    changes: intent.audit.map((a) => ({ action: a.action, taskType: a.taskType })),
    diff: intent.diff,
    intentId: intent.id,
  };
  await db.query(`insert into audit_log (at, actor, action, task_type, details) values (now(), $1, $2, null, $3)`, [
    intent.actor,
    status === 'rolled_back' ? 'apply_rolled_back' : 'apply_interrupted',
    JSON.stringify(details),
  ]);
}

/** What start-up recovery did. */
export interface RecoveryOutcome {
  completed: string[];
  rolledBack: string[];
  interrupted: string[];
  /** Intents left pending because a live process holds the table's lock (its apply is running). */
  busy: string[];
  tempFilesRemoved: string[];
}

/**
 * Resolves the applies a dead process left half done, under the same locks an apply takes: a
 * file at the intent's new content gets its audit rows and routing_versions (completed); a file
 * still at the old content is rolled back (the decision stays pending); a file at neither (edited
 * by hand after the crash, or deleted) is audited as interrupted with the intended diff. Leftover
 * temp files of dead processes beside each table (and beside `extraTables`) are removed.
 */
export async function recoverRoutingIntents(db: Db, extraTables: string[] = []): Promise<RecoveryOutcome> {
  const out: RecoveryOutcome = { completed: [], rolledBack: [], interrupted: [], busy: [], tempFilesRemoved: [] };
  const pending = await loadPendingIntents(db);
  for (const intent of pending) {
    const releaseDb = await db.tryLock(`driftwatch:routing:${intent.path}`);
    if (!releaseDb) {
      out.busy.push(intent.id);
      continue;
    }
    try {
      const releaseFile = await acquireFileLock(`${intent.path}.lock`, { timeoutMs: 0 }).catch((e: unknown) => {
        if (e instanceof DriftwatchError && e.code === 'routing_locked') return null;
        throw e;
      });
      if (!releaseFile) {
        out.busy.push(intent.id);
        continue;
      }
      try {
        const outcome = await resolveOne(db, intent);
        out[outcome].push(intent.id);
      } finally {
        releaseFile();
      }
    } finally {
      await releaseDb();
    }
  }
  for (const file of new Set([...pending.map((i) => i.path), ...extraTables]))
    out.tempFilesRemoved.push(...removeStaleTempFiles(file));
  return out;
}

/** Resolves the pending intents of one table; the caller holds its file and database locks (an apply does). */
export async function resolvePendingIntentsLocked(db: Db, file: string): Promise<void> {
  for (const intent of await loadPendingIntents(db, file)) await resolveOne(db, intent);
}

async function resolveOne(db: Db, intent: Intent): Promise<'completed' | 'rolledBack' | 'interrupted'> {
  let hash: string | null = null;
  try {
    hash = contentHash(readFileSync(intent.path, 'utf8'));
  } catch {
    // missing or unreadable: neither version
  }
  if (hash === intent.newHash) {
    await db.transaction((tx) =>
      completeIntent(tx, intent, {
        recovered: 'the applying process stopped after replacing the file; audit completed at the next start',
      }),
    );
    return 'completed';
  }
  if (hash === intent.oldHash) {
    await db.transaction((tx) =>
      resolveIntent(
        tx,
        intent,
        'rolled_back',
        'the applying process stopped before replacing the file; the file is unchanged and the decision stays to be applied again',
      ),
    );
    return 'rolledBack';
  }
  await db.transaction((tx) =>
    resolveIntent(
      tx,
      intent,
      'interrupted',
      `the applying process stopped and ${hash === null ? 'the file is missing' : 'the file has neither the old nor the new content (edited since)'}: check it against this diff`,
    ),
  );
  return 'interrupted';
}

async function loadPendingIntents(db: Queryable, file?: string): Promise<Intent[]> {
  const r = await db.query<{
    id: string | number;
    path: string;
    old_version: number;
    new_version: number;
    old_hash: string;
    new_hash: string;
    old_content: string;
    new_content: string;
    diff: string;
    reason: string;
    actor: string;
    run_id: string | null;
    audit: unknown;
    at: Date | string;
  }>(`select * from routing_intents where status = 'pending' and ($1::text is null or path = $1) order by id`, [
    file ?? null,
  ]);
  return r.rows.map((x) => ({
    id: String(x.id),
    path: x.path,
    oldVersion: x.old_version,
    newVersion: x.new_version,
    oldHash: x.old_hash,
    newHash: x.new_hash,
    oldContent: x.old_content,
    newContent: x.new_content,
    diff: x.diff,
    reason: x.reason,
    actor: x.actor,
    runId: x.run_id,
    audit: jsonColumn<IntentAudit[]>(x.audit),
    at: new Date(x.at),
  }));
}
