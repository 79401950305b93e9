import { containsNormalized } from '../text/normalize-answer.js';

/** Per field name: items whose value was in the full context, and how many lost it to compression. */
export type FieldTally = Record<string, { present: number; dropped: number }>;

/**
 * Extraction guard for one item: adds to `tally` every expected field whose (normalised) value
 * appears in the full context, and counts it dropped when the compressed context lost it.
 * Both texts are passed already normalised (normalizeAnswer).
 */
export function tallyFieldDrops(
  tally: FieldTally,
  fields: Record<string, string>,
  originalNormalized: string,
  compressedNormalized: string,
): void {
  for (const [name, value] of Object.entries(fields)) {
    if (!containsNormalized(originalNormalized, value)) continue;
    tally[name] ??= { present: 0, dropped: 0 };
    const t = tally[name];
    t.present++;
    if (!containsNormalized(compressedNormalized, value)) t.dropped++;
  }
}
