/** Which answer one comparison preferred, from the served answer's side. */
export type Preferred = 'served' | 'premium' | 'tie';

/** The two orders a pair is asked in: served answer shown as A, or the premium answer shown as A. */
export type PairOrder = 'served-first' | 'premium-first';

/** The combined outcome of both orders, and the verdict it gives the served answer. */
export interface PairwiseOutcome {
  preferred: Preferred;
  /** The two orders agree (a tie in one order and a preference in the other also counts as agreeing on "not worse"). */
  consistent: boolean;
  served: { servedFirst: Preferred; premiumFirst: Preferred };
  /** fail = worse than the premium answer: the judge preferred the premium answer in both orders. */
  verdict: 'pass' | 'fail';
}

/** Maps the judge's position (A/B/tie) to the served answer's side, for the order it was asked in. */
export function toPreferred(order: PairOrder, winner: 'A' | 'B' | 'tie'): Preferred {
  if (winner === 'tie') return 'tie';
  const servedIsA = order === 'served-first';
  return (winner === 'A') === servedIsA ? 'served' : 'premium';
}

/**
 * Pure: the verdict of a pair judged in both orders. A side wins only when preferred in both orders;
 * everything else is a tie and passes: an explicit tie, a tie in one order, and the two orders
 * contradicting each other (the judge followed the position, not the answers: the difference is
 * below what it can tell apart). A judge that always picks position A therefore yields ties only.
 */
export function combineOrders(servedFirst: Preferred, premiumFirst: Preferred): PairwiseOutcome {
  const preferred: Preferred = servedFirst === premiumFirst ? servedFirst : 'tie';
  const contradict =
    (servedFirst === 'served' && premiumFirst === 'premium') ||
    (servedFirst === 'premium' && premiumFirst === 'served');
  return {
    preferred,
    consistent: !contradict,
    served: { servedFirst, premiumFirst },
    verdict: preferred === 'premium' ? 'fail' : 'pass',
  };
}
