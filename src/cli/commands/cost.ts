import path from 'node:path';
import { computeCost, renderCostTable } from '../../cost/compute-cost.js';
import { loadWorkload } from '../../cost/workload.js';
import { InputError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { costSpec } from './cost-spec.js';

export const costCommand = defineCommand(costSpec, async (ctx, flags) => {
  if (!flags.workload) throw new InputError('cost needs --workload FILE (see examples/workload.yaml)');
  const table = computeCost(loadWorkload(path.resolve(ctx.cwd, flags.workload)));
  return { json: table, text: renderCostTable(table) };
});
