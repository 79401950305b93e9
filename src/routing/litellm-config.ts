import type { Document } from 'yaml';
import { z } from 'zod';
import { formatZodIssue } from '../config/format-zod-issue.js';
import { RoutingTableError } from '../errors.js';
import { parseTableYaml } from './parse-table-yaml.js';
import type { RoutingFormat } from '../config/routing-format.js';
import type { RoutingTable } from './routing-table.js';

type LitellmFormat = Extract<RoutingFormat, { format: 'litellm' }>;

/**
 * The part of a LiteLLM proxy config.yaml driftwatch reads: `model_list` entries with their
 * `model_name` (the public alias clients call, here a task class) and `litellm_params.model` (the
 * deployment's model). Both are required by LiteLLM itself; every other key is LiteLLM's and is
 * neither read nor changed.
 */
const entrySchema = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: z.looseObject({ model: z.string().min(1) }),
});
const configSchema = z.looseObject({ model_list: z.array(entrySchema) });

/** One model_list entry driftwatch routes: its index in model_list, alias and model. */
export interface LitellmEntry {
  index: number;
  modelName: string;
  model: string;
}

/**
 * Reads a LiteLLM config.yaml as a routing table: each `model_name` whose deployments all use one
 * tier model (driftwatch.yaml's `routingTable.tiers`) is a task class on that tier. Entries on
 * models that are no tier (embeddings, other groups) are not classes and stay untouched. A class
 * whose deployments are on different tiers, or on a tier model and a model that is none, is an
 * error (driftwatch could not move it as one). The file has no version: its versions are numbered
 * in the database (routing_versions), so `version` is 0 here.
 */
export function parseLitellmConfig(
  text: string,
  file: string,
  format: LitellmFormat,
): { table: RoutingTable; doc: Document; entries: LitellmEntry[] } {
  const { doc, value } = parseTableYaml(text, file);
  const parsed = configSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const line = lineOf(doc, issue.path as (string | number)[], text);
    throw new RoutingTableError(
      `${file}${line ? `:${line}` : ''}: ${formatZodIssue(issue)} (a LiteLLM proxy config: model_list: [{ model_name, litellm_params: { model } }])`,
    );
  }
  const tierOf = new Map(Object.entries(format.tiers).map(([tier, model]) => [model, tier]));
  const entries = parsed.data.model_list.map((e, index) => ({
    index,
    modelName: e.model_name,
    model: e.litellm_params.model,
  }));
  const taskClasses: RoutingTable['taskClasses'] = {};
  const groups = new Map<string, LitellmEntry[]>();
  for (const e of entries) groups.set(e.modelName, [...(groups.get(e.modelName) ?? []), e]);
  for (const [name, group] of groups) {
    const onTier = group.filter((e) => tierOf.has(e.model));
    if (onTier.length === 0) continue;
    const tiers = new Set(onTier.map((e) => tierOf.get(e.model)!));
    const odd = group.find((e) => !tierOf.has(e.model) || tierOf.get(e.model) !== tierOf.get(onTier[0].model));
    if (odd || tiers.size > 1) {
      const at = ['model_list', (odd ?? onTier[1]).index, 'litellm_params', 'model'];
      const line = lineOf(doc, at, text);
      throw new RoutingTableError(
        `${file}${line ? `:${line}` : ''}: ${at.join('.')}: the deployments of "${name}" are on ${[...new Set(group.map((e) => JSON.stringify(e.model)))].join(' and ')}; driftwatch moves a model group as one, so all its deployments must use the same tier model (tiers: ${Object.entries(
          format.tiers,
        )
          .map(([t, m]) => `${t}=${m}`)
          .join(', ')})`,
      );
    }
    taskClasses[name] = { tier: [...tiers][0], ...(format.pinned.includes(name) ? { pinned: true } : {}) };
  }
  for (const name of format.pinned) {
    if (!Object.hasOwn(taskClasses, name)) {
      throw new RoutingTableError(
        `${file}: routingTable.pinned in driftwatch.yaml names "${name}", but no model_list entry named "${name}" is on a tier model`,
      );
    }
  }
  return { table: { version: 0, tiers: { ...format.tiers }, taskClasses }, doc, entries };
}

function lineOf(doc: Document, path: (string | number)[], text: string): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}
