import path from 'node:path';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { renderSimulation } from '../../escalator/simulate/render-simulation.js';
import { simulatePolicy } from '../../escalator/simulate/simulate-policy.js';
import { defineCommand } from '../command.js';
import { simulateSpec } from './simulate-spec.js';

/** `driftwatch simulate`: the live policy against the naive rule on simulated traffic (markdown, --out). */
export const simulateCommand = defineCommand(simulateSpec, async (ctx, flags) => {
  const { volumes, seed, quick, interval: intervalMs, effort } = flags;
  const judge = { fp: flags.judgeFp, fn: flags.judgeFn };
  const result = simulatePolicy({ volumes, seed, quick, intervalMs, judge, effort });
  const markdown = renderSimulation(result);
  let out: string | undefined;
  if (flags.out) {
    out = path.resolve(ctx.cwd, flags.out);
    writeFileAtomic(out, markdown);
  }
  return { json: { ...result, ...(out ? { out } : {}) }, text: markdown + (out ? `\nwritten to ${out}\n` : '') };
});
