import type { TestCacheLookup, TestRoutingEvent } from './insert-events.js';

/** Exactly `k` of the positions 0..n-1 are planted, spread evenly. */
export function isPlanted(i: number, n: number, k: number): boolean {
  return Math.floor(((i + 1) * k) / n) > Math.floor((i * k) / n);
}

const LABELS = ['billing', 'refund', 'card_lost', 'transfer', 'pin_change'];

/**
 * Routing events with a known number of wrong answers at fixed positions: `classify` answers a label
 * (exact-label), `gsm8k_math` a worked answer ending in `#### n` (numeric-answer). Every k-th is wrong.
 */
export function plantedRouting(
  taskType: 'classify' | 'gsm8k_math',
  n: number,
  wrong: number,
  day = '2026-11-25',
): TestRoutingEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const bad = isPlanted(i, n, wrong);
    const ts = `${day}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
    if (taskType === 'classify') {
      const label = LABELS[i % LABELS.length];
      return {
        id: `cls-${i}`,
        ts,
        taskType,
        prompt: `Classify message ${i}`,
        response: bad ? LABELS[(i + 1) % LABELS.length] : ` ${label.toUpperCase()}.`,
        reference: label,
      };
    }
    return {
      id: `math-${i}`,
      ts,
      taskType,
      prompt: `Problem ${i}`,
      response: `${i} + 2 = <<${i}+2=${i + 2}>>${i + 2}\n#### ${bad ? i + 3 : i + 2}`,
      reference: `Total is ${i + 2}.\n#### ${i + 2}`,
    };
  });
}

/** Cache hits of which `falseHits` returned an answer to a different question. */
export function plantedCacheHits(n: number, falseHits: number, day = '2026-11-25'): TestCacheLookup[] {
  return Array.from({ length: n }, (_, i) => {
    const answer = `To reset the PIN of card ${i}, open the app, choose cards, then security, and follow the steps`;
    return {
      id: `hit-${i}`,
      ts: `${day}T${String(i % 24).padStart(2, '0')}:00:00Z`,
      taskType: 'faq',
      query: `how do I reset pin ${i}`,
      hit: true,
      similarity: 0.95,
      result: isPlanted(i, n, falseHits) ? `Wire transfers abroad take three business days and cost a fee` : answer,
      reference: answer,
    };
  });
}
