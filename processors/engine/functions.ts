/** Receives the records an operator emits (Flink's `Collector<T>`). */
export interface Collector<T> {
  collect(value: T): void;
}

/** Extracts the key of a record for `keyBy`; keys must be strings or numbers (compared with `===`). */
export type KeySelector<T, K extends Key> = (value: T) => K;

/** What `keyBy` accepts as a key: compared by value, usable as a Map key and in snapshots. */
export type Key = string | number;

/** One record in, one record out. */
export type MapFunction<T, R> = (value: T) => R;

/** Keeps the records for which it returns true. */
export type FilterFunction<T> = (value: T) => boolean;

/** One record in, zero or more out through the collector. */
export type FlatMapFunction<T, R> = (value: T, out: Collector<R>) => void;

/** Combines two values of the same type (Flink's `ReduceFunction<T>`). */
export type ReduceFunction<T> = (a: T, b: T) => T;

/**
 * Incremental aggregation (Flink's `AggregateFunction<IN, ACC, OUT>`). Accumulators must be plain data
 * (structured-cloneable) because they are part of checkpoints. `add` and `merge` may mutate and return
 * their first argument.
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}
