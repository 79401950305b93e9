import type { RuleFigures, SimulationResult } from './simulate-policy.js';
import { formatPercent } from '../../text/format-percent.js';
import type { EventRate } from './event-rate.js';

const RULE_LABEL: Record<RuleFigures['rule'], string> = {
  cusum: 'design: CUSUM, exact, streaming, no boost',
  'cusum-nightly': 'design: same, acted on nightly',
  'live-nightly': '**live, nightly**',
  'live-daemon': '**live, daemon**',
  'naive-1d': 'naive: night > 3%',
};

/** The live rows' goal table (G1-G7), one row per volume and acting mode. */
function liveTable(r: SimulationResult): string[] {
  const rows = r.volumes.flatMap((v) => v.rules.filter((f) => f.live).map((f) => ({ n: v.judgedPerDay, f: f.live! })));
  if (rows.length === 0) return [];
  const head = [
    'judged/day',
    'mode',
    'requests/day (base judged, G7)',
    'judge calls/day @1.5% / @2%',
    'G1 false esc./30 d @1.5% [95%]',
    'G2 @2% [95%]',
    'G3 1%→6% mean [p90] d',
    'G4 →10% / →4% d',
    'G5 samples →6%',
    'G6 @3%: esc./90 d, first (d), wrong de-esc.',
  ];
  const rate = (e: EventRate) =>
    `${num(e.per30d, 3)} [${num(e.lower, 3)}, ${num(e.upper, 3)}] (${e.events}${e.dispersion > 1 ? `, φ ${num(e.dispersion, 2)}` : ''})`;
  const d = (f: (typeof rows)[number]['f'], to: number) => f.delays.find((x) => x.to === to)!;
  const body = rows.map(({ n, f }) => [
    String(n),
    f.mode === 'nightly' ? 'nightly' : `daemon ${f.intervalMinutes} min`,
    `${f.requestsPerDay} (${num(f.baseJudgedPerDay, 0)})`,
    `${num(f.judgeCallsPerDayAt1_5, 0)} / ${num(f.judgeCallsPerDayAt2, 0)}`,
    rate(f.falseAt1_5),
    rate(f.falseAt2),
    `${num(d(f, 0.06).mean, 2)} [${num(d(f, 0.06).p90, 2)}]`,
    `${num(d(f, 0.1).mean, 2)} / ${num(d(f, 0.04).mean, 2)}`,
    num(d(f, 0.06).samples, 0),
    `${num(f.at3.escalationsPer90d, 2)}, ${f.at3.firstEscalationDays === null ? '–' : num(f.at3.firstEscalationDays, 1)}, ${num(f.at3.wrongDeescalation90d, 2)}`,
  ]);
  const s = r.live!;
  return [
    '## Live policy (what the nightly and the daemon do)',
    '',
    [head, head.map(() => '---'), ...body].map((c) => `| ${c.join(' | ')} |`).join('\n'),
    '',
    `* Each row runs one task class through the live functions: the day's fixed sampling rate from the expected volume (floor ${s.sampler.floorPerDay}, ${s.sampler.sqrtFactor}·√V),`,
    "  the 4x boost while S >= 0.2 H (with the same-run top-up), the 5x burst for 48 h after the class's routing change (escalation or de-escalation, head start H/4),",
    "  H from the measured base judged volume rounded up to the grid and recalibrated on any rise, calibrated for the row's acting mode (boost per night or per cycle, restart and burst after a change in the budget; the daemon's budget at 2% is 100 d, not 90 d, a safety margin), minSamples, decideEscalations and the applied change, shadow judging while escalated.",
    `* Judge: fp ${num(s.judge.fp * 100, 1)}%, fn ${num(s.judge.fn * 100, 1)}%${s.judge.fp > 0 || s.judge.fn > 0 ? `; the escalator gets fp/fn estimated from a review of ${s.review.flags} flags and ${s.review.passes} passes per replicate` : ' (perfect)'}. Premium model at ${num(s.premiumRate * 100, 1)}%.`,
    '* G1/G2: escalations applied per 30 days not escalated (after an 8-day warm-up), pooled over independent deployments (8; --quick: 1); in brackets the events and, when above 1, the dispersion φ.',
    "  95% interval: quasi-Poisson, the exact Poisson interval widened by the replicates' dispersion φ (Pearson X² / (R - 1), at least 1): each false escalation is followed by a restart with head start and burst, so the events come in renewal cycles, not as a Poisson process.",
    '  G3-G5: 8 days at 1%, then the jump; days until the escalation is applied (nightly: at the end of the day it is decided). Samples: judged verdicts of the cheap model after the change.',
    '  G6: 8 days at 1.5%, then 90 days at 3%: escalations, days to the first, share of runs with a (wrong) de-escalation.',
    '',
  ];
}

/** The backtest as a markdown document (also what the terminal shows). */
export function renderSimulation(r: SimulationResult): string {
  const head = [
    'judged/day',
    'rule',
    'H',
    'false esc./30 d @1.5%',
    '@2%',
    'days to detect 1%→4% mean [p90]',
    '→6%',
    '→10%',
    'escalations/90 d @3%',
    'time escalated @3%',
  ];
  const rows = r.volumes.flatMap((v) =>
    v.rules.map((f) => [
      String(v.judgedPerDay),
      RULE_LABEL[f.rule],
      f.rule === 'naive-1d' || f.live ? '–' : String(v.H),
      num(f.falsePer30dAt1_5, 3),
      num(f.falsePer30dAt2, 3),
      ...f.delays.map((d) => `${num(d.mean, 2)} [${num(d.p90, 1)}]`),
      num(f.escalationsPer90dAt3, 1),
      formatPercent(f.shareEscalatedAt3, 0, '–'),
    ]),
  );
  const table = [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return [
    `# Escalation policy backtest (seed ${r.seed}, ${r.mode})`,
    '',
    ...liveTable(r),
    '## All rules side by side',
    '',
    table,
    '',
    `* CUSUM: +m per failure, -1 per pass (m = ${r.volumes[0]?.m ?? 32}), H = smallest threshold with ARL >= 365 d at 1.5% and >= 90 d at 2%.`,
    '  False escalations and delays are exact (Markov chain; delays start from the quasi-stationary state at 1%).',
    '  Escalations at 3%: the full cycle (escalate, shadow-judge, de-escalate on the 99% Wilson bound after >= 7 d and >= 100 verdicts, restart at H/4),',
    `  renewal Monte Carlo with ${r.replicates.flapping} replicates.`,
    `* Naive rule: escalated on a night iff that night's failures / n > 3%; seeded Monte Carlo (${r.replicates.falseAlarms} replicates x 360 nights for false escalations,`,
    `  ${r.replicates.delays} for delays, ${r.replicates.flapping} x 90 nights at 3%). Its delays count nights (>= 1).`,
    '* "Acted on nightly": the CUSUM alarm takes effect at the end of the day it occurs (a nightly-only schedule).',
    "* The design rows are the notes' reference (exact, no boost, no burst, no volume estimate); the live rows are Monte Carlo of what runs.",
    '',
  ].join('\n');
}

function num(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '∞';
}
