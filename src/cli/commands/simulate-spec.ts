import { InputError } from '../../errors.js';
import { defineSpec } from '../command.js';
import { flag } from '../flag.js';

function parseSeed(raw: string, name: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InputError(`${name}: expected an integer in [0, 4294967295], got "${raw}"`);
  return n;
}

/** Minutes, a divisor of 1440, read as milliseconds. */
function parseInterval(raw: string, name: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 1 || n > 1440 || 1440 % n !== 0)
    throw new InputError(
      `${name}: expected the daemon interval in minutes, a divisor of 1440 (1, 5, 15, 60, ...), got "${raw}"`,
    );
  return n * 60_000;
}

function parseEffort(raw: string, name: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100)
    throw new InputError(`${name}: expected a work multiplier in (0, 100], got "${raw}"`);
  return n;
}

function parseJudgeRate(raw: string, name: string): number {
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || x < 0 || x >= 0.5)
    throw new InputError(`${name}: expected a rate in [0, 0.5), got "${raw}"`);
  return x;
}

function parseVolumes(raw: string, name: string): number[] {
  const list = raw.split(',').map((x) => Number(x.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000))
    throw new InputError(
      `${name}: expected a comma-separated list of judged samples per day (integers 1..100000), got "${raw}"`,
    );
  return list;
}

export const simulateSpec = defineSpec({
  name: 'simulate',
  summary: 'backtest the live escalation policy (nightly and daemon) against the naive 3% rule on simulated traffic',
  opensDb: false,
  flags: {
    quick: flag.boolean('fewer simulated streams: seconds instead of minutes, wider intervals'),
    seed: flag.custom('seed of the simulated traffic', { placeholder: 'N', parse: parseSeed, default: 20250601 }),
    volumes: flag.custom('judged samples per day to simulate, comma-separated', {
      placeholder: 'LIST',
      parse: parseVolumes,
      default: [25, 100, 500, 2500],
      show: (v: number[]) => v.join(','),
    }),
    interval: flag.custom('the live daemon rows: minutes between cycles, a divisor of 1440', {
      placeholder: 'MIN',
      parse: parseInterval,
      default: 300_000,
      show: (ms: number) => String(ms / 60_000),
    }),
    judgeFp: flag.custom("the judge's real false-positive rate in the live rows, in [0, 0.5)", {
      placeholder: 'X',
      parse: parseJudgeRate,
      default: 0,
    }),
    judgeFn: flag.custom("the judge's real false-negative rate in the live rows, in [0, 0.5)", {
      placeholder: 'X',
      parse: parseJudgeRate,
      default: 0,
    }),
    effort: flag.custom('work multiplier: more streams per cell, in (0, 100]', {
      placeholder: 'N',
      parse: parseEffort,
      default: 1,
    }),
    out: flag.string('also write the markdown to this file', { placeholder: 'FILE', defaultText: 'stdout only' }),
  },
});
