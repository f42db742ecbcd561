import type { AggregateFunction, Collector, Key, KeySelector } from '../../functions';
import type { OutputTag } from '../../output-tag';
import type { MapState, ReducingState, ValueState } from '../../state/state';
import type { KeyedStateBackend, KeyedStateSnapshot } from '../../state/state-backend';
import {
  MapStateDescriptor,
  type ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptors';
import type { Clock } from '../../time';
import { MIN_WATERMARK } from '../../time';
import { MergingWindowSet, type WindowMapping } from '../../windowing/merging-window-set';
import type { ProcessWindowContext, ProcessWindowFunction } from '../../windowing/process-window-function';
import { isFire, isPurge, type OnMergeContext, type Trigger } from '../../windowing/trigger';
import { isMergingAssigner, type WindowAssigner } from '../../windowing/window-assigner';
import { type TimeWindow, type Window, windowFromBounds } from '../../windowing/windows';
import { InternalTimerService, type NamespaceCodec, type TimerSnapshot } from '../internal-timer-service';
import type { Output, StreamOperator } from './stream-operator';

/** Everything a window operator needs. */
export interface WindowOperatorConfig {
  readonly id: string;
  readonly keySelector: KeySelector<unknown, Key>;
  readonly assigner: WindowAssigner<unknown, Window>;
  readonly trigger: Trigger<unknown, Window> | undefined;
  readonly allowedLateness: number;
  readonly lateDataTag: OutputTag<unknown> | undefined;
  readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
  readonly windowFunction: ProcessWindowFunction<unknown, unknown, Key, Window> | undefined;
}

interface WindowOperatorSnapshot {
  keyed: KeyedStateSnapshot;
  eventTimers: TimerSnapshot;
  processingTimers: TimerSnapshot;
  watermark: number;
  lateRecordsDropped: number;
}

const WINDOW_CODEC: NamespaceCodec<Window> = {
  equals: (a, b) => a.end === b.end && a.start === b.start,
  encode: (w) => [w.start, w.end],
  decode: (d) => {
    const [s, e] = d as [number, number];
    return windowFromBounds(s, e);
  },
};

const triggerStateId = (w: Window) => `${w.start}/${w.end}`;

/**
 * Keyed windows with incremental aggregation (Flink's `WindowOperator`): assigns each record to windows,
 * adds it to their accumulators, asks the trigger, emits on FIRE, clears on PURGE, and cleans a window up
 * at `maxTimestamp + allowedLateness`. Merging assigners (sessions) go through a {@link MergingWindowSet}
 * per key, merging accumulators, trigger state and timers. Records too late for every window go to the
 * late-data side output. Window contents are keyed by the end of the (state) window.
 */
export class WindowOperator implements StreamOperator, OnMergeContext, Collector<unknown> {
  readonly id: string;
  private readonly assigner: WindowAssigner<unknown, Window>;
  private readonly trigger: Trigger<unknown, Window>;
  private readonly merging: boolean;
  private readonly eventTime: boolean;
  private readonly contents: MapState<number, unknown>;
  private readonly triggerState: MapState<string, Record<string, unknown>>;
  private readonly mergingState: ValueState<WindowMapping>;
  private readonly eventTimers: InternalTimerService<Window>;
  private readonly processingTimers: InternalTimerService<Window>;
  private readonly reducingAdapters = new Map<string, ReducingState<unknown>>();
  private readonly valueAdapters = new Map<string, ValueState<unknown>>();
  private readonly processContext: ProcessWindowContext<Window>;
  private readonly mergeFunction = this.merge.bind(this);
  private watermark = MIN_WATERMARK;
  private key: Key = '';
  private window: Window = undefined as unknown as Window;
  private mergedWindows: readonly Window[] = [];
  private emitTimestamp = 0;
  /** Records dropped because they were late and no late-data tag was set (Flink's metric). */
  lateRecordsDropped = 0;

  constructor(
    private readonly config: WindowOperatorConfig,
    private readonly output: Output,
    private readonly backend: KeyedStateBackend,
    private readonly clock: Clock,
  ) {
    this.id = config.id;
    this.assigner = config.assigner;
    this.trigger = config.trigger ?? config.assigner.getDefaultTrigger();
    this.merging = isMergingAssigner(config.assigner);
    this.eventTime = config.assigner.isEventTime();
    if (this.merging && !this.trigger.canMerge()) {
      throw new Error(`trigger ${this.trigger.toString()} cannot be used with merging windows`);
    }
    this.contents = backend.getMapState(new MapStateDescriptor<number, unknown>('window-contents'));
    this.triggerState = backend.getMapState(
      new MapStateDescriptor<string, Record<string, unknown>>('window-triggers'),
    );
    this.mergingState = backend.getValueState(new ValueStateDescriptor<WindowMapping>('merging-window-set'));
    this.eventTimers = new InternalTimerService((k, w, t) => this.onEventTimer(k, w, t), WINDOW_CODEC);
    this.processingTimers = new InternalTimerService(
      (k, w, t) => this.onProcessingTimer(k, w, t),
      WINDOW_CODEC,
    );
    this.processContext = {
      window: () => this.window,
      currentProcessingTime: () => this.clock.now(),
      currentWatermark: () => this.watermark,
      output: (tag, value) => this.output.collectSide(tag as OutputTag<unknown>, value, this.emitTimestamp),
    };
  }

  open(): void {}
  close(): void {}

  processElement(value: unknown, timestamp: number): void {
    const key = this.config.keySelector(value);
    this.backend.setCurrentKey(key);
    this.key = key;
    const windows = this.assigner.assignWindows(value, timestamp, this);
    let skipped = true;
    if (this.merging) {
      const set = this.getMergingWindowSet();
      for (let i = 0; i < windows.length; i++) {
        const actual = set.addWindow(windows[i] as TimeWindow, this.mergeFunction);
        if (this.isWindowLate(actual)) {
          set.retireWindow(actual);
          continue;
        }
        skipped = false;
        const stateWindow = set.getStateWindow(actual) as TimeWindow;
        this.addToWindow(value, timestamp, actual, stateWindow.end);
      }
      this.persist(set);
    } else {
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i] as Window;
        if (this.isWindowLate(w)) continue;
        skipped = false;
        this.addToWindow(value, timestamp, w, w.end);
      }
    }
    if (skipped && this.eventTime && timestamp + this.config.allowedLateness <= this.watermark) {
      if (this.config.lateDataTag !== undefined)
        this.output.collectSide(this.config.lateDataTag, value, timestamp);
      else this.lateRecordsDropped++;
    }
  }

  private addToWindow(value: unknown, timestamp: number, window: Window, stateId: number): void {
    const agg = this.config.aggregate;
    const prev = this.contents.get(stateId);
    const next = agg.add(value, prev === undefined ? agg.createAccumulator() : prev);
    if (next !== prev) this.contents.put(stateId, next);
    this.window = window;
    const r = this.trigger.onElement(value, timestamp, window, this);
    if (r !== 0) {
      if (isFire(r)) this.emitWindowContents(window, next);
      if (isPurge(r)) this.contents.remove(stateId);
    }
    this.registerCleanupTimer(window);
  }

  private merge(
    mergeResult: TimeWindow,
    mergedWindows: readonly TimeWindow[],
    stateWindowResult: TimeWindow,
    mergedStateWindows: readonly TimeWindow[],
  ): void {
    // Flink refuses a merge whose result is already past cleanup; it cannot happen here because
    // in-flight windows are retired at cleanup and a merge result covers an in-flight window.
    this.window = mergeResult;
    this.mergedWindows = mergedWindows;
    this.trigger.onMerge?.(mergeResult, this);
    for (const m of mergedWindows) {
      this.window = m;
      this.trigger.clear(m, this);
      this.triggerState.remove(triggerStateId(m));
      this.deleteCleanupTimer(m);
    }
    this.mergedWindows = [];
    // Merge the accumulators of the merged state windows into the one that is kept.
    const agg = this.config.aggregate;
    let acc = this.contents.get(stateWindowResult.end);
    for (const sw of mergedStateWindows) {
      const other = this.contents.get(sw.end);
      if (other === undefined) continue;
      acc = acc === undefined ? other : agg.merge(acc, other);
      this.contents.remove(sw.end);
    }
    if (acc !== undefined) this.contents.put(stateWindowResult.end, acc);
  }

  processWatermark(watermark: number): void {
    this.watermark = watermark;
    this.eventTimers.advanceTo(watermark);
    this.output.emitWatermark(watermark);
  }

  onProcessingTime(now: number): void {
    this.processingTimers.advanceTo(now);
  }

  private onEventTimer(key: Key, window: Window, time: number): void {
    this.onTimer(key, window, time, true);
  }

  private onProcessingTimer(key: Key, window: Window, time: number): void {
    this.onTimer(key, window, time, false);
  }

  private onTimer(key: Key, window: Window, time: number, eventTimeTimer: boolean): void {
    this.backend.setCurrentKey(key);
    this.key = key;
    this.window = window;
    let set: MergingWindowSet | undefined;
    let stateId = window.end;
    if (this.merging) {
      set = this.getMergingWindowSet();
      const sw = set.getStateWindow(window as TimeWindow);
      if (sw === undefined) return; // the window was merged away or retired
      stateId = sw.end;
    }
    const r = eventTimeTimer
      ? this.trigger.onEventTime(time, window, this)
      : this.trigger.onProcessingTime(time, window, this);
    if (isFire(r)) {
      const acc = this.contents.get(stateId);
      if (acc !== undefined) this.emitWindowContents(window, acc);
    }
    if (isPurge(r)) this.contents.remove(stateId);
    if (this.eventTime === eventTimeTimer && time === this.cleanupTime(window)) {
      this.contents.remove(stateId);
      this.window = window;
      this.trigger.clear(window, this);
      this.triggerState.remove(triggerStateId(window));
      set?.retireWindow(window as TimeWindow);
    }
    if (set !== undefined) this.persist(set);
  }

  private emitWindowContents(window: Window, acc: unknown): void {
    const result = this.config.aggregate.getResult(acc);
    const ts = window.maxTimestamp();
    this.emitTimestamp = ts;
    const fn = this.config.windowFunction;
    if (fn === undefined) this.output.collect(result, ts);
    else {
      this.window = window;
      fn.process(this.key, this.processContext, [result], this);
    }
  }

  /** Collector for the window function. */
  collect(value: unknown): void {
    this.output.collect(value, this.emitTimestamp);
  }

  private getMergingWindowSet(): MergingWindowSet {
    const mapping = this.mergingState.value() ?? [];
    return new MergingWindowSet(
      this.assigner.mergeWindows as unknown as ConstructorParameters<typeof MergingWindowSet>[0],
      mapping,
    );
  }

  private persist(set: MergingWindowSet): void {
    if (set.mapping.length === 0) this.mergingState.clear();
    else this.mergingState.update(set.mapping);
  }

  private cleanupTime(window: Window): number {
    return this.eventTime ? window.maxTimestamp() + this.config.allowedLateness : window.maxTimestamp();
  }

  private isWindowLate(window: Window): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.watermark;
  }

  private registerCleanupTimer(window: Window): void {
    const t = this.cleanupTime(window);
    if (t >= Number.MAX_VALUE) return;
    if (this.eventTime) this.eventTimers.register(this.key, window, t);
    else this.processingTimers.register(this.key, window, t);
  }

  private deleteCleanupTimer(window: Window): void {
    const t = this.cleanupTime(window);
    if (t >= Number.MAX_VALUE) return;
    if (this.eventTime) this.eventTimers.delete(this.key, window, t);
    else this.processingTimers.delete(this.key, window, t);
  }

  // TriggerContext / OnMergeContext / WindowAssignerContext
  getCurrentProcessingTime(): number {
    return this.clock.now();
  }
  getCurrentWatermark(): number {
    return this.watermark;
  }
  registerEventTimeTimer(time: number): void {
    this.eventTimers.register(this.key, this.window, time);
  }
  registerProcessingTimeTimer(time: number): void {
    this.processingTimers.register(this.key, this.window, time);
  }
  deleteEventTimeTimer(time: number): void {
    this.eventTimers.delete(this.key, this.window, time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.processingTimers.delete(this.key, this.window, time);
  }

  getPartitionedState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    let s = this.valueAdapters.get(descriptor.name);
    if (s === undefined) {
      const name = descriptor.name;
      s = {
        value: () => {
          const v = this.triggerState.get(triggerStateId(this.window))?.[name];
          return v === undefined ? descriptor.defaultValue : v;
        },
        update: (v) => this.setTriggerValue(this.window, name, v),
        clear: () => this.setTriggerValue(this.window, name, undefined),
      };
      this.valueAdapters.set(name, s);
    }
    return s as ValueState<T>;
  }

  getPartitionedReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    let s = this.reducingAdapters.get(descriptor.name);
    if (s === undefined) {
      const name = descriptor.name;
      const reduce = descriptor.reduce as (a: unknown, b: unknown) => unknown;
      s = {
        get: () => this.triggerState.get(triggerStateId(this.window))?.[name],
        add: (v) => {
          const cur = this.triggerState.get(triggerStateId(this.window))?.[name];
          this.setTriggerValue(this.window, name, cur === undefined ? v : reduce(cur, v));
        },
        clear: () => this.setTriggerValue(this.window, name, undefined),
      };
      this.reducingAdapters.set(name, s);
    }
    return s as ReducingState<T>;
  }

  mergePartitionedState<T>(descriptor: ReducingStateDescriptor<T>): void {
    let acc: T | undefined = this.triggerState.get(triggerStateId(this.window))?.[descriptor.name] as
      | T
      | undefined;
    for (const m of this.mergedWindows) {
      const v = this.triggerState.get(triggerStateId(m))?.[descriptor.name] as T | undefined;
      if (v === undefined) continue;
      acc = acc === undefined ? v : descriptor.reduce(acc, v);
    }
    this.setTriggerValue(this.window, descriptor.name, acc);
  }

  private setTriggerValue(window: Window, name: string, value: unknown): void {
    const id = triggerStateId(window);
    const rec = this.triggerState.get(id);
    if (value === undefined) {
      if (rec === undefined) return;
      delete rec[name];
      if (Object.keys(rec).length === 0) this.triggerState.remove(id);
      else this.triggerState.put(id, rec);
      return;
    }
    if (rec === undefined) this.triggerState.put(id, { [name]: value });
    else {
      rec[name] = value;
      this.triggerState.put(id, rec);
    }
  }

  /** Registered timers (event + processing time); for tests of cleanup. */
  numTimers(): number {
    return this.eventTimers.size() + this.processingTimers.size();
  }

  snapshotState(): WindowOperatorSnapshot {
    return {
      keyed: this.backend.snapshot(),
      eventTimers: this.eventTimers.snapshot(),
      processingTimers: this.processingTimers.snapshot(),
      watermark: this.watermark,
      lateRecordsDropped: this.lateRecordsDropped,
    };
  }

  restoreState(state: unknown): void {
    const s = state as WindowOperatorSnapshot;
    this.backend.restore(s.keyed);
    this.watermark = s.watermark;
    this.lateRecordsDropped = s.lateRecordsDropped;
    this.eventTimers.restore(s.eventTimers, s.watermark);
    this.processingTimers.restore(s.processingTimers, Number.NEGATIVE_INFINITY);
  }
}
