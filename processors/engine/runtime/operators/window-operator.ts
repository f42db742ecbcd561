import type { AggregateFunction, Collector, Key, KeySelector } from '../../functions';
import type { OutputTag } from '../../output-tag';
import type { ReducingState, ValueState } from '../../state/state';
import type { KeyedStateBackend, KeyedStateSnapshot } from '../../state/state-backend';
import { type ReducingStateDescriptor, ValueStateDescriptor } from '../../state/state-descriptors';
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

type MergeWindowsFn = ConstructorParameters<typeof MergingWindowSet>[0];

const triggerStateId = (w: Window) => `${w.start}/${w.end}`;

/**
 * All window state of one key in one keyed-state value, so a record costs one state lookup: the ends of
 * the (state) windows that have contents with their accumulators, the in-flight windows of merging
 * assigners, and per-window trigger state.
 */
interface KeyWindows {
  e: number[];
  a: unknown[];
  m: WindowMapping | undefined;
  t: Record<string, Record<string, unknown>> | undefined;
}

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
  private readonly state: ValueState<KeyWindows>;
  /** The window state of the current key (undefined when it has none). */
  private ws: KeyWindows | undefined;
  private readonly eventTimers: InternalTimerService<Window>;
  private readonly processingTimers: InternalTimerService<Window>;
  private readonly reducingAdapters = new Map<string, ReducingState<unknown>>();
  private readonly valueAdapters = new Map<string, ValueState<unknown>>();
  private readonly processContext: ProcessWindowContext<Window>;
  private readonly mergeFunction = this.merge.bind(this);
  private mergingWindowSet: MergingWindowSet | undefined;
  /** Set once the trigger asked for per-window state; until then there is none to clean up. */
  private triggerUsesState = false;
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
    this.state = backend.getValueState(new ValueStateDescriptor<KeyWindows>('windows'));
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
    this.ws = this.state.value();
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
        this.addToWindow(value, timestamp, actual, set.getStateWindowEnd(actual) as number);
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
    if (skipped) {
      this.clearIfEmpty();
      if (this.eventTime && timestamp + this.config.allowedLateness <= this.watermark) {
        if (this.config.lateDataTag !== undefined)
          this.output.collectSide(this.config.lateDataTag, value, timestamp);
        else this.lateRecordsDropped++;
      }
    }
  }

  private ensureState(): KeyWindows {
    let ws = this.ws;
    if (ws === undefined) {
      ws = { e: [], a: [], m: undefined, t: undefined };
      this.ws = ws;
      this.state.update(ws);
    }
    return ws;
  }

  private getAcc(stateId: number): unknown {
    const ws = this.ws;
    if (ws === undefined) return undefined;
    const i = ws.e.indexOf(stateId);
    return i < 0 ? undefined : ws.a[i];
  }

  private putAcc(stateId: number, acc: unknown): void {
    const ws = this.ensureState();
    const i = ws.e.indexOf(stateId);
    if (i < 0) {
      ws.e.push(stateId);
      ws.a.push(acc);
    } else ws.a[i] = acc;
  }

  private removeAcc(stateId: number): void {
    const ws = this.ws;
    if (ws === undefined) return;
    const i = ws.e.indexOf(stateId);
    if (i < 0) return;
    ws.e.splice(i, 1);
    ws.a.splice(i, 1);
  }

  /** Drops the key's state entry once nothing is left in it. */
  private clearIfEmpty(): void {
    const ws = this.ws;
    if (ws === undefined) return;
    if (ws.e.length > 0 || (ws.m !== undefined && ws.m.length > 0)) return;
    if (ws.t !== undefined) {
      for (const _ in ws.t) return;
    }
    this.state.clear();
    this.ws = undefined;
  }

  private addToWindow(value: unknown, timestamp: number, window: Window, stateId: number): void {
    const agg = this.config.aggregate;
    const ws = this.ensureState();
    let i = ws.e.indexOf(stateId);
    if (i < 0) {
      i = ws.e.length;
      ws.e.push(stateId);
      ws.a.push(agg.createAccumulator());
    }
    const next = agg.add(value, ws.a[i]);
    ws.a[i] = next;
    this.window = window;
    const r = this.trigger.onElement(value, timestamp, window, this);
    if (r !== 0) {
      if (isFire(r)) this.emitWindowContents(window, next);
      if (isPurge(r)) this.removeAcc(stateId);
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
      if (this.triggerUsesState) this.removeTriggerState(m);
      this.deleteCleanupTimer(m);
    }
    this.mergedWindows = [];
    if (mergedStateWindows.length === 0) return;
    // Merge the accumulators of the merged state windows into the one that is kept.
    const agg = this.config.aggregate;
    let acc = this.getAcc(stateWindowResult.end);
    for (const sw of mergedStateWindows) {
      const other = this.getAcc(sw.end);
      if (other === undefined) continue;
      acc = acc === undefined ? other : agg.merge(acc, other);
      this.removeAcc(sw.end);
    }
    if (acc !== undefined) this.putAcc(stateWindowResult.end, acc);
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
    this.ws = this.state.value();
    let set: MergingWindowSet | undefined;
    let stateId = window.end;
    if (this.merging) {
      set = this.getMergingWindowSet();
      const sw = set.getStateWindowEnd(window as TimeWindow);
      if (sw === undefined) return; // the window was merged away or retired
      stateId = sw;
    }
    const r = eventTimeTimer
      ? this.trigger.onEventTime(time, window, this)
      : this.trigger.onProcessingTime(time, window, this);
    if (isFire(r)) {
      const acc = this.getAcc(stateId);
      if (acc !== undefined) this.emitWindowContents(window, acc);
    }
    if (isPurge(r)) this.removeAcc(stateId);
    if (this.eventTime === eventTimeTimer && time === this.cleanupTime(window)) {
      this.removeAcc(stateId);
      this.window = window;
      this.trigger.clear(window, this);
      if (this.triggerUsesState) this.removeTriggerState(window);
      set?.retireWindow(window as TimeWindow);
    }
    if (set !== undefined) this.persist(set);
    else this.clearIfEmpty();
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
    const mapping = this.ws?.m ?? [];
    if (this.mergingWindowSet === undefined) {
      const assigner = this.assigner;
      this.mergingWindowSet = new MergingWindowSet(
        (assigner.mergeWindows as MergeWindowsFn).bind(assigner),
        mapping,
      );
    } else this.mergingWindowSet.mapping = mapping;
    return this.mergingWindowSet;
  }

  private persist(set: MergingWindowSet): void {
    if (set.mapping.length > 0) this.ensureState().m = set.mapping;
    else if (this.ws !== undefined) this.ws.m = undefined;
    this.clearIfEmpty();
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
    this.triggerUsesState = true;
    let s = this.valueAdapters.get(descriptor.name);
    if (s === undefined) {
      const name = descriptor.name;
      s = {
        value: () => {
          const v = this.triggerRecord(this.window)?.[name];
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
    this.triggerUsesState = true;
    let s = this.reducingAdapters.get(descriptor.name);
    if (s === undefined) {
      const name = descriptor.name;
      const reduce = descriptor.reduce as (a: unknown, b: unknown) => unknown;
      s = {
        get: () => this.triggerRecord(this.window)?.[name],
        add: (v) => {
          const cur = this.triggerRecord(this.window)?.[name];
          this.setTriggerValue(this.window, name, cur === undefined ? v : reduce(cur, v));
        },
        clear: () => this.setTriggerValue(this.window, name, undefined),
      };
      this.reducingAdapters.set(name, s);
    }
    return s as ReducingState<T>;
  }

  mergePartitionedState<T>(descriptor: ReducingStateDescriptor<T>): void {
    this.triggerUsesState = true;
    let acc: T | undefined = this.triggerRecord(this.window)?.[descriptor.name] as T | undefined;
    for (const m of this.mergedWindows) {
      const v = this.triggerRecord(m)?.[descriptor.name] as T | undefined;
      if (v === undefined) continue;
      acc = acc === undefined ? v : descriptor.reduce(acc, v);
    }
    this.setTriggerValue(this.window, descriptor.name, acc);
  }

  private triggerRecord(window: Window): Record<string, unknown> | undefined {
    return this.ws?.t?.[triggerStateId(window)];
  }

  private removeTriggerState(window: Window): void {
    const t = this.ws?.t;
    if (t !== undefined) delete t[triggerStateId(window)];
  }

  private setTriggerValue(window: Window, name: string, value: unknown): void {
    const id = triggerStateId(window);
    if (value === undefined) {
      const rec = this.ws?.t?.[id];
      if (rec === undefined) return;
      delete rec[name];
      for (const _ in rec) return;
      const t = this.ws?.t;
      if (t !== undefined) delete t[id];
      return;
    }
    const ws = this.ensureState();
    if (ws.t === undefined) ws.t = {};
    const rec = ws.t[id];
    if (rec === undefined) ws.t[id] = { [name]: value };
    else rec[name] = value;
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
