/** A checkpoint of {@link SeenEvents}: `[eventId, first seen (processing time, ms)]`. */
export type SeenEventsSnapshot = ReadonlyArray<readonly [string, number]>;

/**
 * The dedupe set: event ids seen within the last `windowMs` of processing time (the same rule as Flink
 * keyed state with a TTL on create: an id counts as seen until `windowMs` after it was first stored).
 * One Map entry per id, no per-key state object; expired ids read as unseen, and are swept whenever the
 * map has doubled since the last sweep.
 */
export class SeenEvents {
  private readonly seen = new Map<string, number>();
  private sweepAt: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    this.sweepAt = SWEEP_MIN;
  }

  /** True when `eventId` was seen within the window; otherwise records it as seen now. */
  checkAndAdd(eventId: string): boolean {
    const now = this.now();
    const at = this.seen.get(eventId);
    if (at !== undefined && now - at < this.windowMs) return true;
    this.seen.set(eventId, now);
    if (this.seen.size >= this.sweepAt) this.sweep(now);
    return false;
  }

  /** Drops expired ids; the next sweep comes when the map has doubled since. */
  private sweep(now: number): void {
    // forEach, not for…of: no [id, at] pair per entry (the map holds every id of the window).
    const { seen, windowMs } = this;
    seen.forEach((at, id) => {
      if (now - at >= windowMs) seen.delete(id);
    });
    this.sweepAt = Math.max(SWEEP_MIN, this.seen.size * 2);
  }

  snapshot(): SeenEventsSnapshot {
    const now = this.now();
    const out: [string, number][] = [];
    const windowMs = this.windowMs;
    this.seen.forEach((at, id) => {
      if (now - at < windowMs) out.push([id, at]);
    });
    return out;
  }

  restore(snapshot: SeenEventsSnapshot): void {
    this.seen.clear();
    for (const [id, at] of snapshot) this.seen.set(id, at);
    this.sweepAt = Math.max(SWEEP_MIN, this.seen.size * 2);
  }
}

const SWEEP_MIN = 65_536;
