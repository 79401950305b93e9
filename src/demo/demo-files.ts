/** The demo's routing table: the two models RouteLLM recorded, plus the local intent model. */
export const DEMO_ROUTING_YAML = `# routing.yaml for the driftwatch demo (recorded RouteLLM answers + a local Banking77 model).
# Comments anywhere are kept when driftwatch rewrites this file.
version: 1
tiers:                      # cheapest first; escalation moves one step up
  cheap: mixtral-8x7b       # Mixtral-8x7B-Instruct, recorded by RouteLLM
  premium: gpt-4-turbo      # GPT-4 Turbo (gpt-4-1106-preview), recorded by RouteLLM
taskClasses:
  math: { tier: cheap }     # GSM8K word problems
  chat: { tier: cheap }     # MT-bench open questions (no gold answers)
  classify: { tier: cheap, model: naive-bayes-banking77, pinned: true }   # local model; never moved automatically
`;

/** The demo's driftwatch.yaml. */
export const DEMO_CONFIG_YAML = `# driftwatch.yaml for the demo
routingTable: routing.yaml
reportsDir: reports
judge:
  comparators:
    math: numeric-answer    # the final answer ("#### n", "the answer is n", or the number the last sentence concludes with) against GSM8K's gold answer
    classify: exact-label   # intent label against Banking77's gold label
    support: exact-label    # cached canned answer against the answer for the query's true intent
cache:
  threshold: 0.92
  noCache: [compliance_check]
  maxFalseHit: 0.01
compression:
  maxDropPoints: 5          # the demo's team accepts 5 points less answer retention for fewer tokens
`;
