import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { quoteAmbiguousKeys } from '../config/yaml11-safe.js';
import { RoutingTableError } from '../errors.js';
import { parseRoutingTable } from '../routing/routing-table.js';
import { editRoutingText } from './edit-routing-text.js';

const NOW = new Date('2026-11-26T03:00:00Z');
const TABLE = `version: 7 # v
tiers: { trivial: a, standard: b, complex: c }
default: { tier: trivial }
taskClasses:
  known:
    tier: trivial
    escalatedFrom: old      # stale annotation
    reason: 'keep me quoted'
`;

describe('editRoutingText', () => {
  it('splices in place, replacing existing annotations and keeping their comments', () => {
    const r = editRoutingText(
      TABLE,
      [{ taskType: 'known', kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: 'why: "x"' }],
      8,
      NOW,
    );
    expect(r.method).toBe('splice');
    expect(r.text).toBe(
      `version: 8 # v
tiers: { trivial: a, standard: b, complex: c }
default: { tier: trivial }
taskClasses:
  known:
    tier: standard
    escalatedFrom: trivial      # stale annotation
    reason: "why: \\"x\\""
    escalatedAt: "2026-11-26T03:00:00.000Z"
`,
    );
    expect(parseRoutingTable(r.text, 'r.yaml').table.taskClasses.known.reason).toBe('why: "x"');
  });

  it('refuses a class the table does not list instead of appending an entry beside the real one', () => {
    const change = {
      taskType: 'knwon',
      kind: 'escalate' as const,
      fromTier: 'trivial',
      to: 'standard',
      reason: 'drift',
    };
    expect(() => editRoutingText(TABLE, [change], 8, NOW)).toThrow(RoutingTableError);
    expect(() => editRoutingText(TABLE, [change], 8, NOW)).toThrow(
      'task class "knwon" is not listed under taskClasses: driftwatch moves only listed classes and never adds an entry',
    );
  });

  const RISKY = `version: 1
tiers: { trivial: a, standard: b }
taskClasses:
  yes: { tier: trivial }
  on:
    tier: trivial
  "<<": { tier: trivial }
  '~': { tier: trivial }
  off: { tier: trivial }   # kept
`;
  const names = ['yes', 'on', '<<', '~', 'off'];

  it.each(names)('writes class key %s quoted so a YAML 1.1 reader reads the same string (splice)', (name) => {
    const r = editRoutingText(
      RISKY,
      [{ taskType: name, kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: 'drift' }],
      2,
      NOW,
    );
    expect(r.method).toBe('splice');
    expect(r.text).toContain('# kept');
    const yaml11 = parse(r.text, { version: '1.1' }) as { taskClasses: Record<string, { tier: string }> };
    expect(Object.keys(yaml11.taskClasses).sort()).toEqual([...names].sort());
    expect(yaml11.taskClasses[name].tier).toBe('standard');
    expect(parseRoutingTable(r.text, 'r.yaml').table.taskClasses[name].tier).toBe('standard');
  });

  it('quotes them on the Document rendering path too', () => {
    const doc = parseDocument(RISKY);
    doc.setIn(['taskClasses', 'on', 'tier'], 'standard');
    quoteAmbiguousKeys(doc);
    const yaml11 = parse(doc.toString(), { version: '1.1' }) as { taskClasses: Record<string, { tier: string }> };
    expect(Object.keys(yaml11.taskClasses).sort()).toEqual([...names].sort());
    expect(yaml11.taskClasses.on.tier).toBe('standard');
  });

  it('removes escalation annotations on de-escalation', () => {
    const r = editRoutingText(
      TABLE,
      [{ taskType: 'known', kind: 'deescalate', fromTier: 'trivial', to: 'trivial', reason: 'ok' }],
      8,
      NOW,
    );
    expect(r.method).toBe('splice');
    const { table } = parseRoutingTable(r.text, 'r.yaml');
    expect(table.taskClasses.known).toEqual({
      tier: 'trivial',
      reason: `de-escalated from trivial at ${NOW.toISOString()}: ok`,
    });
  });
});
