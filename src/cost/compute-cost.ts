import { cell } from '../reports/markdown.js';
import { priceCatalog, priceFor, type PriceCatalog } from '../routing/price-catalog.js';
import type { Workload, WorkloadSide, WorkloadTask } from './workload.js';
import { formatPercent } from '../text/format-percent.js';

/** One task's daily cost with the arithmetic that produced it. */
export interface CostRow {
  task: string;
  model: string;
  requestsPerDay: number;
  cacheHitRate: number;
  /** Requests that reach the model: requestsPerDay * (1 - cacheHitRate). */
  effectiveRequests: number;
  inputTokens: number;
  outputTokens: number;
  pricePer1MInput: number;
  pricePer1MOutput: number;
  /** Fraction taken off the model price (0.5 with batch). */
  discount: number;
  modelUsd: number;
  embeddingUsd: number;
  totalUsd: number;
}

export interface CostTable {
  before: { totalUsd: number; rows: CostRow[] };
  after: { totalUsd: number; rows: CostRow[] };
  savingUsd: number;
  savingPct: number;
}

/** Before/after daily cost of a workload (pure). Totals are rounded to cents. */
export function computeCost(workload: Workload, catalog: PriceCatalog = priceCatalog): CostTable {
  const before = workload.tasks.map((t) => costRow(t, t.before, catalog));
  const after = workload.tasks.map((t) => costRow(t, t.after, catalog));
  const b = sum(before);
  const a = sum(after);
  return {
    before: { totalUsd: round2(b), rows: before },
    after: { totalUsd: round2(a), rows: after },
    savingUsd: round2(b - a),
    // Rounded down, so a claimed saving is never overstated (the contract example: 98.96% -> 98.9).
    savingPct: b > 0 ? Math.floor(((b - a) / b) * 1000) / 10 : 0,
  };
}

function costRow(task: WorkloadTask, side: WorkloadSide, catalog: PriceCatalog): CostRow {
  const price = priceFor(side.model, catalog);
  const inputTokens = side.inputTokens ?? task.inputTokens;
  const effectiveRequests = task.requestsPerDay * (1 - side.cacheHitRate);
  const discount = side.batch ? catalog.batchDiscount : 0;
  const modelUsd =
    ((effectiveRequests * (inputTokens * price.input + task.outputTokens * price.output)) / 1e6) * (1 - discount);
  const embeddingUsd = side.embeddingModel
    ? (task.requestsPerDay * task.inputTokens * priceFor(side.embeddingModel, catalog).input) / 1e6
    : 0;
  return {
    task: task.name,
    model: side.model,
    requestsPerDay: task.requestsPerDay,
    cacheHitRate: side.cacheHitRate,
    effectiveRequests,
    inputTokens,
    outputTokens: task.outputTokens,
    pricePer1MInput: price.input,
    pricePer1MOutput: price.output,
    discount,
    modelUsd,
    embeddingUsd,
    totalUsd: modelUsd + embeddingUsd,
  };
}

const sum = (rows: CostRow[]) => rows.reduce((s, r) => s + r.totalUsd, 0);
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The cost table as markdown (also what the terminal shows). */
export function renderCostTable(t: CostTable): string {
  const usd = (x: number) => `$${x.toFixed(2)}`;
  const lines = [
    '| task | before model | before $/day | after model | hit rate | batch | effective req | after $/day |',
    '|---|---|---:|---|---:|---|---:|---:|',
  ];
  t.before.rows.forEach((b, i) => {
    const a = t.after.rows[i];
    lines.push(
      `| ${cell(b.task)} | ${cell(b.model)} | ${usd(b.totalUsd)} | ${cell(a.model)} | ${formatPercent(a.cacheHitRate, 0)} | ${a.discount > 0 ? 'yes' : 'no'} | ${Math.round(a.effectiveRequests).toLocaleString('en-US')} | ${usd(a.totalUsd)} |`,
    );
  });
  lines.push(`| **total** | | **${usd(t.before.totalUsd)}** | | | | | **${usd(t.after.totalUsd)}** |`);
  lines.push('', `Saving: ${usd(t.savingUsd)} per day (${t.savingPct}%), ${usd(t.savingUsd * 30)} per 30 days.`);
  return lines.join('\n');
}
