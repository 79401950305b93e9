import { plainText } from '../reports/markdown.js';
import type { NightlyJson } from './build-nightly-json.js';
import { formatPercent } from '../text/format-percent.js';

/** The human-readable outcome of a nightly run (stdout without --json); names and reasons lose control characters. */
export function renderNightlyText(j: NightlyJson): string {
  const p = nightlyTextParts(j);
  return [p.head, ...p.notes, ...p.classLines, ...p.tail].join('\n');
}

/** The pieces of the text outcome: the head line, judge notes, one line per class, and the closing lines. */
export function nightlyTextParts(j: NightlyJson): {
  head: string;
  notes: string[];
  classLines: string[];
  tail: string[];
} {
  const pct = (x: number | null) => formatPercent(x, 2);
  const lines = j.classes.map(
    (c) =>
      `  ${plainText(c.taskType)}: ${c.decision}${c.to ? ` -> ${plainText(c.to)}` : ''} (${c.failures}/${c.judged} = ${pct(c.errorRate)}, 95% [${pct(c.lower)}, ${pct(c.upper)}]) ${plainText(c.reason)}`,
  );
  const table = j.routingTableChanged
    ? `${j.routingTable.path}: version ${j.routingTable.versionBefore} -> ${j.routingTable.versionAfter}`
    : j.routingTable.pending
      ? `${j.routingTable.path}: changes pending (run with --apply to write them)`
      : `${j.routingTable.path}: unchanged`;
  const unlisted =
    j.unlistedClasses.length > 0
      ? [
          `warning: not listed in ${j.routingTable.path} (measured, never moved or added; add them under taskClasses): ${j.unlistedClasses.map((c) => JSON.stringify(c)).join(', ')}`,
        ]
      : [];
  const failed =
    j.judge.callFailures && j.judge.callFailures.total > 0
      ? [
          `  partial judge outage: ${j.judge.callFailures.total} of ${j.judge.calls} calls failed (${Object.entries(
            j.judge.callFailures.byCause,
          )
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')}); those samples wait for the next run`,
        ]
      : [];
  const errors = j.judge.judgeErrors
    ? [`  ${j.judge.judgeErrors} sample(s) marked judge_error (unreadable replies); --retry-errors pays for them again`]
    : [];
  return {
    head: `run ${j.runId}: judged with ${j.judge.provider}${j.judge.model ? ` ${j.judge.model}` : ''} (${j.judge.calls} calls, $${j.judge.costUsd.toFixed(4)})`,
    notes: [...failed, ...errors],
    classLines: lines,
    tail: [table, ...unlisted, `report: ${j.report}`],
  };
}
