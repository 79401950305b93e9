import path from 'node:path';
import type { Db, Queryable } from '../db/db.js';
import { loadRoutingTable, modelFor, parseRoutingTable, type RoutingTable } from '../routing/routing-table.js';
import { applyRoutingChanges } from './apply-routing-changes.js';
import type { RoutingFormat } from '../config/routing-format.js';
import type { ClassState } from './class-state.js';
import { decideEscalations } from './decide-escalations.js';
import type { RoutingChange } from './edit-routing-text.js';
import { DEFAULT_POLICY, type EscalationPolicy, type JudgeRates } from './escalation-policy.js';
import {
  countSampled,
  loadClassStates,
  loadJudgedVolumes,
  loadNewVerdicts,
  lockEscalator,
  markVerdictsProcessed,
  saveClassStates,
  type LoadedVerdict,
} from './escalator-queries.js';
import type { Decision } from './escalation-types.js';
import { markApplied } from './reconcile-state.js';
import { contentHash } from '../fs/write-file-atomic.js';

/** What `runEscalation` needs from outside. */
export interface EscalationDeps {
  db: Db;
  now: () => Date;
}

/** Options of one decide (and optionally apply) pass. */
export interface RunEscalationOptions {
  /** Path of routing.yaml (or of a LiteLLM config.yaml, with `routingFormat`). */
  routingTable: string;
  routingFormat?: RoutingFormat;
  apply: boolean;
  policy?: EscalationPolicy;
  /** Calibrated judge rates per class; perfect judge when absent. */
  judgeRates?: (taskType: string) => JudgeRates | undefined;
  actor?: string;
  runId?: string;
  /**
   * The table as the caller read it for this run (nightly's cycle): the decisions use it, and applying
   * checks under the lock that the file still has this text. Absent: read here.
   */
  read?: { table: RoutingTable; text: string };
}

/** A decision plus whether its change was written in this run. */
export type AppliedDecision = Omit<Decision, 'state'> & { applied: boolean };

/** The outcome: per-class decisions (sorted by task type), the diff, and whether the table changed. */
export interface EscalationRun {
  classes: AppliedDecision[];
  routingTableChanged: boolean;
  diff: string;
  version: number;
}

/**
 * Loads new judged verdicts, decides per task class, and with `apply` writes the routing table.
 * State, consumed verdicts and audit rows commit in one transaction (with the file replacement
 * when applying), so a crash or a refused write leaves the verdicts to be read again.
 */
export async function runEscalation(deps: EscalationDeps, opts: RunEscalationOptions): Promise<EscalationRun> {
  const release = await lockEscalator(deps.db);
  try {
    const now = deps.now();
    const policy = opts.policy ?? DEFAULT_POLICY;
    const { table, text } = opts.read ?? loadRoutingTable(opts.routingTable, opts.routingFormat);
    const [states, verdicts, volumes] = await Promise.all([
      loadClassStates(deps.db),
      loadNewVerdicts(deps.db),
      loadJudgedVolumes(deps.db),
    ]);
    const names = new Set([...Object.keys(table.taskClasses), ...states.keys(), ...verdicts.map((v) => v.taskType)]);
    const decisions = decideEscalations({
      now,
      table,
      policy,
      classes: [...names].sort().map((taskType) => ({
        taskType,
        verdicts: verdicts.filter((v) => v.taskType === taskType),
        state: states.get(taskType) ?? null,
        judgedPerDay: volumes.get(taskType) ?? 0,
        judge: opts.judgeRates?.(taskType),
      })),
    });
    for (const d of decisions) d.sampled = await countSampled(deps.db, d.taskType, d.state.since);
    const changes = decisions.flatMap(toChange);
    if (!opts.apply || changes.length === 0) return await persistOnly(deps.db, opts, decisions, verdicts, changes, now);
    return await persistApplied(deps.db, opts, decisions, verdicts, changes, now, table, policy, contentHash(text));
  } finally {
    await release();
  }
}

