import {
  type AggregateFunction,
  type CheckpointStorage,
  CollectSink,
  EventTimeSessionWindows,
  InMemorySource,
  ManualClock,
  type ProcessWindowFunction,
  type StateBackend,
  StreamExecutionEnvironment,
  type TimeWindow,
  WatermarkStrategy,
  type Window,
} from '../index';

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

/** A timestamped keyed record of the checkpoint tests. */
export interface TimedKV extends KV {
  ts: number;
}

/**
 * The checkpoint tests' job: two partitions of `events`, bounded out-of-orderness 10, keyed session
 * windows (gap 40) summing `value`, into a sink; the storage (and state backend) are the test's.
 */
export function sessionSumJob(
  events: readonly TimedKV[],
  storage: { checkpointStorage: CheckpointStorage; stateBackend?: StateBackend },
): { env: StreamExecutionEnvironment; sink: CollectSink<number> } {
  const env = StreamExecutionEnvironment.create({ maxBatchSize: 4, clock: new ManualClock(0), ...storage });
  const sink = new CollectSink<number>();
  env
    .fromSource(
      InMemorySource.fromElements([...events], 2),
      WatermarkStrategy.forBoundedOutOfOrderness<TimedKV>(10).withTimestampAssigner((e) => e.ts),
    )
    .keyBy((e) => e.key)
    .window(EventTimeSessionWindows.withGap(40))
    .aggregate(sum, undefined, 'sessions')
    .sinkTo(sink);
  return { env, sink };
}

export type { TimeWindow };
