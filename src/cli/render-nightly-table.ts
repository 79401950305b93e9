import { alignTable, type Paint } from './terminal.js';
import { plainText } from '../reports/markdown.js';
import type { NightlyJson } from '../nightly/build-nightly-json.js';
import { nightlyTextParts } from '../nightly/render-nightly-text.js';
import { formatPercent } from '../text/format-percent.js';

/**
 * The nightly outcome for a terminal: the per-class decisions as an aligned table (class, model,
 * tier, judged, failures, rate, 95% interval, decision, reason), then the same closing lines as the
 * plain text. Decisions that move a class are coloured when colour is on.
 */
export function renderNightlyTable(j: NightlyJson, paint: Paint): string {
  const pct = (x: number | null) => formatPercent(x, 2);
  const decision = (c: NightlyJson['classes'][number]) => {
    const d = `${c.decision}${c.to ? ` -> ${plainText(c.to)}` : ''}${c.applied ? ' (applied)' : ''}`;
    return c.decision === 'escalate'
      ? paint.red(d)
      : c.decision === 'deescalate'
        ? paint.green(d)
        : c.decision === 'hold'
          ? d
          : paint.yellow(d);
  };
  const rows = [
    ['class', 'model', 'tier', 'judged', 'failures', 'rate', '95% interval', 'decision', 'reason'].map((h) =>
      paint.bold(h),
    ),
    ...j.classes.map((c) => [
      plainText(c.taskType),
      plainText(c.model),
      plainText(c.tier),
      String(c.judged),
      String(c.failures),
      pct(c.errorRate),
      `[${pct(c.lower)}, ${pct(c.upper)}]`,
      decision(c),
      plainText(c.reason),
    ]),
  ];
  const p = nightlyTextParts(j);
  return [
    paint.bold(p.head),
    ...p.notes,
    '',
    ...alignTable(rows, ['l', 'l', 'l', 'r', 'r', 'r', 'l', 'l', 'l']).map((l) => `  ${l}`),
    '',
    ...p.tail,
  ].join('\n');
}
