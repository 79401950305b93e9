/**
 * Edit distance with adjacent transpositions (optimal string alignment): "nigthly" is one edit
 * from "nightly".
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate the user most likely meant by `input`: the closest within a third of its length
 * (at least one edit), else the only candidate it is a prefix of; undefined when nothing is close.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = editDistance(input.toLowerCase(), name.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  if (best) return best.name;
  const prefixed = candidates.filter((c) => input.length >= 3 && c.startsWith(input));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
