import {
  ContinuousEventTimeTrigger,
  CountTrigger,
  CumulativeEventTimeWindows,
  EventTimeSessionWindows,
  GlobalWindows,
  KeyedOneInputStreamOperatorTestHarness as Harness,
  ManualClock,
  OutputTag,
  PurgingTrigger,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type Window,
  type WindowAssigner,
  type WindowSpec,
} from '../index';
import { byKey, describe_, type KV, kv, sum } from './fixtures';

type Spec = WindowSpec<KV, string, Window, number, number, string>;

const windowHarness = (assigner: WindowAssigner<unknown, Window>, extra: Partial<Spec> = {}) =>
  Harness.forWindow<KV, string, Window, number, number, string>({
    keySelector: byKey,
    assigner,
    aggregate: sum,
    windowFunction: describe_,
    ...extra,
  });

describe('WindowOperator (in the style of Flink WindowOperatorTest)', () => {
  test('tumbling event-time windows fire when the watermark reaches maxTimestamp, then clean up', () => {
    // Prepare
    const h = windowHarness(TumblingEventTimeWindows.of(3000));
    // Act
    for (const [k, t] of [
      ['key2', 3999],
      ['key2', 3000],
      ['key1', 20],
      ['key1', 0],
      ['key1', 999],
      ['key2', 1998],
      ['key2', 1999],
      ['key2', 1000],
    ] as const)
      h.processElement(kv(k), t);
    h.processWatermark(999);
    h.processWatermark(1999);
    expect(h.extractOutputValues()).toEqual([]);
    h.processWatermark(2998);
    expect(h.extractOutputValues()).toEqual([]);
    h.processWatermark(2999);
    // Assess
    expect(h.extractOutputStreamRecords()).toEqual([
      { value: 'key1:0-3000=3', timestamp: 2999 },
      { value: 'key2:0-3000=3', timestamp: 2999 },
    ]);
    h.clearOutput();
    h.processWatermark(5999);
    expect(h.getOutput()).toEqual([{ value: 'key2:3000-6000=2', timestamp: 5999 }, { watermark: 5999 }]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('tumbling windows with an offset are shifted', () => {
    const h = windowHarness(TumblingEventTimeWindows.of(10, 3));
    h.processElement(kv('a'), 2);
    h.processElement(kv('a'), 3);
    h.processElement(kv('a'), 12);
    h.processElement(kv('a'), -7);
    h.processWatermark(20);
    expect(h.extractOutputValues()).toEqual(['a:-7-3=2', 'a:3-13=2']);
  });

  test('sliding windows: each record counts in size/slide windows', () => {
    const h = windowHarness(SlidingEventTimeWindows.of(3000, 1000));
    h.processElement(kv('a'), 3999);
    h.processElement(kv('a'), 1000);
    h.processWatermark(10_000);
    expect(h.extractOutputValues()).toEqual([
      'a:-1000-2000=1',
      'a:0-3000=1',
      'a:1000-4000=2',
      'a:2000-5000=1',
      'a:3000-6000=1',
    ]);
    expect(h.numKeyedStateEntries()).toBe(0);
  });

  test('sliding windows whose size is not a multiple of the slide', () => {
    const h = windowHarness(SlidingEventTimeWindows.of(10, 4));
    h.processElement(kv('a'), 8); // in [0,10), [4,14), [8,18)
    h.processElement(kv('a'), 11); // in [4,14), [8,18) only
    h.processWatermark(100);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1', 'a:4-14=2', 'a:8-18=2']);
  });

  test('cumulate windows give "so far" results every step', () => {
    const h = windowHarness(CumulativeEventTimeWindows.of(10, 30));
    h.processElement(kv('a'), 5);
    h.processElement(kv('a'), 15);
    h.processElement(kv('a'), 25);
    h.processElement(kv('a'), 35);
    h.processWatermark(9);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1']);
    h.processWatermark(19);
    h.processWatermark(29);
    h.processWatermark(39);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1', 'a:0-20=2', 'a:0-30=3', 'a:30-40=1']);
  });

  test('session windows merge overlapping and touching sessions', () => {
    const h = windowHarness(EventTimeSessionWindows.withGap(10));
    h.processElement(kv('a'), 0);
    h.processElement(kv('a'), 10); // touches [0,10): Flink merges touching windows
    h.processElement(kv('b'), 5);
    h.processElement(kv('a'), 40);
    h.processElement(kv('a'), 35);
    h.processWatermark(100);
    expect(h.extractOutputValues()).toEqual(['b:5-15=1', 'a:0-20=2', 'a:35-50=2']);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('a late element within allowed lateness bridges two fired sessions and re-fires the merged one', () => {
    const h = windowHarness(EventTimeSessionWindows.withGap(10), { allowedLateness: 100 });
    h.processElement(kv('a'), 0);
    h.processElement(kv('a'), 15);
    h.processWatermark(30);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1', 'a:15-25=1']);
    h.clearOutput();
    h.processElement(kv('a'), 8); // [8,18) touches both sessions
    expect(h.extractOutputStreamRecords()).toEqual([{ value: 'a:0-25=3', timestamp: 24 }]);
    h.clearOutput();
    // Cleanup of the merged session at 24 + 100; the merged-away windows' timers are gone.
    h.processWatermark(123);
    expect(h.numKeyedStateEntries()).toBeGreaterThan(0);
    h.processWatermark(124);
    expect(h.extractOutputValues()).toEqual([]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('allowed lateness re-fires with the updated result; beyond it records go to the side output', () => {
    const late = new OutputTag<KV>('late');
    const h = windowHarness(TumblingEventTimeWindows.of(10), { allowedLateness: 5, lateDataTag: late });
    h.processElement(kv('a'), 1);
    h.processWatermark(9);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1']);
    h.processElement(kv('a', 2), 2); // late but within lateness: fires again, with the update
    expect(h.extractOutputValues()).toEqual(['a:0-10=1', 'a:0-10=3']);
    h.processWatermark(14); // cleanup time = 9 + 5
    expect(h.numKeyedStateEntries()).toBe(0);
    h.processElement(kv('a', 7), 3);
    expect(h.extractOutputValues()).toEqual(['a:0-10=1', 'a:0-10=3']);
    expect(h.getSideOutput(late)).toEqual([{ value: kv('a', 7), timestamp: 3 }]);
  });

  test('late records without a side output are dropped and counted, never emitted', () => {
    const h = windowHarness(TumblingEventTimeWindows.of(10));
    h.processWatermark(50);
    h.processElement(kv('a'), 3);
    expect(h.extractOutputValues()).toEqual([]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numLateRecordsDropped()).toBe(1);
  });

  test('count trigger on global windows fires every n elements; purging resets the count', () => {
    const plain = windowHarness(GlobalWindows.create(), { trigger: CountTrigger.of(2) });
    const purging = windowHarness(GlobalWindows.create(), { trigger: PurgingTrigger.of(CountTrigger.of(2)) });
    for (const h of [plain, purging]) for (let i = 0; i < 5; i++) h.processElement(kv('a'), i);
    const g = `${Number.NEGATIVE_INFINITY}-${Number.POSITIVE_INFINITY}`;
    expect(plain.extractOutputValues()).toEqual([`a:${g}=2`, `a:${g}=4`]);
    expect(purging.extractOutputValues()).toEqual([`a:${g}=2`, `a:${g}=2`]);
  });

  test('count trigger state merges when sessions merge', () => {
    const h = windowHarness(EventTimeSessionWindows.withGap(10), { trigger: CountTrigger.of(3) });
    h.processElement(kv('a'), 0);
    h.processElement(kv('a'), 20);
    expect(h.extractOutputValues()).toEqual([]);
    h.processElement(kv('a'), 10); // bridges: counts 1 + 1 merged, + 1
    expect(h.extractOutputValues()).toEqual(['a:0-30=3']);
  });

  test('continuous event-time trigger on merging sessions: fire times merge (min), state is cleaned', () => {
    const h = windowHarness(EventTimeSessionWindows.withGap(30), {
      trigger: ContinuousEventTimeTrigger.of(20),
    });
    h.processElement(kv('a'), 5); // [5,35), next early firing at 20
    h.processElement(kv('a'), 50); // [50,80), next early firing at 60
    h.processWatermark(20);
    expect(h.extractOutputValues()).toEqual(['a:5-35=1']);
    // After firing at 20, [5,35) next fires at min(40, its end 34) = 34; [50,80) at 60.
    h.processElement(kv('a'), 30); // bridges: [5,80), next firing = min(34, 60)
    h.processWatermark(40);
    expect(h.extractOutputValues()).toEqual(['a:5-35=1', 'a:5-80=3']);
    h.processWatermark(200); // early firings at 54 and 74, the final one at 79
    expect(h.extractOutputValues()).toEqual(['a:5-35=1', 'a:5-80=3', 'a:5-80=3', 'a:5-80=3', 'a:5-80=3']);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('count trigger with allowed lateness: late records count too; state is cleaned at the end', () => {
    const late = new OutputTag<KV>('late');
    const h = windowHarness(TumblingEventTimeWindows.of(10), {
      trigger: CountTrigger.of(2),
      allowedLateness: 10,
      lateDataTag: late,
    });
    h.processElement(kv('a'), 1);
    h.processWatermark(15); // past the end: CountTrigger does not fire on time
    h.processElement(kv('a'), 2); // late but allowed: second record fires
    expect(h.extractOutputValues()).toEqual(['a:0-10=2']);
    h.processWatermark(19); // cleanup time 9 + 10
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
    h.processElement(kv('a'), 3);
    expect(h.getSideOutput(late)).toHaveLength(1);
  });

  test('continuous event-time trigger gives early firings, then the final one', () => {
    const h = windowHarness(TumblingEventTimeWindows.of(100), { trigger: ContinuousEventTimeTrigger.of(20) });
    h.processElement(kv('a'), 5);
    h.processWatermark(20);
    expect(h.extractOutputValues()).toEqual(['a:0-100=1']);
    h.processElement(kv('a'), 30);
    h.processWatermark(40);
    h.processWatermark(99);
    expect(h.extractOutputValues()).toEqual([
      'a:0-100=1',
      'a:0-100=2',
      'a:0-100=2',
      'a:0-100=2',
      'a:0-100=2',
    ]);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('processing-time tumbling windows fire on the injected clock, then clean up', () => {
    const clock = new ManualClock(1_000);
    const h = Harness.forWindow<KV, string, Window, number, number, string>(
      {
        keySelector: byKey,
        assigner: TumblingProcessingTimeWindows.of(100),
        aggregate: sum,
        windowFunction: describe_,
      },
      clock,
    );
    h.processElement(kv('a'), 0); // event time is ignored
    clock.set(1_050);
    h.processElement(kv('a'), 999_999);
    h.setProcessingTime(1_098);
    expect(h.extractOutputValues()).toEqual([]);
    h.setProcessingTime(1_099);
    expect(h.extractOutputStreamRecords()).toEqual([{ value: 'a:1000-1100=2', timestamp: 1099 }]);
    clock.set(1_150);
    h.processElement(kv('a'), 0); // now in [1100, 1200)
    h.setProcessingTime(1_199);
    expect(h.extractOutputValues()).toEqual(['a:1000-1100=2', 'a:1100-1200=1']);
    expect(h.numKeyedStateEntries()).toBe(0);
    expect(h.numTimers()).toBe(0);
  });

  test('snapshot + restore in the middle gives the same output as an uninterrupted run', () => {
    const feed1 = (h: Harness<KV, string>) => {
      h.processElement(kv('a'), 0);
      h.processElement(kv('a'), 15);
      h.processElement(kv('b'), 3);
      h.processWatermark(12);
    };
    const feed2 = (h: Harness<KV, string>) => {
      h.processElement(kv('a'), 8);
      h.processElement(kv('b'), 9);
      h.processWatermark(200);
    };
    const make = () => windowHarness(EventTimeSessionWindows.withGap(10), { allowedLateness: 50 });
    const whole = make();
    feed1(whole);
    feed2(whole);
    const first = make();
    feed1(first);
    const snapshot = first.snapshot();
    const second = make();
    second.initializeState(snapshot);
    feed2(second);
    expect([...first.extractOutputValues(), ...second.extractOutputValues()]).toEqual(
      whole.extractOutputValues(),
    );
  });
});
