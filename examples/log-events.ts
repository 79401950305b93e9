// How an application feeds driftwatch: route each request with the current table,
// answer it, and log the routed call (the cheap model's shadow run too, while escalated).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRouter, logRoutingEvent } from '../src/index.js';

const router = createRouter({ path: 'examples/routing.yaml' }); // re-reads driftwatch's rewrites, no restart
const events = path.join(mkdtempSync(path.join(tmpdir(), 'dw-app-')), 'events.jsonl');

async function callModel(model: string, prompt: string): Promise<string> {
  return `(${model}'s answer to: ${prompt})`; // your provider SDK call goes here
}

const prompt = 'A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total?';
const route = router.route({ taskType: 'math', inputTokens: 24 });
const response = await callModel(route.model, prompt);
await logRoutingEvent({ file: events }, { taskType: 'math', model: route.model, prompt, response });
if (route.shadow) {
  // escalated class: run the model it came from too, unserved, so driftwatch can move it back down
  const shadow = await callModel(route.shadow.model, prompt);
  await logRoutingEvent(
    { file: events },
    { taskType: 'math', model: route.shadow.model, prompt, response: shadow, metadata: { shadow: true } },
  );
}
console.log(`routed math to ${route.model}; events in ${events} (then: driftwatch ingest ${events})`);
