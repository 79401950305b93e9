import type { RoutingEvent } from '../ingest/event-schema.js';
import { countTokens } from '../routing/count-tokens.js';
import type { Router } from '../routing/create-router.js';
import { findPrice } from '../routing/price-catalog.js';
import type { IntentClassifier } from './train-intent-classifier.js';
import { PREMIUM_MODEL, type Recording } from './load-recordings.js';

/** Everything the demo replays: recorded answers per model, and a local intent model. */
export interface DemoData {
  math: Recording[];
  chat: Recording[];
  intents: { text: string; category: string }[];
  classifier: IntentClassifier;
}

/**
 * One night of application traffic: every request of the night is routed by the current
 * routing table and answered with the recorded response of the model the router picked
 * (or, for `classify`, by the local intent model), exactly as a production app would log it.
 */
export function buildNightTraffic(
  data: DemoData,
  router: Router,
  night: number,
  nights: number,
  day: Date,
): RoutingEvent[] {
  const events: RoutingEvent[] = [];
  const at = (i: number, n: number) =>
    new Date(day.getTime() + Math.floor((i / Math.max(1, n)) * 86_400_000)).toISOString();
  const tonight = <T>(xs: T[]) => xs.filter((_, i) => i % nights === night);

  const answer = (r: Recording, model: string) => {
    const response = r.responses[model];
    if (response === undefined)
      throw new Error(`no recorded ${model} answer for ${r.id}; the demo's routing table names a model the data lacks`);
    return response;
  };
  const replay = (taskType: string, recs: Recording[]) =>
    tonight(recs).forEach((r, i, all) => {
      const route = router.route({ taskType, inputTokens: countTokens(r.prompt) });
      const served = event(
        r.id,
        taskType,
        route.model,
        r.prompt,
        answer(r, route.model),
        at(i, all.length),
        r.reference,
        r.metadata,
      );
      // no gold answer (MT-bench): the premium model's recorded answer, for the pairwise judge
      const premium = r.responses[PREMIUM_MODEL];
      if (r.reference === undefined && route.model !== PREMIUM_MODEL && premium !== undefined)
        Object.assign(served, { premiumResponse: premium, premiumModel: PREMIUM_MODEL });
      events.push(served);
      // While a class is escalated the app also runs the model it came from, unserved: shadow evaluation.
      if (route.shadow) {
        const s = route.shadow.model;
        const shadow = event(`${r.id}#shadow`, taskType, s, r.prompt, answer(r, s), at(i, all.length), r.reference, {
          ...r.metadata,
          shadow: true,
        });
        // the shadow run's premium answer is the one served to the user
        if (r.reference === undefined)
          Object.assign(shadow, { premiumResponse: served.response, premiumModel: route.model });
        events.push(shadow);
      }
    });
  replay('math', data.math);
  replay('chat', data.chat);

  tonight(data.intents.map((x, i) => ({ ...x, i }))).forEach((q, i, all) => {
    const { model } = router.route({ taskType: 'classify' });
    const prompt = `Classify this banking support message into one of the 77 Banking77 intents: ${q.text}`;
    events.push(
      event(
        `banking77-test-${q.i}`,
        'classify',
        model,
        prompt,
        data.classifier.classify(q.text),
        at(i, all.length),
        q.category,
      ),
    );
  });
  return events;
}

function event(
  id: string,
  taskType: string,
  model: string,
  prompt: string,
  response: string,
  ts: string,
  reference?: string,
  metadata?: Record<string, unknown>,
): RoutingEvent {
  const inputTokens = countTokens(prompt);
  const outputTokens = countTokens(response);
  const price = findPrice(model);
  const costUsd = price ? (inputTokens * price.input + outputTokens * price.output) / 1e6 : 0;
  return {
    kind: 'routing',
    id: `${id}@${model}`,
    ts,
    taskType,
    model,
    prompt,
    response,
    reference,
    inputTokens,
    outputTokens,
    costUsd,
    metadata,
  };
}