function toChange(d: Decision): RoutingChange[] {
  if ((d.decision !== 'escalate' && d.decision !== 'deescalate') || !d.to) return [];
  return [{ taskType: d.taskType, kind: d.decision, fromTier: d.tier, to: d.to, reason: d.reason }];
}

async function persistOnly(
  db: Db,
  opts: RunEscalationOptions,
  decisions: Decision[],
  verdicts: LoadedVerdict[],
  changes: RoutingChange[],
  now: Date,
): Promise<EscalationRun> {
  const plan = await applyRoutingChanges({
    file: opts.routingTable,
    format: opts.routingFormat,
    changes,
    apply: false,
    now,
  });
  await db.transaction(async (tx) => {
    await persist(
      tx,
      decisions.map((d) => d.state),
      verdicts,
    );
    await auditDroppedPending(tx, opts, decisions, now);
  });
  return {
    classes: decisions.map((d) => strip(d, false)),
    routingTableChanged: false,
    diff: plan.diff,
    version: plan.oldVersion,
  };
}

async function persistApplied(
  db: Db,
  opts: RunEscalationOptions,
  decisions: Decision[],
  verdicts: LoadedVerdict[],
  changes: RoutingChange[],
  now: Date,
  table: RoutingTable,
  policy: EscalationPolicy,
  readHash: string,
): Promise<EscalationRun> {
  const changed = new Set(changes.map((c) => c.taskType));
  const evidence = Object.fromEntries(
    decisions.filter((d) => changed.has(d.taskType)).map((d) => [d.taskType, evidenceOf(d)]),
  );
  const result = await applyRoutingChanges({
    file: opts.routingTable,
    format: opts.routingFormat,
    changes,
    apply: true,
    now,
    expectedVersion: table.version,
    expectedHash: readHash,
    db,
    actor: opts.actor ?? 'cli',
    runId: opts.runId,
    evidence,
    onCommit: async (tx, r) => {
      const newTable = parseRoutingTable(r.text, path.resolve(opts.routingTable), opts.routingFormat).table;
      const states = decisions.map((d) =>
        changed.has(d.taskType) && d.state.pending
          ? markApplied(
              d.state,
              d.state.pending,
              modelFor(newTable, d.taskType).model,
              now,
              policy.deescalation.restartFraction,
            )
          : d.state,
      );
      await persist(tx, states, verdicts);
      await auditDroppedPending(tx, opts, decisions, now);
    },
  });
  return {
    classes: decisions.map((d) => strip(d, changed.has(d.taskType) && result.written)),
    routingTableChanged: result.written,
    diff: result.diff,
    version: result.newVersion,
  };
}

async function persist(tx: Queryable, states: ClassState[], verdicts: LoadedVerdict[]): Promise<void> {
  await saveClassStates(tx, states);
  await markVerdictsProcessed(tx, verdicts);
}

/** One audit row per pending change dropped because its class or tier left the table. */
async function auditDroppedPending(
  tx: Queryable,
  opts: RunEscalationOptions,
  decisions: Decision[],
  now: Date,
): Promise<void> {
  for (const d of decisions) {
    if (!d.droppedPending) continue;
    const { why, ...pending } = d.droppedPending;
    const details = {
      file: path.resolve(opts.routingTable),
      reason: `pending ${pending.kind} ${pending.fromTier} -> ${pending.to} dropped: ${why}`,
      pending,
      runId: opts.runId ?? null,
    };
    await tx.query(
      `insert into audit_log (at, actor, action, task_type, details) values ($1, $2, 'pending_dropped', $3, $4)`,
      [now.toISOString(), opts.actor ?? 'cli', d.taskType, JSON.stringify(details)],
    );
  }
}

function evidenceOf(d: Decision): Record<string, unknown> {
  return {
    judged: d.judged,
    failures: d.failures,
    errorRate: d.errorRate,
    lower: d.lower,
    upper: d.upper,
    statistic: d.statistic,
    threshold: d.threshold,
    m: d.m,
    shadow: d.shadow ?? null,
    since: d.state.since,
  };
}

function strip(d: Decision, applied: boolean): AppliedDecision {
  const { state: _state, ...rest } = d;
  return { ...rest, applied };
}
