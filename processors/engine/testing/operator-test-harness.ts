import type { KeyedProcessFunction } from '../api/keyed-process-function';
import type { AggregateFunction, Key, KeySelector } from '../functions';
import type { OutputTag } from '../output-tag';
import { KeyedProcessOperator } from '../runtime/operators/keyed-process-operator';
import type { Output, StreamOperator } from '../runtime/operators/stream-operator';
import { WindowOperator } from '../runtime/operators/window-operator';
import { InMemoryKeyedStateBackend } from '../state/in-memory-state-backend';
import { ManualClock } from '../time';
import type { ProcessWindowFunction } from '../windowing/process-window-function';
import type { Trigger } from '../windowing/trigger';
import type { WindowAssigner } from '../windowing/window-assigner';
import type { Window } from '../windowing/windows';

/** A record the operator emitted, with its event timestamp. */
export interface StreamRecord<T> {
  readonly value: T;
  readonly timestamp: number;
}

/** A watermark the operator forwarded. */
export interface WatermarkRecord {
  readonly watermark: number;
}

/** What `forWindow` builds: the `window(...)...aggregate(...)` chain of the DataStream API. */
export interface WindowSpec<T, K extends Key, W extends Window, ACC, V, R> {
  keySelector: KeySelector<T, K>;
  assigner: WindowAssigner<T, W>;
  trigger?: Trigger<T, W>;
  allowedLateness?: number;
  lateDataTag?: OutputTag<T>;
  aggregate: AggregateFunction<T, ACC, V>;
  windowFunction?: ProcessWindowFunction<V, R, K, W>;
}

/**
 * Drives one keyed operator by hand (Flink's `KeyedOneInputStreamOperatorTestHarness`): feed records and
 * watermarks, move processing time, read main and side output, snapshot and restore.
 */
export class KeyedOneInputStreamOperatorTestHarness<IN, OUT> implements Output {
  private readonly output: Array<StreamRecord<OUT> | WatermarkRecord> = [];
  private readonly sideOutputs = new Map<string, StreamRecord<unknown>[]>();
  private readonly operator: StreamOperator & { numTimers(): number };

  private constructor(
    build: (
      output: Output,
      backend: InMemoryKeyedStateBackend,
      clock: ManualClock,
    ) => StreamOperator & {
      numTimers(): number;
    },
    readonly clock: ManualClock,
    private readonly backend: InMemoryKeyedStateBackend,
  ) {
    this.operator = build(this, backend, clock);
    this.operator.open();
  }

  /** A harness around a {@link KeyedProcessFunction}. */
  static forProcessFunction<K extends Key, IN, OUT>(
    fn: KeyedProcessFunction<K, IN, OUT>,
    keySelector: KeySelector<IN, K>,
    clock = new ManualClock(0),
  ): KeyedOneInputStreamOperatorTestHarness<IN, OUT> {
    const backend = new InMemoryKeyedStateBackend(clock);
    return new KeyedOneInputStreamOperatorTestHarness<IN, OUT>(
      (out, b, c) =>
        new KeyedProcessOperator(
          'process',
          out,
          keySelector as KeySelector<unknown, Key>,
          fn as unknown as KeyedProcessFunction<Key, unknown, unknown>,
          b,
          c,
          0,
          1,
        ),
      clock,
      backend,
    );
  }

  /** A harness around a window operator. */
  static forWindow<T, K extends Key, W extends Window, ACC, V, R = V>(
    spec: WindowSpec<T, K, W, ACC, V, R>,
    clock = new ManualClock(0),
  ): KeyedOneInputStreamOperatorTestHarness<T, R> {
    const backend = new InMemoryKeyedStateBackend(clock);
    return new KeyedOneInputStreamOperatorTestHarness<T, R>(
      (out, b, c) =>
        new WindowOperator(
          {
            id: 'window',
            keySelector: spec.keySelector as KeySelector<unknown, Key>,
            assigner: spec.assigner as unknown as WindowAssigner<unknown, Window>,
            trigger: spec.trigger as unknown as Trigger<unknown, Window> | undefined,
            allowedLateness: spec.allowedLateness ?? 0,
            lateDataTag: spec.lateDataTag as OutputTag<unknown> | undefined,
            aggregate: spec.aggregate as unknown as AggregateFunction<unknown, unknown, unknown>,
            windowFunction: spec.windowFunction as unknown as ProcessWindowFunction<
              unknown,
              unknown,
              Key,
              Window
            >,
          },
          out,
          b,
          c,
        ),
      clock,
      backend,
    );
  }

  // Output (what the operator emits lands here)
  collect(value: unknown, timestamp: number): void {
    this.output.push({ value: value as OUT, timestamp });
  }
  collectSide(tag: OutputTag<unknown>, value: unknown, timestamp: number): void {
    const list = this.sideOutputs.get(tag.id) ?? [];
    list.push({ value, timestamp });
    this.sideOutputs.set(tag.id, list);
  }
  emitWatermark(watermark: number): void {
    this.output.push({ watermark });
  }

  processElement(value: IN, timestamp: number): void {
    this.operator.processElement(value, timestamp);
  }
  processWatermark(watermark: number): void {
    this.operator.processWatermark(watermark);
  }
  /** Moves the processing-time clock to `time` and fires due processing-time timers. */
  setProcessingTime(time: number): void {
    this.clock.set(time);
    this.operator.onProcessingTime(time);
  }

  /** Records and watermarks in emission order. */
  getOutput(): ReadonlyArray<StreamRecord<OUT> | WatermarkRecord> {
    return this.output;
  }
  /** Only the emitted records. */
  extractOutputStreamRecords(): StreamRecord<OUT>[] {
    return this.output.filter((o): o is StreamRecord<OUT> => 'value' in o);
  }
  /** Only the emitted values. */
  extractOutputValues(): OUT[] {
    return this.extractOutputStreamRecords().map((r) => r.value);
  }
  getSideOutput<X>(tag: OutputTag<X>): StreamRecord<X>[] {
    return (this.sideOutputs.get(tag.id) ?? []) as StreamRecord<X>[];
  }
  clearOutput(): void {
    this.output.length = 0;
    this.sideOutputs.clear();
  }

  /** (state, key) entries held; 0 once every window was cleaned up. */
  numKeyedStateEntries(): number {
    return this.backend.size();
  }
  numTimers(): number {
    return this.operator.numTimers();
  }
  /** Late records a window operator dropped because no late-data side output was set. */
  numLateRecordsDropped(): number {
    return this.operator instanceof WindowOperator ? this.operator.lateRecordsDropped : 0;
  }

  /** The operator's state (keyed state, timers, watermark) as a checkpoint would hold it. */
  snapshot(): unknown {
    return structuredClone(this.operator.snapshotState());
  }
  /** Restores a snapshot taken by {@link snapshot} (on a fresh harness, before feeding it). */
  initializeState(snapshot: unknown): void {
    this.operator.restoreState(structuredClone(snapshot));
  }
}
