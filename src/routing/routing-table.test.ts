import { describe, expect, it } from 'vitest';
import { RoutingTableError } from '../errors.js';
import { modelFor, nextTier, parseRoutingTable, previousTier } from './routing-table.js';

const GOOD = `# Comments anywhere are kept when driftwatch rewrites this file.
version: 1
tiers:                      # cheapest first; escalation moves one step up
  trivial: gpt-4o-mini
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
  critical: claude-3-5-sonnet-20241022
taskClasses:
  classify: { tier: trivial }
  summarize: { tier: standard }
  compliance_check: { tier: critical, pinned: true }   # never moved automatically
`;

describe('parseRoutingTable', () => {
  it('reads the contract example', () => {
    const { table } = parseRoutingTable(GOOD, 'routing.yaml');
    expect(table.version).toBe(1);
    expect(table.taskClasses.compliance_check).toMatchObject({ tier: 'critical', pinned: true });
    expect(modelFor(table, 'classify')).toEqual({ model: 'gpt-4o-mini', tier: 'trivial' });
    expect(nextTier(table, 'trivial')).toBe('standard');
    expect(nextTier(table, 'critical')).toBeNull();
    expect(previousTier(table, 'standard')).toBe('trivial');
  });

  it('names the line of bad YAML', () => {
    const bad = GOOD.replace('  summarize: { tier: standard }', '  summarize: { tier: standard');
    expect(() => parseRoutingTable(bad, 'routing.yaml')).toThrow(/^routing\.yaml:\d+: invalid YAML/);
  });

  it('names an unknown tier with its line and the known tiers', () => {
    const bad = GOOD.replace('summarize: { tier: standard }', 'summarize: { tier: premium }');
    const err = (() => {
      try {
        parseRoutingTable(bad, 'routing.yaml');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(RoutingTableError);
    expect(err?.message).toBe('routing.yaml:10: taskClasses.summarize.tier: unknown tier "premium" (tiers: trivial, standard, complex, critical)');
  });

  it('names a missing field', () => {
    const bad = GOOD.replace('version: 1\n', '');
    expect(() => parseRoutingTable(bad, 'routing.yaml')).toThrow(/routing\.yaml: version: /);
  });
});
