// Regenerates examples/events.jsonl from the bundled RouteLLM GSM8K recordings:
// the first 600 questions with the answers Mixtral-8x7B actually gave, and GSM8K's gold answers
// as references, spread over three days. Run: npx tsx scripts/make-example-events.ts
import { writeFileSync } from 'node:fs';
import { countTokens } from '../src/routing/count-tokens.js';
import { CHEAP_MODEL, loadGsm8kRecordings } from '../src/demo/load-recordings.js';

const recs = loadGsm8kRecordings().slice(0, 600);
const lines = recs.map((r, i) => {
  const day = Date.UTC(2026, 10, 23 + Math.floor(i / 200));
  return JSON.stringify({
    kind: 'routing',
    id: `example-${r.id}`,
    ts: new Date(day + (i % 200) * 400_000).toISOString(),
    taskType: 'math',
    model: CHEAP_MODEL,
    inputTokens: countTokens(r.prompt),
    outputTokens: countTokens(r.responses[CHEAP_MODEL]),
    prompt: r.prompt,
    response: r.responses[CHEAP_MODEL],
    reference: r.reference,
  });
});
writeFileSync(new URL('../examples/events.jsonl', import.meta.url), `${lines.join('\n')}\n`);
console.log(`wrote ${lines.length} events to examples/events.jsonl`);
