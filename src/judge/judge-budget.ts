/**
 * A hard spending cap for one judge run. Each call reserves its estimated worst-case cost first;
 * a call whose reservation would pass the cap is never sent. Reservations are settled to the real cost.
 */
export class JudgeBudget {
  private spent = 0;
  private reserved = 0;
  /** True once a reservation was refused; the run stops claiming work. */
  stopped = false;

  constructor(readonly maxCostUsd: number | undefined) {}

  /** Reserves `estimateUsd`; false (and stopped) when spent + reserved + estimate would exceed the cap. */
  tryReserve(estimateUsd: number): boolean {
    if (this.maxCostUsd !== undefined && this.spent + this.reserved + estimateUsd > this.maxCostUsd + 1e-12) {
      this.stopped = true;
      return false;
    }
    this.reserved += estimateUsd;
    return true;
  }

  /** Replaces a reservation by the real cost (0 when the call failed before any usage). */
  settle(estimateUsd: number, actualUsd: number): void {
    this.reserved -= estimateUsd;
    this.spent += actualUsd;
  }

  get spentUsd(): number {
    return this.spent;
  }
}
