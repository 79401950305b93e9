import { runSample } from '../../sampler/run-sample.js';
import { defineCommand } from '../command.js';
import { sampleSpec } from './sample-spec.js';

export const sampleCommand = defineCommand(sampleSpec, async (ctx, { rate }) => {
  const { config } = ctx.config();
  const db = await ctx.db();
  const r = await runSample(
    { db, now: () => ctx.now(), log: (m) => ctx.log(m) },
    { sampler: config.sampler, cache: config.cache, rate },
  );
  const lines = r.strata.map(
    (s) =>
      `  ${s.source.padEnd(7)} ${s.reason.padEnd(9)} ${s.taskType.padEnd(24)} ${s.day}  V=${s.volume}  rate=${(s.rate * 100).toFixed(2)}%${s.boost > 1 ? ` (x${s.boost})` : ''}  sampled=${s.sampled}`,
  );
  return {
    json: r,
    text: [
      `sampled ${r.sampled.routing} routed responses and ${r.sampled.cache} cache lookups from ${r.examined.routing + r.examined.cache} new events`,
      ...lines,
    ].join('\n'),
  };
});
