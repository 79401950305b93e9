import { cell, escapeMarkdown } from '../reports/markdown.js';
import type { DemoData } from './build-night-traffic.js';
import type { DemoNight } from './run-demo.js';
import { formatPercent } from '../text/format-percent.js';

const pct = (x: number | null) => formatPercent(x, 1, 'n/a');

/**
 * The part of the demo report that says where the data came from and what happened night by
 * night; the last night's nightly report follows it unchanged.
 */
export function renderDemoPreface(nights: DemoNight[], data: DemoData): string {
  const rows = nights.map((n) => {
    const decisions = n.nightly.classes
      .map((c) => `${cell(c.taskType)}: **${c.decision}**${c.to ? ` → ${cell(c.to)}` : ''}`)
      .join('; ');
    return `| ${n.night} | ${n.date} | ${n.events.toLocaleString('en-US')} | ${n.cacheLookups.toLocaleString('en-US')} | ${n.nightly.judge.judged} | ${decisions} | ${n.nightly.routingTableChanged ? `v${n.nightly.routingTable.versionBefore} → v${n.nightly.routingTable.versionAfter}` : `v${n.nightly.routingTable.versionAfter}`} |`;
  });
  const escalations = nights.flatMap((n) =>
    n.nightly.classes.filter((c) => c.decision === 'escalate' && c.applied).map((c) => ({ n, c })),
  );
  const story = escalations.map(
    ({ n, c }) =>
      `- Night ${n.night} (${n.date}): **${escapeMarkdown(c.taskType)}** on ${escapeMarkdown(c.model)} failed ${c.failures} of ${c.judged} judged samples ` +
      `(${pct(c.errorRate)}, 95% interval ${pct(c.lower)}–${pct(c.upper)}); its CUSUM reached ${c.cusum?.s ?? '?'} against a threshold of ${c.cusum?.h ?? '?'}, ` +
      `so routing.yaml moved it to **${escapeMarkdown(c.to ?? '?')}**. From the next night its traffic is served by the premium model and the cheap model is shadow-judged.`,
  );
  return [
    '# driftwatch demo: five nights of recorded traffic',
    '',
    'Everything below was computed offline on the embedded database from **recorded** model outputs; nothing was simulated and no API was called:',
    '',
    `- **math**: ${data.math.length.toLocaleString('en-US')} GSM8K word problems with the answers Mixtral-8x7B and GPT-4 Turbo actually gave (RouteLLM's recordings), judged against GSM8K's gold answers by the numeric comparator.`,
    `- **chat**: ${data.chat.length} MT-bench questions with both models' recorded answers. MT-bench has no gold answers for them, so the offline judge cannot score them: they stay *unjudgeable* until an LLM judge is configured (\`--judge anthropic|openai\`), which compares each served answer with GPT-4 Turbo's recorded one (the events' \`premiumResponse\`) in both orders.`,
    `- **classify**: the ${data.intents.length.toLocaleString('en-US')} Banking77 test messages classified by \`${data.classifier.name}\`, a naive Bayes model trained in this run on the 10,003 Banking77 train messages; judged against the gold intents. The class is \`pinned\` in routing.yaml, so driftwatch reports but never moves it.`,
    '- **support cache**: a semantic cache (the offline sentence model Universal Sentence Encoder lite, `cache.embedder: local`; pgvector on PGlite) filled with 40 Banking77 train messages per intent, each mapped to one placeholder answer per intent; the test messages look it up, and a hit is false when the matched message has another intent.',
    '- **compression**: XQuAD-en (SQuAD v1.1 paragraphs and questions) compressed at 0.3–0.9 of its tokens; the answer must survive.',
    '',
    '## Night by night',
    '',
    '| night | date | requests | cache lookups | judged | decisions | routing.yaml |',
    '|---:|---|---:|---:|---:|---|---|',
    ...rows,
    '',
    ...(story.length
      ? ['## What driftwatch changed', '', ...story, '']
      : ['## What driftwatch changed', '', 'No class crossed its threshold.', '']),
    "The rest of this file is the last night's nightly report, exactly as `driftwatch nightly` writes it.",
    '',
    '---',
    '',
  ].join('\n');
}
