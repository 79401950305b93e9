const DAY_MS = 86_400_000;

/**
 * Base judged verdicts per day over the last 7 days of event time, as loadJudgedVolumes computes it in
 * SQL: a verdict drawn at probability p counts min(1, base rate / p); days = the span covered, in [1, 7].
 * Kept as a running sum over a sliding window (verdicts arrive in event-time order, top-ups just behind).
 */
export class JudgedVolume {
  private log: { t: number; base: number; p: number }[] = [];
  private head = 0;
  private sum = 0;

  add(t: number, base: number, p: number): void {
    this.log.push({ t, base, p });
    this.sum += share(base, p);
  }

  /** The range [from, to)'s verdicts now carry probability p (a top-up widened their window). */
  widen(from: number, to: number, p: number): void {
    for (let i = this.log.length - 1; i >= this.head; i--) {
      const v = this.log[i];
      if (v.t < from) break;
      if (v.t < to && v.p < p) {
        this.sum += share(v.base, p) - share(v.base, v.p);
        v.p = p;
      }
    }
  }

  perDay(): number {
    if (this.log.length === this.head) return 0;
    const mx = this.log[this.log.length - 1].t;
    while (this.log[this.head].t <= mx - 7 * DAY_MS) {
      const v = this.log[this.head++];
      this.sum -= share(v.base, v.p);
    }
    if (this.head > 10_000) {
      this.log = this.log.slice(this.head);
      this.head = 0;
    }
    const days = Math.min(7, Math.max(1, (mx - this.log[this.head].t) / DAY_MS));
    return Math.max(0, this.sum) / days;
  }
}

function share(base: number, p: number): number {
  return p > 0 ? Math.min(1, base / p) : 1;
}
