import { isDeepStrictEqual } from 'node:util';
import { isScalar, parseDocument, Scalar } from 'yaml';
import { renderYamlString } from '../config/yaml11-safe.js';
import { RoutingTableError } from '../errors.js';
import { parseLitellmConfig } from '../routing/litellm-config.js';
import type { RoutingFormat } from '../config/routing-format.js';
import type { RoutingChange } from './edit-routing-text.js';

/** litellm_params that belong to one provider's endpoint: left beside another provider's model they would send its key there. */
const PROVIDER_BOUND =
  /^(api_key|api_base|base_url|api_version|organization|litellm_credential_name|aws_.+|vertex_.+|azure_.+|region_name)$/;
/** The provider of a LiteLLM model string (`anthropic/claude-...`); a bare name is LiteLLM's default, OpenAI. */
const providerOf = (model: string) => (model.includes('/') ? model.slice(0, model.indexOf('/')) : 'openai');

/**
 * Edits a LiteLLM proxy config.yaml: for each change, `litellm_params.model` of every model_list
 * entry whose `model_name` is the class becomes the target tier's model. Only those scalars are
 * replaced, at their source ranges, so every other byte (comments, other entries, LiteLLM's own
 * keys, quoting) stays as it was; the result must equal the same edit made on the yaml Document,
 * else the Document's rendering is used (comments and order kept). Nothing else is written into
 * the file: why and when a class moved is in driftwatch's audit log and routing_versions.
 * An entry with provider-bound params (api_key, api_base, ...) is not moved to another provider's
 * model: the result would send one provider's key or URL to the other (RoutingTableError).
 */
export function editLitellmText(
  text: string,
  changes: RoutingChange[],
  format: Extract<RoutingFormat, { format: 'litellm' }>,
  file = 'config.yaml',
): { text: string; method: 'splice' | 'document' } {
  const { table, entries } = parseLitellmConfig(text, file, format);
  const planned = parseDocument(text);
  const splices: { start: number; end: number; insert: string }[] = [];
  let spliceable = true;
  for (const c of changes) {
    if (!Object.hasOwn(table.taskClasses, c.taskType)) {
      throw new RoutingTableError(
        `${file}: task class "${c.taskType}" has no model_list entry on a tier model: driftwatch moves only listed model groups and never adds an entry`,
      );
    }
    const model = format.tiers[c.to];
    if (model === undefined)
      throw new RoutingTableError(`${file}: tier "${c.to}" is not in routingTable.tiers of driftwatch.yaml`);
    for (const e of entries.filter((x) => x.modelName === c.taskType)) {
      const at = ['model_list', e.index, 'litellm_params', 'model'];
      const node = planned.getIn(at, true);
      if (providerOf(model) !== providerOf(e.model)) {
        const params = planned.getIn(['model_list', e.index, 'litellm_params']) as
          | { toJSON?: () => Record<string, unknown> }
          | undefined;
        const bound = Object.keys(params?.toJSON?.() ?? {}).filter((k) => PROVIDER_BOUND.test(k));
        if (bound.length > 0) {
          const range = (node as { range?: [number, number, number] } | undefined)?.range;
          const line = range ? text.slice(0, range[0]).split('\n').length : undefined;
          throw new RoutingTableError(
            `${file}${line ? `:${line}` : ''}: model_list.${e.index}.litellm_params: "${c.taskType}" would move from ${e.model} to ${model} (another provider) but keeps ${bound.join(', ')} of ${providerOf(e.model)}; remove ${bound.length > 1 ? 'them' : 'it'} (LiteLLM reads each provider's key from its environment, e.g. ANTHROPIC_API_KEY) or keep the tiers on one provider. Nothing was written`,
          );
        }
      }
      planned.setIn(at, model);
      if (!isScalar(node) || !node.range) {
        spliceable = false;
        continue;
      }
      const quoted =
        node.type === Scalar.QUOTE_DOUBLE
          ? JSON.stringify(model)
          : node.type === Scalar.QUOTE_SINGLE
            ? `'${model.replace(/'/g, "''")}'`
            : renderYamlString(model);
      splices.push({ start: node.range[0], end: node.range[1], insert: quoted });
    }
  }
  if (spliceable) {
    let out = text;
    for (const s of splices.sort((a, b) => b.start - a.start))
      out = out.slice(0, s.start) + s.insert + out.slice(s.end);
    const check = parseDocument(out);
    if (check.errors.length === 0 && isDeepStrictEqual(check.toJS(), planned.toJS()))
      return { text: out, method: 'splice' };
  }
  return { text: planned.toString(), method: 'document' };
}
