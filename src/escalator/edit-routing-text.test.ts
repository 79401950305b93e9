import { describe, expect, it } from 'vitest';
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
    const r = editRoutingText(TABLE, [{ taskType: 'known', kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: 'why: "x"' }], 8, NOW);
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

  it('adds an entry for a class routed by the default tier through the Document (still valid, comments kept)', () => {
    const r = editRoutingText(TABLE, [{ taskType: 'newcomer', kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: 'drift' }], 8, NOW);
    expect(r.method).toBe('document');
    const { table } = parseRoutingTable(r.text, 'r.yaml');
    expect(table.version).toBe(8);
    expect(table.taskClasses.newcomer).toMatchObject({ tier: 'standard', escalatedFrom: 'trivial', reason: 'drift' });
    expect(r.text).toContain('# stale annotation');
    expect(r.text).toContain('# v');
  });

  it('removes escalation annotations on de-escalation', () => {
    const r = editRoutingText(TABLE, [{ taskType: 'known', kind: 'deescalate', fromTier: 'trivial', to: 'trivial', reason: 'ok' }], 8, NOW);
    expect(r.method).toBe('splice');
    const { table } = parseRoutingTable(r.text, 'r.yaml');
    expect(table.taskClasses.known).toEqual({ tier: 'trivial', reason: `de-escalated from trivial at ${NOW.toISOString()}: ok` });
  });
});
