/**
 * A hard spending cap for one judge run, safe at any concurrency. Each call (each attempt that may be
 * billed) reserves its worst-case cost before it is sent; a reservation that would take spend plus
 * reservations past the cap is refused and the call is never sent. On return the real cost replaces
 * the reservation; a call that may have been billed without an answer (timeout, reset) keeps it as
 * spent. When a provider reports more tokens than were reserved, later estimates are scaled up.
 */
export class JudgeBudget {
  readonly maxCostUsd: number | undefined;
  private spent = 0;
  private reserved = 0;
  private inputFactor = 1;
  private outputFactor = 1;
  /** True once a reservation was refused; the run stops claiming work. */
  stopped = false;

  constructor(maxCostUsd: number | undefined) {
    this.maxCostUsd = maxCostUsd;
  }

  /** Reserves `estimateUsd`; false (and stopped) when spent + reserved + estimate would exceed the cap. */
  tryReserve(estimateUsd: number): boolean {
    if (this.maxCostUsd !== undefined && this.spent + this.reserved + estimateUsd > this.maxCostUsd + 1e-12) {
      this.stopped = true;
      return false;
    }
    this.reserved += estimateUsd;
    return true;
  }

  /** Replaces a reservation by the real cost (0: nothing was billed, the reservation is released). */
  settle(estimateUsd: number, actualUsd: number): void {
    this.reserved -= estimateUsd;
    this.spent += actualUsd;
  }

  /** Keeps a reservation as spent: the provider may have billed a call whose answer never came. */
  keep(estimateUsd: number): void {
    this.settle(estimateUsd, estimateUsd);
  }

  /** Learns from a reply: reported tokens above the reserved ones raise every later estimate by that ratio. */
  observe(
    reserved: { inputTokens: number; outputTokens: number },
    reported: { inputTokens: number; outputTokens: number },
  ): void {
    // reserved tokens already carry the factors; the new factor is relative to the unscaled count
    if (reported.inputTokens > reserved.inputTokens && reserved.inputTokens > 0)
      this.inputFactor *= reported.inputTokens / reserved.inputTokens;
    if (reported.outputTokens > reserved.outputTokens && reserved.outputTokens > 0)
      this.outputFactor *= reported.outputTokens / reserved.outputTokens;
  }

  /** Scales a raw token estimate by what the provider has reported so far (never below 1). */
  scale(tokens: { inputTokens: number; outputTokens: number }): { inputTokens: number; outputTokens: number } {
    return {
      inputTokens: Math.ceil(tokens.inputTokens * this.inputFactor),
      outputTokens: Math.ceil(tokens.outputTokens * this.outputFactor),
    };
  }

  get spentUsd(): number {
    return this.spent;
  }

  get reservedUsd(): number {
    return this.reserved;
  }
}
