import type { Queryable } from '../db/db.js';
import type { JudgeErrorRates } from './compute-class-rates.js';
import type { JudgeRatesFor } from './judge-rates.js';

/** A class's judged samples by who judged them: 'judge' (LLM or offline) or an external source name. */
export interface SourceShare {
  taskType: string;
  source: string;
  n: number;
}

/**
 * Pure: the error rates of a class judged partly by external sources. A mixture of judges with
 * rates (fp_s, fn_s) in shares w_s flags a true error rate p at q = p(1 - Σw fn - Σw fp) + Σw fp, so
 * the n-weighted mean fp and fn are exactly what inverting q needs. An external source without
 * configured rates counts with the class's judge rates; with neither known, there is nothing to mix.
 */
export function mixSourceRates(shares: SourceShare[], base: JudgeErrorRates | undefined, sources: Record<string, { fp: number; fn: number }>): JudgeErrorRates | undefined {
  const known = shares.filter((s) => s.n > 0);
  if (!known.some((s) => s.source !== 'judge' && sources[s.source])) return base;
  const own = base ?? { fp: 0, fn: 0, from: 'uncalibrated' };
  const total = known.reduce((a, s) => a + s.n, 0);
  const parts = known.map((s) => ({ s, r: s.source !== 'judge' && sources[s.source] ? { ...sources[s.source], from: `config:judge.sources.${s.source}` } : own }));
  const mean = (k: 'fp' | 'fn') => parts.reduce((a, p) => a + (p.s.n / total) * p.r[k], 0);
  const from = parts.map((p) => `${p.r.from} ${Math.round((100 * p.s.n) / total)}%`).join(', ');
  return { fp: mean('fp'), fn: mean('fn'), from: `mix: ${from}` };
}

/** Judged samples per class and verdict source (external ones by name, everything else as 'judge'). */
export async function loadSourceShares(db: Queryable): Promise<SourceShare[]> {
  const r = await db.query<{ task_type: string; src: string; n: number }>(
    `select s.task_type, case when j.provider = 'external' then substr(j.method, length('external:') + 1) else 'judge' end as src, count(*)::int as n
       from judgments j join samples s on s.id = j.sample_id group by 1, 2`,
  );
  return r.rows.map((x) => ({ taskType: x.task_type, source: x.src, n: x.n }));
}

/** Wraps a class -> judge rates lookup so classes with configured external sources get the mixed rates. */
export async function withExternalSources(db: Queryable, ratesFor: JudgeRatesFor, sources: Record<string, { fp: number; fn: number }>): Promise<JudgeRatesFor> {
  if (Object.keys(sources).length === 0) return ratesFor;
  const shares = await loadSourceShares(db);
  return (taskType) => mixSourceRates(shares.filter((s) => s.taskType === taskType), ratesFor(taskType), sources);
}
