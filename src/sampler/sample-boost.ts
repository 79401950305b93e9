import type { Queryable } from '../db/db.js';

/** Boost factors of the notes' allocation rule (section 5). */
export const ELEVATED_BOOST = 4;
export const CHANGE_BURST = 5;
export const CHANGE_BURST_MS = 48 * 3_600_000;
/** The CUSUM is "elevated" while S >= kappa * H. */
export const ELEVATED_KAPPA = 0.2;

/** CUSUM state the escalator keeps per class under driftwatch_state key `cusum:<taskType>`. */
export interface CusumState {
  S: number;
  H: number;
}

/**
 * Boost per class: 4x while its CUSUM is elevated, 5x within 48 h of a routing change of that class
 * (`lastChange[class]`; key '*' = a change announced for every class); the larger applies.
 * `explicit` factors (from the caller) win over both. Pure.
 */
export function computeBoost(
  classes: string[],
  cusum: Record<string, CusumState>,
  lastChange: Record<string, Date>,
  now: Date,
  explicit: Record<string, number> = {},
): Record<string, number> {
  const within = (at: Date | undefined) =>
    at !== undefined && now >= at && now.getTime() - at.getTime() < CHANGE_BURST_MS;
  const out: Record<string, number> = {};
  for (const c of classes) {
    const s = cusum[c];
    const elevated = s !== undefined && s.H > 0 && s.S >= ELEVATED_KAPPA * s.H;
    const burst = within(lastChange[c]) || within(lastChange['*']);
    out[c] = explicit[c] ?? Math.max(1, elevated ? ELEVATED_BOOST : 1, burst ? CHANGE_BURST : 1);
  }
  return out;
}

/**
 * Reads `cusum:*` state and the latest routing change per class: escalations and de-escalations in
 * audit_log (the escalator's own routing writes name their class), and the state key
 * `routing:changed_at` ({"at": ..., "taskTypes": [...]}; without taskTypes it applies to every class,
 * key '*'). A routing.yaml version written for one class no longer bursts the others.
 */
export async function readBoostInputs(
  q: Queryable,
): Promise<{ cusum: Record<string, CusumState>; lastChange: Record<string, Date> }> {
  const st = await q.query<{ key: string; value: unknown }>(
    `select key, value from driftwatch_state where key like 'cusum:%' or key = 'routing:changed_at'`,
  );
  const cusum: Record<string, CusumState> = {};
  const lastChange: Record<string, Date> = {};
  const note = (c: string, at: Date | undefined) => {
    const m = maxDate(lastChange[c], at);
    if (m) lastChange[c] = m;
  };
  for (const row of st.rows) {
    if (row.key === 'routing:changed_at') {
      const v = row.value as { taskTypes?: unknown } | null;
      const classes =
        v && typeof v === 'object' && Array.isArray(v.taskTypes)
          ? v.taskTypes.filter((t): t is string => typeof t === 'string')
          : ['*'];
      for (const c of classes) note(c, parseDate(row.value));
    } else {
      const v = row.value as Partial<CusumState> | null;
      if (v && typeof v.S === 'number' && typeof v.H === 'number')
        cusum[row.key.slice('cusum:'.length)] = { S: v.S, H: v.H };
    }
  }
  const rv = await q.query<{ task_type: string; at: Date | string }>(
    `select task_type, max(at) as at from audit_log where action in ('escalate', 'deescalate') and task_type is not null group by task_type`,
  );
  for (const row of rv.rows) note(row.task_type, new Date(row.at));
  return { cusum, lastChange };
}

function parseDate(v: unknown): Date | undefined {
  const raw = typeof v === 'object' && v !== null && 'at' in v ? (v as { at: unknown }).at : v;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const d = new Date(raw);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function maxDate(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b ? new Date(b) : undefined;
  if (!b) return a;
  return a > b ? a : new Date(b);
}
