import {
  CollectSink,
  KeyedOneInputStreamOperatorTestHarness as Harness,
  InMemorySource,
  type KeyedProcessFunction,
  type ListState,
  ListStateDescriptor,
  ManualClock,
  type MapState,
  MapStateDescriptor,
  OutputTag,
  runToCompletion,
  StateTtlConfig,
  StateVisibility,
  StreamExecutionEnvironment,
  TimeDomain,
  UpdateType,
  type ValueState,
  ValueStateDescriptor,
  WatermarkStrategy,
} from '../index';
import { byKey, type KV, kv } from './fixtures';

const negative = new OutputTag<KV>('negative');

/** Counts per key; emits the count 10 ms (event time) after the first record; negatives go aside. */
function countWithTimeout(): KeyedProcessFunction<string, KV, string> {
  let count: ValueState<number>;
  return {
    open(ctx) {
      count = ctx.getState(new ValueStateDescriptor<number>('count', 0));
    },
    processElement(value, ctx, _out) {
      if (value.value < 0) {
        ctx.output(negative, value);
        return;
      }
      const c = count.value() ?? 0;
      if (c === 0) ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
      count.update(c + value.value);
    },
    onTimer(ts, ctx, out) {
      out.collect(`${ctx.getCurrentKey()}@${ts}:${count.value()} (${ctx.timeDomain()})`);
      count.clear();
    },
  };
}

