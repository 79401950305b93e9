import path from 'node:path';
import { InputError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/write-file-atomic.js';
import { renderSimulation } from '../../escalator/simulate/render-simulation.js';
import { simulatePolicy } from '../../escalator/simulate/simulate-policy.js';
import { defineCommand } from '../command.js';

const DEFAULT_VOLUMES = [25, 100, 500, 2500];

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'backtest the live escalation policy (nightly and daemon) against the naive 3% rule on simulated traffic',
  usage:
    'driftwatch simulate [--quick] [--seed N] [--volumes 25,100,500,2500] [--interval MIN] [--judge-fp X --judge-fn X] [--effort N] [--out FILE] [--json]',
  options: {
    quick: { type: 'boolean' },
    seed: { type: 'string' },
    volumes: { type: 'string' },
    out: { type: 'string' },
    interval: { type: 'string' },
    'judge-fp': { type: 'string' },
    'judge-fn': { type: 'string' },
    effort: { type: 'string' },
  },
  noDb: true,
  async run(ctx, values) {
    const seed = parseSeed(values.seed as string | undefined);
    const volumes = parseVolumes(values.volumes as string | undefined);
    const intervalMs = parseInterval(values.interval as string | undefined);
    const judge = {
      fp: parseRate('--judge-fp', values['judge-fp'] as string | undefined),
      fn: parseRate('--judge-fn', values['judge-fn'] as string | undefined),
    };
    const effort = parseEffort(values.effort as string | undefined);
    const result = simulatePolicy({ volumes, seed, quick: Boolean(values.quick), intervalMs, judge, effort });
    const markdown = renderSimulation(result);
    let out: string | undefined;
    if (values.out) {
      out = path.resolve(ctx.cwd, values.out as string);
      writeFileAtomic(out, markdown);
    }
    return { json: { ...result, ...(out ? { out } : {}) }, text: markdown + (out ? `\nwritten to ${out}\n` : '') };
  },
});

function parseSeed(raw: string | undefined): number {
  if (raw === undefined) return 20250601;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InputError(`--seed: expected an integer in [0, 4294967295], got "${raw}"`);
  return n;
}

function parseInterval(raw: string | undefined): number {
  if (raw === undefined) return 300_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1440 || 1440 % n !== 0)
    throw new InputError(
      `--interval: expected the daemon interval in minutes, a divisor of 1440 (1, 5, 15, 60, ...), got "${raw}"`,
    );
  return n * 60_000;
}

function parseEffort(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new InputError(`--effort: expected a work multiplier in (0, 100], got "${raw}"`);
  return n;
}

function parseRate(flag: string, raw: string | undefined): number {
  if (raw === undefined) return 0;
  const x = Number(raw);
  if (!Number.isFinite(x) || x < 0 || x >= 0.5)
    throw new InputError(`${flag}: expected a rate in [0, 0.5), got "${raw}"`);
  return x;
}

function parseVolumes(raw: string | undefined): number[] {
  if (raw === undefined) return DEFAULT_VOLUMES;
  const list = raw.split(',').map((x) => Number(x.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) {
    throw new InputError(
      `--volumes: expected a comma-separated list of judged samples per day (integers 1..100000), got "${raw}"`,
    );
  }
  return list;
}
