import { formatPercent } from '../text/format-percent.js';
import { cell, code, escapeMarkdown, interval, table, usd } from './markdown.js';
import {
  renderCacheSection,
  renderFailedSamples,
  renderJudgeSection,
  renderRoutingSection,
} from './render-sections.js';
import { renderSavingsLedger } from './render-savings-ledger.js';
import { renderTrend } from './render-trend.js';
import type { ClassReport, ReportSummary } from './report-summary.js';
import type { ChartImage } from './charts/render-report-charts.js';

/** What a report shows beyond its summary: the SVG charts written beside it (none: markdown only). */
export interface RenderReportOptions {
  images?: ChartImage[];
}

/**
 * Renders a run's markdown report: summary and one-line verdict, per-class table with each
 * decision's evidence, 14-run trend (chart and sparklines), cache false hits, judge spend,
 * routing-table diff, failed examples (redacted), and optional sections. Each chart image goes
 * first in its section, with its alt text. Pure.
 */
export function renderReport(s: ReportSummary, options: RenderReportOptions = {}): string {
  const classNames = s.classes.map((c) => c.taskType);
  const sections: [string, string][] = [
    ['Classes', renderClassTable(s.classes, s.maxErrorRate)],
    ['Trend', renderTrend(s.trend, classNames, s.maxErrorRate)],
    ['Semantic cache', renderCacheSection(s.cache)],
    ['Judge', renderJudgeSection(s.judge)],
    ...(s.ledger ? [['Savings ledger', renderSavingsLedger(s.ledger)] as [string, string]] : []),
    ['Routing table', renderRoutingSection(s.routing)],
    ['Failed samples', renderFailedSamples(s.classes)],
  ];
  for (const extra of [s.compression, s.simulation, ...(s.extraSections ?? [])]) {
    if (extra) sections.push([extra.title, extra.markdown.trim()]);
  }
  const images = options.images ?? [];
  for (const section of sections) {
    const mine = images.filter((i) => i.section === section[0]);
    if (mine.length) section[1] = [...mine.map((i) => `![${escapeAlt(i.alt)}](${i.file})`), '', section[1]].join('\n');
  }
  const head = [
    `# driftwatch ${s.kind} report, ${s.date}`,
    '',
    renderSummaryParagraph(s),
    '',
    `**Verdict:** ${renderVerdict(s)}`,
  ];
  return `${[...head, ...sections.flatMap(([title, body]) => ['', `## ${title}`, '', body])].join('\n')}\n`;
}

/** What ran, in one paragraph. */
export function renderSummaryParagraph(s: ReportSummary): string {
  const sampled = s.classes.reduce((a, c) => a + c.sampled, 0);
  const judged = s.classes.reduce((a, c) => a + c.judged, 0);
  const when = s.startedAt
    ? ` started ${escapeMarkdown(s.startedAt)}${s.finishedAt ? `, finished ${escapeMarkdown(s.finishedAt)}` : ''}`
    : '';
  const db = s.database ? ` on ${escapeMarkdown(s.database)}` : '';
  const cache = s.cache ? ` and ${s.cache.sampledHits} cache hit(s)` : '';
  return (
    `Run ${code(s.runId)} (${s.kind})${when}${db}: sampled ${sampled} routed response(s)${cache} across ${s.classes.length} task class(es), ` +
    `counted ${judged} verdict(s) with the ${escapeMarkdown(s.judge.provider)} judge (${s.judge.calls} call(s), ${usd(s.judge.costUsd)}), ` +
    `and tested each class against a ${formatPercent(s.maxErrorRate, 2)} error-rate threshold.`
  );
}

/** The run's outcome in one line. */
export function renderVerdict(s: ReportSummary): string {
  const by = (d: ClassReport['decision']) => s.classes.filter((c) => c.decision === d);
  const moves = [...by('escalate'), ...by('deescalate')];
  const parts: string[] = [];
  if (moves.length) {
    const applied = s.routing?.changed ? 'applied' : 'pending, not applied';
    parts.push(
      `${moves.map((c) => `${c.decision} ${escapeMarkdown(c.taskType)} (${escapeMarkdown(c.tier)} → ${escapeMarkdown(c.to ?? '?')})`).join('; ')} [${applied}]`,
    );
  } else {
    parts.push('no routing change');
  }
  parts.push(`${by('hold').length} held`);
  if (by('insufficient').length) parts.push(`${by('insufficient').length} with too few samples`);
  if (s.cache && s.cache.target !== undefined && s.cache.perClass && s.cache.perClass.length > 0) {
    // certification is per class; a pooled figure never is
    const ok = s.cache.perClass.filter((c) => c.currentCertified).length;
    parts.push(
      `cache false hits certified < ${formatPercent(s.cache.target, 2)} at the current threshold in ${ok} of ${s.cache.perClass.length} class(es)`,
    );
  }
  if (s.judge.stoppedByBudget) parts.push('judge stopped at its budget');
  return `${parts.join(', ')}.`;
}

