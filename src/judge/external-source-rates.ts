import type { Queryable } from '../db/db.js';
import type { JudgeRates, JudgeRatesFor } from '../stats/judge-scale.js';

/**
 * A class's judged samples by who judged them: the class's usual judge (LLM or offline), the
 * pairwise judge (its own gold calibration on LLMBar), or an external verdict source by name.
 */
export interface SourceShare {
  taskType: string;
  kind: 'judge' | 'pairwise' | 'external';
  /** The external source's name (kind 'external'). */
  source?: string;
  n: number;
}

/** Rates known beyond the class's own: per external source (judge.sources) and of the pairwise judge. */
export interface VerdictSourceRates {
  sources: Record<string, { fp: number; fn: number }>;
  pairwise?: JudgeRates;
}

/**
 * Pure: the error rates of a class judged by several judges. A mixture of judges with rates
 * (fp_s, fn_s) in shares w_s flags a true error rate p at q = p(1 - Σw fn - Σw fp) + Σw fp, so the
 * n-weighted mean fp and fn are exactly what inverting q needs. A part without rates of its own
 * (an unlisted external source, an uncalibrated pairwise judge) counts with the class's judge rates;
 * when no part has rates of its own the class's rates are returned unchanged.
 */
export function mixSourceRates(
  shares: SourceShare[],
  base: JudgeRates | undefined,
  known: VerdictSourceRates,
): JudgeRates | undefined {
  const own = (s: SourceShare): JudgeRates | undefined =>
    s.kind === 'external' && s.source && known.sources[s.source]
      ? { ...known.sources[s.source], from: `config:judge.sources.${s.source}` }
      : s.kind === 'pairwise'
        ? known.pairwise
        : undefined;
  const order = { judge: 0, pairwise: 1, external: 2 };
  const parts = shares
    .filter((s) => s.n > 0)
    .sort((a, b) => order[a.kind] - order[b.kind] || (a.source ?? '').localeCompare(b.source ?? ''))
    .map((s) => ({ s, r: own(s) }));
  if (!parts.some((p) => p.r)) return base;
  const fallback = base ?? { fp: 0, fn: 0, from: 'uncalibrated' };
  const total = parts.reduce((a, p) => a + p.s.n, 0);
  const rated = parts.map((p) => ({ n: p.s.n, r: p.r ?? fallback }));
  const mean = (k: 'fp' | 'fn') => rated.reduce((a, p) => a + (p.n / total) * p.r[k], 0);
  const from = rated.map((p) => `${p.r.from} ${Math.round((100 * p.n) / total)}%`).join(', ');
  return { fp: mean('fp'), fn: mean('fn'), from: `mix: ${from}` };
}

/** Judged samples per class and verdict source (external ones by name, pairwise ones apart). */
export async function loadSourceShares(db: Queryable): Promise<SourceShare[]> {
  const r = await db.query<{ task_type: string; kind: SourceShare['kind']; source: string | null; n: number }>(
    `select s.task_type,
            case when j.provider = 'external' then 'external' when j.method = 'pairwise-preference' then 'pairwise' else 'judge' end as kind,
            case when j.provider = 'external' then substr(j.method, length('external:') + 1) end as source, count(*)::int as n
       from judgments j join samples s on s.id = j.sample_id group by 1, 2, 3`,
  );
  return r.rows.map((x) => ({
    taskType: x.task_type,
    kind: x.kind,
    ...(x.source !== null ? { source: x.source } : {}),
    n: x.n,
  }));
}

/** Wraps a class -> judge rates lookup so classes judged partly by another judge get the mixed rates. */
export async function withVerdictSources(
  db: Queryable,
  ratesFor: JudgeRatesFor,
  known: VerdictSourceRates,
): Promise<JudgeRatesFor> {
  if (Object.keys(known.sources).length === 0 && !known.pairwise) return ratesFor;
  const shares = await loadSourceShares(db);
  return (taskType, source) =>
    mixSourceRates(
      shares.filter((s) => s.taskType === taskType),
      ratesFor(taskType, source),
      known,
    );
}
