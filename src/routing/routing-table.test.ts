import { describe, expect, it } from 'vitest';
import { RoutingTableError } from '../errors.js';
import { classEntry, modelFor, nextTier, parseRoutingTable, previousTier } from './routing-table.js';

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
    expect(err?.message).toBe(
      'routing.yaml:10: taskClasses.summarize.tier: unknown tier "premium" (tiers: trivial, standard, complex, critical)',
    );
  });

  it('names a missing field', () => {
    const bad = GOOD.replace('version: 1\n', '');
    expect(() => parseRoutingTable(bad, 'routing.yaml')).toThrow(/routing\.yaml: version: /);
  });
});

describe('parseRoutingTable strictness', () => {
  const messageOf = (text: string) => {
    try {
      parseRoutingTable(text, 'routing.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(RoutingTableError);
      return (e as Error).message;
    }
    return 'parsed';
  };

  it.each([
    [
      'a typo of pinned',
      GOOD.replace('pinned: true', 'pined: true'),
      'routing.yaml:11: taskClasses.compliance_check.pined: unknown key "pined" (allowed: tier, pinned, model, escalatedFrom, escalatedAt, reason)',
    ],
    [
      'an unknown top-level key',
      GOOD.replace('taskClasses:', 'taskclasses:'),
      'routing.yaml:8: taskclasses: unknown key "taskclasses" (allowed: version, tiers, taskClasses, default)',
    ],
    [
      'an unknown key under default',
      `${GOOD}default: { tier: standard, teir: complex }\n`,
      'routing.yaml:12: default.teir: unknown key "teir" (allowed: tier)',
    ],
    [
      'empty tiers',
      GOOD.replace(/tiers:[^\n]*\n( {2}\w+: [^\n]+\n)+/, 'tiers: {}\n'),
      'routing.yaml:3: tiers: at least one tier is required (cheapest first, e.g. trivial: gpt-4o-mini)',
    ],
    [
      'a prototype name as tier',
      GOOD.replace('summarize: { tier: standard }', 'summarize: { tier: toString }'),
      'routing.yaml:10: taskClasses.summarize.tier: unknown tier "toString" (tiers: trivial, standard, complex, critical)',
    ],
    [
      '__proto__ as tier',
      GOOD.replace('summarize: { tier: standard }', 'summarize: { tier: __proto__ }'),
      'routing.yaml:10: taskClasses.summarize.tier: unknown tier "__proto__" (tiers: trivial, standard, complex, critical)',
    ],
    [
      'an unknown escalatedFrom',
      GOOD.replace('summarize: { tier: standard }', 'summarize: { tier: standard, escalatedFrom: cheap }'),
      'routing.yaml:10: taskClasses.summarize.escalatedFrom: unknown tier "cheap" (tiers: trivial, standard, complex, critical)',
    ],
    [
      'an unknown default tier',
      `${GOOD}default: { tier: hasOwnProperty }\n`,
      'routing.yaml:12: default.tier: unknown tier "hasOwnProperty" (tiers: trivial, standard, complex, critical)',
    ],
  ])('refuses %s with file, line and key', (_name, text, message) => {
    expect(messageOf(text)).toBe(message);
  });

  it('does not route a class named after an Object.prototype member through the prototype', () => {
    const { table } = parseRoutingTable(GOOD, 'routing.yaml');
    expect(classEntry(table, 'toString')).toBeUndefined();
    expect(classEntry(table, 'constructor')).toBeUndefined();
    expect(modelFor(table, 'toString')).toEqual({ model: 'claude-3-5-haiku-20241022', tier: 'standard' });
  });
});