describe('KeyedProcessFunction', () => {
  test('keyed value state, event-time timers and side outputs', () => {
    const h = Harness.forProcessFunction(countWithTimeout(), byKey);
    h.processElement(kv('a'), 1);
    h.processElement(kv('b', 5), 2);
    h.processElement(kv('a', 2), 3);
    h.processElement(kv('a', -1), 4);
    h.processWatermark(10);
    expect(h.extractOutputValues()).toEqual([]);
    h.processWatermark(11);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: 'a@11:3 (EVENT_TIME)', timestamp: 11 }]);
    h.processWatermark(100);
    expect(h.extractOutputValues()).toEqual(['a@11:3 (EVENT_TIME)', 'b@12:5 (EVENT_TIME)']);
    expect(h.getSideOutput(negative)).toEqual([{ value: kv('a', -1), timestamp: 4 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('processing-time timers follow the injected clock; deleted timers do not fire', () => {
    const fn: KeyedProcessFunction<string, KV, string> = {
      processElement(value, ctx) {
        const t = ctx.timerService();
        t.registerProcessingTimeTimer(t.currentProcessingTime() + 100);
        if (value.value === 0) t.deleteProcessingTimeTimer(t.currentProcessingTime() + 100);
      },
      onTimer(ts, ctx, out) {
        expect(ctx.timeDomain()).toBe(TimeDomain.PROCESSING_TIME);
        out.collect(`${ctx.getCurrentKey()}@${ts}`);
      },
    };
    const h = Harness.forProcessFunction(fn, byKey, new ManualClock(1000));
    h.processElement(kv('a'), 0);
    h.processElement(kv('b', 0), 0);
    h.setProcessingTime(1099);
    expect(h.extractOutputValues()).toEqual([]);
    h.setProcessingTime(1100);
    expect(h.extractOutputValues()).toEqual(['a@1100']);
  });

  test('map and list state are per key', () => {
    let m: MapState<number, number>;
    let l: ListState<number>;
    const fn: KeyedProcessFunction<string, KV, string> = {
      open(ctx) {
        m = ctx.getMapState(new MapStateDescriptor<number, number>('m'));
        l = ctx.getListState(new ListStateDescriptor<number>('l'));
      },
      processElement(value, _ctx, out) {
        m.put(value.value, (m.get(value.value) ?? 0) + 1);
        l.add(value.value);
        out.collect(`${value.key}:${[...m.entries()].join('|')}:${l.get().join(',')}`);
      },
    };
    const h = Harness.forProcessFunction(fn, byKey);
    h.processElement(kv('a', 1), 0);
    h.processElement(kv('b', 1), 0);
    h.processElement(kv('a', 1), 0);
    h.processElement(kv('a', 2), 0);
    expect(h.extractOutputValues()).toEqual(['a:1,1:1', 'b:1,1:1', 'a:1,2:1,1', 'a:1,2|2,1:1,1,2']);
  });

  test('state TTL expires values in processing time; OnReadAndWrite refreshes on read', () => {
    const make = (updateType: UpdateType) => {
      const clock = new ManualClock(0);
      const desc = new ValueStateDescriptor<number>('v').enableTimeToLive(
        StateTtlConfig.newBuilder(100)
          .setUpdateType(updateType)
          .setStateVisibility(StateVisibility.NeverReturnExpired)
          .build(),
      );
      let v: ValueState<number>;
      const fn: KeyedProcessFunction<string, KV, string> = {
        open: (ctx) => {
          v = ctx.getState(desc);
        },
        processElement(e, _ctx, out) {
          if (e.value > 0) v.update(e.value);
          else out.collect(String(v.value()));
        },
      };
      return { h: Harness.forProcessFunction(fn, byKey, clock), clock };
    };
    const w = make(UpdateType.OnCreateAndWrite);
    w.h.processElement(kv('a', 7), 0);
    w.clock.set(60);
    w.h.processElement(kv('a', 0), 0);
    w.clock.set(100);
    w.h.processElement(kv('a', 0), 0);
    expect(w.h.extractOutputValues()).toEqual(['7', 'undefined']);

    const r = make(UpdateType.OnReadAndWrite);
    r.h.processElement(kv('a', 7), 0);
    r.clock.set(60);
    r.h.processElement(kv('a', 0), 0); // read refreshes
    r.clock.set(150);
    r.h.processElement(kv('a', 0), 0);
    r.clock.set(260);
    r.h.processElement(kv('a', 0), 0);
    expect(r.h.extractOutputValues()).toEqual(['7', '7', 'undefined']);
  });

  test('expired TTL values are dropped from snapshots', () => {
    const clock = new ManualClock(0);
    let v: ValueState<number>;
    const fn: KeyedProcessFunction<string, KV, never> = {
      open(ctx) {
        v = ctx.getState(
          new ValueStateDescriptor<number>('v').enableTimeToLive(StateTtlConfig.newBuilder(100).build()),
        );
      },
      processElement(e) {
        v.update(e.value);
      },
    };
    const h = Harness.forProcessFunction(fn, byKey, clock);
    h.processElement(kv('a'), 0);
    clock.set(50);
    h.processElement(kv('b'), 0);
    clock.set(120);
    const snap = h.snapshot() as { keyed: { tables: Array<[string, Array<[string, unknown]>]> } };
    expect(snap.keyed.tables[0]?.[1].map(([k]) => k)).toEqual(['b']);
  });

  test('in a job: process function results and side outputs reach their sinks', () => {
    const env = StreamExecutionEnvironment.create();
    const main = new CollectSink<string>();
    const side = new CollectSink<KV>();
    const events = [kv('a'), kv('a', -3), kv('b'), kv('a')].map((e, i) => ({ ...e, ts: i * 5 }));
    const processed = env
      .fromSource(
        InMemorySource.fromElements(events),
        WatermarkStrategy.forMonotonousTimestamps<KV & { ts: number }>().withTimestampAssigner((e) => e.ts),
      )
      .keyBy(byKey)
      .process(countWithTimeout());
    processed.sinkTo(main);
    processed.getSideOutput(negative).sinkTo(side);
    runToCompletion(env);
    expect(main.values).toEqual(['a@10:2 (EVENT_TIME)', 'b@20:1 (EVENT_TIME)']);
    expect(side.values).toEqual([{ key: 'a', value: -3, ts: 5 }]);
  });
});
