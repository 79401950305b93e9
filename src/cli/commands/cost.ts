import { computeCost, renderCostTable } from '../../cost/compute-cost.js';
import { loadWorkload } from '../../cost/workload.js';
import { InputError } from '../../errors.js';
import { defineCommand } from '../command.js';

export const costCommand = defineCommand({
  name: 'cost',
  summary: 'before/after daily cost table for a workload (routing, caching, batching)',
  usage: 'driftwatch cost --workload FILE [--json]',
  options: { workload: { type: 'string' } },
  noDb: true,
  async run(_ctx, values) {
    if (!values.workload) throw new InputError('cost needs --workload FILE (see examples/workload.yaml)');
    const table = computeCost(loadWorkload(String(values.workload)));
    return { json: table, text: renderCostTable(table) };
  },
});
