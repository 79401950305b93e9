import path from 'node:path';
import type { Db, Queryable } from '../db/db.js';
import { DriftwatchError, RoutingTableError } from '../errors.js';
import { loadRoutingTable, modelFor, parseRoutingTable } from '../routing/routing-table.js';
import { DRIFTWATCH_FORMAT, type RoutingFormat } from '../config/routing-format.js';
import { editLitellmText } from './edit-litellm-text.js';
import { editRoutingText, type RoutingChange } from './edit-routing-text.js';
import { acquireFileLock } from './table-lock.js';
import { unifiedDiff } from './unified-diff.js';
import { completeIntent, recordIntent, resolveIntent, resolvePendingIntentsLocked } from './routing-intents.js';
import { contentHash, removeStaleTempFiles, writeFileAtomic } from '../fs/write-file-atomic.js';

/** What to change in which routing table, and whether to write it. */
export interface ApplyRoutingOptions {
  file: string;
  /** routing.yaml (default) or a LiteLLM proxy config.yaml with driftwatch.yaml's tier ladder. */
  format?: RoutingFormat;
  changes: RoutingChange[];
  /** false: only compute the diff; the file is not touched. */
  apply: boolean;
  now: Date;
  /** The table version the changes were decided on; a different version on disk refuses the write. */
  expectedVersion?: number;
  /**
   * contentHash of the text the changes were decided on; different content under the lock (a human
   * edit since it was read) refuses the write with exit 2 and leaves the edit in place.
   */
  expectedHash?: string;
  /** Audit trail and cross-host lock; without it only the file lock serializes writers. */
  db?: Db;
  actor?: string;
  runId?: string;
  /** Evidence per task type for the audit log (counts, S, H, interval). */
  evidence?: Record<string, unknown>;
  /** Runs inside the audit transaction just before the file is replaced (e.g. persist escalator state). */
  onCommit?: (tx: Queryable, result: ApplyRoutingResult) => Promise<void>;
  /** Test hook: runs once both locks are held. */
  afterLock?: () => Promise<void>;
  /** Test hooks of the crash window: after the intent committed (file not yet moved), after the rename (audit not yet committed). */
  beforeRename?: () => Promise<void>;
  afterRename?: () => Promise<void>;
  lockTimeoutMs?: number;
}

/** The outcome: the unified diff, the version the table has (or would have), whether it was written. */
export interface ApplyRoutingResult {
  diff: string;
  oldVersion: number;
  newVersion: number;
  written: boolean;
  /** The new file text (what was or would be written) and the text it replaces. */
  text: string;
  oldText: string;
}

/**
 * Moves task classes between tiers in routing.yaml: version + 1, each change annotated in the file,
 * the new text re-validated before anything is written. With `apply` it takes the table's lock file
 * and the database lock, finishes any write a dead process left half done, re-reads the file,
 * refuses if its version or (with expectedHash) its content moved, records the intent, replaces
 * the file atomically (temp + fsync + rename), then commits the audit and routing_versions rows.
 */
export async function applyRoutingChanges(opts: ApplyRoutingOptions): Promise<ApplyRoutingResult> {
  const file = path.resolve(opts.file);
  if (!opts.apply) return plan(file, opts);
  const releaseFile = await acquireFileLock(`${file}.lock`, { timeoutMs: opts.lockTimeoutMs });
  removeStaleTempFiles(file);
  let releaseDb: (() => Promise<void>) | null = null;
  try {
    if (opts.db) {
      releaseDb = await opts.db.tryLock(`driftwatch:routing:${file}`);
      if (!releaseDb)
        throw new DriftwatchError(
          'routing_locked',
          `another driftwatch process is writing ${file} (database lock held); try again when it has finished`,
        );
      await resolvePendingIntentsLocked(opts.db, file); // a write a dead process left half done, before ours
    }
    await opts.afterLock?.();
    const result = plan(file, opts, opts.db ? await storedVersion(opts.db, file, opts.format) : undefined); // re-read under the lock
    if (result.diff === '') return result;
    await commit(file, opts, result);
    return { ...result, written: true };
  } finally {
    await releaseDb?.();
    releaseFile();
  }
}

/**
 * A LiteLLM config carries no version: its versions are numbered in routing_versions (the latest
 * stored for the file; 0 before driftwatch first wrote it). routing.yaml's own `version` rules.
 */
async function storedVersion(db: Db, file: string, format: RoutingFormat | undefined): Promise<number | undefined> {
  if (format?.format !== 'litellm') return undefined;
  const r = await db.query<{ v: number }>(
    'select coalesce(max(version), 0)::int as v from routing_versions where path = $1',
    [file],
  );
  return r.rows[0]!.v;
}

