import { runSample } from '../../sampler/run-sample.js';
import { defineCommand } from '../command.js';
import { parseNumberFlag } from '../parse-flag.js';
import { formatPercent } from '../../text/format-percent.js';

export const sampleCommand = defineCommand({
  name: 'sample',
  summary: 'draw the stratified, deterministic sample from events not yet sampled',
  usage: 'driftwatch sample [--rate R] [--db URL] [--config FILE] [--json]',
  options: { rate: { type: 'string' } },
  async run(ctx, values) {
    const rate = parseNumberFlag('rate', values.rate, { min: 0, max: 1 });
    const { config } = ctx.config();
    const db = await ctx.db();
    const r = await runSample(
      { db, now: () => ctx.now(), log: (m) => ctx.log(m) },
      { sampler: config.sampler, cache: config.cache, rate },
    );
    const lines = r.strata.map(
      (s) =>
        `  ${s.source.padEnd(7)} ${s.reason.padEnd(9)} ${s.taskType.padEnd(24)} ${s.day}  V=${s.volume}  rate=${formatPercent(s.rate, 2)}${s.boost > 1 ? ` (x${s.boost})` : ''}  sampled=${s.sampled}`,
    );
    return {
      json: r,
      text: [
        `sampled ${r.sampled.routing} routed responses and ${r.sampled.cache} cache lookups from ${r.examined.routing + r.examined.cache} new events`,
        ...lines,
      ].join('\n'),
    };
  },
});
