import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { ambiguousKeySplices, quoteAmbiguousKeys, renderYamlString } from '../config/yaml11-safe.js';
import { RoutingTableError } from '../errors.js';

/** One change to a task class's tier, with why. */
export interface RoutingChange {
  taskType: string;
  kind: 'escalate' | 'deescalate';
  fromTier: string;
  to: string;
  reason: string;
}

type Annotations = Record<string, string | undefined>; // undefined = remove the key

/**
 * Edits routing.yaml text: `version` set to `newVersion`, each class moved to its new tier and
 * annotated (escalatedFrom, escalatedAt, reason). The edit is planned on the yaml Document, then
 * spliced into the original text at the nodes' source ranges, so every other byte (comments,
 * spacing, quoting) stays as it was. If the splice does not reproduce the Document edit exactly,
 * the Document's own rendering is used (comments and order kept, spacing normalised). Keys a
 * YAML 1.1 reader would misread (`yes`, `on`, `<<`) are written quoted. A class the table does
 * not list is refused: driftwatch never appends entries (a typo'd class would sit beside the real one).
 */
export function editRoutingText(
  text: string,
  changes: RoutingChange[],
  newVersion: number,
  now: Date,
): { text: string; method: 'splice' | 'document' } {
  const planned = parseDocument(text);
  for (const c of changes) {
    if (!isMap(planned.getIn(['taskClasses', c.taskType], true))) {
      throw new RoutingTableError(
        `task class "${c.taskType}" is not listed under taskClasses: driftwatch moves only listed classes and never adds an entry`,
      );
    }
  }
  planned.set('version', newVersion);
  for (const c of changes) {
    for (const [k, v] of Object.entries(annotationsFor(c, now))) {
      if (v === undefined) planned.deleteIn(['taskClasses', c.taskType, k]);
      else planned.setIn(['taskClasses', c.taskType, k], v);
    }
  }
  const expected = planned.toJS();
  const spliced = trySplice(text, changes, newVersion, now);
  if (spliced !== null) {
    const check = parseDocument(spliced);
    if (check.errors.length === 0 && isDeepStrictEqual(check.toJS(), expected))
      return { text: spliced, method: 'splice' };
  }
  quoteAmbiguousKeys(planned);
  return { text: planned.toString(), method: 'document' };
}

function annotationsFor(c: RoutingChange, now: Date): Annotations {
  if (c.kind === 'escalate')
    return { tier: c.to, escalatedFrom: c.fromTier, escalatedAt: now.toISOString(), reason: c.reason };
  return {
    tier: c.to,
    escalatedFrom: undefined,
    escalatedAt: undefined,
    reason: `de-escalated from ${c.fromTier} at ${now.toISOString()}: ${c.reason}`,
  };
}

interface Splice {
  start: number;
  end: number;
  insert: string;
}

function trySplice(text: string, changes: RoutingChange[], newVersion: number, now: Date): string | null {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) return null;
  const splices: Splice[] = [];
  const version = doc.get('version', true) as Node | undefined;
  if (!isScalar(version) || !version.range) return null;
  splices.push(
    { start: version.range[0], end: version.range[1], insert: String(newVersion) },
    ...ambiguousKeySplices(doc),
  );
  for (const c of changes) {
    const entry = doc.getIn(['taskClasses', c.taskType], true);
    if (!isMap(entry) || !entry.range) return null; // a class without an entry: let the Document add it
    for (const [k, v] of Object.entries(annotationsFor(c, now))) {
      const s = pairSplice(text, entry, k, v);
      if (!s) return null;
      splices.push(s);
    }
  }
  return applySplices(text, splices);
}

function pairSplice(text: string, map: YAMLMap, key: string, value: string | undefined): Splice | null {
  const items = map.items as Pair<Node, Node>[];
  const i = items.findIndex((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  const rendered = value === undefined ? '' : renderScalar(value);
  if (i >= 0) {
    const v = items[i].value;
    if (value !== undefined)
      return isScalar(v) && v.range ? { start: v.range[0], end: v.range[1], insert: rendered } : null;
    return removePair(text, map, i);
  }
  if (value === undefined) return { start: 0, end: 0, insert: '' };
  const last = items.at(-1);
  const lastEnd = last && (last.value as Node | null)?.range?.[1];
  if (!last || lastEnd === undefined) return null;
  if (map.flow) return { start: lastEnd, end: lastEnd, insert: `, ${key}: ${rendered}` };
  const keyStart = (items[0].key as Node).range![0];
  const indent = keyStart - text.lastIndexOf('\n', keyStart - 1) - 1;
  const eol = lineEnd(text, lastEnd - 1);
  return { start: eol, end: eol, insert: `\n${' '.repeat(indent)}${key}: ${rendered}` };
}

function removePair(text: string, map: YAMLMap, i: number): Splice | null {
  const items = map.items as Pair<Node, Node>[];
  const keyStart = items[i].key.range?.[0];
  const valueEnd = items[i].value?.range?.[1];
  if (keyStart === undefined || valueEnd === undefined) return null;
  if (map.flow) {
    const prevEnd = i > 0 ? items[i - 1].value?.range?.[1] : undefined;
    if (prevEnd !== undefined) return { start: prevEnd, end: valueEnd, insert: '' };
    const next = items[i + 1]?.key.range?.[0];
    return next === undefined ? null : { start: keyStart, end: next, insert: '' };
  }
  const start = text.lastIndexOf('\n', keyStart - 1);
  return { start, end: lineEnd(text, valueEnd - 1), insert: '' };
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', Math.max(0, from));
  return nl < 0 ? text.length : nl;
}

const renderScalar = renderYamlString;

function applySplices(text: string, splices: Splice[]): string | null {
  // Right to left; inserts at one position are applied last-first so they read in planned order.
  const sorted = splices
    .map((s, i) => ({ ...s, i }))
    .filter((s) => s.end > s.start || s.insert !== '')
    .sort((a, b) => b.start - a.start || b.i - a.i);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].end > sorted[i - 1].start) return null; // overlapping edits
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.insert + out.slice(s.end);
  return out;
}

export type { Document };
