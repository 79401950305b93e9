import { countTokens } from '../routing/count-tokens.js';
import type { CompressionResult } from './compressor.js';
import { joinUnits, type PreparedContext, type PreparedUnit } from './prepared-context.js';
import { nearestCut, truncateToTokens } from './truncate-to-tokens.js';

/** The one unit cut at a word boundary: kept text is `prefix` + a cut of `source`. */
interface Cut {
  index: number;
  prefix: string;
  source: string;
  fromEnd: boolean;
}

/** Kept text per unit index, and the units that were cut (later fine-tuned to the budget). */
export interface Selection {
  kept: Map<number, string>;
  cuts: Cut[];
}

/** An empty selection. */
export function emptySelection(): Selection {
  return { kept: new Map(), cuts: [] };
}

/**
 * Takes units in `priority` order while they fit in `budget` tokens; the first that does not fit
 * is cut at a word boundary (keeping its start, or its end with `fromEnd`) to fill the rest, and
 * selection stops. A unit already cut from the other side keeps both pieces. Returns tokens used.
 */
export function fillBudget(
  units: PreparedUnit[],
  priority: number[],
  budget: number,
  into: Selection,
  fromEnd = false,
): number {
  let used = 0;
  for (const i of priority) {
    const u = units[i];
    const prefix = into.kept.get(i);
    if (prefix === u.text) continue;
    const source = prefix === undefined ? u.text : u.text.slice(prefix.length).trim();
    const cost = prefix === undefined ? u.tokens : countTokens(` ${source}`);
    if (used + cost <= budget) {
      into.kept.set(i, u.text);
      used += cost;
      continue;
    }
    const cut = { index: i, prefix: prefix ?? '', source, fromEnd };
    into.cuts = [...into.cuts.filter((c) => c.index !== i), cut];
    const text = cutText(cut, budget - used - 1);
    if (text) {
      into.kept.set(i, text);
      used += countTokens(` ${text}`) - (prefix ? countTokens(` ${prefix}`) : 0);
    }
    break;
  }
  return used;
}

function cutText(cut: Cut, sourceTokens: number, nearest = false): string {
  const piece = nearest
    ? nearestCut(cut.source, sourceTokens, cut.fromEnd)
    : truncateToTokens(cut.source, sourceTokens, cut.fromEnd);
  return [cut.prefix, piece].filter(Boolean).join(' ');
}

/** Long contexts land this close (as a share of their tokens) without re-cutting; each re-cut re-counts the output. */
const REFINE_TOLERANCE = 0.005;

/**
 * Assembles a selection in original order and measures it; then re-cuts the cut units, last
 * first (a few rounds), so the measured count lands on `budget`: per-unit counts only add up
 * approximately once units are joined, and one cut alone may sit a whole long word off.
 */
export function buildResult(ctx: PreparedContext, selection: Selection, budget: number): CompressionResult {
  let result = assemble(ctx, selection);
  const close = (r: CompressionResult) =>
    Math.abs(r.compressedTokens - budget) <= Math.max(0, Math.floor(ctx.totalTokens * REFINE_TOLERANCE));
  for (let round = 0; round < 2 && !close(result); round++) {
    for (const cut of [...selection.cuts].reverse()) {
      if (close(result)) break;
      const before = selection.kept.get(cut.index);
      const piece = (before ?? cut.prefix).slice(cut.prefix.length).trim();
      const want = countTokens(piece) + budget - result.compressedTokens;
      const text = want > 0 ? cutText(cut, want, true) : cut.prefix;
      setKept(selection, cut.index, text);
      const next = assemble(ctx, selection);
      if (Math.abs(next.compressedTokens - budget) < Math.abs(result.compressedTokens - budget)) result = next;
      else setKept(selection, cut.index, before ?? '');
    }
  }
  return result;
}

function setKept(selection: Selection, index: number, text: string): void {
  if (text) selection.kept.set(index, text);
  else selection.kept.delete(index);
}

function assemble(ctx: PreparedContext, selection: Selection): CompressionResult {
  const parts = [...selection.kept.keys()]
    .sort((a, b) => a - b)
    .map((i) => ({ text: selection.kept.get(i) as string, sep: ctx.units[i].sep }));
  return measure(ctx.totalTokens, joinUnits(parts));
}

/** A result for `text` as the compression of a context of `originalTokens` tokens. */
export function measure(originalTokens: number, text: string): CompressionResult {
  const compressedTokens = countTokens(text);
  return {
    text,
    originalTokens,
    compressedTokens,
    achievedRatio: originalTokens === 0 ? 1 : compressedTokens / originalTokens,
  };
}

/** The token budget for a target ratio; throws on a ratio outside (0, 1]. */
export function budgetFor(totalTokens: number, targetRatio: number | undefined, compressor: string): number {
  if (targetRatio === undefined || !(targetRatio > 0 && targetRatio <= 1)) {
    throw new RangeError(`${compressor}: targetRatio must be in (0, 1], got ${String(targetRatio)}`);
  }
  return Math.round(totalTokens * targetRatio);
}
