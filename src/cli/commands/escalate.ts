import { defineCommand } from '../command.js';
import { escalateSpec } from './escalate-spec.js';
import { runEscalation, type AppliedDecision } from '../../escalator/run-escalation.js';
import { policyFromConfig } from '../../escalator/policy-from-config.js';
import { loadJudgeRates } from '../../judge/judge-rates.js';
import { loadRoutingTable } from '../../routing/routing-table.js';
import { formatPercent } from '../../text/format-percent.js';
import { resolvePaths } from '../../config/resolve-paths.js';

export const escalateCommand = defineCommand(escalateSpec, async (ctx, flags) => {
  const loaded = ctx.config();
  const { config } = loaded;
  const { routingTable: file, routingFormat } = resolvePaths(loaded);
  loadRoutingTable(file, routingFormat); // a bad table is exit 2 before the database is opened
  const db = await ctx.db();
  const run = await runEscalation(
    { db, now: () => ctx.now() },
    {
      routingTable: file,
      routingFormat,
      apply: flags.apply,
      policy: policyFromConfig(config),
      judgeRates: await loadJudgeRates(db, config),
      actor: 'cli',
    },
  );
  const pending = run.classes.filter((c) => (c.decision === 'escalate' || c.decision === 'deescalate') && !c.applied);
  const footer = run.routingTableChanged
    ? `${file} written (version ${run.version}).`
    : pending.length > 0
      ? `${pending.length} change(s) pending; run driftwatch escalate --apply to write ${file}.`
      : `no routing change.`;
  return {
    json: {
      classes: run.classes,
      routingTableChanged: run.routingTableChanged,
      diff: run.diff,
      version: run.version,
    },
    text: [renderDecisions(run.classes), run.diff, footer].filter(Boolean).join('\n\n'),
  };
});

/** One line per class: decision, counts with the 95% interval, S/H and the reason. */
export function renderDecisions(classes: AppliedDecision[]): string {
  if (classes.length === 0) return 'no task classes with judged verdicts or routing entries.';
  const rows = classes.map((c) => {
    const rate = c.errorRate === null ? '-' : `${pct(c.errorRate)} [${pct(c.lower)}, ${pct(c.upper)}]`;
    const move = c.to ? ` -> ${c.to}${c.applied ? ' (applied)' : ''}` : '';
    return `${c.taskType} (${c.tier}, ${c.model}): ${c.decision}${move}; ${c.failures}/${c.judged} failed, ${rate}; S=${round(c.statistic)} H=${c.threshold}; ${c.reason}`;
  });
  return rows.join('\n');
}

function pct(x: number): string {
  return formatPercent(x, 1);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}
