import { readFileSync } from 'node:fs';
import { isMap, isScalar, type Document } from 'yaml';
import { z } from 'zod';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { RoutingTableError } from '../errors.js';
import { parseTableYaml } from './parse-table-yaml.js';
import { parseLitellmConfig } from './litellm-config.js';
import { DRIFTWATCH_FORMAT, type RoutingFormat } from '../config/routing-format.js';

/** Tier names in routing order, cheapest first (the contract's tiers). */
export const TIER_ORDER = ['trivial', 'standard', 'complex', 'critical'] as const;
export type Tier = (typeof TIER_ORDER)[number];

const taskClassSchema = z.strictObject({
  tier: z.string(),
  pinned: z.boolean().optional(),
  /** Overrides the tier's model for this class. */
  model: z.string().optional(),
  /** Written by driftwatch when it moves a class: the tier it came from and why. */
  escalatedFrom: z.string().optional(),
  escalatedAt: z.string().optional(),
  reason: z.string().optional(),
});

/**
 * routing.yaml as strictly as driftwatch.yaml: unknown keys are errors (a typo such as `pined`
 * must not leave a class unpinned), at least one tier, and every tier a class names must be a
 * tier the file lists (own keys only: `tier: toString` is not a tier).
 */
export const routingTableSchema = z
  .strictObject({
    version: z.number().int().positive(),
    tiers: z.record(z.string(), z.string().min(1)).refine((t) => Object.keys(t).length > 0, {
      message: 'at least one tier is required (cheapest first, e.g. trivial: gpt-4o-mini)',
    }),
    taskClasses: z.record(z.string(), taskClassSchema).default({}),
    default: z.strictObject({ tier: z.string() }).optional(),
  })
  .superRefine((t, ctx) => {
    const known = `(tiers: ${Object.keys(t.tiers).join(', ')})`;
    for (const [name, c] of Object.entries(t.taskClasses)) {
      if (!Object.hasOwn(t.tiers, c.tier)) {
        ctx.addIssue({
          code: 'custom',
          path: ['taskClasses', name, 'tier'],
          message: `unknown tier "${c.tier}" ${known}`,
        });
      }
      if (c.escalatedFrom !== undefined && !Object.hasOwn(t.tiers, c.escalatedFrom)) {
        ctx.addIssue({
          code: 'custom',
          path: ['taskClasses', name, 'escalatedFrom'],
          message: `unknown tier "${c.escalatedFrom}" ${known}`,
        });
      }
    }
    if (t.default && !Object.hasOwn(t.tiers, t.default.tier)) {
      ctx.addIssue({ code: 'custom', path: ['default', 'tier'], message: `unknown tier "${t.default.tier}" ${known}` });
    }
  });

export type RoutingTable = z.infer<typeof routingTableSchema>;
export type TaskClassEntry = z.infer<typeof taskClassSchema>;

/**
 * Parses routing.yaml text (or, with a litellm `format`, a LiteLLM proxy config.yaml read through
 * driftwatch.yaml's tier ladder); `file` names it in errors. Returns the table and its YAML Document.
 */
export function parseRoutingTable(
  text: string,
  file: string,
  format: RoutingFormat = DRIFTWATCH_FORMAT,
): { table: RoutingTable; doc: Document } {
  if (format.format === 'litellm') {
    const { table, doc } = parseLitellmConfig(text, file, format);
    return { table, doc };
  }
  const { doc, value } = parseTableYaml(text, file);
  const parsed = routingTableSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      // Name the first unknown key itself, at its own line, with what is allowed there.
      const key = issue.keys[0];
      const at = [...(issue.path as (string | number)[]), key];
      const line = keyLineOf(doc, at, text) ?? lineOf(doc, at, text);
      throw new RoutingTableError(
        `${file}${line ? `:${line}` : ''}: ${at.join('.')}: unknown key "${key}" (allowed: ${allowedKeys(issue.path.length).join(', ')})`,
      );
    }
    const line = lineOf(doc, issue.path as (string | number)[], text);
    throw new RoutingTableError(`${file}${line ? `:${line}` : ''}: ${formatZodIssue(issue)}`);
  }
  return { table: parsed.data, doc };
}

/** Reads and validates a routing table file. */
export function loadRoutingTable(
  file: string,
  format: RoutingFormat = DRIFTWATCH_FORMAT,
): { table: RoutingTable; doc: Document; text: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RoutingTableError(
      `cannot read routing table ${file}: ${(cause as Error).message}. Run driftwatch init to create one.`,
      { cause },
    );
  }
  return { ...parseRoutingTable(text, file, format), text };
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

/** The table's entry for a task class, or undefined when it does not list it (own keys only: never `toString`). */
export function classEntry(table: RoutingTable, taskType: string): TaskClassEntry | undefined {
  return Object.hasOwn(table.taskClasses, taskType) ? table.taskClasses[taskType] : undefined;
}

/** The model a task class is routed to: its own override, its tier's model, or the default tier's. */
export function modelFor(
  table: RoutingTable,
  taskType: string,
  fallbackTier?: string,
): { model: string; tier: string } {
  const entry = classEntry(table, taskType);
  const wanted = entry?.tier ?? fallbackTier ?? table.default?.tier ?? 'standard';
  const tier = Object.hasOwn(table.tiers, wanted) ? wanted : (table.default?.tier ?? tierOrder(table)[0]);
  const model = entry?.model ?? table.tiers[tier];
  return { model, tier };
}

function allowedKeys(depth: number): string[] {
  // depth 1 is `default:` (tiers and taskClasses are records: their unknown keys are names, not typos)
  return Object.keys(depth === 0 ? routingTableSchema.shape : depth === 1 ? { tier: 0 } : taskClassSchema.shape);
}

function keyLineOf(doc: Document, path: (string | number)[], text: string): number | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1));
  const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
  return range ? text.slice(0, range[0]).split('\n').length : undefined;
}

function lineOf(doc: Document, path: (string | number)[], text: string): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}
