import { formatPercent } from '../text/format-percent.js';
import { cell, code, escapeMarkdown, fenced, interval, table, usd } from './markdown.js';
import { redactAndTruncate, redactSecrets } from './redact-secrets.js';
import type { CacheReport, ClassReport, JudgeReport, RoutingReport } from './report-summary.js';

/** Examples shown per class and characters kept per field. */
export const FAILED_SAMPLES_PER_CLASS = 3;
export const SAMPLE_TEXT_LIMIT = 500;

/**
 * The semantic-cache false-hit section: this run's judged hits as a raw sample, then the
 * certification per task class (inclusion-weighted, anytime-valid; docs/semantic-cache.md) and
 * the all-classes figure weighted by hit volume, which is an estimate and never called certified.
 */
export function renderCacheSection(cache: CacheReport | undefined): string {
  if (!cache) return '_No cache lookups were sampled in this run._';
  const lines = [
    "This run's judged hits (a raw sample: hits and near-misses are drawn at different rates, so certification is per class below):",
    '',
    table(
      ['judged hits', 'false hits', 'raw rate', '95% interval', ...(cache.target !== undefined ? ['target'] : [])],
      [
        [
          String(cache.sampledHits),
          String(cache.falseHits),
          formatPercent(cache.falseHitRate, 2),
          interval(cache.lower, cache.upper, 2),
          ...(cache.target !== undefined ? [`< ${formatPercent(cache.target, 2)}`] : []),
        ],
      ],
      ['r', 'r', 'r', 'r', 'r'],
    ),
  ];
  if (cache.nearMisses !== undefined)
    lines.push('', `Near-misses judged (lookups just under the threshold): ${cache.nearMisses}.`);
  if (cache.embedders?.length) {
    const named = cache.embedders.map(
      (e) => `${code(e.embedder)}${e.kind ? ` (${escapeMarkdown(e.kind)})` : ''}: ${e.lookups}`,
    );
    lines.push(
      '',
      `Embedder of the judged lookups (thresholds are certified per embedder; another model starts a new curve): ${named.join(', ')}.`,
    );
  }
  if (cache.perClass && cache.perClass.length > 0) {
    lines.push(
      '',
      'Per task class, over every judged cache sample so far (weighted by inclusion probability; anytime 95% bound, valid at every nightly look):',
      '',
    );
    lines.push(
      table(
        [
          'class',
          'threshold now',
          'hits served',
          'judged hits',
          'weighted false-hit rate',
          'certified threshold',
          'status',
        ],
        cache.perClass.map((c) => [
          cell(c.taskType),
          String(c.currentThreshold),
          String(c.hitVolume),
          String(c.judgedHits),
          c.weightedRate === null ? 'no data' : formatPercent(c.weightedRate, 2),
          c.certifiedThreshold === null
            ? '—'
            : `${c.certifiedThreshold} (upper ${formatPercent(c.falseHitUpper ?? 1, 2)})`,
          cell(c.currentCertified ? `certified at ${c.currentThreshold}` : c.status),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
  }
  if (cache.pooled && cache.pooled.estimate !== null && (cache.perClass?.length ?? 0) > 1) {
    const left =
      cache.pooled.unjudgedHitVolume > 0
        ? `; ${cache.pooled.unjudgedHitVolume} hits of classes with no judged hit are not in it`
        : '';
    lines.push(
      '',
      `All classes, weighted by hit volume: ${formatPercent(cache.pooled.estimate, 2)} of served hits estimated false (an estimate, not certified${left}).`,
    );
  }
  if (cache.recommendation) {
    const r = cache.recommendation;
    const from = cache.currentThreshold !== undefined ? ` (now ${cache.currentThreshold})` : '';
    lines.push(
      '',
      `Threshold recommendation: **${r.threshold}**${from}, serving ${formatPercent(r.hitShare)} of lookups with a false-hit upper bound of ${formatPercent(r.falseHitUpper, 2)}.`,
    );
  }
  return lines.join('\n');
}

/** The judge section: provider, calls made and saved, spend against the budget. */
export function renderJudgeSection(judge: JudgeReport): string {
  const budget = judge.maxCostUsd !== undefined ? ` of a ${usd(judge.maxCostUsd)} budget` : '';
  const rows = [
    [
      'provider',
      `${cell(judge.provider)}${judge.model ? ` (${cell(judge.model)})` : ''}${judge.batch ? ', batch' : ''}`,
    ],
    ['calls', String(judge.calls)],
    ['calls saved', String(judge.callsSaved)],
    ['spend', `${usd(judge.costUsd)}${budget}`],
  ];
  if (judge.pending !== undefined) rows.push(['still pending', String(judge.pending)]);
  const failed = judge.callFailures;
  if (failed && failed.total > 0)
    rows.push([
      'failed calls',
      `${failed.total} (${Object.entries(failed.byCause)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')})`,
    ]);
  if (judge.judgeErrors)
    rows.push(['judge errors', `${judge.judgeErrors} (unreadable replies; not paid again without --retry-errors)`]);
  const out = [table(['', ''], rows)];
  if (failed && failed.total > 0)
    out.push(
      '',
      `**Partial judge outage**: ${failed.total} of ${judge.calls} call(s) failed; their samples wait for the next run.`,
    );
  if (judge.stoppedByBudget)
    out.push('', `**The judge stopped at the budget**; ${judge.pending ?? 'some'} sample(s) wait for the next run.`);
  return out.join('\n');
}

/** The routing-table change as a ```diff block, with versions and whether it was written. */
export function renderRoutingSection(routing: RoutingReport | undefined): string {
  if (!routing) return '_The routing table was not read in this run._';
  const unlisted = renderUnlisted(routing);
  if (!routing.diff.trim())
    return [`No change to ${code(routing.path)} (version ${routing.versionBefore}).`, ...unlisted].join('\n');
  const status = routing.changed
    ? `${code(routing.path)} was rewritten: version ${routing.versionBefore} → ${routing.versionAfter}.`
    : `Pending, not applied (run with \`--apply\`): ${code(routing.path)} stays at version ${routing.versionBefore}.`;
  return [status, '', fenced(routing.diff.replace(/\n$/, ''), 'diff'), ...unlisted].join('\n');
}

// Names come from events (untrusted): shown in a fenced block, never as markdown.
function renderUnlisted(routing: RoutingReport): string[] {
  if (!routing.unlisted?.length) return [];
  return [
    '',
    `**Not listed in ${code(routing.path)}**: ${routing.unlisted.length} task class(es) measured but never moved or added by driftwatch. Add each under \`taskClasses\` (a typo of a listed class shows up here):`,
    '',
    fenced(routing.unlisted.join('\n'), 'text'),
  ];
}

/** Up to three failed samples per class, each field redacted and cut to 500 characters. */
export function renderFailedSamples(classes: ClassReport[]): string {
  const parts: string[] = [];
  for (const c of classes) {
    const samples = (c.failedSamples ?? []).slice(0, FAILED_SAMPLES_PER_CLASS);
    if (samples.length === 0) continue;
    parts.push(`### ${cell(c.taskType)}`, '');
    for (const s of samples) {
      const why = s.reason ? `: ${cell(redactAndTruncate(s.reason, SAMPLE_TEXT_LIMIT))}` : '';
      parts.push(
        `- sample ${escapeMarkdown(String(s.sampleId))} (event ${escapeMarkdown(redactSecrets(s.eventId))})${why}`,
        '',
      );
      const body = [
        ...(s.prompt !== undefined ? [`prompt:    ${redactAndTruncate(s.prompt, SAMPLE_TEXT_LIMIT)}`] : []),
        `response:  ${redactAndTruncate(s.response, SAMPLE_TEXT_LIMIT)}`,
        ...(s.reference !== undefined ? [`reference: ${redactAndTruncate(s.reference, SAMPLE_TEXT_LIMIT)}`] : []),
      ].join('\n');
      parts.push(fenced(body, 'text'), '');
    }
  }
  return parts.length ? parts.join('\n').trimEnd() : '_No failed samples in this run._';
}
