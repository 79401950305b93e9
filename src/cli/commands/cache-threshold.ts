import path from 'node:path';
import { applyCacheThresholds, type ThresholdChange } from '../../cache/apply-cache-thresholds.js';
import type { ThresholdAnalysis } from '../../cache/false-hit-curve.js';
import { renderFalseHitTable, renderRecommendation } from '../../cache/render-false-hit-table.js';
import { tuneCacheThresholds, type ThresholdTuning } from '../../cache/tune-thresholds.js';
import { defineCommand } from '../command.js';
import { cacheThresholdSpec } from './cache-threshold-spec.js';
import { formatPercent } from '../../text/format-percent.js';

export const cacheThresholdCommand = defineCommand(cacheThresholdSpec, async (ctx, values) => {
  const { config, path: configPath } = ctx.config();
  const target = values.maxFalseHit ?? config.cache.maxFalseHit;
  const taskType = values.task;
  const db = await ctx.db();
  const tuning = await tuneCacheThresholds(db, { target, taskType });
  let applied: ThresholdChange | undefined;
  if (values.apply) {
    const certified = Object.fromEntries(
      Object.entries(tuning.perClass).flatMap(([c, a]) => (a.recommended ? [[c, a.recommended.threshold]] : [])),
    );
    if (Object.keys(certified).length > 0) {
      applied = applyCacheThresholds(configPath ?? path.join(ctx.cwd, 'driftwatch.yaml'), certified);
      await db.query(`insert into audit_log (actor, action, details) values ('cli', 'threshold', $1::jsonb)`, [
        JSON.stringify({ ...applied, target }),
      ]);
    }
  }
  const short = (a: ThresholdAnalysis) => ({
    recommended: a.recommended
      ? {
          threshold: a.recommended.threshold,
          hitShare: a.recommended.hitShare,
          falseHitUpper: a.recommended.falseHitUpper,
          weightedRate: a.recommended.weightedRate,
        }
      : null,
    curve: a.curve.map(({ threshold, hits, falseHits, upper, weightedRate, effectiveN }) => ({
      threshold,
      hits,
      falseHits,
      upper,
      weightedRate,
      effectiveN,
    })),
    start: a.start,
    floor: a.floor,
  });
  const json = {
    ...short(tuning.analysis),
    scope: tuning.scope,
    target,
    alpha: tuning.analysis.alpha,
    method: 'anytime-weighted-fixed-sequence',
    judged: tuning.analysis.judged,
    needed: tuning.analysis.needed,
    perClass: Object.fromEntries(
      Object.entries(tuning.perClass).map(([c, a]) => [c, { ...short(a), judged: a.judged, needed: a.needed }]),
    ),
    pooled: tuning.pooled,
    ...(values.apply ? { applied: applied ?? null } : {}),
  };
  return { json, text: renderText(tuning, applied, values.apply) };
});

function renderText(t: ThresholdTuning, applied: ThresholdChange | undefined, apply: boolean): string {
  const a = t.analysis;
  const level = formatPercent(1 - a.alpha, 0);
  const lines = [
    `Semantic cache false hits (${t.scope}; ${a.judged} judged lookups; target < ${a.target}; anytime ${level} bound, weighted by inclusion probability, per task class)`,
    '',
  ];
  if (a.curve.length > 0) lines.push(renderFalseHitTable(a), '');
  if (t.scope !== 'all classes') lines.push(renderRecommendation(a), '');
  for (const [c, ca] of Object.entries(t.perClass))
    lines.push(`- ${c} (${ca.judged} judged): ${renderRecommendation(ca)}`);
  const p = t.pooled;
  if (p.estimate !== null && p.classes.length > 1) {
    const left =
      p.unjudgedHitVolume > 0 ? `; ${p.unjudgedHitVolume} hits of classes with no judged hit are not in it` : '';
    lines.push(
      '',
      `All classes, weighted by hit volume: ${formatPercent(p.estimate, 2)} of served hits estimated false (an estimate, not certified${left})`,
    );
  }
  if (apply)
    lines.push(
      '',
      applied
        ? `wrote cache.thresholds ${JSON.stringify(applied.after)} to ${applied.file}`
        : 'nothing certified, nothing written',
    );
  return lines.join('\n');
}
