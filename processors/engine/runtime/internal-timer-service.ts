import type { Key } from '../functions';

/** Turns namespaces (windows) into plain data for checkpoints and back. */
export interface NamespaceCodec<N> {
  equals(a: N, b: N): boolean;
  encode(n: N): unknown;
  decode(d: unknown): N;
}

/** Called for each timer that fires. */
export type TimerTarget<N> = (key: Key, namespace: N, timestamp: number) => void;

/** A checkpoint of a timer service: per timestamp (ascending), per key (in insertion order), namespaces. */
export type TimerSnapshot = Array<[number, Array<[Key, unknown[]]>]>;

/**
 * Timers of one operator in one time domain (Flink's `InternalTimerService`): deduplicated by (key,
 * namespace, time); fired in time order, and within one time in registration order. Timers are bucketed
 * by time so the many key-windows that end together cost one heap entry.
 */
export class InternalTimerService<N> {
  private readonly heap: number[] = [];
  private readonly buckets = new Map<number, Map<Key, N[]>>();
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

  register(key: Key, namespace: N, time: number): void {
    let bucket = this.buckets.get(time);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(time, bucket);
      this.push(time);
    }
    const list = bucket.get(key);
    if (list === undefined) {
      bucket.set(key, [namespace]);
      this.count++;
      return;
    }
    for (let i = 0; i < list.length; i++) if (this.codec.equals(list[i] as N, namespace)) return;
    list.push(namespace);
    this.count++;
  }

  delete(key: Key, namespace: N, time: number): void {
    const bucket = this.buckets.get(time);
    const list = bucket?.get(key);
    if (bucket === undefined || list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (this.codec.equals(list[i] as N, namespace)) {
        list.splice(i, 1);
        this.count--;
        if (list.length === 0) bucket.delete(key);
        if (bucket.size === 0) this.buckets.delete(time); // its heap entry is skipped when popped
        return;
      }
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
      // The bucket stays live while firing: timers deleted meanwhile do not fire, new ones at ≤ time do.
      for (;;) {
        const first = bucket.entries().next();
        if (first.done === true) break;
        const [key, list] = first.value;
        const ns = list.shift() as N;
        if (list.length === 0) bucket.delete(key);
        this.count--;
        this.target(key, ns, ts);
      }
      if (this.buckets.get(ts) === bucket) this.buckets.delete(ts);
    }
  }

  snapshot(): TimerSnapshot {
    const times = [...this.buckets.keys()].sort((a, b) => a - b);
    return times.map((t) => [
      t,
      [...(this.buckets.get(t) as Map<Key, N[]>)].map(([k, list]) => [
        k,
        list.map((n) => this.codec.encode(n)),
      ]),
    ]);
  }

  restore(snapshot: TimerSnapshot, currentTime: number): void {
    this.heap.length = 0;
    this.buckets.clear();
    this.count = 0;
    this.current = currentTime;
    for (const [t, keys] of snapshot) {
      const bucket = new Map<Key, N[]>();
      for (const [k, list] of keys) {
        bucket.set(
          k,
          list.map((d) => this.codec.decode(d)),
        );
        this.count += list.length;
      }
      this.buckets.set(t, bucket);
      this.push(t);
    }
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
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
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
