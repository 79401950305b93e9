// Issue 11 item 4 / goal G6: P(wrong de-escalation within 90 days) of a class whose cheap model sits
// at exactly 3%, with judge fp/fn estimated from a human review of 50 flags and 200 passes (true
// fn 10%), through the live estimateFromReview and deescalationCheck; beside the old plug-in
// estimate (fn = 0 when the review finds no missed error). Also P(de-escalated) at a healthy 1% / 2%.
// Run: npx tsx bench/deescalation-g6.ts [reps=1000]
import { simulateWrongDeescalation } from '../src/escalator/deescalation-g6.js';

const reps = Number(process.argv[2] ?? 1000);
console.log(
  '| shadow/day | judge fp | review | estimator | P(wrong de-esc. at 3%, 90 d) | mean fn-hat | share fn-hat = 0 | P(de-esc. at 1%) | P(de-esc. at 2%) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const perDay of [100, 500])
  for (const fp of [0.01, 0.02])
    for (const zeroMissed of [true, false])
      for (const estimator of ['plug-in', 'live'] as const) {
        const base = { fp, fn: 0.1, perDay, estimator, zeroMissed };
        const bad = simulateWrongDeescalation({ ...base, reps, trueRate: 0.03 });
        const ok1 = simulateWrongDeescalation({ ...base, reps: Math.ceil(reps / 3), trueRate: 0.01 });
        const ok2 = simulateWrongDeescalation({ ...base, reps: Math.ceil(reps / 3), trueRate: 0.02 });
        console.log(
          `| ${perDay} | ${fp * 100}% | ${zeroMissed ? '0 missed of 200' : 'as drawn'} | ${estimator} | ${bad.deescalated.toFixed(3)} | ${(bad.meanFn * 100).toFixed(1)}% | ${bad.fnZero.toFixed(2)} | ${ok1.deescalated.toFixed(2)} | ${ok2.deescalated.toFixed(2)} |`,
        );
      }
