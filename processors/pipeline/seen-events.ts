import {
  isKeyedTable,
  type KeyedTableSnapshot,
  rawTable,
  tableEntries,
} from '../engine/checkpoint/keyed-table';

/**
 * A checkpoint of {@link SeenEvents}: `[eventId, first seen (processing time, ms)]`, or (incremental
 * checkpoints) the table of ids added and swept since the previous checkpoint.
 */
export type SeenEventsSnapshot = ReadonlyArray<readonly [string, number]> | KeyedTableSnapshot<string>;

/**
 * The dedupe set: event ids seen within the last `windowMs` of processing time (the same rule as Flink
 * keyed state with a TTL on create: an id counts as seen until `windowMs` after it was first stored).
 * One Map entry per id, no per-key state object; expired ids read as unseen, and are swept whenever the
 * map has doubled since the last sweep.
 */
export class SeenEvents {
  private readonly seen = new Map<string, number>();
  private sweepAt: number;
  /** Incremental checkpoints: ids stored and swept since the last snapshot. */
  private added: string[] | undefined;
  private swept: string[] | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
    options: { incremental?: boolean } = {},
  ) {
    this.sweepAt = SWEEP_MIN;
    if (options.incremental === true) {
      this.added = [];
      this.swept = [];
    }
  }

  /** True when `eventId` was seen within the window; otherwise records it as seen now. */
  checkAndAdd(eventId: string): boolean {
    const now = this.now();
    const at = this.seen.get(eventId);
    if (at !== undefined && now - at < this.windowMs) return true;
    this.seen.set(eventId, now);
    this.added?.push(eventId);
    if (this.seen.size >= this.sweepAt) this.sweep(now);
    return false;
  }

  /** Drops expired ids; the next sweep comes when the map has doubled since. */
  private sweep(now: number): void {
    // forEach, not for…of: no [id, at] pair per entry (the map holds every id of the window).
    const { seen, windowMs, swept } = this;
    seen.forEach((at, id) => {
      if (now - at >= windowMs) {
        seen.delete(id);
        swept?.push(id);
      }
    });
    this.sweepAt = Math.max(SWEEP_MIN, this.seen.size * 2);
  }

  snapshot(): SeenEventsSnapshot {
    if (this.added !== undefined && this.swept !== undefined) {
      const entries: [string, number][] = [];
      for (const id of this.added) {
        const at = this.seen.get(id);
        if (at !== undefined) entries.push([id, at]);
      }
      const removed = this.swept.filter((id) => !this.seen.has(id));
      this.added = [];
      this.swept = [];
      return rawTable(entries, removed);
    }
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
    if (this.added !== undefined) this.added = [];
    if (this.swept !== undefined) this.swept = [];
    const now = this.now();
    const entries = isKeyedTable(snapshot) ? tableEntries<string, number>(snapshot) : snapshot;
    for (const [id, at] of entries) if (now - at < this.windowMs) this.seen.set(id, at);
    // restored from a whole snapshot in incremental mode: the next delta starts a new chain, so it holds all
    if (this.added !== undefined && !isKeyedTable(snapshot)) this.added = [...this.seen.keys()];
    this.sweepAt = Math.max(SWEEP_MIN, this.seen.size * 2);
  }
}

const SWEEP_MIN = 65_536;
