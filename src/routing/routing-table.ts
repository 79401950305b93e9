import { readFileSync } from 'node:fs';
import { parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { yamlData } from '../config/yaml-data.js';
import { RoutingTableError } from '../errors.js';

/** Tier names in routing order, cheapest first (the contract's tiers). */
export const TIER_ORDER = ['trivial', 'standard', 'complex', 'critical'] as const;
export type Tier = (typeof TIER_ORDER)[number];

const taskClassSchema = z
  .object({
    tier: z.string(),
    pinned: z.boolean().optional(),
    /** Overrides the tier's model for this class. */
    model: z.string().optional(),
    /** Written by driftwatch when it moves a class: the tier it came from and why. */
    escalatedFrom: z.string().optional(),
    escalatedAt: z.string().optional(),
    reason: z.string().optional(),
  })
  .passthrough();

export const routingTableSchema = z
  .object({
    version: z.number().int().positive(),
    tiers: z.record(z.string(), z.string().min(1)),
    taskClasses: z.record(z.string(), taskClassSchema).default({}),
    default: z.object({ tier: z.string() }).optional(),
  })
  .passthrough()
  .superRefine((t, ctx) => {
    for (const [name, c] of Object.entries(t.taskClasses)) {
      if (!(c.tier in t.tiers)) {
        ctx.addIssue({ code: 'custom', path: ['taskClasses', name, 'tier'], message: `unknown tier "${c.tier}" (tiers: ${Object.keys(t.tiers).join(', ')})` });
      }
    }
    if (t.default && !(t.default.tier in t.tiers)) {
      ctx.addIssue({ code: 'custom', path: ['default', 'tier'], message: `unknown tier "${t.default.tier}"` });
    }
  });

export type RoutingTable = z.infer<typeof routingTableSchema>;
export type TaskClassEntry = z.infer<typeof taskClassSchema>;

/** Parses routing.yaml text; `file` names it in errors. Returns the table and its YAML Document. */
export function parseRoutingTable(text: string, file: string): { table: RoutingTable; doc: Document } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0].line;
    throw new RoutingTableError(`${file}${line ? `:${line}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const data = yamlData(doc, file);
  if (!data.ok) throw new RoutingTableError(data.message);
  const parsed = routingTableSchema.safeParse(data.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const line = lineOf(doc, issue.path as (string | number)[], text);
    throw new RoutingTableError(`${file}${line ? `:${line}` : ''}: ${formatZodIssue(issue)}`);
  }
  return { table: parsed.data, doc };
}

/** Reads and validates a routing table file. */
export function loadRoutingTable(file: string): { table: RoutingTable; doc: Document; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RoutingTableError(`cannot read routing table ${file}: ${(cause as Error).message}. Run driftwatch init to create one.`, { cause });
  }
  return { ...parseRoutingTable(text, file), text };
}

/** The tier one step above `tier` in the table's tier order, or null at the top. */
export function nextTier(table: RoutingTable, tier: string): string | null {
  const order = tierOrder(table);
  const i = order.indexOf(tier);
  return i >= 0 && i + 1 < order.length ? order[i + 1] : null;
}

/** The tier one step below `tier`, or null at the bottom. */
export function previousTier(table: RoutingTable, tier: string): string | null {
  const order = tierOrder(table);
  const i = order.indexOf(tier);
  return i > 0 ? order[i - 1] : null;
}

/** Tiers as listed in the file (the contract says cheapest first). */
export function tierOrder(table: RoutingTable): string[] {
  return Object.keys(table.tiers);
}

/** The model a task class is routed to: its own override, its tier's model, or the default tier's. */
export function modelFor(table: RoutingTable, taskType: string, fallbackTier?: string): { model: string; tier: string } {
  const entry = table.taskClasses[taskType];
  const tier = entry?.tier ?? fallbackTier ?? table.default?.tier ?? 'standard';
  const model = entry?.model ?? table.tiers[tier] ?? Object.values(table.tiers)[0];
  return { model, tier };
}

function lineOf(doc: Document, path: (string | number)[], text: string): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}
