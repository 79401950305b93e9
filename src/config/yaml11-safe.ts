import { isPair, isScalar, Scalar, visit, type Document } from 'yaml';

// Words YAML 1.1 resolves to booleans or null (yaml.org/type/bool, /null), compared case-insensitively.
const YAML11_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~', '']);
// A plain scalar every YAML reader (1.1 and 1.2) takes as the same string: starts with a letter or
// `_`, then letters, digits and `_ - . /`. Numbers, `<<` (1.1's merge key), `=`, timestamps,
// sexagesimals and indicators all fail this and get quoted.
const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9_\-./]*$/;

/** True when `s` written as a plain (unquoted) YAML scalar could be read as something other than this string. */
export function needsYamlQuotes(s: string): boolean {
  return !PLAIN_SAFE.test(s) || YAML11_WORDS.has(s.toLowerCase());
}

/** A string as a YAML scalar that YAML 1.1 and 1.2 readers both read back as the same string. */
export function renderYamlString(s: string): string {
  return needsYamlQuotes(s) ? JSON.stringify(s) : s;
}

/**
 * Marks every plain string key of `doc` that a YAML 1.1 reader would misread (`yes`, `on`, `<<`,
 * `~`, `1e3`...) for double quotes, so the rendered Document keeps its keys strings everywhere.
 */
export function quoteAmbiguousKeys(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair)) return;
      // Keys added through doc.set/setIn are bare strings, not nodes: wrap them to carry the quoting.
      if (typeof pair.key === 'string' && needsYamlQuotes(pair.key)) pair.key = new Scalar(pair.key);
      const key = pair.key;
      if (
        isScalar(key) &&
        typeof key.value === 'string' &&
        needsYamlQuotes(key.value) &&
        key.type !== 'QUOTE_DOUBLE' &&
        key.type !== 'QUOTE_SINGLE'
      )
        key.type = 'QUOTE_DOUBLE';
    },
  });
}

/** Source ranges of the plain keys of `doc` that need quotes, with their quoted text (for splicing). */
export function ambiguousKeySplices(doc: Document): { start: number; end: number; insert: string }[] {
  const out: { start: number; end: number; insert: string }[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (
        isScalar(key) &&
        typeof key.value === 'string' &&
        key.type === 'PLAIN' &&
        key.range &&
        needsYamlQuotes(key.value)
      ) {
        out.push({ start: key.range[0], end: key.range[1], insert: JSON.stringify(key.value) });
      }
    },
  });
  return out;
}
