import { parseDocument, type Document } from 'yaml';
import { yamlData } from '../config/yaml-data.js';
import { RoutingTableError } from '../errors.js';

/**
 * Parses a routing-table file (either format) into its yaml Document and plain data; invalid YAML and
 * alias bombs throw RoutingTableError naming the file and line.
 */
export function parseTableYaml(text: string, file: string): { doc: Document; value: unknown } {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0].line;
    throw new RoutingTableError(`${file}${line ? `:${line}` : ''}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const data = yamlData(doc, file);
  if (!data.ok) throw new RoutingTableError(data.message);
  return { doc, value: data.value };
}
