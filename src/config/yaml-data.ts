import type { Document } from 'yaml';

/** Alias references a YAML file may expand (the `yaml` package's default, stated here on purpose). */
export const MAX_YAML_ALIASES = 100;

/**
 * The plain data of a parsed YAML document, or why it cannot be had: a document whose aliases
 * expand past MAX_YAML_ALIASES (a "billion laughs" bomb) would exhaust memory, and `yaml` refuses it
 * with a ReferenceError that used to escape as a stack trace (exit 1).
 */
export function yamlData(doc: Document, file: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return {
        ok: false,
        message: `${file}: YAML aliases expand too far (more than ${MAX_YAML_ALIASES} alias references, as in a "billion laughs" document): write the values out instead of nesting aliases`,
      };
    }
    throw err;
  }
}
