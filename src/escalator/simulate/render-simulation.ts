import type { RuleFigures, SimulationResult } from './simulate-policy.js';

const RULE_LABEL: Record<RuleFigures['rule'], string> = {
  cusum: 'CUSUM (driftwatch)',
  'cusum-nightly': 'CUSUM, acted on nightly',
  'naive-1d': 'naive: night > 3%',
};

/** The backtest as a markdown document (also what the terminal shows). */
export function renderSimulation(r: SimulationResult): string {
  const head = ['judged/day', 'rule', 'H', 'false esc./30 d @1.5%', '@2%', 'days to detect 1%→4% mean [p90]', '→6%', '→10%', 'escalations/90 d @3%', 'time escalated @3%'];
  const rows = r.volumes.flatMap((v) =>
    v.rules.map((f) => [
      String(v.judgedPerDay),
      RULE_LABEL[f.rule],
      f.rule === 'naive-1d' ? '–' : String(v.H),
      num(f.falsePer30dAt1_5, 3),
      num(f.falsePer30dAt2, 3),
      ...f.delays.map((d) => `${num(d.mean, 2)} [${num(d.p90, 1)}]`),
      num(f.escalationsPer90dAt3, 1),
      f.shareEscalatedAt3 === null ? '–' : `${Math.round(f.shareEscalatedAt3 * 100)}%`,
    ]),
  );
  const table = [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  return [
    `# Escalation policy backtest (seed ${r.seed}, ${r.mode})`,
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
    '',
  ].join('\n');
}

function num(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '∞';
}