/** The per-class table: rates with intervals, CUSUM state and the decision with its evidence. */
export function renderClassTable(classes: ClassReport[], maxErrorRate: number): string {
  if (classes.length === 0) return '_No task class had samples in this run._';
  const rows = classes.map((c) => {
    const none = c.judged === 0 || c.errorRate === null;
    return [
      cell(c.taskType),
      cell(c.model),
      `${cell(c.tier)}${c.pinned ? ' (pinned)' : ''}`,
      String(c.sampled),
      c.scope === 'run' ? 'this run' : 'monitored period',
      String(c.judged),
      c.nEff === undefined || none ? '—' : String(Math.round(c.nEff)),
      String(c.failures),
      none
        ? 'no data'
        : `${formatPercent(c.errorRate, 2)} vs ${formatPercent(c.judgeScaleThreshold ?? maxErrorRate, 2)}`,
      none ? 'no data' : interval(c.lower, c.upper, 2),
      none || c.correctedRate === undefined || c.correctedRate === null
        ? '—'
        : `${formatPercent(c.correctedRate, 2)} ${c.correctedLower !== undefined && c.correctedUpper !== undefined ? interval(c.correctedLower, c.correctedUpper, 2) : ''} vs ${formatPercent(maxErrorRate, 2)}`.replace(
            '  ',
            ' ',
          ),
      c.cusum ? `${round1(c.cusum.s)} / ${round1(c.cusum.h)}` : '—',
      renderDecision(c),
      cell(c.reason),
    ];
  });
  const header = [
    'class',
    'model',
    'tier',
    'sampled (this run)',
    'counts over',
    'n',
    'n_eff',
    'failures',
    'raw rate vs threshold (judge scale)',
    'raw 95% interval',
    'corrected 95% interval vs threshold (true scale)',
    'CUSUM S / H',
    'decision',
    'evidence',
  ];
  const m = classes.find((c) => c.cusum?.m !== undefined)?.cusum?.m;
  const note =
    `"sampled" counts this run's draws; n, failures and the rates count the escalator's monitored period (cumulative since the class's ` +
    `monitoring last started or changed) where it decided, else this run's verdicts ("counts over"). Rates are design-weighted ` +
    `(1/inclusion probability; n_eff is the effective sample size of the interval). The raw rate is on the judge's flag scale and is ` +
    `compared with the threshold mapped onto that scale (q(p) = fp + (1 − fp − fn) p); the corrected rate is on the true scale, its interval ` +
    `widened by the judge's fp/fn uncertainty. The CUSUM adds ${m ?? 'm'} per failure, subtracts 1 per pass and escalates at S ≥ H, so it ` +
    `climbs only while the rate is above the ${formatPercent(maxErrorRate, 2)} threshold.`;
  const parts = [table(header, rows, ['l', 'l', 'l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l']), '', note];
  const others = classes.flatMap((c) =>
    (c.otherModels ?? []).map((o) => [
      cell(c.taskType),
      cell(c.model),
      cell(o.model),
      String(o.n),
      String(o.failures),
      o.rate === null ? 'no data' : formatPercent(o.rate, 2),
      interval(o.lower, o.upper, 2),
    ]),
  );
  if (others.length > 0) {
    parts.push(
      '',
      `**Warning: requests served by a model other than the routed one.** These verdicts of this run come from requests the ` +
        `application served with another model than routing.yaml gives the class (for example the cheap model still serving after an ` +
        `escalation, not marked \`metadata.shadow\`). They are counted in the class's row above; check the application's routing.`,
      '',
      table(['class', 'routed model', 'served by', 'n', 'failures', 'rate', '95% interval'], others, [
        'l',
        'l',
        'l',
        'r',
        'r',
        'r',
        'r',
      ]),
    );
  }
  return parts.join('\n');
}

function renderDecision(c: ClassReport): string {
  const target = c.to ? ` → ${cell(c.to)}` : '';
  const applied =
    c.decision === 'escalate' || c.decision === 'deescalate' ? (c.applied ? ' (applied)' : ' (pending)') : '';
  return `**${c.decision}**${target}${applied}`;
}

/** Alt text is plain: brackets and line breaks would end or break the image syntax. */
function escapeAlt(alt: string): string {
  return escapeMarkdown(alt.replace(/[\r\n]+/g, ' ').replace(/[[\]]/g, (c) => (c === '[' ? '(' : ')')));
}

function round1(x: number): string {
  return String(Math.round(x * 10) / 10);
}
