import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeCacheLookup, makeRoutingEvent, writeJsonl } from './make-events.js';

/** A routing table with comments everywhere and a pinned class on a movable tier. */
export const E2E_ROUTING_YAML = `# routing.yaml for the nightly end-to-end test.
# Comments anywhere are kept when driftwatch rewrites this file.
version: 1
tiers:                      # cheapest first; escalation moves one step up
  trivial: gpt-4o-mini      # the cheap one
  standard: claude-3-5-haiku-20241022
  complex: claude-3-5-sonnet-20241022
  critical: claude-3-5-sonnet-20241022
taskClasses:
  # classification is cheap and fine
  classify: { tier: trivial }
  summarize: { tier: standard }   # drifts to 8% in this test
  compliance_check: { tier: standard, pinned: true }   # never moved automatically, even at 8%
`;

const SUMMARY = 'The customer wants a refund for order 1234 because the parcel arrived two weeks late.';
const WRONG_SUMMARY = 'Weather in Paris is sunny with light winds tomorrow.';

/**
 * 1,000 classify events at 1% errors, 1,000 summarize and 500 compliance_check at 8%, all on one
 * day; a failing event's response is plainly different from its reference, so the offline
 * comparators (exact label, token F1) fail it and pass every other one. Plus 300 cache hits, 6 false.
 */
export function writeE2eEvents(file: string): { classify: number; summarize: number; compliance_check: number } {
  const events = [];
  const t0 = Date.parse('2026-11-25T00:00:00Z');
  let k = 0;
  const ts = () => new Date(t0 + 20_000 * k++).toISOString();
  for (let i = 0; i < 1000; i++) {
    const fail = i % 100 === 37; // 10 of 1,000
    events.push(
      makeRoutingEvent({
        id: `cls-${i}`,
        ts: ts(),
        taskType: 'classify',
        model: 'gpt-4o-mini',
        prompt: `Classify ticket ${i}`,
        response: fail ? 'shipping' : 'billing',
        reference: 'billing',
      }),
    );
  }
  for (let i = 0; i < 1000; i++) {
    const fail = i % 25 === 3; // 40 of 1,000 ...
    const fail2 = i % 25 === 16; // ... plus 40 more = 80 (8%)
    events.push(
      makeRoutingEvent({
        id: `sum-${i}`,
        ts: ts(),
        taskType: 'summarize',
        model: 'claude-3-5-haiku-20241022',
        prompt: `Summarize ticket ${i}`,
        response: fail || fail2 ? WRONG_SUMMARY : SUMMARY,
        reference: SUMMARY,
      }),
    );
  }
  for (let i = 0; i < 500; i++) {
    const fail = i % 25 === 5 || i % 25 === 20; // 40 of 500 (8%)
    events.push(
      makeRoutingEvent({
        id: `cmp-${i}`,
        ts: ts(),
        taskType: 'compliance_check',
        model: 'claude-3-5-haiku-20241022',
        prompt: `Check clause ${i}`,
        response: fail ? WRONG_SUMMARY : SUMMARY,
        reference: SUMMARY,
      }),
    );
  }
  const lookups = [];
  for (let i = 0; i < 300; i++) {
    const falseHit = i % 50 === 7; // 6 of 300 served answers differ from a fresh computation
    lookups.push(
      makeCacheLookup({
        id: `lk-${i}`,
        ts: ts(),
        query: `How do I get a refund for order ${i}?`,
        similarity: 0.95,
        result: falseHit ? 'Your card will arrive in 5 days.' : 'Refunds go back to the original card within 5 days.',
        reference: 'Refunds go back to the original card within 5 days.',
      }),
    );
  }
  writeJsonl(file, [...events, ...lookups]);
  return { classify: 10, summarize: 80, compliance_check: 40 };
}

/** Writes routing.yaml into `dir` and returns its path. */
export function writeRoutingYaml(dir: string, text = E2E_ROUTING_YAML): string {
  const file = path.join(dir, 'routing.yaml');
  writeFileSync(file, text);
  return file;
}
