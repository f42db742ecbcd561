import type { Key } from '../functions';

/** Turns namespaces (windows) into plain data for checkpoints and back. */
export interface NamespaceCodec<N> {
  equals(a: N, b: N): boolean;
  encode(n: N): unknown;
  decode(d: unknown): N;
}

/** Called for each timer that fires. */
export type TimerTarget<N> = (key: Key, namespace: N, timestamp: number) => void;

/** A checkpoint of a timer service: `[time, key, namespace]` in firing order. */
export type TimerSnapshot = Array<[number, Key, unknown]>;

interface TimerEntry<N> {
  readonly ts: number;
  readonly key: Key;
  readonly ns: N;
  live: boolean;
}

/**
 * Timers of one operator in one time domain (Flink's `InternalTimerService`): deduplicated by (key,
 * namespace, time); fired in time order, and within one time in registration order. Timers sit in one
 * bucket per timestamp, with a min-heap of the distinct timestamps (plain numbers: cheap to compare and
 * few, since many timers share a window end), plus an index by key for dedup and delete (a key holds few
 * timers). Deleted timers are only marked; their bucket drops them when it fires.
 */
export class InternalTimerService<N> {
  private readonly heap: number[] = [];
  private readonly buckets = new Map<number, TimerEntry<N>[]>();
  private readonly byKey = new Map<Key, TimerEntry<N>[]>();
  // The last key looked up and its list: an operator registers and deletes several timers of the same
  // key in a row (merge, trigger, cleanup), so this saves most lookups in a large map.
  private cachedKey: Key | undefined;
  private cachedList: TimerEntry<N>[] | undefined;
  private current = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    private readonly target: TimerTarget<N>,
    private readonly codec: NamespaceCodec<N>,
  ) {}

  /** The time this service was last advanced to (watermark or processing time). */
  currentTime(): number {
    return this.current;
  }

  /** Number of registered timers. */
  size(): number {
    return this.count;
  }

  private listOf(key: Key): TimerEntry<N>[] | undefined {
    if (key !== this.cachedKey) {
      this.cachedKey = key;
      this.cachedList = this.byKey.get(key);
    }
    return this.cachedList;
  }

  register(key: Key, namespace: N, time: number): void {
    let list = this.listOf(key);
    if (list === undefined) {
      list = [];
      this.byKey.set(key, list);
      this.cachedList = list;
    } else {
      for (let i = 0; i < list.length; i++) {
        const e = list[i] as TimerEntry<N>;
        if (e.ts === time && this.codec.equals(e.ns, namespace)) return;
      }
    }
    const e: TimerEntry<N> = { ts: time, key, ns: namespace, live: true };
    list.push(e);
    this.count++;
    const bucket = this.buckets.get(time);
    if (bucket === undefined) {
      this.buckets.set(time, [e]);
      this.push(time);
    } else bucket.push(e);
  }

  delete(key: Key, namespace: N, time: number): void {
    const list = this.listOf(key);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const e = list[i] as TimerEntry<N>;
      if (e.ts === time && this.codec.equals(e.ns, namespace)) {
        e.live = false;
        this.unlist(list, i, key);
        this.count--;
        return;
      }
    }
  }

  private unlist(list: TimerEntry<N>[], i: number, key: Key): void {
    const last = list.length - 1;
    if (i !== last) list[i] = list[last] as TimerEntry<N>;
    list.pop();
    if (list.length === 0) {
      this.byKey.delete(key);
      if (key === this.cachedKey) this.cachedList = undefined;
    }
  }

  /** Fires every timer with time ≤ `time`, including ones registered while firing. */
  advanceTo(time: number): void {
    if (time > this.current) this.current = time;
    const heap = this.heap;
    while (heap.length > 0 && (heap[0] as number) <= time) {
      const ts = this.pop();
      const bucket = this.buckets.get(ts);
      if (bucket === undefined) continue;
      this.buckets.delete(ts); // timers registered for `ts` while firing go to a new bucket
      for (let i = 0; i < bucket.length; i++) {
        const e = bucket[i] as TimerEntry<N>;
        if (!e.live) continue;
        e.live = false;
        const list = this.listOf(e.key) as TimerEntry<N>[];
        this.unlist(list, list.indexOf(e), e.key);
        this.count--;
        this.target(e.key, e.ns, ts);
      }
    }
  }

  snapshot(): TimerSnapshot {
    const out: TimerSnapshot = [];
    const times = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const t of times) {
      for (const e of this.buckets.get(t) as TimerEntry<N>[]) {
        if (e.live) out.push([t, e.key, this.codec.encode(e.ns)]);
      }
    }
    return out;
  }

  restore(snapshot: TimerSnapshot, currentTime: number): void {
    this.heap.length = 0;
    this.buckets.clear();
    this.byKey.clear();
    this.cachedKey = undefined;
    this.cachedList = undefined;
    this.count = 0;
    this.current = currentTime;
    for (const [ts, key, ns] of snapshot) this.register(key, this.codec.decode(ns), ts);
  }

  private push(t: number): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as number) <= t) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = t;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0] as number;
    const last = h.pop() as number;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (h[r] as number) < (h[l] as number) ? r : l;
        if ((h[c] as number) >= last) break;
        h[i] = h[c] as number;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/** The namespace of timers that have none (KeyedProcessFunction). */
export const VOID_NAMESPACE_CODEC: NamespaceCodec<null> = {
  equals: () => true,
  encode: () => null,
  decode: () => null,
};
