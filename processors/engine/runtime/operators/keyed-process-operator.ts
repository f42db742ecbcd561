import type { KeyedProcessFunction, OnTimerContext } from '../../api/keyed-process-function';
import type { RuntimeContext } from '../../api/runtime-context';
import { TimeDomain, type TimerService } from '../../api/timer-service';
import type { Collector, Key, KeySelector } from '../../functions';
import type { OutputTag } from '../../output-tag';
import type { ListState, MapState, ReducingState, ValueState } from '../../state/state';
import type { KeyedStateBackend, KeyedStateSnapshot } from '../../state/state-backend';
import type {
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptors';
import type { Clock } from '../../time';
import { MIN_WATERMARK } from '../../time';
import { InternalTimerService, type TimerSnapshot, VOID_NAMESPACE_CODEC } from '../internal-timer-service';
import type { Output, StreamOperator } from './stream-operator';

interface KeyedProcessSnapshot {
  keyed: KeyedStateSnapshot;
  eventTimers: TimerSnapshot;
  processingTimers: TimerSnapshot;
  watermark: number;
}

/**
 * Runs a {@link KeyedProcessFunction} (Flink's `KeyedProcessOperator`). One context object is reused for
 * every call, so the hot path allocates nothing per record.
 */
export class KeyedProcessOperator
  implements StreamOperator, OnTimerContext<Key>, TimerService, Collector<unknown>, RuntimeContext
{
  private readonly eventTimers: InternalTimerService<null>;
  private readonly processingTimers: InternalTimerService<null>;
  private currentTimestamp = 0;
  private domain = TimeDomain.EVENT_TIME;
  private watermark = MIN_WATERMARK;

  constructor(
    readonly id: string,
    private readonly downstream: Output,
    private readonly keySelector: KeySelector<unknown, Key>,
    private readonly fn: KeyedProcessFunction<Key, unknown, unknown>,
    private readonly backend: KeyedStateBackend,
    private readonly clock: Clock,
    readonly taskIndex: number,
    readonly parallelism: number,
  ) {
    this.eventTimers = new InternalTimerService(
      (k, _n, t) => this.fire(k, t, TimeDomain.EVENT_TIME),
      VOID_NAMESPACE_CODEC,
    );
    this.processingTimers = new InternalTimerService(
      (k, _n, t) => this.fire(k, t, TimeDomain.PROCESSING_TIME),
      VOID_NAMESPACE_CODEC,
    );
  }

  // RuntimeContext
  getState<T>(d: ValueStateDescriptor<T>): ValueState<T> {
    return this.backend.getValueState(d);
  }
  getMapState<UK, UV>(d: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.backend.getMapState(d);
  }
  getListState<T>(d: ListStateDescriptor<T>): ListState<T> {
    return this.backend.getListState(d);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.backend.getReducingState(d);
  }

  open(): void {
    this.fn.open?.(this);
  }

  processElement(value: unknown, timestamp: number): void {
    this.backend.setCurrentKey(this.keySelector(value));
    this.currentTimestamp = timestamp;
    this.domain = TimeDomain.EVENT_TIME;
    this.fn.processElement(value, this, this);
  }

  processWatermark(watermark: number): void {
    this.watermark = watermark;
    this.eventTimers.advanceTo(watermark);
    this.downstream.emitWatermark(watermark);
  }

  onProcessingTime(now: number): void {
    this.processingTimers.advanceTo(now);
  }

  private fire(key: Key, time: number, domain: TimeDomain): void {
    this.backend.setCurrentKey(key);
    this.currentTimestamp = time;
    this.domain = domain;
    this.fn.onTimer?.(time, this, this);
  }

  // Collector
  collect(value: unknown): void {
    this.downstream.collect(value, this.currentTimestamp);
  }

  // Context / OnTimerContext
  timestamp(): number {
    return this.currentTimestamp;
  }
  timerService(): TimerService {
    return this;
  }
  getCurrentKey(): Key {
    return this.backend.getCurrentKey();
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    this.downstream.collectSide(tag as OutputTag<unknown>, value, this.currentTimestamp);
  }
  timeDomain(): TimeDomain {
    return this.domain;
  }

  // TimerService
  currentProcessingTime(): number {
    return this.clock.now();
  }
  currentWatermark(): number {
    return this.watermark;
  }
  registerEventTimeTimer(time: number): void {
    this.eventTimers.register(this.backend.getCurrentKey(), null, time);
  }
  registerProcessingTimeTimer(time: number): void {
    this.processingTimers.register(this.backend.getCurrentKey(), null, time);
  }
  deleteEventTimeTimer(time: number): void {
    this.eventTimers.delete(this.backend.getCurrentKey(), null, time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.processingTimers.delete(this.backend.getCurrentKey(), null, time);
  }

  /** Registered timers (event + processing time); for tests. */
  numTimers(): number {
    return this.eventTimers.size() + this.processingTimers.size();
  }

  snapshotState(): KeyedProcessSnapshot {
    return {
      keyed: this.backend.snapshot(),
      eventTimers: this.eventTimers.snapshot(),
      processingTimers: this.processingTimers.snapshot(),
      watermark: this.watermark,
    };
  }

  restoreState(state: unknown): void {
    const s = state as KeyedProcessSnapshot;
    this.backend.restore(s.keyed);
    this.watermark = s.watermark;
    this.eventTimers.restore(s.eventTimers, s.watermark);
    this.processingTimers.restore(s.processingTimers, Number.NEGATIVE_INFINITY);
  }

  close(): void {
    this.fn.close?.();
  }
}
