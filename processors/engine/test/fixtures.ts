import type { AggregateFunction, ProcessWindowFunction, TimeWindow, Window } from '../index';

/** A keyed test record: Flink's WindowOperatorTest uses Tuple2<String, Integer>; this is its twin. */
export interface KV {
  key: string;
  value: number;
}

export const kv = (key: string, value = 1): KV => ({ key, value });
export const byKey = (e: KV) => e.key;

/** Sums `value` (a number accumulator, so `add` returns a new value). */
export const sum: AggregateFunction<KV, number, number> = {
  createAccumulator: () => 0,
  add: (e, acc) => acc + e.value,
  merge: (a, b) => a + b,
  getResult: (acc) => acc,
};

/** Emits `key:start-end=result` so tests see key, window and result together. */
export const describe_: ProcessWindowFunction<number, string, string, Window> = {
  process(key, ctx, elements, out) {
    const w = ctx.window();
    for (const v of elements) out.collect(`${key}:${w.start}-${w.end}=${v}`);
  },
};

export type { TimeWindow };