function plan(file: string, opts: ApplyRoutingOptions, baseVersion?: number): ApplyRoutingResult {
  const format = opts.format ?? DRIFTWATCH_FORMAT;
  const loaded = loadRoutingTable(file, format);
  const { text } = loaded;
  const table = baseVersion === undefined ? loaded.table : { ...loaded.table, version: baseVersion };
  if (opts.expectedVersion !== undefined && format.format === 'driftwatch' && table.version !== opts.expectedVersion) {
    throw new DriftwatchError(
      'routing_conflict',
      `${file} changed since the decision: version ${table.version} on disk, decided on version ${opts.expectedVersion}; re-run driftwatch escalate to decide on the current table`,
    );
  }
  if (opts.expectedHash !== undefined && contentHash(text) !== opts.expectedHash) {
    throw new DriftwatchError(
      'routing_changed',
      `${file} was edited since driftwatch read it (same version ${table.version}, different content); nothing written, the edit is kept. Re-run to decide on the edited table`,
      { exitCode: 2 },
    );
  }
  for (const c of opts.changes) {
    const current = modelFor(table, c.taskType).tier;
    if (current !== c.fromTier) {
      throw new DriftwatchError(
        'routing_conflict',
        `${file}: task class "${c.taskType}" is on tier "${current}", not "${c.fromTier}" as decided; re-run driftwatch escalate`,
      );
    }
  }
  if (opts.changes.length === 0)
    return { diff: '', oldVersion: table.version, newVersion: table.version, written: false, text, oldText: text };
  const newVersion = table.version + 1;
  const edited =
    format.format === 'litellm'
      ? editLitellmText(text, opts.changes, format, file).text
      : editRoutingText(text, opts.changes, newVersion, opts.now).text;
  try {
    const check = parseRoutingTable(edited, file, format).table;
    for (const c of opts.changes) {
      if (modelFor(check, c.taskType).tier !== c.to)
        throw new RoutingTableError(
          `task class "${c.taskType}" would be on tier "${modelFor(check, c.taskType).tier}", not "${c.to}"`,
        );
    }
  } catch (e) {
    throw new RoutingTableError(
      `refusing to write ${file}: the edited table would be invalid (${(e as Error).message})`,
      { cause: e },
    );
  }
  const name = path.basename(file);
  return {
    diff: unifiedDiff(text, edited, `a/${name}`, `b/${name}`),
    oldVersion: table.version,
    newVersion,
    written: false,
    text: edited,
    oldText: text,
  };
}

/**
 * Without a database: the atomic write only. With one, in three steps so a crash anywhere leaves a
 * state the next start resolves (recoverRoutingIntents): (1) commit the intent (versions, both
 * contents and hashes, the audit rows); (2) replace the file; (3) one transaction writes
 * routing_versions, the audit rows and the caller's state and marks the intent done.
 */
async function commit(file: string, opts: ApplyRoutingOptions, result: ApplyRoutingResult): Promise<void> {
  if (!opts.db) return writeFileAtomic(file, result.text);
  const db = opts.db;
  const reason = opts.changes.map((c) => `${c.taskType}: ${c.fromTier} -> ${c.to} (${c.reason})`).join('; ');
  const audit = opts.changes.map((c) => ({
    action: c.kind,
    taskType: c.taskType,
    details: {
      file,
      fromTier: c.fromTier,
      to: c.to,
      reason: c.reason,
      fromVersion: result.oldVersion,
      version: result.newVersion,
      evidence: opts.evidence?.[c.taskType] ?? null,
      diff: result.diff,
    },
  }));
  const intent = await recordIntent(db, {
    path: file,
    oldVersion: result.oldVersion,
    newVersion: result.newVersion,
    oldContent: result.oldText,
    newContent: result.text,
    diff: result.diff,
    reason,
    actor: opts.actor ?? 'cli',
    runId: opts.runId ?? null,
    audit,
    at: opts.now,
  });
  try {
    await opts.beforeRename?.();
    writeFileAtomic(file, result.text);
  } catch (e) {
    await resolveIntent(db, intent, 'rolled_back').catch(() => {}); // else the next start sees the old hash and rolls back
    throw e;
  }
  await opts.afterRename?.();
  try {
    await db.transaction(async (tx) => {
      await completeIntent(tx, intent);
      await opts.onCommit?.(tx, { ...result, written: true });
    });
  } catch (e) {
    // The file moved: its audit rows must exist even if the caller's state could not be saved.
    await db.transaction((tx) => completeIntent(tx, intent)).catch(() => {}); // else the next start completes it
    throw e;
  }
}
