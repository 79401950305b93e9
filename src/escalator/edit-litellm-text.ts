import { isDeepStrictEqual } from 'node:util';
import { isScalar, parseDocument, Scalar } from 'yaml';
import { renderYamlString } from '../config/yaml11-safe.js';
import { RoutingTableError } from '../errors.js';
import { parseLitellmConfig } from '../routing/litellm-config.js';
import type { RoutingFormat } from '../routing/routing-format.js';
import type { RoutingChange } from './edit-routing-text.js';

/**
 * Edits a LiteLLM proxy config.yaml: for each change, `litellm_params.model` of every model_list
 * entry whose `model_name` is the class becomes the target tier's model. Only those scalars are
 * replaced, at their source ranges, so every other byte (comments, other entries, LiteLLM's own
 * keys, quoting) stays as it was; the result must equal the same edit made on the yaml Document,
 * else the Document's rendering is used (comments and order kept). Nothing else is written into
 * the file: why and when a class moved is in driftwatch's audit log and routing_versions.
 */
export function editLitellmText(text: string, changes: RoutingChange[], format: Extract<RoutingFormat, { format: 'litellm' }>, file = 'config.yaml'): { text: string; method: 'splice' | 'document' } {
  const { table, entries } = parseLitellmConfig(text, file, format);
  const planned = parseDocument(text);
  const splices: { start: number; end: number; insert: string }[] = [];
  let spliceable = true;
  for (const c of changes) {
    if (!Object.hasOwn(table.taskClasses, c.taskType)) {
      throw new RoutingTableError(`${file}: task class "${c.taskType}" has no model_list entry on a tier model: driftwatch moves only listed model groups and never adds an entry`);
    }
    const model = format.tiers[c.to];
    if (model === undefined) throw new RoutingTableError(`${file}: tier "${c.to}" is not in routingTable.tiers of driftwatch.yaml`);
    for (const e of entries.filter((x) => x.modelName === c.taskType)) {
      const at = ['model_list', e.index, 'litellm_params', 'model'];
      const node = planned.getIn(at, true);
      planned.setIn(at, model);
      if (!isScalar(node) || !node.range) {
        spliceable = false;
        continue;
      }
      const quoted = node.type === Scalar.QUOTE_DOUBLE ? JSON.stringify(model) : node.type === Scalar.QUOTE_SINGLE ? `'${model.replace(/'/g, "''")}'` : renderYamlString(model);
      splices.push({ start: node.range[0], end: node.range[1], insert: quoted });
    }
  }
  if (spliceable) {
    let out = text;
    for (const s of splices.sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.insert + out.slice(s.end);
    const check = parseDocument(out);
    if (check.errors.length === 0 && isDeepStrictEqual(check.toJS(), planned.toJS())) return { text: out, method: 'splice' };
  }
  return { text: planned.toString(), method: 'document' };
}
