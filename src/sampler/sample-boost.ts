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
 * Boost per class: 4x while its CUSUM is elevated, 5x for every class within 48 h of the latest
 * routing change; the larger applies. `explicit` factors (from the caller) win over both.
 */
export function computeBoost(
  classes: string[],
  cusum: Record<string, CusumState>,
  lastChange: Date | undefined,
  now: Date,
  explicit: Record<string, number> = {},
): Record<string, number> {
  const burst = lastChange !== undefined && now.getTime() - lastChange.getTime() < CHANGE_BURST_MS && now >= lastChange;
  const out: Record<string, number> = {};
  for (const c of classes) {
    const s = cusum[c];
    const elevated = s !== undefined && s.H > 0 && s.S >= ELEVATED_KAPPA * s.H;
    out[c] = explicit[c] ?? Math.max(1, elevated ? ELEVATED_BOOST : 1, burst ? CHANGE_BURST : 1);
  }
  return out;
}

/** Reads `cusum:*` state and the latest routing change (routing_versions or state key `routing:changed_at`). */
export async function readBoostInputs(q: Queryable): Promise<{ cusum: Record<string, CusumState>; lastChange?: Date }> {
  const st = await q.query<{ key: string; value: unknown }>(
    `select key, value from driftwatch_state where key like 'cusum:%' or key = 'routing:changed_at'`,
  );
  const cusum: Record<string, CusumState> = {};
  let lastChange: Date | undefined;
  for (const row of st.rows) {
    if (row.key === 'routing:changed_at') lastChange = maxDate(lastChange, parseDate(row.value));
    else {
      const v = row.value as Partial<CusumState> | null;
      if (v && typeof v.S === 'number' && typeof v.H === 'number') cusum[row.key.slice('cusum:'.length)] = { S: v.S, H: v.H };
    }
  }
  const rv = await q.query<{ at: Date | null }>(`select max(written_at) as at from routing_versions`);
  lastChange = maxDate(lastChange, rv.rows[0]?.at ?? undefined);
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
