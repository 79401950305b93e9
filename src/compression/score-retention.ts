import { countTokens } from '../routing/count-tokens.js';
import { containsNormalized, normalizeAnswer } from './normalize-answer.js';
import { splitUnits } from './split-units.js';
import type { QaItem } from './qa-item.js';

/**
 * How much of what the question needs survived compression, in [0, 1]. With evidence passages
 * (QMSum): the token-weighted share of evidence sentences still present verbatim (normalised);
 * otherwise 1 when any gold answer is still present, else 0.
 */
export function scoreRetention(item: QaItem, compressedNormalized: string): number {
  if (item.evidence) return evidenceCoverage(item.evidence, compressedNormalized);
  return item.answers.some((a) => containsNormalized(compressedNormalized, a)) ? 1 : 0;
}

const evidenceCache = new Map<string, { padded: string; tokens: number }[]>();

function evidenceCoverage(evidence: string[], compressedNormalized: string): number {
  const haystack = ` ${compressedNormalized} `;
  let total = 0;
  let kept = 0;
  for (const passage of evidence) {
    for (const s of evidenceSentences(passage)) {
      total += s.tokens;
      if (haystack.includes(s.padded)) kept += s.tokens;
    }
  }
  return total === 0 ? 1 : kept / total;
}

function evidenceSentences(passage: string): { padded: string; tokens: number }[] {
  let hit = evidenceCache.get(passage);
  if (!hit) {
    hit = splitUnits(passage)
      .map((u) => ({ text: normalizeAnswer(u.text), tokens: countTokens(u.text) }))
      .filter((s) => s.text !== '')
      .map((s) => ({ padded: ` ${s.text} `, tokens: s.tokens }));
    if (evidenceCache.size > 20_000) evidenceCache.clear();
    evidenceCache.set(passage, hit);
  }
  return hit;
}
